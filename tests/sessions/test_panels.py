"""The dashboard's panels: exact figures on a small dataset, the same number of queries at
two sizes, and nothing from another site."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions.reports import panels
from sessions.reports.scope import scope_for
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MONDAY = datetime.date(2026, 3, 2)


def held(group, weeks_after, facilitators=()):
    session = factories.GroupSessionFactory(
        group=group,
        date=MONDAY + datetime.timedelta(weeks=weeks_after),
        state="recorded",
        recorded_at=timezone.now(),
    )
    session.facilitators.set(facilitators)
    return session


def mark(session, man, status="present", violence="no", **kinds):
    attended = status in ("present", "late")
    factories.AttendanceFactory(
        session=session,
        participant=man,
        status=status,
        violence=violence if attended else "",
        **{f"violence_{k}": v for k, v in kinds.items()},
    )


def a_scope(user, **filters):
    data = {"date_from": "2026-01-01", "date_to": "2026-12-31", **filters}
    return scope_for(user, data)[1]


@pytest.fixture
def data(cast):
    """Site A: man_a attends 3 sessions (violence once, verbal+physical) and misses 1;
    a second man attends once then drops. Site B: man_b attends 2."""
    other = factories.ParticipantFactory(site=cast.site_a, code="SA-0002", status="dropped_out")
    enrolment = factories.EnrolmentFactory(participant=other, group=cast.group_a)
    enrolment.end_date, enrolment.exit_status = MONDAY + datetime.timedelta(weeks=2), "dropped_out"
    enrolment.save()
    factories.ReferralFactory(participant=cast.man_a, source_type="court", referred_on=MONDAY)
    factories.ReferralFactory(participant=other, source_type="partner", referred_on=MONDAY)
    sessions = [held(cast.group_a, n, [cast.facilitator]) for n in range(4)]
    mark(sessions[0], cast.man_a)
    mark(sessions[0], other)
    mark(sessions[1], cast.man_a, violence="yes", verbal=True, physical=True)
    mark(sessions[1], other, status="unexcused")
    mark(sessions[2], cast.man_a, status="excused")
    mark(sessions[3], cast.man_a, status="late")
    for n in range(2):
        mark(held(cast.group_b, n), cast.man_b)
    return cast


def test_men_reached_counts_distinct_men_per_year_and_site(data):
    table = panels.men_reached(a_scope(data.coordinator))
    assert table.rows == [
        {"year": 2026, "site": "Sede A", "men": 2},
        {"year": 2026, "site": "All sites in this report", "men": 2},
    ]


def test_attendance_rates(data):
    scope = a_scope(data.coordinator)
    month = panels.attendance_by_month(scope).rows
    assert [(r["month"], r["sessions"], r["expected"], r["attended"]) for r in month] == [
        (datetime.date(2026, 3, 1), 4, 6, 4)
    ]
    assert round(month[0]["rate"], 2) == 66.67
    group = panels.attendance_by_group(scope).rows
    assert [(r["group"], r["site"], r["attended"], r["expected"]) for r in group] == [
        ("Martes A", "Sede A", 4, 6)
    ]


def test_retention_funnel(data):
    rows = panels.retention(a_scope(data.coordinator)).rows
    assert [(r["step"], r["men"]) for r in rows] == [
        ("1st session", 2),
        ("2nd session", 1),
        ("4th session", 0),
        ("8th session", 0),
        ("13th session", 0),
        ("Completed", 0),
    ]
    assert rows[1]["share"] == 50.0


def test_referral_sources_and_how_far_they_got(data):
    rows = panels.referral_sources(a_scope(data.coordinator)).rows
    assert sorted((r["source"], r["men"], r["attended"], r["reached_4"]) for r in rows) == [
        ("Court / judicial", 1, 1, 0),
        ("Partner's ultimatum", 1, 1, 0),
    ]


def test_check_ins_share_by_kind(data):
    rows = panels.check_ins_by_month(a_scope(data.coordinator)).rows
    assert len(rows) == 1
    row = rows[0]
    assert (row["check_ins"], row["reported"], row["verbal"], row["physical"], row["sexual"]) == (
        4,
        1,
        1,
        1,
        0,
    )
    assert row["reported_share"] == 25.0


def test_enrolment_outcomes(data):
    rows = {
        r["outcome"]: r["enrolments"]
        for r in panels.enrolment_outcomes(a_scope(data.coordinator)).rows
    }
    assert rows["Dropped out"] == 1
    assert rows["Completed"] == 0
    assert rows["Still enrolled at the end of the period"] == 1


def test_fidelity_counts_one_facilitator_and_unrecorded_sessions(data):
    factories.GroupSessionFactory(group=data.group_a, date=MONDAY + datetime.timedelta(weeks=5))
    rows = panels.fidelity(a_scope(data.coordinator)).rows
    assert [(r["group"], r["recorded"], r["unrecorded"], r["one_facilitator"]) for r in rows] == [
        ("Martes A", 4, 2, 4)
    ]


def test_nothing_crosses_sites(data):
    scope = a_scope(data.coordinator, group=str(data.group_b.pk), site=str(data.site_b.pk))
    for table in panels.all_panels(scope):
        for row in table.rows:
            assert "Sede B" not in row.values()
            assert "Jueves B" not in row.values()
    assert panels.men_reached(scope).rows[0]["men"] == 2


def test_reversed_and_absurd_dates_fall_back_to_the_last_year(data):
    form, scope = scope_for(data.coordinator, {"date_from": "2026-12-01", "date_to": "2026-01-01"})
    assert form.errors["__all__"] == ["The start date is after the end date."]
    assert scope.date_to == timezone.localdate()
    form, scope = scope_for(data.coordinator, {"date_from": "0001-01-01"})
    assert "date_from" in form.errors
    panels.all_panels(scope)


def _count(user):
    scope = a_scope(user)
    with CaptureQueriesContext(connection) as queries:
        panels.all_panels(scope)
    return len(queries)


def _site_with(men, weeks):
    site = factories.SiteFactory()
    group = factories.GroupFactory(site=site)
    people = [
        factories.EnrolmentFactory(group=group, participant__site=site).participant
        for _ in range(men)
    ]
    for n in range(weeks):
        session = held(group, n)
        for man in people:
            mark(session, man, violence="yes" if n % 2 else "no", emotional=bool(n % 2))
    return factories.coordinator_of(site)


def test_every_panel_makes_the_same_queries_whatever_the_data_size(db):
    small = _site_with(men=1, weeks=1)
    large = _site_with(men=6, weeks=10)
    # The groups in scope read once; the two monthly panels 1 query between them, the seven
    # others 1 each.
    assert _count(small) == _count(large) == 9


def test_a_coordinator_without_groups_gets_empty_panels_not_an_error(data):
    # A site with no group yet: the figures filter on an empty list of groups.
    site = factories.SiteFactory()
    scope = a_scope(factories.coordinator_of(site))
    assert scope.group_ids == []
    tables = {table.slug: table for table in panels.all_panels(scope)}
    assert tables["men-reached"].rows == []
    assert tables["attendance-by-group"].rows == []
    assert tables["fidelity"].rows == []
    assert [r["men"] for r in tables["retention"].rows] == [0, 0, 0, 0, 0, 0]
    assert tables["no-recent-violence"].rows[0]["men"] == 0
    assert {r["enrolments"] for r in tables["enrolment-outcomes"].rows} == {0}
