"""The dashboard's panels. Each function makes a fixed number of queries (noted), whatever the
amount of data: every figure is a database aggregate."""

from django.db.models import (
    Count,
    DateField,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractYear,
    NullIf,
    RowNumber,
    TruncMonth,
)
from django.utils.translation import gettext_lazy as _

from participants.enums import ExitStatus, ReferralSource
from participants.models import Enrolment, Participant, Referral

from ..enums import AttendanceStatus, SessionState, Violence, ViolenceKind
from ..models import Attendance, GroupSession
from .tables import Chart, Column, Table

ATTENDED = Q(status__in=AttendanceStatus.attended())
FUNNEL_STEPS = (2, 4, 8, 13)
RECENT_CHECK_INS = 8


def percent(part, whole):
    """part / whole × 100 in SQL (NULL when whole is 0)."""
    return Cast(F(part), FloatField()) * Value(100.0) / NullIf(Cast(F(whole), FloatField()), 0.0)


def _count_subquery(queryset):
    return Coalesce(
        Subquery(
            queryset.order_by().values("participant").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def men_reached(scope):
    """Distinct men who attended at least one session, per year and site, and per year over
    all the sites in scope (a man who attended at two sites counts once there). 2 queries."""
    attended = scope.attendance().filter(ATTENDED).annotate(year=ExtractYear("session__date"))
    per_site = (
        attended.values("year", "session__group__site__name")
        .annotate(men=Count("participant", distinct=True))
        .order_by("year", "session__group__site__name")
    )
    per_year = attended.values("year").annotate(men=Count("participant", distinct=True))
    totals = {row["year"]: row["men"] for row in per_year.order_by("year")}
    rows = []
    for row in per_site:
        rows.append(
            {"year": row["year"], "site": row["session__group__site__name"], "men": row["men"]}
        )
    for year, men in totals.items():
        rows.append({"year": year, "site": str(_("All sites in this report")), "men": men})
    rows.sort(key=lambda r: (r["year"], r["site"] == str(_("All sites in this report")), r["site"]))
    return Table(
        slug="men-reached",
        title=_("Men reached"),
        description=_("Distinct men who attended at least one session, per year and site."),
        columns=[
            Column("year", _("Year"), "text"),
            Column("site", _("Site"), "text"),
            Column("men", _("Men reached")),
        ],
        rows=rows,
        chart=Chart("bar", "site", ["men"]),
    )


def attendance_by_month(scope):
    """Attendance rate per month over the groups in scope. 1 query."""
    rows = list(
        scope.attendance()
        .annotate(month=TruncMonth("session__date", output_field=DateField()))
        .values("month")
        .annotate(
            sessions=Count("session", distinct=True),
            expected=Count("pk"),
            attended=Count("pk", filter=ATTENDED),
        )
        .annotate(rate=percent("attended", "expected"))
        .order_by("month")
    )
    return Table(
        slug="attendance-by-month",
        title=_("Attendance rate per month"),
        description=_("Men present or late, out of the men enrolled, in the recorded sessions."),
        columns=[
            Column("month", _("Month"), "month"),
            Column("sessions", _("Sessions")),
            Column("expected", _("Men expected")),
            Column("attended", _("Men attending")),
            Column("rate", _("Attendance rate (%)"), "percent", base="attended"),
        ],
        rows=rows,
        chart=Chart("line", "month", ["rate"], percent=True),
    )


def attendance_by_group(scope):
    """Attendance rate per group. 1 query."""
    rows = list(
        scope.attendance()
        .values("session__group__name", "session__group__site__name")
        .annotate(
            sessions=Count("session", distinct=True),
            expected=Count("pk"),
            attended=Count("pk", filter=ATTENDED),
        )
        .annotate(rate=percent("attended", "expected"))
        .order_by("session__group__site__name", "session__group__name")
    )
    for row in rows:
        row["group"] = row.pop("session__group__name")
        row["site"] = row.pop("session__group__site__name")
    return Table(
        slug="attendance-by-group",
        title=_("Attendance rate per group"),
        description=_("Men present or late, out of the men enrolled, in the recorded sessions."),
        columns=[
            Column("group", _("Group"), "text"),
            Column("site", _("Site"), "text"),
            Column("sessions", _("Sessions")),
            Column("expected", _("Men expected")),
            Column("attended", _("Men attending")),
            Column("rate", _("Attendance rate (%)"), "percent", base="attended"),
        ],
        rows=rows,
        chart=Chart("bar", "group", ["rate"], percent=True),
    )


def _attended_in(scope):
    return Attendance.objects.filter(
        ATTENDED, participant=OuterRef("pk"), session__group__in=scope.groups
    )


def retention(scope):
    """Of the men whose first session (in the groups in scope) fell in the period, how many
    reached their 2nd, 4th, 8th and 13th session, and how many completed. 2 queries: one
    aggregate over the per-man aggregate of attendance, one for completions."""
    per_man = (
        Attendance.objects.filter(ATTENDED, session__group__in=scope.groups)
        .values("participant")
        .annotate(first_session=Min("session__date"), sessions=Count("pk"))
        .filter(first_session__gte=scope.date_from, first_session__lte=scope.date_to)
    )
    counts = per_man.aggregate(
        started=Count("participant"),
        **{f"reached_{n}": Count("participant", filter=Q(sessions__gte=n)) for n in FUNNEL_STEPS},
    )
    counts["done"] = (
        Enrolment.objects.filter(
            group__in=scope.groups,
            exit_status=ExitStatus.COMPLETED,
            participant__in=per_man.values("participant"),
        )
        .values("participant")
        .distinct()
        .count()
    )
    started = counts["started"]
    rows = [{"step": str(_("1st session")), "men": started, "share": 100.0 if started else None}]
    for n in FUNNEL_STEPS:
        rows.append(
            {
                "step": str(_("%(n)dth session") % {"n": n}) if n != 2 else str(_("2nd session")),
                "men": counts[f"reached_{n}"],
                "share": counts[f"reached_{n}"] * 100.0 / started if started else None,
            }
        )
    rows.append(
        {
            "step": str(_("Completed")),
            "men": counts["done"],
            "share": counts["done"] * 100.0 / started if started else None,
        }
    )
    return Table(
        slug="retention",
        title=_("Retention"),
        description=_("Men whose first session fell in the period, and how far they got."),
        columns=[
            Column("step", _("Reached"), "text"),
            Column("men", _("Men")),
            Column("share", _("Share of those who started (%)"), "percent", base="men"),
        ],
        rows=rows,
        chart=Chart("funnel", "step", ["men"]),
    )


def referral_sources(scope):
    """Men referred in the period to the sites in scope, per source, and how far they got.
    1 query."""
    first_referral = Referral.objects.filter(participant=OuterRef("pk")).order_by(
        "referred_on", "pk"
    )
    referred_in_period = Referral.objects.filter(
        referred_on__gte=scope.date_from, referred_on__lte=scope.date_to
    ).values("participant")
    # Each man's sessions in the groups in scope, as sets the counts below test against.
    sessions = (
        Attendance.objects.filter(ATTENDED, session__group__in=scope.groups)
        .values("participant")
        .annotate(n=Count("pk"))
    )
    men = (
        Participant.objects.filter(
            site_id__in=scope.groups.values("site_id"), pk__in=referred_in_period
        )
        .annotate(
            source=Subquery(first_referral.values("source_type")[:1]),
            referred_on=Subquery(first_referral.values("referred_on")[:1]),
        )
        .filter(referred_on__gte=scope.date_from, referred_on__lte=scope.date_to)
    )
    rows = list(
        men.values("source")
        .annotate(
            men=Count("pk"),
            attended=Count("pk", filter=Q(pk__in=sessions.values("participant"))),
            reached_4=Count("pk", filter=Q(pk__in=sessions.filter(n__gte=4).values("participant"))),
            completed=Count("pk", filter=Q(status="completed")),
        )
        .order_by("-men", "source")
    )
    for row in rows:
        row["source"] = str(ReferralSource(row["source"]).label) if row["source"] else "—"
    return Table(
        slug="referral-sources",
        title=_("Referral sources"),
        description=_("Men referred in the period, by who sent them, and how far they got."),
        columns=[
            Column("source", _("Referred by"), "text"),
            Column("men", _("Men referred")),
            Column("attended", _("Attended at least once")),
            Column("reached_4", _("Reached 4 sessions")),
            Column("completed", _("Completed")),
        ],
        rows=rows,
        chart=Chart("grouped", "source", ["men", "attended", "reached_4", "completed"]),
    )


def check_ins_by_month(scope):
    """Share of check-ins reporting violence, and each kind, per month. 1 query."""
    kinds = {kind.value: Count("pk", filter=Q(**{kind.field_name: True})) for kind in ViolenceKind}
    rows = list(
        scope.attendance()
        .filter(ATTENDED)
        .exclude(violence=Violence.NOT_RECORDED)
        .annotate(month=TruncMonth("session__date", output_field=DateField()))
        .values("month")
        .annotate(
            check_ins=Count("pk"),
            reported=Count("pk", filter=Q(violence=Violence.YES)),
            declined=Count("pk", filter=Q(violence=Violence.DECLINED)),
            **kinds,
        )
        .annotate(
            reported_share=percent("reported", "check_ins"),
            **{f"{kind}_share": percent(kind, "check_ins") for kind in kinds},
        )
        .order_by("month")
    )
    columns = [
        Column("month", _("Month"), "month"),
        Column("check_ins", _("Check-ins")),
        Column("reported", _("Reporting violence")),
        Column("reported_share", _("Reporting violence (%)"), "percent", base="reported"),
        Column("declined", _("Declined to say")),
    ]
    for kind in ViolenceKind:
        columns.append(Column(f"{kind.value}_share", kind.label, "percent", base=kind.value))
    return Table(
        slug="check-ins",
        title=_("Violence reported at check-in"),
        description=_(
            "Share of the check-ins of each month in which the man reported violence since the "
            "last session, in total and by kind (a check-in may report several kinds)."
        ),
        columns=columns,
        rows=rows,
        chart=Chart(
            "line",
            "month",
            ["reported_share", "emotional_share", "verbal_share", "physical_share"],
            percent=True,
        ),
    )


def men_without_recent_violence(scope):
    """Men with check-ins in the period, and those of them who reported no violence in their
    last 8 check-ins up to the end of the period. 1 query: each man's check-ins are ranked
    newest first (a window function), the 8 newest counted per man, then the men counted."""
    check_ins = Attendance.objects.filter(
        ATTENDED, session__group__in=scope.groups, session__date__lte=scope.date_to
    ).exclude(violence=Violence.NOT_RECORDED)
    active = check_ins.filter(session__date__gte=scope.date_from).values("participant")
    ranked = check_ins.filter(participant__in=active).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("participant_id")],
            order_by=[F("session__date").desc(), F("pk").desc()],
        )
    )
    recent = ranked.filter(rank__lte=RECENT_CHECK_INS).values("pk")
    per_man = (
        Attendance.objects.filter(pk__in=recent)
        .values("participant")
        .annotate(
            check_in_count=Count("pk"),
            recent_violence=Count("pk", filter=Q(violence=Violence.YES)),
        )
    )
    counts = per_man.aggregate(
        men=Count("participant"),
        eight=Count("participant", filter=Q(check_in_count__gte=RECENT_CHECK_INS)),
        clean=Count(
            "participant", filter=Q(check_in_count__gte=RECENT_CHECK_INS, recent_violence=0)
        ),
    )
    return Table(
        slug="no-recent-violence",
        title=_("Men with no reported violence in their last 8 check-ins"),
        description=_(
            "Among the men with check-ins in the period and at least 8 check-ins in all."
        ),
        columns=[
            Column("men", _("Men with check-ins in the period")),
            Column("eight", _("With at least 8 check-ins")),
            Column("clean", _("No violence reported in the last 8")),
            Column("share", _("Share (%)"), "percent", base="clean"),
        ],
        rows=[
            {
                **counts,
                "share": counts["clean"] * 100.0 / counts["eight"] if counts["eight"] else None,
            }
        ],
    )


def enrolment_outcomes(scope):
    """Enrolments in the groups in scope closed in the period, by outcome, and those still
    open at its end. 1 query."""
    closed = Q(end_date__gte=scope.date_from, end_date__lte=scope.date_to)
    counts = Enrolment.objects.filter(group__in=scope.groups).aggregate(
        **{
            status.value: Count("pk", filter=closed & Q(exit_status=status))
            for status in ExitStatus
        },
        open=Count(
            "pk",
            filter=Q(start_date__lte=scope.date_to)
            & (Q(end_date__isnull=True) | Q(end_date__gt=scope.date_to)),
        ),
    )
    rows = [
        {"outcome": str(status.label), "enrolments": counts[status.value]} for status in ExitStatus
    ]
    rows.append(
        {"outcome": str(_("Still enrolled at the end of the period")), "enrolments": counts["open"]}
    )
    return Table(
        slug="enrolment-outcomes",
        title=_("Enrolment outcomes"),
        description=_("Enrolments closed in the period, by outcome."),
        columns=[Column("outcome", _("Outcome"), "text"), Column("enrolments", _("Enrolments"))],
        rows=rows,
        chart=Chart("bar", "outcome", ["enrolments"]),
    )


def fidelity(scope):
    """Per group: sessions held, past sessions never recorded, and sessions run with one
    facilitator instead of two. 1 query."""
    through = GroupSession.facilitators.through
    facilitators = Coalesce(
        Subquery(
            through.objects.filter(groupsession_id=OuterRef("pk"))
            .order_by()
            .values("groupsession_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )
    past = scope.sessions().filter(date__lt=scope.today).annotate(facilitator_count=facilitators)
    rows = list(
        past.values("group__name", "group__site__name")
        .annotate(
            recorded=Count("pk", filter=Q(state=SessionState.RECORDED)),
            unrecorded=Count("pk", filter=Q(state=SessionState.SCHEDULED)),
            cancelled=Count("pk", filter=Q(state=SessionState.CANCELLED)),
            one_facilitator=Count(
                "pk", filter=Q(state=SessionState.RECORDED, facilitator_count__lt=2)
            ),
        )
        .order_by("group__site__name", "group__name")
    )
    for row in rows:
        row["group"] = row.pop("group__name")
        row["site"] = row.pop("group__site__name")
    return Table(
        slug="fidelity",
        title=_("Fidelity"),
        description=_(
            "Past sessions per group: recorded, never recorded, cancelled, and recorded with "
            "fewer than two facilitators."
        ),
        columns=[
            Column("group", _("Group"), "text"),
            Column("site", _("Site"), "text"),
            Column("recorded", _("Recorded")),
            Column("unrecorded", _("Never recorded")),
            Column("cancelled", _("Cancelled")),
            Column("one_facilitator", _("With one facilitator")),
        ],
        rows=rows,
        chart=Chart("grouped", "group", ["unrecorded", "one_facilitator"]),
    )


PANELS = [
    men_reached,
    attendance_by_month,
    attendance_by_group,
    retention,
    referral_sources,
    check_ins_by_month,
    men_without_recent_violence,
    enrolment_outcomes,
    fidelity,
]


def all_panels(scope):
    return [panel(scope) for panel in PANELS]
