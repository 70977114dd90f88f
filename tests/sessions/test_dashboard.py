"""The participation dashboard (coordinators) and a group's attendance figures (its
facilitators too): who may open them, what they show, bad filters, query counts."""

import datetime
import itertools
import re

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests import factories
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

DASHBOARD = "/reports/"
INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


_slots = itertools.count()


def _recent(days=3):
    """A past day in the default period (the last twelve months)."""
    return timezone.localdate() - datetime.timedelta(days=days)


def _men(group, count):
    men = []
    for _ in range(count):
        man = factories.ParticipantFactory(site=group.site)
        factories.EnrolmentFactory(participant=man, group=group, start_date=_recent(60))
        men.append(man)
    return men


def _attend(group, men, sessions=1, day=None, **fields):
    """`sessions` recorded sessions of the group, all on one day (so in one calendar year:
    different start times keep them apart), attended by `men`."""
    for _ in range(sessions):
        slot = next(_slots)
        session = factories.GroupSessionFactory(
            group=group,
            date=day or _recent(),
            start_time=datetime.time(6 + slot // 60 % 16, slot % 60),
            state="recorded",
            recorded_at=timezone.now(),
        )
        for man in men:
            factories.AttendanceFactory(session=session, participant=man, **fields)


def _table(response, slug):
    return next(
        panel["table"] for panel in response.context["panels"] if panel["table"].slug == slug
    )


@pytest.fixture
def figures(cast):
    """Two men attending two sessions at site A, three men one session at site B."""
    _attend(cast.group_a, [cast.man_a, *_men(cast.group_a, 1)], sessions=2)
    _attend(cast.group_b, [cast.man_b, *_men(cast.group_b, 2)])
    return cast


def test_coordinator_sees_only_his_sites_figures(figures, login_as, english):
    response = login_as(figures.coordinator).get(DASHBOARD)
    assert response.status_code == 200
    assert _table(response, "men-reached").rows == [
        {"year": _recent().year, "site": "Sede A", "men": 2},
        {"year": _recent().year, "site": "All sites in this report", "men": 2},
    ]
    by_group = _table(response, "attendance-by-group").rows
    assert [
        (r["group"], r["site"], r["sessions"], r["expected"], r["attended"]) for r in by_group
    ] == [("Martes A", "Sede A", 2, 4, 4)]
    assert [site.name for site in response.context["sites"]] == ["Sede A"]
    content = response.content.decode()
    assert "Sede B" not in content and "Jueves B" not in content and "SB-0001" not in content


def test_admin_sees_every_site(figures, login_as, english):
    response = login_as(figures.admin).get(DASHBOARD)
    assert [(row["site"], row["men"]) for row in _table(response, "men-reached").rows] == [
        ("Sede A", 2),
        ("Sede B", 3),
        ("All sites in this report", 5),
    ]


@pytest.mark.parametrize("who", ["facilitator", "outsider", "partner"])
def test_only_coordinators_open_the_dashboard(cast, login_as, who):
    assert login_as(getattr(cast, who)).get(DASHBOARD).status_code == 404


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/reports/"


def test_the_page_shows_the_period_and_the_tables(figures, login_as, english):
    response = login_as(figures.coordinator).get(DASHBOARD)
    scope = response.context["scope"]
    assert (scope.date_from, scope.date_to) == (
        timezone.localdate().replace(year=timezone.localdate().year - 1)
        + datetime.timedelta(days=1),
        timezone.localdate(),
    )
    content = response.content.decode()
    assert [m for m in re.findall(r"<h2 [^>]*>([^<]+)</h2>", content)] == [
        "Filters",
        "Men reached",
        "Attendance rate per month",
        "Attendance rate per group",
        "Retention",
        "Referral sources",
        "Violence reported at check-in",
        "Men with no reported violence in their last 8 check-ins",
        "Enrolment outcomes",
        "Fidelity",
    ]
    # No man was referred in the period; one panel has no chart.
    assert content.count("No data for this period.") == 1
    assert content.count('role="img"') == 7
    assert content.count("<caption id=") == 8
    assert '<th scope="col" class="text-end">Attendance rate (%)</th>' in content
    assert '<td class="text-end">100.0</td>' in content
    assert "Sede A" in content


def test_export_links_carry_the_filters_that_were_applied(figures, login_as):
    try:
        csv = reverse("exports:table", kwargs={"slug": "men-reached", "fmt": "csv"})
    except NoReverseMatch:
        pytest.skip("the exports are not there yet")
    group = figures.group_a.pk
    response = login_as(figures.coordinator).get(
        DASHBOARD, {"group": group, "date_from": "bad", "unknown": "x"}
    )
    scope = response.context["scope"]
    query = f"group={group}&date_from={scope.date_from}&date_to={scope.date_to}"
    panel = response.context["panels"][0]
    assert panel["csv"] == f"{csv}?{query}"
    assert panel["xlsx"].endswith(f"men-reached.xlsx?{query}")
    assert f'href="{csv}?{query.replace("&", "&amp;")}"' in response.content.decode()


def test_group_filter_narrows_to_that_group(figures, login_as, english):
    other = factories.GroupFactory(site=figures.site_a, name="Viernes A")
    _attend(other, _men(other, 3))
    client = login_as(figures.coordinator)
    everything = _table(client.get(DASHBOARD), "attendance-by-group").rows
    assert [row["group"] for row in everything] == ["Martes A", "Viernes A"]
    response = client.get(DASHBOARD, {"group": other.pk})
    assert response.context["problems"] == []
    assert [(r["group"], r["attended"]) for r in _table(response, "attendance-by-group").rows] == [
        ("Viernes A", 3)
    ]
    assert [r["men"] for r in _table(response, "men-reached").rows] == [3, 3]


def test_another_sites_group_is_refused_with_a_message_and_no_data_of_it(
    figures, login_as, english
):
    response = login_as(figures.coordinator).get(DASHBOARD, {"group": figures.group_b.pk})
    assert response.status_code == 200
    assert response.context["problems"] == [("Group", INVALID_CHOICE)]
    content = response.content.decode()
    assert "Some filters could not be used; the figures below leave them out." in content
    assert INVALID_CHOICE in content
    assert [r["site"] for r in _table(response, "attendance-by-group").rows] == ["Sede A"]
    assert "Sede B" not in content and "Jueves B" not in content


def test_another_sites_id_in_every_filter_is_refused(figures, login_as, english):
    response = login_as(figures.coordinator).get(
        DASHBOARD,
        {"site": figures.site_b.pk, "group": figures.group_b.pk},
    )
    assert response.context["problems"] == [("Site", INVALID_CHOICE), ("Group", INVALID_CHOICE)]
    assert [site.name for site in response.context["sites"]] == ["Sede A"]
    assert "Sede B" not in response.content.decode()


def test_reversed_dates_give_a_message_and_the_default_period(figures, login_as, english):
    year = timezone.localdate().year
    response = login_as(figures.coordinator).get(
        DASHBOARD, {"date_from": f"{year}-03-01", "date_to": f"{year}-01-01"}
    )
    assert response.status_code == 200
    assert response.context["problems"] == [(None, "The start date is after the end date.")]
    assert response.context["scope"].date_to == timezone.localdate()
    assert "The start date is after the end date." in response.content.decode()


def test_year_one_gives_a_message(figures, login_as, english):
    response = login_as(figures.coordinator).get(DASHBOARD, {"date_from": "0001-01-01"})
    assert response.status_code == 200
    assert response.context["problems"] == [("From", "Choose a date between 2000 and next year.")]
    assert "Choose a date between 2000 and next year." in response.content.decode()


@pytest.mark.parametrize(
    "params,problem",
    [
        ({"date_from": "abc"}, ("From", "Enter a valid date.")),
        ({"date_to": "9" * 10_000}, ("To", "Enter a valid date.")),
        ({"site": "abc"}, ("Site", INVALID_CHOICE)),
        ({"site": "9" * 10_000}, ("Site", INVALID_CHOICE)),
        ({"group": "9" * 30}, ("Group", INVALID_CHOICE)),
        ({"programme": "-1"}, ("Programme", INVALID_CHOICE)),
        ({"group": "x" * 10_000}, ("Group", INVALID_CHOICE)),
    ],
)
def test_garbage_in_the_query_string_gives_a_message(figures, login_as, english, params, problem):
    response = login_as(figures.coordinator).get(DASHBOARD, params)
    assert response.status_code == 200
    assert response.context["problems"] == [problem]
    assert problem[1] in response.content.decode()
    assert [r["group"] for r in _table(response, "attendance-by-group").rows] == ["Martes A"]


def test_unknown_filters_are_ignored(figures, login_as):
    response = login_as(figures.coordinator).get(DASHBOARD, {"colour": "red", "page": "9"})
    assert response.status_code == 200
    assert response.context["problems"] == []


def _site_with(count):
    """A site whose coordinator sees `count` groups, each with `count` men attending `count`
    sessions, with check-ins, referrals and a completed enrolment."""
    site = factories.SiteFactory()
    coordinator = factories.coordinator_of(site)
    for _ in range(count):
        group = factories.GroupFactory(site=site)
        men = _men(group, count)
        for man in men:
            factories.ReferralFactory(participant=man, referred_on=_recent(50))
        _attend(group, men, sessions=count, violence="yes", violence_verbal=True)
        done = factories.ParticipantFactory(site=site, status="completed")
        factories.EnrolmentFactory(
            participant=done,
            group=group,
            start_date=_recent(90),
            end_date=_recent(2),
            exit_status="completed",
        )
    return coordinator


def test_dashboard_makes_the_same_queries_for_1_and_3_of_everything(db, login_as):
    # Each site is measured just after its men were written, and again: a GET writes nothing
    # but its audit event, whatever was written before it.
    one = login_as(_site_with(1))
    one_first, one_then = count_queries(one, DASHBOARD), count_queries(one, DASHBOARD)
    three = login_as(_site_with(3))
    three_first, three_then = count_queries(three, DASHBOARD), count_queries(three, DASHBOARD)
    assert (one_first, one_then) == (three_first, three_then) == (14, 14)  # the audit event too


def test_group_figures_make_the_same_queries_for_1_and_3_men(db, login_as):
    def figures_of(count):
        group = factories.GroupFactory()
        _attend(group, _men(group, count), sessions=count)
        return factories.facilitator_of(group), reverse("reports:group_figures", args=[group.pk])

    counts = []
    for count in (1, 3):
        user, url = figures_of(count)
        client = login_as(user)
        counts.append((count_queries(client, url), count_queries(client, url)))
    assert counts[0] == counts[1] == (7, 7)  # the audit event of the view included


def test_pages_have_no_inline_style_or_script(figures, login_as):
    for client, url in [
        (login_as(figures.coordinator), DASHBOARD),
        (
            login_as(figures.facilitator),
            reverse("reports:group_figures", args=[figures.group_a.pk]),
        ),
    ]:
        content = client.get(url).content.decode()
        assert "<svg" in content
        assert "style=" not in content and "<style" not in content
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", content) == []


def test_spanish_numbers_and_months(cast, login_as):
    year = timezone.localdate().year
    man = factories.ParticipantFactory(site=cast.site_a)
    factories.EnrolmentFactory(participant=man, group=cast.group_a)
    _attend(cast.group_a, [cast.man_a, man], day=datetime.date(year, 3, 3))
    session = factories.GroupSessionFactory(
        group=cast.group_a,
        date=datetime.date(year, 3, 10),
        state="recorded",
        recorded_at=timezone.now(),
    )
    factories.AttendanceFactory(session=session, participant=cast.man_a)
    factories.AttendanceFactory(session=session, participant=man, status="unexcused", violence="")
    response = login_as(cast.coordinator).get(
        DASHBOARD, {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31"}
    )
    content = response.content.decode()
    assert '<td class="text-end">75,0</td>' in content  # 3 of 4
    assert f'<th scope="row">marzo de {year}</th>' in content
    with translation.override("es"):
        assert gettext("%(value)s%%") % {"value": "75,0"} in content  # in the chart
    assert f"1 de enero de {year}" in content  # the period


# A group's attendance figures.


def test_facilitator_sees_his_groups_figures_only(figures, login_as, english):
    other = factories.GroupFactory(site=figures.site_a, name="Viernes A")
    _attend(other, _men(other, 3))
    response = login_as(figures.facilitator).get(
        reverse("reports:group_figures", args=[figures.group_a.pk])
    )
    assert response.status_code == 200
    assert [panel["table"].slug for panel in response.context["panels"]] == [
        "attendance-by-month",
        "attendance-by-group",
    ]
    by_group = _table(response, "attendance-by-group").rows
    assert [(r["group"], r["sessions"], r["attended"]) for r in by_group] == [("Martes A", 2, 4)]
    assert sum(r["attended"] for r in _table(response, "attendance-by-month").rows) == 4
    content = response.content.decode()
    assert "Viernes A" not in content and "Jueves B" not in content


def test_coordinator_of_the_site_sees_a_groups_figures(figures, login_as):
    url = reverse("reports:group_figures", args=[figures.group_a.pk])
    assert login_as(figures.coordinator).get(url).status_code == 200


@pytest.mark.parametrize("who", ["outsider", "partner", "coordinator"])
def test_others_get_404_for_a_groups_figures(figures, login_as, who):
    group = figures.group_a if who != "coordinator" else figures.group_b
    url = reverse("reports:group_figures", args=[group.pk])
    assert login_as(getattr(figures, who)).get(url).status_code == 404


def test_group_figures_take_only_the_period_filter(figures, login_as, english):
    url = reverse("reports:group_figures", args=[figures.group_a.pk])
    response = login_as(figures.facilitator).get(
        url, {"group": figures.group_b.pk, "date_from": "0001-01-01"}
    )
    assert response.status_code == 200
    assert response.context["problems"] == [("From", "Choose a date between 2000 and next year.")]
    assert [r["group"] for r in _table(response, "attendance-by-group").rows] == ["Martes A"]
    assert 'name="site"' not in response.content.decode()


def test_group_page_links_to_its_figures(cast, login_as):
    response = login_as(cast.facilitator).get(
        reverse("sessions:group_detail", args=[cast.group_a.pk])
    )
    assert reverse("reports:group_figures", args=[cast.group_a.pk]) in response.content.decode()
