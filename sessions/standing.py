"""A man's standing against his programme's completion rules, and who is at risk of dropping
out. The one place this logic lives: the counts come from SQL (`with_standing`, subqueries
annotated on a Participant queryset) or, for men whose attendance is loaded, from the same
definitions row by row (`counts_of`, tested equal); `classify` and `at_risk_reasons` turn them
into a standing with its reasons. The at-risk list reads counts kept per man (`KeptStanding`,
recomputed by `refresh_stale` after `touch`) and filters them with `at_risk_q`."""

import dataclasses
import datetime

from django.db import transaction
from django.db.models import (
    Count,
    DateField,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from participants.models import Enrolment, FollowUp, Participant, Referral

from .enums import AttendanceStatus, Violence
from .models import Attendance, KeptStanding, YearlyParticipation
from .tallies import ATTENDED, CHECKED_IN

ABSENT = [AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED]
NEWCOMER_SESSIONS = 4
CONSECUTIVE_AT_RISK = 2
REFERRAL_NOT_SEEN_DAYS = 14
EPOCH = datetime.date(1900, 1, 1)
FAR_FUTURE = datetime.date(9999, 12, 31)


class Standing:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OUT_OF_COMPLIANCE = "out_of_compliance"
    READY_TO_COMPLETE = "ready"
    NOT_ENROLLED = "not_enrolled"

    LABELS = {
        ON_TRACK: gettext_lazy("On track"),
        AT_RISK: gettext_lazy("At risk"),
        OUT_OF_COMPLIANCE: gettext_lazy("Out of compliance"),
        READY_TO_COMPLETE: gettext_lazy("Ready to complete"),
        NOT_ENROLLED: gettext_lazy("Not enrolled"),
    }


def _in_programme(programme):
    """Attendance of the man (OuterRef pk) in sessions of his current programme: `programme`
    is a dict of lookups that says which one."""
    return Attendance.objects.filter(participant=OuterRef("pk"), **programme)


def _count(queryset):
    return Coalesce(
        Subquery(
            queryset.order_by().values("participant").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_standing(participants, *, programme_id=None, enrolment_id=None):
    """Annotate a Participant queryset with the counts that decide his standing, all in
    SQL: the programme of his current (open, else latest) enrolment, sessions attended,
    absences by kind, consecutive absences now, his first sessions' absences, the date of his
    last attended session, his first referral and his latest follow-up contact.

    For one man whose enrolment the caller already knows, pass `programme_id` and
    `enrolment_id`: the counts then use a constant instead of repeating the enrolment lookup
    in every subquery (PostgreSQL plans that query several times faster).

    A whole caseload is filtered on its kept counts instead (`refresh_stale`, `at_risk_q`)."""
    if programme_id is not None:
        annotated = participants.annotate(
            standing_enrolment_id=Value(enrolment_id), standing_programme_id=Value(programme_id)
        )
        programme = {"session__group__programme_id": Value(programme_id)}
    else:
        # His open enrolment first (NULL end date), else the latest.
        current = Enrolment.objects.filter(participant=OuterRef("pk")).order_by(
            F("end_date").desc(nulls_first=True), "-start_date", "-pk"
        )
        annotated = participants.annotate(
            standing_enrolment_id=Subquery(current.values("pk")[:1]),
            standing_programme_id=Subquery(current.values("group__programme_id")[:1]),
        )
        programme = {"session__group__programme_id": OuterRef("standing_programme_id")}

    last_attended = Subquery(
        _in_programme(programme)
        .filter(status__in=AttendanceStatus.attended())
        .order_by("-session__date")
        .values("session__date")[:1],
        output_field=DateField(),
    )
    annotated = annotated.annotate(last_attended_on=last_attended)
    return annotated.annotate(
        attended_count=_count(
            _in_programme(programme).filter(status__in=AttendanceStatus.attended())
        ),
        excused_count=_count(_in_programme(programme).filter(status=AttendanceStatus.EXCUSED)),
        unexcused_count=_count(_in_programme(programme).filter(status=AttendanceStatus.UNEXCUSED)),
        recorded_count=_count(_in_programme(programme)),
        consecutive_absences=_count(
            _in_programme(programme).filter(
                status__in=ABSENT,
                session__date__gt=Coalesce(OuterRef("last_attended_on"), Value(EPOCH)),
            )
        ),
        first_sessions_absences=_count(
            _in_programme(programme).filter(
                status__in=ABSENT,
                session__date__lte=Coalesce(
                    Subquery(
                        # Nested: relative to the outer attendance row (same man, programme).
                        Attendance.objects.filter(
                            participant=OuterRef("participant"),
                            session__group__programme_id=OuterRef("session__group__programme_id"),
                        )
                        .order_by("session__date")
                        .values("session__date")[NEWCOMER_SESSIONS - 1 : NEWCOMER_SESSIONS],
                        output_field=DateField(),
                    ),
                    Value(FAR_FUTURE),
                ),
            )
        ),
        last_follow_up_on=Subquery(
            FollowUp.objects.filter(participant=OuterRef("pk"))
            .order_by("-contacted_on", "-pk")
            .values("contacted_on")[:1],
            output_field=DateField(),
        ),
        first_referred_on=Subquery(
            Referral.objects.filter(participant=OuterRef("pk"))
            .order_by("referred_on")
            .values("referred_on")[:1],
            output_field=DateField(),
        ),
    )


@dataclasses.dataclass
class Counts:
    """What `with_standing` annotates on a man, for one whose attendance is already loaded
    (see `counts_of`): `classify` and `at_risk_reasons` take either."""

    standing_enrolment_id: int | None
    standing_programme_id: int | None
    attended_count: int = 0
    excused_count: int = 0
    unexcused_count: int = 0
    recorded_count: int = 0
    consecutive_absences: int = 0
    first_sessions_absences: int = 0
    last_attended_on: datetime.date | None = None
    first_referred_on: datetime.date | None = None
    last_follow_up_on: datetime.date | None = None


def counts_of(rows, *, enrolment_id, programme_id, first_referred_on, last_follow_up_on=None):
    """`with_standing`'s counts for one man, from `rows`: (session date, status, programme id)
    of each of his attendances, in any programme and any order (a man's page has them all
    loaded already). The same definitions as the SQL above, row by row: only his sessions in
    `programme` count; consecutive absences are those after his last attended session; his
    first sessions' absences those on or before the date of his 4th session."""
    counts = Counts(
        standing_enrolment_id=enrolment_id,
        standing_programme_id=programme_id,
        first_referred_on=first_referred_on,
        last_follow_up_on=last_follow_up_on,
    )
    if enrolment_id is None:
        return counts
    dates = sorted(day for day, _status, programme in rows if programme == programme_id)
    mine = [(day, status) for day, status, programme in rows if programme == programme_id]
    attended = AttendanceStatus.attended()
    last = max((day for day, status in mine if status in attended), default=None)
    fourth = dates[NEWCOMER_SESSIONS - 1] if len(dates) >= NEWCOMER_SESSIONS else FAR_FUTURE
    absences = [day for day, status in mine if status in ABSENT]
    counts.attended_count = sum(status in attended for _day, status in mine)
    counts.excused_count = sum(status == AttendanceStatus.EXCUSED for _day, status in mine)
    counts.unexcused_count = sum(status == AttendanceStatus.UNEXCUSED for _day, status in mine)
    counts.recorded_count = len(mine)
    counts.consecutive_absences = sum(day > (last or EPOCH) for day in absences)
    counts.first_sessions_absences = sum(day <= fourth for day in absences)
    counts.last_attended_on = last
    return counts


@dataclasses.dataclass
class StandingResult:
    code: str
    reasons: list

    @property
    def label(self):
        return Standing.LABELS[self.code]


def classify(man, programme, today):
    """The standing of a man annotated by `with_standing`, against `programme`'s rules."""
    if man.standing_enrolment_id is None or programme is None:
        return StandingResult(Standing.NOT_ENROLLED, [])
    out = []
    unexcused, allowed_unexcused = man.unexcused_count, programme.allowed_unexcused_absences
    if allowed_unexcused is not None and unexcused > allowed_unexcused:
        out.append(
            ngettext(
                "%(count)d unexcused absence, more than the %(allowed)d allowed",
                "%(count)d unexcused absences, more than the %(allowed)d allowed",
                unexcused,
            )
            % {"count": unexcused, "allowed": allowed_unexcused}
        )
    excused, allowed_excused = man.excused_count, programme.allowed_excused_absences
    if allowed_excused is not None and excused > allowed_excused:
        out.append(
            ngettext(
                "%(count)d excused absence, more than the %(allowed)d allowed",
                "%(count)d excused absences, more than the %(allowed)d allowed",
                excused,
            )
            % {"count": excused, "allowed": allowed_excused}
        )
    limit = programme.max_consecutive_absences
    if limit is not None and man.consecutive_absences >= limit:
        out.append(
            ngettext(
                "%(count)d consecutive absence: the programme ends an enrolment at %(allowed)d",
                "%(count)d consecutive absences: the programme ends an enrolment at %(allowed)d",
                man.consecutive_absences,
            )
            % {"count": man.consecutive_absences, "allowed": limit}
        )
    if out:
        return StandingResult(Standing.OUT_OF_COMPLIANCE, out)
    if man.attended_count >= programme.required_sessions:
        return StandingResult(
            Standing.READY_TO_COMPLETE,
            [
                _("%(count)d of %(required)d sessions attended")
                % {"count": man.attended_count, "required": programme.required_sessions}
            ],
        )
    risks = at_risk_reasons(man, today)
    if allowed_unexcused and unexcused == allowed_unexcused:
        risks.append(
            _("reached the %(allowed)d unexcused absences allowed") % {"allowed": unexcused}
        )
    if allowed_excused and excused == allowed_excused:
        risks.append(_("reached the %(allowed)d excused absences allowed") % {"allowed": excused})
    if risks:
        return StandingResult(Standing.AT_RISK, risks)
    return StandingResult(
        Standing.ON_TRACK,
        [
            _("%(count)d of %(required)d sessions attended")
            % {"count": man.attended_count, "required": programme.required_sessions}
        ],
    )


def at_risk_reasons(man, today):
    """Why a man annotated by `with_standing` is at risk of dropping out (empty: he is not)."""
    reasons = []
    if man.consecutive_absences >= CONSECUTIVE_AT_RISK:
        reasons.append(
            ngettext(
                "%(count)d consecutive absence",
                "%(count)d consecutive absences",
                man.consecutive_absences,
            )
            % {"count": man.consecutive_absences}
        )
    if man.recorded_count <= 2 * NEWCOMER_SESSIONS and man.first_sessions_absences:
        reasons.append(
            _("a newcomer who missed %(count)d of his first %(first)d sessions")
            % {"count": man.first_sessions_absences, "first": NEWCOMER_SESSIONS}
        )
    if (
        man.attended_count == 0
        and man.first_referred_on is not None
        and (today - man.first_referred_on).days > REFERRAL_NOT_SEEN_DAYS
    ):
        reasons.append(
            _("referred %(days)d days ago and not seen yet")
            % {"days": (today - man.first_referred_on).days}
        )
    return reasons


def touch(participant_ids):
    """Say that what decides these men's standing changed: their kept counts are recomputed
    at the next `refresh_stale`. `participant_ids`: ids, or a queryset of them. 1 query (none
    for no ids). Called by the services that write attendance in bulk; single saves and
    deletions of attendance, enrolments, referrals and follow-ups (the admin's included)
    call it through the receivers in `sessions/signals.py`."""
    if not isinstance(participant_ids, QuerySet):
        participant_ids = list(participant_ids)
        if not participant_ids:
            return
    Participant.objects.filter(pk__in=participant_ids).update(
        standing_version=F("standing_version") + 1
    )


def refresh_stale(participants=None):
    """Recompute the kept counts (`KeptStanding`) of the men whose counts are missing or
    older than their `standing_version`: of `participants`, or of everyone (the counts are
    derived data, shown by whoever may see the man; checking everyone keeps the check one
    plain join). 1 query when none is stale; 6 more when some are, per REFRESH_BATCH men,
    in a transaction. Each man's version is read before his data, so a change committed
    meanwhile leaves his row behind his version, to be recomputed next time."""
    men = Participant.objects.all() if participants is None else participants
    stale = list(
        men.filter(
            Q(kept_standing__isnull=True)
            | ~Q(kept_standing__computed_version=F("standing_version"))
        )
        .order_by()
        .values_list("pk", "standing_version")
    )
    if stale:
        with transaction.atomic():
            for start in range(0, len(stale), REFRESH_BATCH):
                _refresh(dict(stale[start : start + REFRESH_BATCH]))
    return len(stale)


REFRESH_BATCH = 500
KEPT_FIELDS = [
    "computed_version",
    "enrolment",
    "programme",
    *(f.name for f in dataclasses.fields(Counts) if f.name.endswith(("_count", "_absences"))),
    "last_attended_on",
    "first_referred_on",
    "first_referral_source",
    "last_follow_up",
    "check_ins",
    "clean_check_ins",
    "last_check_in_on",
]


def _refresh(versions):
    """Write the kept counts and the yearly participation of the men of `versions` ({id:
    version read}): 6 queries, the yearly sums counted by the database. Their KeptStanding
    rows are written first, on purpose: the row locks the upsert takes make a second request
    refreshing the same men at the same time wait until this one commits, before it rewrites
    their yearly rows (which it would otherwise insert twice, breaking their unique
    constraint)."""
    open_enrolment = Enrolment.objects.filter(participant=OuterRef("pk"), end_date__isnull=True)
    latest_contact = FollowUp.objects.filter(participant=OuterRef("pk")).order_by(
        "-contacted_on", "-pk"
    )
    first_referral = Referral.objects.filter(participant=OuterRef("pk")).order_by(
        "referred_on", "pk"
    )
    men = Participant.objects.filter(pk__in=list(versions)).values_list(
        "pk",
        Subquery(open_enrolment.values("pk")[:1]),
        Subquery(open_enrolment.values("group__programme_id")[:1]),
        Subquery(first_referral.values("referred_on")[:1]),
        Subquery(latest_contact.values("pk")[:1]),
        Subquery(first_referral.values("source_type")[:1]),
    )
    rows = {man_id: [] for man_id in versions}
    check_ins = {man_id: [] for man_id in versions}
    attendance = Attendance.objects.filter(participant__in=list(versions)).values_list(
        "participant_id",
        "pk",
        "session__date",
        "status",
        "violence",
        "session__group__programme_id",
    )
    for man_id, pk, day, status, violence, programme_id in attendance:
        rows[man_id].append((day, status, programme_id))
        if violence != Violence.NOT_RECORDED:  # a check-in (only a man who came has one)
            check_ins[man_id].append((day, pk, violence))
    kept = []
    for man_id, enrolment_id, programme_id, first_referred, last_contact_id, source in men:
        counts = counts_of(
            rows[man_id],
            enrolment_id=enrolment_id,
            programme_id=programme_id,
            first_referred_on=first_referred,
        )
        kept.append(
            KeptStanding(
                participant_id=man_id,
                computed_version=versions[man_id],
                enrolment_id=enrolment_id,
                programme_id=programme_id,
                last_follow_up_id=last_contact_id,
                first_referral_source=source or "",
                **_check_in_facts(check_ins[man_id]),
                **{
                    f.name: getattr(counts, f.name)
                    for f in dataclasses.fields(Counts)
                    if f.name in KEPT_FIELDS
                },
            )
        )
    KeptStanding.objects.bulk_create(
        kept,
        update_conflicts=True,
        unique_fields=["participant"],
        update_fields=KEPT_FIELDS,
    )
    years = (
        Attendance.objects.filter(ATTENDED, participant__in=list(versions))
        .annotate(year=ExtractYear("session__date"))
        .values("participant_id", "session__group_id", "year")
        .annotate(
            n=Count("pk"),
            first=Min("session__date"),
            last=Max("session__date"),
            checked=Count("pk", filter=CHECKED_IN),
        )
        .values_list("participant_id", "session__group_id", "year", "n", "first", "last", "checked")
        .order_by()
    )
    YearlyParticipation.objects.filter(participant__in=list(versions)).delete()
    YearlyParticipation.objects.bulk_create(
        YearlyParticipation(
            participant_id=man_id,
            group_id=group_id,
            year=year,
            attended=count,
            first_attended_on=first,
            last_attended_on=last,
            check_ins=checked,
        )
        for man_id, group_id, year, count, first, last, checked in years
    )


def _check_in_facts(check_ins):
    """What the report on recent violence needs of a man's check-ins, (date, attendance pk,
    violence) in any order: how many, the date of the latest, and how many of the latest in
    a row reported none (newest first by date then pk, as the report ranks them)."""
    newest_first = sorted(check_ins, reverse=True)
    clean = next(
        (n for n, (_day, _pk, violence) in enumerate(newest_first) if violence == Violence.YES),
        len(newest_first),
    )
    return {
        "check_ins": len(newest_first),
        "clean_check_ins": clean,
        "last_check_in_on": newest_first[0][0] if newest_first else None,
    }


def at_risk_q(today):
    """The men at risk of dropping out, by the same three rules as `at_risk_reasons`, as a
    filter on their kept counts (`refresh_stale` them first): two consecutive absences now,
    a newcomer (at most 8 sessions) who missed one of his first 4, or referred over 14 days
    ago and not seen yet in the programme of his open enrolment."""
    kept = "kept_standing__"
    cutoff = today - datetime.timedelta(days=REFERRAL_NOT_SEEN_DAYS)
    return (
        Q(**{f"{kept}consecutive_absences__gte": CONSECUTIVE_AT_RISK})
        | Q(
            **{
                f"{kept}recorded_count__lte": 2 * NEWCOMER_SESSIONS,
                f"{kept}first_sessions_absences__gt": 0,
            }
        )
        | Q(**{f"{kept}attended_count": 0, f"{kept}first_referred_on__lt": cutoff})
    )


def standings(men, today):
    """Classify a list of annotated men (one query for their programmes)."""
    from programmes.models import Programme

    programmes = Programme.objects.in_bulk({m.standing_programme_id for m in men} - {None})
    return {m.pk: classify(m, programmes.get(m.standing_programme_id), today) for m in men}
