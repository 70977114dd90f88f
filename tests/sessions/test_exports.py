"""Exports: a table as CSV and Excel, every attendance row of a year streamed, who may download
them, what they contain (exact), what never leaves the app, and the audit log."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendes.audit.models import AuditEvent
from sessions.reports import panels
from sessions.reports.exports import writers
from sessions.reports.exports.streaming import ExportRefused, stream_attendance_csv
from sessions.reports.exports.views import PANEL_BY_SLUG
from sessions.reports.scope import scope_for
from tests import factories

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)
YEAR = {"date_from": "2026-01-01", "date_to": "2026-12-31"}
SECRET = "REFLEXION-SECRETA-7731"
BOM = b"\xef\xbb\xbf"


def held(group, day):
    return factories.GroupSessionFactory(
        group=group, date=day, state="recorded", recorded_at=timezone.now()
    )


def mark(session, man, status="present", violence="no", **fields):
    attended = status in ("present", "late")
    return factories.AttendanceFactory(
        session=session,
        participant=man,
        status=status,
        violence=violence if attended else "",
        **fields,
    )


@pytest.fixture
def data(cast):
    """Site A: man_a at two sessions (violence the second time, with a reflection), SA-0002 at
    the first and absent from the second, man_a again in 2025. Site B: man_b at one."""
    other = factories.ParticipantFactory(site=cast.site_a, code="SA-0002", first_name="Luis")
    factories.EnrolmentFactory(participant=other, group=cast.group_a)
    first, second = held(cast.group_a, MONDAY), held(cast.group_a, MONDAY + datetime.timedelta(7))
    mark(first, cast.man_a, asked_support=True)
    mark(first, other)
    mark(
        second,
        cast.man_a,
        violence="yes",
        violence_verbal=True,
        violence_physical=True,
        reflection=SECRET,
        safety_flag=True,
    )
    mark(second, other, status="unexcused")
    mark(held(cast.group_a, datetime.date(2025, 6, 2)), cast.man_a)
    mark(held(cast.group_b, MONDAY), cast.man_b)
    return cast


def table_url(slug, fmt, **query):
    url = reverse("exports:table", kwargs={"slug": slug, "fmt": fmt})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def read_csv(content):
    assert content.startswith(BOM)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def streamed(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


# --- the URLs and who may use them ------------------------------------------------------


def export_urls():
    return [
        table_url("men-reached", "csv"),
        table_url("fidelity", "xlsx"),
        reverse("exports:attendance", kwargs={"year": 2026}),
        reverse("exports:anonymised"),
        reverse("exports:anonymised_csv"),
    ]


def test_every_panel_has_its_slug_in_the_export_urls(data):
    scope = scope_for(data.coordinator, YEAR)[1]
    assert {panel(scope).slug: panel for panel in panels.PANELS} == PANEL_BY_SLUG


@pytest.mark.parametrize("who", ["facilitator", "outsider", "partner"])
def test_only_coordinators_may_export(data, login_as, who):
    client = login_as(getattr(data, who))
    for url in export_urls():
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.exists()


def test_anonymous_client_is_sent_to_login_from_every_export(data, client):
    for url in export_urls():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_coordinator_and_admin_may_export(data, login_as):
    for user in (data.coordinator, data.admin):
        client = login_as(user)
        for url in export_urls():
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "slug,fmt", [("nope", "csv"), ("men-reached", "pdf"), ("men-reached", "csv.xlsx")]
)
def test_unknown_table_or_format_is_404(data, login_as, slug, fmt):
    assert login_as(data.coordinator).get(table_url(slug, fmt)).status_code == 404


# --- CSV ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_csv_is_a_utf8_download_with_translated_header_and_exact_rows(data, login_as):
    response = login_as(data.coordinator).get(table_url("men-reached", "csv", **YEAR))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="men-reached_2026-01-01_2026-12-31.csv"'
    )
    assert read_csv(response.content) == [
        ["Year", "Site", "Men reached"],
        ["2026", "Sede A", "2"],
        ["2026", "All sites in this report", "2"],
    ]


@pytest.mark.usefixtures("english")
def test_csv_writes_months_as_year_month_and_percents_with_one_decimal(data, login_as):
    response = login_as(data.coordinator).get(table_url("attendance-by-month", "csv", **YEAR))
    assert read_csv(response.content) == [
        ["Month", "Sessions", "Men expected", "Men attending", "Attendance rate (%)"],
        ["2026-03", "2", "4", "3", "75.0"],
    ]


@pytest.mark.usefixtures("english")
def test_csv_leaves_an_empty_share_empty(data, login_as):
    response = login_as(data.coordinator).get(table_url("no-recent-violence", "csv", **YEAR))
    assert read_csv(response.content)[1] == ["2", "0", "0", ""]


def test_csv_header_is_in_spanish_by_default(data, login_as):
    response = login_as(data.coordinator).get(table_url("men-reached", "csv", **YEAR))
    assert read_csv(response.content)[0][1] == "Sede"


def test_csv_quotes_text_a_spreadsheet_would_run_as_a_formula(db):
    column = panels.Column("site", "Site", "text")
    assert writers.csv_value(column, "=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert writers.csv_value(column, "Sede A") == "Sede A"


# --- XLSX ---------------------------------------------------------------------------------


def read_xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


@pytest.mark.usefixtures("english")
def test_xlsx_has_title_block_then_bold_header_on_row_5_and_typed_numbers(data, login_as):
    response = login_as(data.coordinator).get(table_url("attendance-by-month", "xlsx", **YEAR))
    assert response["Content-Disposition"] == (
        'attachment; filename="attendance-by-month_2026-01-01_2026-12-31.xlsx"'
    )
    sheet = read_xlsx(response)
    assert sheet.title == "Attendance rate per month"
    assert [sheet.cell(1, 1).value, sheet.cell(2, 1).value, sheet.cell(3, 1).value] == [
        "Attendance rate per month",
        "Period",
        "Sites",
    ]
    assert sheet.cell(2, 2).value == datetime.datetime(2026, 1, 1)
    assert sheet.cell(2, 3).value == datetime.datetime(2026, 12, 31)
    assert sheet.cell(3, 2).value == "Sede A"
    assert writers.HEADER_ROW == 5
    header = [cell.value for cell in sheet[5]]
    assert header == ["Month", "Sessions", "Men expected", "Men attending", "Attendance rate (%)"]
    assert all(cell.font.bold for cell in sheet[5])
    month, sessions, expected, attended, rate = sheet[6]
    assert month.value == datetime.datetime(2026, 3, 1)
    assert month.number_format == "yyyy-mm"
    assert [sessions.value, expected.value, attended.value] == [2, 4, 3]
    assert all(type(cell.value) is int for cell in (sessions, expected, attended))
    assert rate.value == 75.0
    assert rate.number_format == "0.0"
    assert sheet.max_row == 6
    assert sheet.column_dimensions["E"].width == len("Attendance rate (%)") + 2
    assert sheet.freeze_panes == "A6"


@pytest.mark.usefixtures("english")
def test_xlsx_keeps_text_as_text_and_counts_as_numbers(data, login_as):
    data.group_a.name = "=1+1"
    data.group_a.save()
    sheet = read_xlsx(login_as(data.coordinator).get(table_url("fidelity", "xlsx", **YEAR)))
    assert [cell.value for cell in sheet[5]] == [
        "Group",
        "Site",
        "Recorded",
        "Never recorded",
        "Cancelled",
        "With one facilitator",
    ]
    row = [cell.value for cell in sheet[6]]
    assert row[:3] == ["=1+1", "Sede A", 2]
    assert sheet.cell(6, 1).data_type == "s"


def test_sheet_title_fits_excels_rules():
    assert writers.sheet_title("a/b:c[d]*e?f\\g") == "abcdefg"
    long = "Men with no reported violence in their last 8 check-ins"
    assert writers.sheet_title(long) == long[:31].strip()
    assert writers.sheet_title("???") == "Sheet1"


# --- scope: nothing crosses sites -----------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_coordinator_never_gets_another_sites_figures(data, login_as):
    client = login_as(data.coordinator)
    for slug in PANEL_BY_SLUG:
        content = client.get(table_url(slug, "csv", **YEAR)).content.decode("utf-8-sig")
        assert "Sede B" not in content and "Jueves B" not in content, slug
    # man_b's session and attendance never count: 2 sessions, not 3; 4 men expected, not 5.
    rows = read_csv(client.get(table_url("attendance-by-month", "csv", **YEAR)).content)
    assert rows[1][1:3] == ["2", "4"]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("name", ["group", "site"])
def test_another_sites_id_in_the_query_string_refuses_the_export(data, login_as, name):
    other = {"group": data.group_b, "site": data.site_b}[name]
    client = login_as(data.coordinator)
    response = client.get(table_url("men-reached", "csv", **{name: other.pk}))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Select a valid choice" in response.content.decode()
    assert "Sede B" not in response.content.decode()
    response = client.get(reverse("exports:attendance", args=[2026]) + f"?{name}={other.pk}")
    assert response.status_code == 400
    assert "SB-0001" not in response.content.decode()
    assert not AuditEvent.objects.exists()


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "query,message",
    [
        ("date_from=2026-12-31&date_to=2026-01-01", "The start date is after the end date."),
        ("date_from=0001-01-01", "Choose a date between 2000 and next year."),
        ("date_to=9999-12-31", "Choose a date between 2000 and next year."),
        ("date_from=garbage", "Enter a valid date."),
        ("date_from=" + "9" * 5000, "Enter a valid date."),
        ("group=" + "9" * 5000, "Select a valid choice."),
        ("site=%00", "Site: Null characters are not allowed."),
    ],
)
def test_bad_filters_refuse_the_export_with_a_message(data, login_as, query, message):
    client = login_as(data.coordinator)
    for url in (table_url("men-reached", "xlsx"), reverse("exports:anonymised_csv")):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()


def test_unknown_filters_are_ignored(data, login_as):
    response = login_as(data.coordinator).get(table_url("men-reached", "csv", colour="red"))
    assert response.status_code == 200


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("year", [1, 1999, 2028, 10**30])
def test_attendance_export_of_an_absurd_year_is_refused_with_a_message(data, login_as, year):
    response = login_as(data.coordinator).get(f"/reports/export/attendance-{year}.csv")
    assert response.status_code == 400
    last = timezone.localdate().year + 1
    assert f"Choose a year between 2000 and {last}." in response.content.decode()


def test_streaming_function_refuses_bad_input(data):
    with pytest.raises(ExportRefused):
        stream_attendance_csv(data.coordinator, 1, {})
    with pytest.raises(ExportRefused):
        stream_attendance_csv(data.coordinator, 2026, {"group": str(data.group_b.pk)})


# --- the year's attendance, streamed --------------------------------------------------------

ATTENDANCE_HEADER = [
    "Session date",
    "Site",
    "Group",
    "Participant code",
    "Attendance",
    "Violence since the last session",
    "Kinds of violence",
    "Asked for support",
    "Used the retreat",
    "Safety concern",
]


@pytest.mark.usefixtures("english")
def test_attendance_export_streams_exact_rows_with_codes_never_names_nor_reflections(
    data, login_as
):
    response = login_as(data.coordinator).get(reverse("exports:attendance", args=[2026]))
    assert response["Content-Disposition"] == 'attachment; filename="attendance_2026.csv"'
    content = streamed(response)
    assert read_csv(content) == [
        ATTENDANCE_HEADER,
        ["2026-03-02", "Sede A", "Martes A", "SA-0001", "Present", "No", "", "Yes", "No", "No"],
        ["2026-03-02", "Sede A", "Martes A", "SA-0002", "Present", "No", "", "No", "No", "No"],
        ["2026-03-09", "Sede A", "Martes A", "SA-0001", "Present", "Yes", "Verbal; Physical",
         "No", "No", "Yes"],
        ["2026-03-09", "Sede A", "Martes A", "SA-0002", "Unexcused absence", "", "", "", "", ""],
    ]  # fmt: skip
    text = content.decode("utf-8-sig")
    for secret in (SECRET, "Juan", "Luis", data.man_a.last_name, "SB-0001", "Sede B"):
        assert secret not in text


@pytest.mark.usefixtures("english")
def test_attendance_export_narrows_to_a_group_of_the_coordinators_sites(data, login_as):
    other_group = factories.GroupFactory(site=data.site_a, name="Jueves A")
    man = factories.ParticipantFactory(site=data.site_a, code="SA-0003")
    mark(held(other_group, MONDAY), man)
    client = login_as(data.coordinator)
    url = reverse("exports:attendance", args=[2026])
    codes = [row[3] for row in read_csv(streamed(client.get(url)))[1:]]
    assert codes == ["SA-0003", "SA-0001", "SA-0002", "SA-0001", "SA-0002"]
    rows = read_csv(streamed(client.get(f"{url}?group={other_group.pk}")))[1:]
    assert [(row[2], row[3]) for row in rows] == [("Jueves A", "SA-0003")]


def test_admin_attendance_export_covers_every_site(data, login_as):
    rows = read_csv(streamed(login_as(data.admin).get(reverse("exports:attendance", args=[2026]))))
    assert sorted({row[3] for row in rows[1:]}) == ["SA-0001", "SA-0002", "SB-0001"]


def test_attendance_export_in_spanish(data, login_as):
    response = login_as(data.coordinator).get(reverse("exports:attendance", args=[2025]))
    assert read_csv(streamed(response))[1][:5] == [
        "2025-06-02",
        "Sede A",
        "Martes A",
        "SA-0001",
        "Presente",
    ]


def _men_at_one_session(cast, count):
    session = held(cast.group_a, MONDAY)
    for n in range(count):
        man = factories.ParticipantFactory(site=cast.site_a, code=f"SA-{n + 100:04d}")
        mark(session, man, reflection=SECRET)


@pytest.mark.parametrize("count", [1, 50])
def test_attendance_export_makes_the_same_queries_for_1_and_50_rows(cast, login_as, count):
    _men_at_one_session(cast, count)
    client = login_as(cast.coordinator)
    with CaptureQueriesContext(connection) as queries:
        content = streamed(client.get(reverse("exports:attendance", args=[2026])))
    assert len(read_csv(content)) == count + 1
    assert SECRET.encode() not in content
    # session, user, roles, the groups counted for the audit log, the audit row, the rows.
    assert len(queries) == 7


def test_streaming_function_yields_bytes_in_chunks(cast):
    _men_at_one_session(cast, 3)
    chunks = list(stream_attendance_csv(cast.coordinator, 2026, {}))
    assert all(isinstance(chunk, bytes) for chunk in chunks)
    assert len(read_csv(b"".join(chunks))) == 4


# --- the audit log --------------------------------------------------------------------------


def test_every_export_is_in_the_audit_log_with_who_what_and_when(data, login_as):
    client = login_as(data.coordinator)
    before = timezone.now()
    client.get(table_url("men-reached", "csv", **YEAR))
    client.get(table_url("fidelity", "xlsx", **YEAR))
    streamed(client.get(reverse("exports:attendance", args=[2026])))
    events = list(AuditEvent.objects.order_by("pk"))
    assert [(e.user, e.username, e.action, e.object_type, e.detail) for e in events] == [
        (
            data.coordinator,
            "coord_a",
            "export",
            "report:men-reached",
            "fmt=csv period=2026-01-01_2026-12-31 groups=1",
        ),
        (
            data.coordinator,
            "coord_a",
            "export",
            "report:fidelity",
            "fmt=xlsx period=2026-01-01_2026-12-31 groups=1",
        ),
        (
            data.coordinator,
            "coord_a",
            "export",
            "report:attendance",
            "fmt=csv period=2026 groups=1",
        ),
    ]
    assert all(before <= e.created_at <= timezone.now() for e in events)
