"""The dashboard's panels: each a `Table` of figures the database computed (`queries`, 1
query each, whatever the amount of data), with its columns, labels and chart."""

from django.utils.translation import gettext_lazy as _

from participants.enums import ExitStatus, ReferralSource

from ..enums import ViolenceKind
from . import queries
from .tables import Chart, Column, Table

FUNNEL_STEPS = (2, 4, 8, 13)
RECENT_CHECK_INS = 8


def with_shares(rows, shares):
    """Add to each row of sums the shares `shares` names ({key: (part, whole)}): part / whole
    × 100, None when whole is 0. The sums come from the database; the check-ins panel alone
    has eight shares of them, one division each."""
    for row in rows:
        for key, (part, whole) in shares.items():
            row[key] = row[part] * 100.0 / row[whole] if row[whole] else None
    return rows


def men_reached(scope):
    """Distinct men who attended at least one session, per year and site, and per year over
    all the sites in scope (a man who attended at two sites counts once there). 1 query; the
    sites are named from the scope."""
    every_site = str(_("All sites in this report"))
    names = {site.pk: site.name for site in scope.sites}
    rows = [
        {
            "year": row["year"],
            "site": every_site if row["site_id"] is None else names[row["site_id"]],
            "men": row["men"],
        }
        for row in queries.men_reached(scope)
    ]
    rows.sort(key=lambda r: (r["year"], r["site"] == every_site, r["site"]))
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


def month_figures(scope):
    """Per month over the groups in scope, what both monthly panels show: sessions, men
    expected and attending, and the check-ins with violence reported in total and by kind,
    with their shares. 1 query (the dashboard makes it once for the two panels)."""
    return with_shares(
        list(queries.months(scope)),
        {
            "rate": ("attended", "expected"),
            "reported_share": ("reported", "check_ins"),
            **{f"{kind}_share": (kind, "check_ins") for kind in VIOLENCE_KINDS},
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
    """Attendance rate per group with attendance recorded. 1 query."""
    rows = list(queries.attendance_by_group(scope))
    rows = scope.named_by_group(with_shares(rows, {"rate": ("attended", "expected")}))
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
    reached their 2nd, 4th, 8th and 13th session, and how many completed. 1 query."""
    counts = queries.retention(scope, FUNNEL_STEPS)
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
    rows = list(queries.referral_sources(scope, reached=4))
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
    last 8 check-ins up to the end of the period. 1 query."""
    counts = queries.recent_violence(scope, last=RECENT_CHECK_INS)
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
    counts = queries.enrolment_outcomes(scope)
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
    """Per group with past sessions in the period: recorded, never recorded, cancelled, and
    run with one facilitator instead of two. 1 query."""
    rows = scope.named_by_group(list(queries.fidelity(scope)))
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
    return [
        panel(scope, months) if panel in (attendance_by_month, check_ins_by_month) else panel(scope)
        for panel in PANELS
    ]
