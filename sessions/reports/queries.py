"""The dashboard's figures, each one queryset over the records (sessions, attendance,
enrolments, referrals, men), computed in the database: the page, the exports and the
anonymised statistics all read them through `panels`.

Each function takes a report `Scope`. Those with rows per month, group, year or source
return a `values()` queryset; those of one row return its `aggregate()`. 1 query each.
"""

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Value,
    Window,
)
from django.db.models.functions import ExtractYear, FirstValue, RowNumber, TruncMonth

from participants.enums import ExitStatus, ParticipantStatus
from participants.models import Enrolment, Referral

from ..enums import AttendanceStatus, SessionState, Violence, ViolenceKind
from ..models import Attendance, GroupSession

ATTENDED = Q(status__in=AttendanceStatus.attended())
# A check-in: violence since the last session recorded (yes, no or declined), of a man who came.
CHECKED_IN = ATTENDED & ~Q(violence=Violence.NOT_RECORDED)


def _in_scope(scope, prefix=""):
    """The rows of the groups in scope (`prefix` leads from the model to its group)."""
    return Q(**{f"{prefix}group__in": scope.groups.values("pk")})


def _in_period(scope, field):
    return Q(**{f"{field}__gte": scope.date_from, f"{field}__lte": scope.date_to})


def attendance(scope):
    """The attendance rows of the sessions of the groups in scope held in the period."""
    return Attendance.objects.filter(
        _in_scope(scope, "session__"), _in_period(scope, "session__date")
    )


def _attendance_figures():
    """Sessions with attendance recorded, and their men expected and attending."""
    return {
        "sessions": Count("session", distinct=True),
        "expected": Count("pk"),
        "attended": Count("pk", filter=ATTENDED),
    }


def months(scope):
    """Per month: sessions with attendance recorded, men expected and attending, check-ins,
    violence reported in total, declined and by kind."""
    kinds = {kind.value: Count("pk", filter=Q(**{kind.field_name: True})) for kind in ViolenceKind}
    return (
        attendance(scope)
        .values(month=TruncMonth("session__date"))
        .annotate(
            **_attendance_figures(),
            check_ins=Count("pk", filter=CHECKED_IN),
            reported=Count("pk", filter=Q(violence=Violence.YES)),
            declined=Count("pk", filter=Q(violence=Violence.DECLINED)),
            **kinds,
        )
        .order_by("month")
    )


def attendance_by_group(scope):
    """Per group id (`group`) with attendance recorded in the period: its sessions with
    attendance recorded and their men expected and attending."""
    return (
        attendance(scope)
        .values(group=F("session__group_id"))
        .annotate(**_attendance_figures())
        .order_by()
    )


def fidelity(scope):
    """Per group id (`group`), its sessions in the period before today: recorded, never
    recorded, cancelled, and recorded with fewer than two facilitators."""
    sessions = GroupSession.objects.filter(
        _in_scope(scope), _in_period(scope, "date"), date__lt=scope.today
    )
    # The sessions with two facilitators or more: one grouped pass, hashed once.
    two_facilitators = (
        GroupSession.facilitators.through.objects.filter(groupsession__in=sessions.values("pk"))
        .values("groupsession")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("groupsession")
        .order_by()
    )
    recorded = Q(state=SessionState.RECORDED)
    return (
        sessions.values("group")
        .annotate(
            recorded=Count("pk", filter=recorded),
            unrecorded=Count("pk", filter=Q(state=SessionState.SCHEDULED)),
            cancelled=Count("pk", filter=Q(state=SessionState.CANCELLED)),
            one_facilitator=Count("pk", filter=recorded & ~Q(pk__in=two_facilitators)),
        )
        .order_by()
    )


def men_reached(scope):
    """Distinct men who attended in the period, per year and site id, and per year over all
    the sites in scope (`site_id` None: a man who came at two sites counts once there)."""
    attended = (
        attendance(scope).filter(ATTENDED).annotate(year=ExtractYear("session__date")).order_by()
    )
    men = Count("participant", distinct=True)
    per_site = attended.values("year", site_id=F("session__group__site_id")).annotate(men=men)
    every_site = attended.values("year").annotate(
        site_id=Value(None, output_field=IntegerField()), men=men
    )
    return per_site.union(every_site, all=True)


def _attended_in_scope(scope):
    """Each man's attended sessions in the groups in scope, at any date (`participant`)."""
    return Attendance.objects.filter(ATTENDED, _in_scope(scope, "session__")).values("participant")


def _men_with_sessions(scope, n):
    """The men who attended at least `n` sessions in the groups in scope (one grouped pass
    over their attendance, that the outer query hashes once rather than running per man)."""
    return (
        _attended_in_scope(scope)
        .annotate(sessions=Count("pk"))
        .filter(sessions__gte=n)
        .values("participant")
        .order_by()
    )


def _completed_in_scope(scope):
    """The men with an enrolment in the groups in scope that they completed."""
    return Enrolment.objects.filter(_in_scope(scope), exit_status=ExitStatus.COMPLETED).values(
        "participant"
    )


def retention(scope, steps):
    """Of the men whose first attended session in the groups in scope fell in the period: how
    many (`started`), how many reached each of `steps` sessions there (`reached_<n>`), and how
    many completed an enrolment in those groups (`done`)."""
    return (
        _attended_in_scope(scope)
        .annotate(first=Min("session__date"), sessions=Count("pk"))
        .filter(first__gte=scope.date_from, first__lte=scope.date_to)
        .order_by()
        .aggregate(
            started=Count("participant"),
            **{f"reached_{n}": Count("participant", filter=Q(sessions__gte=n)) for n in steps},
            done=Count("participant", filter=Q(participant__in=_completed_in_scope(scope))),
        )
    )


def first_referrals():
    """Each man's first referral (by date, then id): the one no earlier referral of his
    precedes (an anti-join, rather than a subquery per man)."""
    earlier = Referral.objects.filter(participant=OuterRef("participant")).filter(
        Q(referred_on__lt=OuterRef("referred_on"))
        | Q(referred_on=OuterRef("referred_on"), pk__lt=OuterRef("pk"))
    )
    return Referral.objects.filter(~Exists(earlier))


def referral_sources(scope, reached):
    """Men of the sites in scope whose first referral fell in the period, per source of it:
    how many, how many attended in the groups in scope, reached `reached` sessions there,
    completed."""
    return (
        first_referrals()
        .filter(participant__site_id__in=scope.site_ids)
        .filter(_in_period(scope, "referred_on"))
        .values(source=F("source_type"))
        .annotate(
            men=Count("pk"),
            attended=Count("pk", filter=Q(participant__in=_men_with_sessions(scope, 1))),
            **{
                f"reached_{int(reached)}": Count(
                    "pk", filter=Q(participant__in=_men_with_sessions(scope, reached))
                )
            },
            completed=Count("pk", filter=Q(participant__status=ParticipantStatus.COMPLETED)),
        )
        .order_by("-men", "source")
    )


def recent_violence(scope, last):
    """Men with check-ins in the period (`men`), those with at least `last` check-ins in all
    (`eight`), and those of them who reported no violence in their `last` latest (`clean`),
    counting their check-ins in the groups in scope up to the end of the period: each man's
    check-ins are ranked newest first, with his latest's date and a running count of those
    reporting violence, and his 1st and `last`-th are counted."""
    newest_first = {
        "partition_by": F("participant"),
        "order_by": [F("session__date").desc(), F("pk").desc()],
    }
    return (
        Attendance.objects.filter(
            CHECKED_IN, _in_scope(scope, "session__"), session__date__lte=scope.date_to
        )
        .annotate(
            rank=Window(RowNumber(), **newest_first),
            latest=Window(FirstValue("session__date"), **newest_first),
            violence_so_far=Window(Count("pk", filter=Q(violence=Violence.YES)), **newest_first),
        )
        .filter(rank__lte=last, latest__gte=scope.date_from)
        .aggregate(
            men=Count("pk", filter=Q(rank=1)),
            eight=Count("pk", filter=Q(rank=last)),
            clean=Count("pk", filter=Q(rank=last, violence_so_far=0)),
        )
    )


def enrolment_outcomes(scope):
    """Enrolments in the groups in scope closed in the period, by exit status (one key per
    status), and those still open at its end (`open`)."""
    closed = _in_period(scope, "end_date")
    still_open = Q(start_date__lte=scope.date_to) & (
        Q(end_date__isnull=True) | Q(end_date__gt=scope.date_to)
    )
    return Enrolment.objects.filter(_in_scope(scope)).aggregate(
        **{s.value: Count("pk", filter=closed & Q(exit_status=s)) for s in ExitStatus},
        open=Count("pk", filter=still_open),
    )
