"""The dashboard's panels. Each function makes a fixed number of queries (noted), whatever the
amount of data: every figure is a database aggregate."""

from django.db.models import (
    Count,
    DateField,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import (
    ExtractYear,
    FirstValue,
    RowNumber,
    TruncMonth,
)
from django.utils.translation import gettext_lazy as _

from participants.enums import ExitStatus, ReferralSource
from participants.models import Enrolment, Participant
from programmes.models import Site

from ..enums import SessionState, Violence, ViolenceKind
from ..models import Attendance, KeptStanding, YearlyParticipation
from ..tallies import ATTENDED
from .tables import Chart, Column, Table

FUNNEL_STEPS = (2, 4, 8, 13)
RECENT_CHECK_INS = 8


class OfGroupedRows(Subquery):
    """A subquery on the column the rows are grouped by (a group's name by its id): PostgreSQL
    runs it once per group of rows. Django would add it to the GROUP BY, where it runs for
    every row before they are grouped."""

    def get_group_by_cols(self):
        return []


def with_shares(rows, shares):
    """Add to each row of sums the shares `shares` names ({key: (part, whole)}): part / whole
    × 100, None when whole is 0. The sums come from the database; a share of two of them is
    worked out here rather than as one more SQL expression per share to build and compile."""
    for row in rows:
        for key, (part, whole) in shares.items():
            row[key] = row[part] * 100.0 / row[whole] if row[whole] else None
    return rows


def _yearly_rows_decide(scope):
    """Whether each man's first and last attended session of a year in a group tell if he
    attended in the period: always, but when the period starts and ends inside one year
    (from 1 March to 30 June, say, he may have come before and after it, and not in it)."""
    start, end = scope.date_from, scope.date_to
    return (
        start.year != end.year
        or (start.month, start.day) == (1, 1)
        or (end.month, end.day) == (12, 31)
    )


def _attended_in_period(scope):
    """(rows, year, site): rows of the men's attendance in the period, with the names of
    their year and site columns. From the men's yearly participation (a few rows per man)
    when it decides, else from the attendance rows themselves."""
    if _yearly_rows_decide(scope):
        rows = scope.participation().filter(
            year__gte=scope.date_from.year,
            year__lte=scope.date_to.year,
            first_attended_on__lte=scope.date_to,
            last_attended_on__gte=scope.date_from,
        )
        return rows, "year", "group__site"
    rows = scope.attendance().filter(ATTENDED).annotate(at=ExtractYear("session__date"))
    return rows, "at", "session__group__site"


def men_reached(scope):
    """Distinct men who attended at least one session, per year and site, and per year over
    all the sites in scope (a man who attended at two sites counts once there). 2 queries."""
    attended, year, site = _attended_in_period(scope)
    # Grouped by the site's id, as by its (unique) name: the name is read once per site.
    per_site = (
        attended.values(year, site)
        .annotate(
            men=Count("participant", distinct=True),
            site_name=OfGroupedRows(Site.objects.filter(pk=OuterRef(site)).values("name")),
        )
        .order_by(year, "site_name")
    )
    per_year = attended.values(year).annotate(men=Count("participant", distinct=True))
    totals = {row[year]: row["men"] for row in per_year.order_by(year)}
    rows = []
    for row in per_site:
        rows.append({"year": row[year], "site": row["site_name"], "men": row["men"]})
    for each_year, men in totals.items():
        rows.append({"year": each_year, "site": str(_("All sites in this report")), "men": men})
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


VIOLENCE_KINDS = {kind.value: kind for kind in ViolenceKind}


# Over the tallies of sessions with attendance recorded (expected > 0): how many sessions,
# and the sums the panels show.
TALLIED = {"sessions": Count("pk"), "expected": Sum("expected"), "attended": Sum("attended")}


def month_figures(scope):
    """Per month over the groups in scope, what both monthly panels show: sessions, men
    expected and attending, and the check-ins with violence reported in total and by kind,
    summed from the sessions' tallies (`SessionTally`). 1 query (the dashboard makes it once
    for the two panels)."""
    kinds = {key: Sum(key) for key in VIOLENCE_KINDS}
    rows = (
        scope.tallies()
        .annotate(month=TruncMonth("date", output_field=DateField()))
        .values("month")
        .annotate(
            **TALLIED,
            check_ins=Sum("check_ins"),
            reported=Sum("reported"),
            declined=Sum("declined"),
            **kinds,
        )
        .order_by("month")
    )
    return with_shares(
        list(rows),
        {
            "rate": ("attended", "expected"),
            "reported_share": ("reported", "check_ins"),
            **{f"{kind}_share": (kind, "check_ins") for kind in kinds},
        },
    )


MONTH_ATTENDANCE = ("month", "sessions", "expected", "attended", "rate")
MONTH_CHECK_INS = (
    "month",
    "check_ins",
    "reported",
    "declined",
    *VIOLENCE_KINDS,
    "reported_share",
    *(f"{kind}_share" for kind in VIOLENCE_KINDS),
)


ATTENDANCE_DESCRIPTION = _(
    "Men present or late, out of the men enrolled, in the recorded sessions."
)


def _attendance_columns():
    """The figures both attendance panels show, after what their rows are (month, group)."""
    return [
        Column("sessions", _("Sessions")),
        Column("expected", _("Men expected")),
        Column("attended", _("Men attending")),
        Column("rate", _("Attendance rate (%)"), "percent", base="attended"),
    ]


def attendance_by_month(scope, months=None):
    """Attendance rate per month over the groups in scope. 1 query, none given `months`
    (what month_figures returned)."""
    if months is None:
        months = month_figures(scope)
    rows = [{key: month[key] for key in MONTH_ATTENDANCE} for month in months]
    return Table(
        slug="attendance-by-month",
        title=_("Attendance rate per month"),
        description=ATTENDANCE_DESCRIPTION,
        columns=[
            Column("month", _("Month"), "month"),
            *_attendance_columns(),
        ],
        rows=rows,
        chart=Chart("line", "month", ["rate"], percent=True),
    )


def attendance_by_group(scope):
    """Attendance rate per group, summed from its sessions' tallies. 1 query."""
    rows = scope.named_by_group(
        with_shares(
            list(scope.tallies().values("group").annotate(**TALLIED).order_by()),
            {"rate": ("attended", "expected")},
        )
    )
    return Table(
        slug="attendance-by-group",
        title=_("Attendance rate per group"),
        description=ATTENDANCE_DESCRIPTION,
        columns=[
            Column("group", _("Group"), "text"),
            Column("site", _("Site"), "text"),
            *_attendance_columns(),
        ],
        rows=rows,
        chart=Chart("bar", "group", ["rate"], percent=True),
    )


def retention(scope):
    """Of the men whose first session (in the groups in scope) fell in the period, how many
    reached their 2nd, 4th, 8th and 13th session, and how many completed. 1 query: one
    aggregate over the per-man sums of their yearly participation."""
    completed = Enrolment.objects.filter(
        group__in=scope.group_ids, exit_status=ExitStatus.COMPLETED
    ).values("participant")
    per_man = (
        scope.participation()
        .values("participant")
        .annotate(first_session=Min("first_attended_on"), sessions=Sum("attended"))
        .filter(first_session__gte=scope.date_from, first_session__lte=scope.date_to)
    )
    counts = per_man.aggregate(
        started=Count("participant"),
        **{f"reached_{n}": Count("participant", filter=Q(sessions__gte=n)) for n in FUNNEL_STEPS},
        done=Count("participant", filter=Q(participant__in=completed)),
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
    # The men who attended in the groups in scope, and those who did 4 times or more, as sets
    # the counts below test against.
    attended = scope.participation()
    reached_4 = (
        attended.values("participant")
        .annotate(n=Sum("attended"))
        .filter(n__gte=4)
        .values("participant")
    )
    # His first referral (date and source kept with his standing) fell in the period.
    men = Participant.objects.filter(
        site_id__in=scope.site_ids,
        kept_standing__first_referred_on__gte=scope.date_from,
        kept_standing__first_referred_on__lte=scope.date_to,
    )
    rows = list(
        men.values(source=F("kept_standing__first_referral_source"))
        .annotate(
            men=Count("pk"),
            attended=Count("pk", filter=Q(pk__in=attended.values("participant"))),
            reached_4=Count("pk", filter=Q(pk__in=reached_4)),
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


def check_ins_by_month(scope, months=None):
    """Share of check-ins reporting violence, and each kind, per month. 1 query, none given
    `months` (what month_figures returned): the months with check-ins."""
    if months is None:
        months = month_figures(scope)
    rows = [{key: month[key] for key in MONTH_CHECK_INS} for month in months if month["check_ins"]]
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
    last 8 check-ins up to the end of the period. 2 queries:

    - the men whose check-ins were all in the groups in scope and none after the period:
      their check-ins kept with their standing (how many, how many latest in a row reported
      none, the latest's date) are the ones the report ranks;
    - the others (a man who also came to a group out of scope, or came after the period):
      each one's check-ins in the groups in scope up to the end of the period are ranked
      newest first, with his latest check-in's date and a running count of the check-ins
      reporting violence (window functions over the same window: one sort, one pass); then
      his rank 1 and rank 8 rows are counted: he had check-ins in the period when his latest
      falls in it, 8 check-ins when he has a rank 8, and no violence in them when the running
      count is 0 there."""
    in_scope = scope.participation().filter(check_ins__gt=0).values("participant")
    out_of_scope = (
        YearlyParticipation.objects.filter(check_ins__gt=0)
        .exclude(group__in=scope.group_ids)
        .values("participant")
    )
    kept = KeptStanding.objects.filter(participant__in=in_scope)
    whole = Q(last_check_in_on__lte=scope.date_to) & ~Q(participant__in=out_of_scope)
    counts = kept.filter(whole, last_check_in_on__gte=scope.date_from).aggregate(
        men=Count("pk"),
        eight=Count("pk", filter=Q(check_ins__gte=RECENT_CHECK_INS)),
        clean=Count("pk", filter=Q(clean_check_ins__gte=RECENT_CHECK_INS)),
    )
    newest_first = [F("session__date").desc(), F("pk").desc()]
    man = [F("participant_id")]
    ranked = (
        Attendance.objects.filter(
            ATTENDED,
            session__group__in=scope.group_ids,
            session__date__lte=scope.date_to,
            participant__in=kept.exclude(whole).values("participant"),
        )
        .exclude(violence=Violence.NOT_RECORDED)
        .annotate(
            rank=Window(RowNumber(), partition_by=man, order_by=newest_first),
            latest=Window(FirstValue("session__date"), partition_by=man, order_by=newest_first),
            violence_so_far=Window(
                Count("pk", filter=Q(violence=Violence.YES)),
                partition_by=man,
                order_by=newest_first,
            ),
        )
        .filter(rank__lte=RECENT_CHECK_INS, latest__gte=scope.date_from)
    )
    last = Q(rank=RECENT_CHECK_INS)
    others = ranked.aggregate(
        men=Count("pk", filter=Q(rank=1)),
        eight=Count("pk", filter=last),
        clean=Count("pk", filter=last & Q(violence_so_far=0)),
    )
    counts = {key: counts[key] + others[key] for key in counts}
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
    counts = Enrolment.objects.filter(group__in=scope.group_ids).aggregate(
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
    past = scope.sessions().filter(date__lt=scope.today)
    rows = scope.named_by_group(
        past.values("group")
        .annotate(
            recorded=Count("pk", filter=Q(state=SessionState.RECORDED)),
            unrecorded=Count("pk", filter=Q(state=SessionState.SCHEDULED)),
            cancelled=Count("pk", filter=Q(state=SessionState.CANCELLED)),
            # A recorded session without a tally had no facilitator to count.
            one_facilitator=Count(
                "pk",
                filter=Q(state=SessionState.RECORDED)
                & (Q(tally__facilitators__lt=2) | Q(tally__isnull=True)),
            ),
        )
        .order_by()
    )
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
    """Every panel's table, in order. The two monthly panels share one query."""
    months = month_figures(scope)
    tables = []
    for panel in PANELS:
        if panel in (attendance_by_month, check_ins_by_month):
            tables.append(panel(scope, months))
        else:
            tables.append(panel(scope))
    return tables
