"""Anonymised statistics: the suppression rule on its own, then the page and the CSV on a small
dataset, exact, with no name or code anywhere and nothing from another site."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from gendes.audit.models import AuditEvent
from sessions.reports.exports import anonymise as anonymise_module
from sessions.reports.exports.anonymise import anonymise, anonymised_tables
from sessions.reports.scope import scope_for
from sessions.reports.tables import Column, Table
from tests import factories

MONDAY = datetime.date(2026, 3, 2)
NOTE = (
    "Counts below 5 are shown as <5, and the other counts are rounded to the nearest 5, "
    "to protect identities."
)
YEAR = "date_from=2026-01-01&date_to=2026-12-31"


def a_table(rows, identifies_men=False):
    return Table(
        slug="t",
        title="T",
        description="",
        columns=[
            Column("label", "Label", "text"),
            Column("men", "Men"),
            Column("share", "Share", "percent", base="men"),
        ],
        rows=rows,
        identifies_men=identifies_men,
    )


# --- the rule -------------------------------------------------------------------------------


def test_counts_below_5_are_suppressed_and_so_are_their_shares():
    rows = [{"label": f"n={n}", "men": n, "share": n * 10.0} for n in range(7)]
    result = anonymise(a_table(rows))
    assert [(r["label"], r["men"], r["share"]) for r in result.rows] == [
        ("n=0", "<5", "—"),
        ("n=1", "<5", "—"),
        ("n=2", "<5", "—"),
        ("n=3", "<5", "—"),
        ("n=4", "<5", "—"),
        ("n=5", 5, 50.0),
        ("n=6", 5, 60.0),
    ]


def test_a_missing_count_or_a_share_without_base_is_hidden():
    table = a_table([{"label": "x", "men": None, "share": None}])
    table.columns.append(Column("orphan", "Orphan", "percent"))
    table.rows[0]["orphan"] = 80.0
    assert anonymise(table).rows == [{"label": "x", "men": "<5", "share": "—", "orphan": "—"}]


def test_a_share_follows_its_base_column_even_when_the_base_is_not_shown():
    table = Table(
        slug="t",
        title="T",
        description="",
        columns=[Column("all", "All"), Column("kind_share", "Kind (%)", "percent", base="kind")],
        rows=[
            {"all": 40, "kind": 3, "kind_share": 7.5},
            {"all": 40, "kind": 8, "kind_share": 20.0},
        ],
    )
    # The hidden base is used, then dropped: rows keep only the table's columns.
    assert anonymise(table).rows == [
        {"all": 40, "kind_share": "—"},
        {"all": 40, "kind_share": 20.0},
    ]


def test_anonymise_returns_a_copy_and_leaves_the_table_alone():
    rows = [{"label": "a", "men": 2, "share": 50.0}]
    table = a_table(rows)
    result = anonymise(table)
    assert table.rows == [{"label": "a", "men": 2, "share": 50.0}]
    assert result is not table and result.rows is not table.rows
    assert result.columns is not table.columns
    assert (result.slug, result.title) == ("t", "T")


def test_tables_that_identify_men_are_left_out(monkeypatch):
    named = a_table([{"label": "SA-0001", "men": 9, "share": 1.0}], identifies_men=True)
    counts = a_table([{"label": "all", "men": 9, "share": 1.0}])
    monkeypatch.setattr(anonymise_module, "all_panels", lambda scope: [named, counts])
    assert [t.rows for t in anonymised_tables(None)] == [
        [{"label": "all", "men": 10, "share": 0.0}]
    ]


# --- the page and the CSV -------------------------------------------------------------------


@pytest.fixture
def data(cast):
    """Six men at one session at site A (man_a reports physical violence); man_b at site B."""
    cast.man_a.last_name = "Ixtlahuaca"
    cast.man_a.save()
    session = factories.GroupSessionFactory(
        group=cast.group_a, date=MONDAY, state="recorded", recorded_at=timezone.now()
    )
    factories.AttendanceFactory(
        session=session, participant=cast.man_a, violence="yes", violence_physical=True
    )
    for n in range(1, 6):
        man = factories.ParticipantFactory(site=cast.site_a, code=f"SA-01{n:02d}")
        factories.AttendanceFactory(session=session, participant=man)
    session_b = factories.GroupSessionFactory(
        group=cast.group_b, date=MONDAY, state="recorded", recorded_at=timezone.now()
    )
    factories.AttendanceFactory(session=session_b, participant=cast.man_b)
    return cast


def get_csv(client, query=YEAR):
    response = client.get(reverse("exports:anonymised_csv") + "?" + query)
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


SUPPRESSED_TAIL = [
    ["Men reached"],
    ["Year", "Site", "Men reached"],
    ["2026", "Sede A", "5"],
    ["2026", "All sites in this report", "5"],
    [],
    ["Attendance rate per month"],
    ["Month", "Sessions", "Men expected", "Men attending", "Attendance rate (%)"],
    ["2026-03", "<5", "5", "5", "100.0"],
    [],
    ["Attendance rate per group"],
    ["Group", "Site", "Sessions", "Men expected", "Men attending", "Attendance rate (%)"],
    ["Martes A", "Sede A", "<5", "5", "5", "100.0"],
    [],
    ["Retention"],
    ["Reached", "Men", "Share of those who started (%)"],
    ["1st session", "5", "100.0"],
    ["2nd session", "<5", "—"],
    ["4th session", "<5", "—"],
    ["8th session", "<5", "—"],
    ["13th session", "<5", "—"],
    ["Completed", "<5", "—"],
    [],
    ["Referral sources"],
    ["Referred by", "Men referred", "Attended at least once", "Reached 4 sessions", "Completed"],
    [],
    ["Violence reported at check-in"],
    [
        "Month", "Check-ins", "Reporting violence", "Reporting violence (%)", "Declined to say",
        "Emotional / psychological", "Verbal", "Physical", "Sexual", "Economic", "Patrimonial",
        "Digital",
    ],
    ["2026-03", "5", "<5", "—", "<5", "—", "—", "—", "—", "—", "—", "—"],
    [],
    ["Men with no reported violence in their last 8 check-ins"],
    [
        "Men with check-ins in the period", "With at least 8 check-ins",
        "No violence reported in the last 8", "Share (%)",
    ],
    ["5", "<5", "<5", "—"],
    [],
    ["Enrolment outcomes"],
    ["Outcome", "Enrolments"],
    ["Completed", "<5"],
    ["Dropped out", "<5"],
    ["Terminated", "<5"],
    ["Transferred", "<5"],
    ["Still enrolled at the end of the period", "<5"],
    [],
    ["Fidelity"],
    ["Group", "Site", "Recorded", "Never recorded", "Cancelled", "With one facilitator"],
    ["Martes A", "Sede A", "<5", "<5", "<5", "<5"],
    [],
]  # fmt: skip


@pytest.mark.usefixtures("english")
def test_anonymised_csv_has_every_table_with_small_counts_suppressed(data, login_as):
    rows = get_csv(login_as(data.coordinator))
    assert rows[:4] == [
        ["Anonymised statistics"],
        ["Period", "2026-01-01", "2026-12-31"],
        ["Sites", "Sede A"],
        [NOTE],
    ]
    assert rows[4][0] == "Generated"
    assert rows[5] == []
    assert rows[6:] == SUPPRESSED_TAIL


def test_anonymised_csv_has_no_code_name_or_other_site(data, login_as):
    text = "\n".join(",".join(row) for row in get_csv(login_as(data.coordinator)))
    for secret in ("SA-0001", "SA-0101", "SB-0001", "Juan", "Ixtlahuaca", "Pedro", "Sede B"):
        assert secret not in text


def test_anonymised_csv_download_is_audited(data, login_as):
    get_csv(login_as(data.coordinator))
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.object_type, event.detail) == (
        data.coordinator,
        "export",
        "report:anonymised",
        "fmt=csv period=2026-01-01_2026-12-31 groups=1",
    )


@pytest.mark.usefixtures("english")
def test_page_shows_period_sites_note_and_suppressed_figures(data, login_as):
    response = login_as(data.coordinator).get(reverse("exports:anonymised") + "?" + YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    assert "From Jan. 1, 2026 to Dec. 31, 2026" in html
    assert NOTE.replace("<", "&lt;") in html
    assert [t.slug for t, _ in response.context["tables"]][:2] == [
        "men-reached",
        "attendance-by-month",
    ]
    men_reached = response.context["tables"][0][1]
    assert [[text for text, _ in row] for row in men_reached] == [
        ["2026", "Sede A", "5"],
        ["2026", "All sites in this report", "5"],
    ]
    month = response.context["tables"][1][1][0]
    assert [text for text, _ in month] == ["March 2026", "<5", "5", "5", "100.0"]
    assert response.context["sites"] == ["Sede A"]
    assert (
        'href="/reports/export/anonymised.csv?date_from=2026-01-01&amp;date_to=2026-12-31"' in html
    )
    assert "d-print-none" in html
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type) == ("view", "report:anonymised")


def test_page_is_localised_in_spanish(data, login_as):
    response = login_as(data.coordinator).get(reverse("exports:anonymised") + "?" + YEAR)
    month = response.context["tables"][1][1][0]
    assert month[0][0] == "marzo de 2026"
    assert month[4][0] == "100,0"


@pytest.mark.usefixtures("english")
def test_page_has_no_participant_code_nor_name(data, login_as):
    html = login_as(data.coordinator).get(reverse("exports:anonymised") + "?" + YEAR)
    html = html.content.decode()
    for secret in ("SA-0001", "SA-0101", "SB-0001", "Juan", "Ixtlahuaca", "Pedro", "Sede B"):
        assert secret not in html


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "query,message",
    [
        ("date_from=2026-12-31&date_to=2026-01-01", "The start date is after the end date."),
        ("date_from=0001-01-01", "Choose a date between 2000 and next year."),
        ("date_from=" + "x" * 5000, "Enter a valid date."),
        ("group=" + "9" * 5000, "Select a valid choice."),
    ],
)
def test_page_with_bad_filters_says_so_and_falls_back(data, login_as, query, message):
    response = login_as(data.coordinator).get(reverse("exports:anonymised") + "?" + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters were not valid and were left out." in html
    assert message in html
    scope = response.context["scope"]
    assert scope.date_to == timezone.localdate()
    # The download link carries what the page shows, so it never fails.
    assert response.context["export_query"] == (
        f"date_from={scope.date_from.isoformat()}&date_to={scope.date_to.isoformat()}"
    )


@pytest.mark.usefixtures("english")
def test_page_with_another_sites_group_shows_none_of_its_data(data, login_as):
    client = login_as(data.coordinator)
    response = client.get(reverse("exports:anonymised") + f"?{YEAR}&group={data.group_b.pk}")
    html = response.content.decode()
    assert "Select a valid choice." in html
    assert "Sede B" not in html and "Jueves B" not in html
    assert response.context["sites"] == ["Sede A"]
    assert data.group_b.pk not in scope_for(data.coordinator, {})[1].group_ids


# --- subtraction: rows, columns, totals and overlapping periods -----------------------------


def could_be(shown):
    """Every true count that the anonymised `shown` may stand for."""
    if shown == "<5":
        return set(range(5))
    return {v for v in range(max(5, shown - 2), shown + 3) if anonymise_module.rounded(v) == shown}


def shown_counts(values):
    rows = [{"label": str(i), "men": v, "share": None} for i, v in enumerate(values)]
    return [row["men"] for row in anonymise(a_table(rows)).rows]


def left_for(cell, shown, total_shown):
    """The values the suppressed cell `cell` may take, given every other cell and the total."""
    others = [could_be(s) for i, s in enumerate(shown) if i != cell]
    sums = {0}
    for options in others:
        sums = {a + b for a in sums for b in options}
    return {x for x in could_be(shown[cell]) if any(x + s in could_be(total_shown) for s in sums)}


@pytest.mark.parametrize(
    "sites",
    [
        [10, 9, 8, 10, 4],  # the reported leak: 41 - (10 + 9 + 8 + 10) gave Panamá = 4
        [4, 50],
        [0, 5],
        [1, 2, 3],
        [4, 5, 6, 7, 8, 9],
        [3, 100, 101, 102],
    ],
)
def test_no_suppressed_count_follows_from_its_row_column_and_total(sites):
    shown = shown_counts([*sites, sum(sites)])
    cells, total = shown[:-1], shown[-1]
    for cell, value in enumerate(cells):
        if value == "<5":
            possible = left_for(cell, cells, total)
            assert sites[cell] in possible and len(possible) >= 2, (sites, cell, possible)


def test_every_row_of_small_and_large_counts_keeps_its_suppressed_cells_hidden():
    # Every pair of a suppressed count (0-4) with a shown one (5-60), with their total.
    for small in range(5):
        for large in range(5, 61):
            shown = shown_counts([small, large, small + large])
            assert len(left_for(0, shown[:2], shown[2])) >= 2, (small, large)


def test_two_overlapping_periods_do_not_give_the_men_of_the_days_between():
    # A period and a longer one that adds a few men: the difference stays unknown.
    for first in range(0, 80):
        for added in range(1, 5):
            a, b = shown_counts([first, first + added])
            differences = {y - x for x in could_be(a) for y in could_be(b) if y >= x}
            assert len(differences) >= 2, (first, added, differences)
