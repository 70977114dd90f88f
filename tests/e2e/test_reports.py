"""The coordinator's reports, in Chromium: the participation dashboard and its filters, a
panel downloaded as CSV and as Excel and read back, a man's progress report printed (print
media, a PDF) then issued and marked sent, the dashboard in Spanish, and the anonymised
statistics.

The data: site A ("Sede A") with "Martes A" (two men, three sessions) and "Jueves A" (one man,
two sessions), and site B ("Sede B") with "Lunes B" (one man, one session), all in the last few
weeks, so that each group has its own figures:

    group      sessions  men expected  men attending  rate
    Jueves A   2         2             1              50.0
    Martes A   4         8             5              62.5
    Lunes B    1         1             1              100.0  (site B: never in A's reports)

The tests run in English (the language cookie, as the switcher sets it) except
`test_the_dashboard_in_spanish`, which runs in the site's default language."""

import csv
import datetime
import re
import shutil
import subprocess
from types import SimpleNamespace

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendes.audit.models import AuditEvent
from sessions.models import ProgressReport
from tests import factories
from tests.e2e.conftest import PHONE_VIEWPORT
from tests.e2e.helpers import DAY, attended, log_in, most_recent, spanish

pytestmark = pytest.mark.e2e

DASHBOARD = "/reports/"
BY_GROUP = "Attendance rate per group"
BY_GROUP_HEADER = [
    "Group",
    "Site",
    "Sessions",
    "Men expected",
    "Men attending",
    "Attendance rate (%)",
]
# The panels that draw a chart (every panel but "no recent violence", a single row of counts).
CHART_PANELS = [
    "Men reached",
    "Attendance rate per month",
    BY_GROUP,
    "Retention",
    "Referral sources",
    "Violence reported at check-in",
    "Enrolment outcomes",
    "Fidelity",
]
CODES = ["SA-0001", "SA-0002", "SA-0003", "SB-0001"]


def enrolled_man(group, code, first_name, *, since, **fields):
    man = factories.ParticipantFactory(site=group.site, code=code, first_name=first_name, **fields)
    factories.EnrolmentFactory(participant=man, group=group, start_date=since)
    return man


@pytest.fixture
def reports(transactional_db):
    site_a = factories.SiteFactory(name="Sede A", code="SA")
    site_b = factories.SiteFactory(
        name="Sede B",
        code="SB",
        country="PA",
        region="Panamá",
        city="Panamá",
        time_zone="America/Panama",
    )
    today = timezone.localdate(timezone=site_a.tzinfo)
    start = today - 200 * DAY
    programme = factories.ProgrammeFactory(name="Grupo semanal GENDES", required_sessions=24)
    martes = factories.GroupFactory(
        site=site_a, programme=programme, name="Martes A", weekdays="1", start_date=start
    )
    jueves = factories.GroupFactory(
        site=site_a, programme=programme, name="Jueves A", weekdays="3", start_date=start
    )
    lunes_b = factories.GroupFactory(
        site=site_b, programme=programme, name="Lunes B", weekdays="0", start_date=start
    )
    coordinator = factories.coordinator_of(
        site_a, factories.UserFactory(username="marta", first_name="Marta", last_name="Díaz")
    )
    since = today - 60 * DAY
    men = {}
    for group, code, name, surname, statuses, weekday in [
        (martes, "SA-0001", "Ernesto", "Salas Vega", ["present", "present", "late", "present"], 1),
        (
            martes,
            "SA-0002",
            "Rodrigo",
            "Paredes Ruiz",
            ["present", "unexcused", "excused", "unexcused"],
            1,
        ),
        (jueves, "SA-0003", "Tomás", "Ibarra Soto", ["present", "unexcused"], 3),
        (lunes_b, "SB-0001", "Pedro", "Quintero Gil", ["present"], 0),
    ]:
        man = enrolled_man(group, code, name, since=since, last_name=surname)
        factories.ReferralFactory(participant=man, referred_on=since - 7 * DAY)
        attended(man, group, statuses, last=most_recent(weekday, today))
        men[code] = man
    return SimpleNamespace(
        site_a=site_a,
        site_b=site_b,
        today=today,
        programme=programme,
        martes=martes,
        jueves=jueves,
        lunes_b=lunes_b,
        coordinator=coordinator,
        men=men,
    )


def panel(page, title):
    """A dashboard panel: a <section> labelled by its heading."""
    return page.get_by_role("region", name=title, exact=True)


def table_rows(scope):
    return scope.locator("table tbody tr")


def expect_rows(scope, rows):
    """The table's body rows, cell by cell (the row header included)."""
    expect(table_rows(scope)).to_have_count(len(rows))
    for index, cells in enumerate(rows):
        expect(table_rows(scope).nth(index).locator("th, td")).to_have_text(cells)


def assert_no_serious_violations(violations):
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], [
        (v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"]]) for v in serious
    ]


def not_downloads(problems):
    """The browser's problems but the downloads: Chromium reports a navigation that turned
    into a download as a failed request (net::ERR_ABORTED)."""
    return [p for p in problems if not re.match(r"failed: .*/reports/export/", p)]


def download(page, link, folder):
    """Click `link` and save the file it downloads under its own name in `folder`."""
    with page.expect_download() as info:
        link.click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)  # openpyxl goes by the file's extension
    return path


def read_csv(path):
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM: Excel garbles accents"
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def pdf_pages(path):
    """The number of pages of a PDF: pdfinfo when installed, else its /Type /Page objects."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


def test_opening_the_dashboard_and_filtering_it(
    page, site_url, reports, run_axe, browser_problems, tmp_path
):
    r = reports
    log_in(page, site_url, r.coordinator)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Reports", exact=True
    ).click()

    expect(page).to_have_url(f"{site_url}{DASHBOARD}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Participation dashboard")
    expect(page).to_have_title(re.compile("^Participation dashboard"))
    # Only the coordinator's own site is covered.
    scope = page.locator("dl.report-scope")
    expect(scope).to_contain_text("Sede A")
    expect(scope).not_to_contain_text("Sede B")

    for title in [*CHART_PANELS, "Men with no reported violence in their last 8 check-ins"]:
        expect(page.get_by_role("heading", name=title, exact=True, level=2)).to_be_visible()
    for title in CHART_PANELS:
        chart = panel(page, title).get_by_role("img")
        expect(chart, f"the chart of {title}").to_have_count(1)
        expect(chart.locator("title")).to_have_text(title)
        expect(chart).to_have_accessible_name(re.compile(rf"^{re.escape(title)}\b"))
    expect(page.locator("svg[role=img]")).to_have_count(len(CHART_PANELS))

    by_group = panel(page, BY_GROUP)
    expect(by_group.get_by_role("table")).to_have_accessible_name(f"{BY_GROUP}: the figures")
    expect(by_group.locator("thead th")).to_have_text(BY_GROUP_HEADER)
    expect_rows(
        by_group,
        [
            ["Jueves A", "Sede A", "2", "2", "1", "50.0"],
            ["Martes A", "Sede A", "4", "8", "5", "62.5"],
        ],
    )
    expect(by_group.get_by_role("img")).to_contain_text("62.5%")
    expect(page.get_by_text("Lunes B")).to_have_count(0)
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)

    # One group.
    filters = page.get_by_role("form", name="Filters")
    group_select = filters.get_by_label("Group", exact=True)
    expect(group_select.locator("option")).to_have_text(
        ["---------", "Sede A · Jueves A", "Sede A · Martes A"]
    )
    group_select.select_option(label="Sede A · Jueves A")
    filters.get_by_role("button", name="Show figures").click()
    expect(page).to_have_url(re.compile(rf"\?.*group={r.jueves.pk}"))
    expect(page.get_by_label("Group", exact=True)).to_have_value(str(r.jueves.pk))
    expect_rows(panel(page, BY_GROUP), [["Jueves A", "Sede A", "2", "2", "1", "50.0"]])
    expect(panel(page, "Fidelity").locator("tbody")).not_to_contain_text("Martes A")
    # Its downloads give the figures on the page.
    csv_link = panel(page, BY_GROUP).get_by_role("link", name=f"CSV · {BY_GROUP}")
    expect(csv_link).to_have_attribute("href", re.compile(rf"group={r.jueves.pk}"))

    # A reversed period: the error, and the figures of the default period meanwhile.
    filters = page.get_by_role("form", name="Filters")
    filters.get_by_label("From", exact=True).fill(r.today.isoformat())
    filters.get_by_label("To", exact=True).fill((r.today - 30 * DAY).isoformat())
    with page.expect_response(re.compile(r"/reports/\?")) as answer:
        filters.get_by_role("button", name="Show figures").click()
    assert answer.value.status == 200
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text(
        "Some filters could not be used; the figures below leave them out."
    )
    expect(problems).to_contain_text("The start date is after the end date.")
    expect_rows(panel(page, BY_GROUP), [["Jueves A", "Sede A", "2", "2", "1", "50.0"]])
    page.screenshot(path=tmp_path / "dashboard-reversed-period.png", full_page=True)
    assert browser_problems == []

    # On a phone.
    page.set_viewport_size(PHONE_VIEWPORT)
    page.goto(f"{site_url}{DASHBOARD}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Participation dashboard")
    page.screenshot(path=tmp_path / "dashboard-phone.png", full_page=True)
    assert_no_serious_violations(run_axe())


def test_downloading_a_csv_and_an_xlsx_and_reading_them_back(
    page, site_url, reports, browser_problems, tmp_path
):
    r = reports
    log_in(page, site_url, r.coordinator, next_path=DASHBOARD)
    by_group = panel(page, BY_GROUP)
    date_from = r.today.replace(year=r.today.year - 1) + DAY
    period = f"{date_from:%Y-%m-%d}_{r.today:%Y-%m-%d}"

    path = download(page, by_group.get_by_role("link", name=f"CSV · {BY_GROUP}"), tmp_path)
    assert path.name == f"attendance-by-group_{period}.csv"
    assert read_csv(path) == [
        BY_GROUP_HEADER,
        ["Jueves A", "Sede A", "2", "2", "1", "50.0"],
        ["Martes A", "Sede A", "4", "8", "5", "62.5"],
    ]

    path = download(page, by_group.get_by_role("link", name=f"Excel · {BY_GROUP}"), tmp_path)
    assert path.name == f"attendance-by-group_{period}.xlsx"
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == BY_GROUP
    assert sheet["A1"].value == BY_GROUP
    assert sheet["A2"].value == "Period"
    assert (sheet["B2"].value.date(), sheet["C2"].value.date()) == (date_from, r.today)
    assert (sheet["A3"].value, sheet["B3"].value) == ("Sites", "Sede A")
    assert [cell.value for cell in sheet[5]] == BY_GROUP_HEADER
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6)] == [
        ["Jueves A", "Sede A", 2, 2, 1, 50.0],
        ["Martes A", "Sede A", 4, 8, 5, 62.5],
    ]
    for row in sheet.iter_rows(min_row=6):
        assert [type(cell.value) for cell in row[2:5]] == [int, int, int]
        assert row[5].number_format == "0.0"
        assert row[5].data_type == "n"  # a number, not text
    # A spreadsheet's numbers are all floating point; openpyxl reads one without decimals
    # (50.0 is stored as "50") back as an int.
    assert type(sheet["F7"].value) is float
    assert sheet.max_row == 7
    assert not_downloads(browser_problems) == []

    exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("pk")
    assert [(e.user, e.object_type, e.detail.split()[0]) for e in exports] == [
        (r.coordinator, "report:attendance-by-group", "fmt=csv"),
        (r.coordinator, "report:attendance-by-group", "fmt=xlsx"),
    ]
    assert exports[0].detail == f"fmt=csv period={period} groups=2"


def test_printing_a_progress_report(page, site_url, reports, browser_problems, tmp_path):
    r = reports
    last = most_recent(1, r.today)
    man = enrolled_man(
        r.martes,
        "SA-0005",
        "Joaquín",
        since=last - 60 * DAY,
        last_name="Herrera Luna",
        birth_date=datetime.date(1984, 7, 19),
    )
    factories.ReferralFactory(
        participant=man,
        institution="Juzgado Tercero de lo Familiar",
        reference_number="EXP-123/2026",
        referred_on=last - 70 * DAY,
        reports_requested=True,
    )
    # 3 attended (one late), 1 excused.
    attended(man, r.martes, ["present", "late", "excused", "present"], last=last)

    log_in(page, site_url, r.coordinator, next_path=f"/participants/{man.pk}/")
    page.get_by_role("region", name="Reports", exact=True).get_by_role(
        "link", name="Progress report", exact=True
    ).click()
    expect(page).to_have_url(f"{site_url}/reports/progress/participants/{man.pk}/")
    document = page.get_by_role("article", name="Progress report")
    expect(document.get_by_role("heading", level=1)).to_have_text("Progress report")

    def fact(label):
        return document.locator("tr", has=page.get_by_role("rowheader", name=label, exact=True))

    expect(fact("Sessions attended of required").locator("td")).to_have_text("3 / 24")
    expect(fact("Excused absences").locator("td")).to_have_text("1 (no limit)")
    expect(fact("Full name").locator("td")).to_have_text("Joaquín Herrera Luna")
    expect(fact("Referring institution").locator("td")).to_have_text(
        "Juzgado Tercero de lo Familiar"
    )
    signature = document.locator(".doc-signature")
    expect(signature).to_contain_text("Marta Díaz")
    expect(signature).to_contain_text("Programme coordinator")
    issue = page.get_by_role("button", name="Issue this report")
    navbar = page.get_by_role("navigation", name="Main")
    expect(issue).to_be_visible()
    expect(navbar).to_be_visible()

    page.emulate_media(media="print")
    expect(navbar).to_be_hidden()
    expect(issue).to_be_hidden()
    expect(page.get_by_role("link", name=re.compile("^Download PDF"))).to_be_hidden()
    expect(page.get_by_role("link", name="Back to SA-0005")).to_be_hidden()
    expect(page.locator("footer")).to_be_hidden()
    expect(document).to_be_visible()
    expect(fact("Sessions attended of required")).to_be_visible()
    expect(signature).to_be_visible()
    screenshot = tmp_path / "progress-report-print.png"
    page.screenshot(path=screenshot, full_page=True)
    print(f"print-media screenshot: {screenshot}")

    pdf_path = tmp_path / "progress-report.pdf"
    pdf = page.pdf(path=pdf_path, format="Letter")
    assert pdf.startswith(b"%PDF")
    assert pdf_pages(pdf_path) == 1, "the progress report does not fit on one Letter page"

    page.emulate_media(media="screen")
    issue.click()
    report = ProgressReport.objects.get(participant=man)
    expect(page).to_have_url(f"{site_url}/reports/progress/{report.pk}/")
    expect(page.get_by_role("status")).to_contain_text(
        "Report issued: its figures will not change any more."
    )
    expect(page.get_by_text("Not sent yet.")).to_be_visible()
    document = page.get_by_role("article", name="Progress report")
    expect(document).to_contain_text(f"Report no. {report.pk}")
    expect(fact("Sessions attended of required").locator("td")).to_have_text("3 / 24")
    expect(page.get_by_label("Sent on")).to_have_value(r.today.isoformat())
    page.get_by_role("button", name="Mark sent").click()
    expect(page.get_by_role("status")).to_contain_text("Marked sent.")
    expect(page.get_by_text("(marked by Marta Díaz)")).to_be_visible()
    expect(page.get_by_role("button", name="Mark sent")).to_have_count(0)
    assert browser_problems == []

    report.refresh_from_db()
    assert (report.attended, report.required, report.excused, report.unexcused) == (3, 24, 1, 0)
    assert report.referral.institution == "Juzgado Tercero de lo Familiar"
    assert (report.created_by, report.sent_by, report.sent_on) == (
        r.coordinator,
        r.coordinator,
        r.today,
    )
    assert report.period_end == r.today
    assert ProgressReport.objects.count() == 1


def test_the_dashboard_in_spanish(page, site_url, reports, browser_problems):
    """The site's default language: Spanish headings and a decimal comma."""
    assert spanish("Participation dashboard") == "Tablero de participación"
    r = reports
    log_in(page, site_url, r.coordinator, language="es", next_path=DASHBOARD)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablero de participación")
    by_group = panel(page, spanish(BY_GROUP))
    expect(by_group.locator("thead th")).to_have_text([spanish(label) for label in BY_GROUP_HEADER])
    expect_rows(
        by_group,
        [
            ["Jueves A", "Sede A", "2", "2", "1", "50,0"],
            ["Martes A", "Sede A", "4", "8", "5", "62,5"],
        ],
    )
    # The chart's labels too; its coordinates keep their decimal point.
    expect(by_group.get_by_role("img")).to_contain_text("62,5 %")
    expect(by_group.get_by_role("img").locator("rect").first).to_have_attribute(
        "y", re.compile(r"^[\d.]+$")
    )
    assert browser_problems == []


def test_the_anonymised_statistics(page, site_url, reports, browser_problems):
    r = reports
    log_in(page, site_url, r.coordinator, next_path=DASHBOARD)
    page.get_by_role("navigation", name="Other reports").get_by_role(
        "link", name="Anonymised statistics"
    ).click()

    expect(page).to_have_url(re.compile(r"/reports/export/anonymised/\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Anonymised statistics")
    expect(
        page.get_by_text(
            "Counts below 5 are shown as <5, and the other counts are rounded to the nearest 5,"
            " to protect identities."
        )
    ).to_be_visible()
    by_group = page.locator("section", has=page.get_by_role("heading", name=BY_GROUP, exact=True))
    # Counts of 5 and more are shown rounded to 5 (8 → 10, a share of 62.5 → 60); every count
    # below 5, and a share of one, is not.
    expect_rows(
        by_group,
        [
            ["Jueves A", "Sede A", "<5", "<5", "<5", "—"],
            ["Martes A", "Sede A", "<5", "10", "5", "60.0"],
        ],
    )
    expect(page.get_by_role("cell", name="<5", exact=True).first).to_be_visible()
    text = page.locator("main").inner_text()
    html = page.content()
    for code in CODES + ["SA-", "SB-"]:
        assert code not in text and code not in html, f"{code} on the anonymised page"
    for man in r.men.values():
        assert man.first_name not in text and man.last_name not in text
    assert "Lunes B" not in text and "Sede B" not in text
    assert browser_problems == []
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_type="report:anonymised", user=r.coordinator
    ).exists()


def test_a_rate_reads_the_same_on_the_page_as_in_its_download(page, site_url, reports, tmp_path):
    r = reports
    newcomer = enrolled_man(
        r.jueves, "SA-0004", "Iván", since=r.today - 30 * DAY, last_name="Rangel Mora"
    )
    attended(newcomer, r.jueves, ["present"], last=most_recent(3, r.today))
    # Jueves A: 2 men attending of 3 expected, 66.67 %.
    log_in(page, site_url, r.coordinator, next_path=DASHBOARD)
    by_group = panel(page, BY_GROUP)
    path = download(page, by_group.get_by_role("link", name=f"CSV · {BY_GROUP}"), tmp_path)
    jueves = ["Jueves A", "Sede A", "2", "3", "2", "66.7"]
    assert read_csv(path)[1] == jueves
    assert table_rows(by_group).first.locator("th, td").all_inner_texts() == jueves
    assert "66.7%" in by_group.get_by_role("img").text_content()
