"""Reads of the progress reports: the figures of a man's current report, his completion
certificate, and the list of reports due."""

import dataclasses
import datetime

from django.db.models import (
    Count,
    DateField,
    Exists,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from participants.enums import ExitStatus
from participants.models import Enrolment, Participant, Referral

from ... import standing
from ...enums import AttendanceStatus
from ...models import Attendance, ProgressReport

# Countries that print on US Letter; the rest of the world uses A4.
LETTER_COUNTRIES = frozenset(
    {"US", "CA", "MX", "PA", "CL", "CO", "CR", "DO", "GT", "HN", "NI", "PH", "PR", "SV", "VE"}
)
DUE_SOON_DAYS = 14


class PlusDays(Func):
    """A date plus a number of days, in SQL (PostgreSQL adds an integer to a date; SQLite
    needs a modifier)."""

    arg_joiner = " + "
    template = "(%(expressions)s)"
    output_field = DateField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="DATE(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
            **extra,
        )


def local_today(site):
    return timezone.localdate(timezone=site.tzinfo)


def paper_size(site):
    return "letter" if site.country in LETTER_COUNTRIES else "A4"


def signatory_name(user):
    return user.get_full_name() or user.get_username()


@dataclasses.dataclass
class ReportDocument:
    """What a progress report shows, live or frozen (an issued report)."""

    participant: Participant
    referral: Referral | None
    site: object
    programme_name: str
    group_name: str
    period_start: datetime.date
    period_end: datetime.date
    attended: int
    required: int
    excused: int
    unexcused: int
    allowed_excused: int | None
    allowed_unexcused: int | None
    consecutive_absences: int
    period_attended: int
    period_excused: int
    period_unexcused: int
    first_session_on: datetime.date | None
    last_session_on: datetime.date | None
    standing: str
    standing_reasons: list
    signatory: str
    place: str
    signed_on: datetime.date
    report: ProgressReport | None = None

    @property
    def standing_label(self):
        return standing.Standing.LABELS.get(self.standing, self.standing)

    @property
    def paper(self):
        return paper_size(self.site)

    def frozen_fields(self):
        """The figures an issued ProgressReport copies."""
        return {name: getattr(self, name) for name in FROZEN}


# What an issued report keeps of a document; the rest (his identity, the referral) is live.
FROZEN = [
    f.name
    for f in dataclasses.fields(ReportDocument)
    if f.name not in {"participant", "referral", "site", "signed_on", "report"}
]


def report_referral(participant):
    """The referral his reports go to: the latest that asks for reports, else the latest."""
    return (
        Referral.objects.filter(participant=participant)
        .order_by("-reports_requested", "-referred_on", "-pk")
        .first()
    )


def last_sent_report(participant):
    return (
        ProgressReport.objects.filter(participant=participant, sent_on__isnull=False)
        .order_by("-period_end", "-pk")
        .first()
    )


def _attendance_in(participant, programme_id, since=None):
    """His attendance in a programme's sessions (from `since` on, if given) and his first and
    last attended session there: the figures of a report period or of a certificate, beside
    his standing's. 1 query."""
    attended = Q(status__in=AttendanceStatus.attended())
    rows = Attendance.objects.filter(
        participant=participant, session__group__programme_id=programme_id
    )
    in_period = Q(session__date__gte=since) if since else Q()
    return rows.aggregate(
        attended=Count("pk", filter=attended & in_period),
        excused=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED) & in_period),
        unexcused=Count("pk", filter=Q(status=AttendanceStatus.UNEXCUSED) & in_period),
        first=Min("session__date", filter=attended),
        last=Max("session__date", filter=attended),
    )


def current_report(participant, *, user):
    """The figures of his progress report as of today, or None when he has no enrolment."""
    man = standing.with_standing(Participant.objects.filter(pk=participant.pk)).get()
    if man.standing_enrolment_id is None:
        return None
    enrolment = Enrolment.objects.select_related("group__site", "group__programme").get(
        pk=man.standing_enrolment_id
    )
    site, programme = enrolment.group.site, enrolment.group.programme
    today = local_today(site)
    last = last_sent_report(participant)
    period_start = min(last.period_end if last else enrolment.start_date, today)
    result = standing.classify(man, programme, today)
    in_period = _attendance_in(participant, programme.pk, since=period_start)
    return ReportDocument(
        participant=participant,
        referral=report_referral(participant),
        site=site,
        programme_name=programme.name,
        group_name=enrolment.group.name,
        period_start=period_start,
        period_end=today,
        attended=man.attended_count,
        required=programme.required_sessions,
        excused=man.excused_count,
        unexcused=man.unexcused_count,
        allowed_excused=programme.allowed_excused_absences,
        allowed_unexcused=programme.allowed_unexcused_absences,
        consecutive_absences=man.consecutive_absences,
        period_attended=in_period["attended"],
        period_excused=in_period["excused"],
        period_unexcused=in_period["unexcused"],
        first_session_on=in_period["first"],
        last_session_on=man.last_attended_on,
        standing=result.code,
        standing_reasons=[str(reason) for reason in result.reasons],
        signatory=signatory_name(user),
        place=site.city,
        signed_on=today,
    )


def issued_document(report):
    """An issued report as a document: its frozen figures, his identity as it is now."""
    frozen = {name: getattr(report, name) for name in FROZEN}
    return ReportDocument(
        participant=report.participant,
        referral=report.referral,
        site=report.participant.site,
        signed_on=report.period_end,
        report=report,
        **frozen,
    )


def issued_reports(participant):
    return ProgressReport.objects.filter(participant=participant).select_related("sent_by")


def completed_enrolment(participant):
    """His latest enrolment closed as completed, or None."""
    return (
        Enrolment.objects.filter(participant=participant, exit_status=ExitStatus.COMPLETED)
        .select_related("group", "group__site", "group__programme")
        .order_by("-end_date", "-pk")
        .first()
    )


def certificate(participant, *, user):
    """What his completion certificate shows, or None before he completed."""
    enrolment = completed_enrolment(participant)
    if enrolment is None:
        return None
    site, programme = enrolment.group.site, enrolment.group.programme
    counts = _attendance_in(participant, programme.pk)
    return {
        "participant": participant,
        "enrolment": enrolment,
        "programme": programme,
        "site": site,
        "attended": counts["attended"],
        "first_session_on": counts["first"] or enrolment.start_date,
        "last_session_on": counts["last"] or enrolment.end_date,
        "signatory": signatory_name(user),
        "place": site.city,
        "signed_on": local_today(site),
        "paper": paper_size(site),
    }


def reports_due(user):
    """Every man of the user's sites with an open enrolment in a programme with periodic
    reports and a referral that asks for them, with his last sent report and the next due
    date, soonest first: one query (plus the paginator's count)."""
    last_sent = ProgressReport.objects.filter(
        participant=OuterRef("participant_id"), sent_on__isnull=False
    ).order_by("-period_end", "-pk")
    wants_reports = Referral.objects.filter(
        participant=OuterRef("participant_id"), reports_requested=True
    )
    return (
        Enrolment.objects.open()
        .filter(
            participant__in=Participant.objects.coordinated_by(user),
            group__programme__report_interval_days__isnull=False,
        )
        .filter(Exists(wants_reports))
        .select_related("participant", "group", "group__site", "group__programme")
        .prefetch_related(
            Prefetch(
                "participant__progress_reports",
                queryset=ProgressReport.objects.filter(sent_on__isnull=True).order_by(
                    "period_end", "pk"
                ),
                to_attr="unsent_reports",
            )
        )
        .annotate(
            last_sent_on=Subquery(last_sent.values("sent_on")[:1], output_field=DateField()),
            last_period_end=Subquery(last_sent.values("period_end")[:1], output_field=DateField()),
        )
        .annotate(
            due_on=PlusDays(
                Coalesce("last_period_end", "start_date"),
                "group__programme__report_interval_days",
            )
        )
        .order_by("due_on", "participant__code")
    )


def due_status(due_on, today):
    if due_on < today:
        return "overdue"
    if due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return "due"
    return "scheduled"
