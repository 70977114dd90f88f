"""The men-based panels give what counting the attendance rows gives, for any period."""

import datetime

import pytest
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from sessions.models import Attendance
from sessions.reports import panels
from sessions.reports.queries import ATTENDED
from sessions.reports.scope import scope_for
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def session_on(group, day):
    return factories.GroupSessionFactory(
        group=group, date=day, state="recorded", recorded_at=timezone.now()
    )


def attend(session, man, status="present"):
    attended = status in ("present", "late")
    factories.AttendanceFactory(
        session=session, participant=man, status=status, violence="no" if attended else ""
    )


@pytest.fixture
def history(db):
    """Two sites. At A: a man who came in January and in November 2025 only (not between),
    one who came in May 2025 and in 2026, one absent all of 2025 who came in 2026. At B: a
    man transferred from A's group in 2026, who came to both."""
    site_a, site_b = factories.SiteFactory(name="Sede A"), factories.SiteFactory(name="Sede B")
    group_a = factories.GroupFactory(site=site_a)
    group_b = factories.GroupFactory(site=site_b)
    coordinator = factories.coordinator_of(site_a)
    factories.coordinator_of(site_b, coordinator)
    men = [factories.ParticipantFactory(site=site_a) for _ in range(4)]
    days = {
        "jan": datetime.date(2025, 1, 14),
        "may": datetime.date(2025, 5, 13),
        "nov": datetime.date(2025, 11, 11),
        "feb": datetime.date(2026, 2, 10),
        "jun": datetime.date(2026, 6, 9),
    }
    at_a = {name: session_on(group_a, day) for name, day in days.items()}
    attend(at_a["jan"], men[0])
    attend(at_a["nov"], men[0])
    attend(at_a["may"], men[1])
    attend(at_a["feb"], men[1], "late")
    attend(at_a["may"], men[2], "unexcused")
    attend(at_a["feb"], men[2])
    attend(at_a["feb"], men[3])
    attend(session_on(group_b, datetime.date(2026, 6, 11)), men[3])
    attend(session_on(group_b, datetime.date(2026, 6, 18)), men[3], "excused")
    return coordinator, men


def reached(coordinator, start, end):
    """Men reached per (year, site) from the dashboard's panel."""
    scope = scope_for(coordinator, {"date_from": start, "date_to": end})[1]
    return {(row["year"], row["site"]): row["men"] for row in panels.men_reached(scope).rows}


def counted_reached(start, end):
    """The same, counting the attendance rows of the period."""
    rows = (
        Attendance.objects.filter(ATTENDED, session__date__gte=start, session__date__lte=end)
        .annotate(year=ExtractYear("session__date"))
        .values("year", "session__group__site__name")
        .annotate(men=Count("participant", distinct=True))
    )
    out = {(r["year"], r["session__group__site__name"]): r["men"] for r in rows}
    per_year = (
        Attendance.objects.filter(ATTENDED, session__date__gte=start, session__date__lte=end)
        .annotate(year=ExtractYear("session__date"))
        .values("year")
        .annotate(men=Count("participant", distinct=True))
    )
    out.update({(r["year"], "All sites in this report"): r["men"] for r in per_year})
    return out


@pytest.mark.parametrize(
    "start, end",
    [
        ("2025-01-01", "2026-11-28"),  # whole years
        ("2025-06-01", "2026-03-31"),  # across a new year
        ("2025-01-01", "2025-06-30"),  # from a year's start
        ("2025-03-01", "2025-12-31"),  # to a year's end
        ("2025-03-01", "2025-10-31"),  # inside a year: he came before and after, not in it
        ("2026-06-10", "2026-06-17"),  # one week
    ],
)
def test_men_reached_counts_as_the_attendance_rows_for_any_period(history, start, end):
    coordinator, men = history
    assert reached(coordinator, start, end) == counted_reached(start, end)


def test_the_man_who_came_before_and_after_a_period_inside_a_year_is_not_reached(history):
    coordinator, men = history
    assert reached(coordinator, "2025-03-01", "2025-10-31") == {
        (2025, "Sede A"): 1,  # the man of May only
        (2025, "All sites in this report"): 1,
    }
    assert reached(coordinator, "2025-01-01", "2026-12-31") == {
        (2025, "Sede A"): 2,
        (2025, "All sites in this report"): 2,
        (2026, "Sede A"): 3,
        (2026, "Sede B"): 1,
        (2026, "All sites in this report"): 3,
    }


def test_retention_counts_sessions_in_the_groups_in_scope(history):
    coordinator, men = history
    scope = scope_for(coordinator, {"date_from": "2026-01-01", "date_to": "2026-12-31"})[1]
    funnel = {row["step"]: row["men"] for row in panels.retention(scope).rows}
    # First sessions in 2026: the man absent in 2025, and the transferred one (his first
    # session at A); his session at B is his 2nd.
    assert (funnel["1st session"], funnel["2nd session"], funnel["4th session"]) == (2, 1, 0)


def counted_recent_violence(groups, start, end):
    """The report on recent violence by its definition, man by man: among the men with a
    check-in in `groups` between `start` and `end`, those with 8 check-ins there up to `end`,
    and those of them with no violence in the latest 8."""
    rows = (
        Attendance.objects.filter(session__group__in=groups, session__date__lte=end)
        .exclude(violence="")
        .order_by("-session__date", "-pk")
        .values_list("participant", "session__date", "violence")
    )
    per_man = {}
    for man, day, violence in rows:
        per_man.setdefault(man, []).append((day, violence))
    counts = {"men": 0, "eight": 0, "clean": 0}
    for check_ins in per_man.values():
        if check_ins[0][0] < start:
            continue
        counts["men"] += 1
        if len(check_ins) >= 8:
            counts["eight"] += 1
            counts["clean"] += all(violence != "yes" for _day, violence in check_ins[:8])
    return counts


@pytest.fixture
def check_ins(db):
    """At site A, weekly from 5 January 2026: a man with 10 quiet check-ins; one with
    violence at his 3rd latest; one with 9 check-ins, his first 4 at site B (another
    coordinator's); one whose 8th latest reported violence, and one who came twice."""
    site_a, site_b = factories.SiteFactory(name="Sede A"), factories.SiteFactory(name="Sede B")
    group_a, group_b = factories.GroupFactory(site=site_a), factories.GroupFactory(site=site_b)
    coordinator = factories.coordinator_of(site_a)
    start = datetime.date(2026, 1, 5)
    sessions = {
        (group, n): session_on(group, start + datetime.timedelta(weeks=n))
        for group in (group_a, group_b)
        for n in range(12)
    }

    def man_with(violence_at, weeks, group_of=lambda n: group_a):
        man = factories.ParticipantFactory(site=site_a)
        for n in weeks:
            factories.AttendanceFactory(
                session=sessions[(group_of(n), n)],
                participant=man,
                status="present",
                violence="yes" if n in violence_at else "no",
                violence_verbal=n in violence_at,
            )
        return man

    man_with(set(), range(2, 12))
    man_with({9}, range(2, 12))
    man_with(set(), range(3, 12), lambda n: group_b if n < 7 else group_a)
    man_with({4}, range(4, 12))
    man_with(set(), [0, 1])
    return coordinator, group_a


@pytest.mark.parametrize(
    "start, end",
    [
        ("2026-01-01", "2026-11-28"),  # up to today
        ("2026-03-01", "2026-12-31"),  # the man who came twice came before
        ("2026-01-01", "2026-02-28"),  # ends before most check-ins
        ("2026-02-01", "2026-03-10"),
    ],
)
def test_recent_violence_counts_as_the_definition_for_any_period(check_ins, start, end):
    coordinator, group_a = check_ins
    scope = scope_for(coordinator, {"date_from": start, "date_to": end})[1]
    (row,) = panels.men_without_recent_violence(scope).rows
    expected = counted_recent_violence(
        [group_a], datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    )
    assert {key: row[key] for key in expected} == expected


def test_recent_violence_over_the_whole_year(check_ins):
    coordinator, group_a = check_ins
    scope = scope_for(coordinator, {"date_from": "2026-01-01", "date_to": "2026-12-31"})[1]
    (row,) = panels.men_without_recent_violence(scope).rows
    # Five men; three with 8 check-ins at A (the one from B has 5 there); one of them quiet
    # in his latest 8 (the others reported violence at their 3rd and 8th latest).
    assert (row["men"], row["eight"], row["clean"]) == (5, 3, 1)
