"""A session's tallies follow its attendance rows and facilitators, whoever writes them, and
always equal what counting the rows gives."""

import datetime

import pytest
from django.db.models import Count

from sessions import tallies
from sessions.models import Attendance, GroupSession, SessionTally
from sessions.services.recording import Row, record_session
from tests import factories

pytestmark = pytest.mark.django_db


def counted(session):
    """The tallies as counting its rows gives them now."""
    rows = Attendance.objects.filter(session=session).aggregate(
        **{name: Count("pk", filter=q) for name, q in tallies.ATTENDANCE_TALLIES.items()}
    )
    return {**rows, "facilitators": session.facilitators.count()}


def kept(session):
    tally = SessionTally.objects.filter(session=session).first()
    return {name: getattr(tally, name) for name in tallies.TALLY_FIELDS} if tally else None


@pytest.fixture
def session_with_men(db):
    group = factories.GroupFactory()
    men = [
        factories.EnrolmentFactory(group=group, participant__site=group.site).participant
        for _ in range(4)
    ]
    session = factories.GroupSessionFactory(group=group, date=datetime.date(2026, 11, 3))
    return session, men, factories.facilitator_of(group)


def save(session, by, rows, facilitator_ids=()):
    session.refresh_from_db()
    record_session(
        session=session,
        by=by,
        expected_version=session.version,
        rows=rows,
        codes={row.participant_id: f"M{row.participant_id}" for row in rows},
        facilitator_ids=list(facilitator_ids),
        topic_ids=[],
        notes="",
    )


def test_recording_tallies_men_check_ins_kinds_and_facilitators(session_with_men):
    session, men, facilitator = session_with_men
    other = factories.UserFactory()
    assert kept(session) is None
    save(
        session,
        facilitator,
        [
            Row(men[0].pk, violence="yes", kinds=["emotional", "physical"]),
            Row(men[1].pk, status="late", violence="declined"),
            Row(men[2].pk, status="unexcused"),
            Row(men[3].pk),
        ],
        facilitator_ids=[facilitator.pk, other.pk],
    )
    expected = {
        "expected": 4,
        "attended": 3,
        "check_ins": 3,
        "reported": 1,
        "declined": 1,
        "emotional": 1,
        "verbal": 0,
        "physical": 1,
        "sexual": 0,
        "economic": 0,
        "patrimonial": 0,
        "digital": 0,
        "facilitators": 2,
    }
    assert kept(session) == counted(session) == expected
    # A correction: the absent man came after all, one facilitator left the record.
    save(
        session,
        facilitator,
        [
            Row(men[0].pk, violence="yes", kinds=["emotional", "physical"]),
            Row(men[1].pk, status="late", violence="declined"),
            Row(men[2].pk),
            Row(men[3].pk),
        ],
        facilitator_ids=[facilitator.pk],
    )
    assert kept(session) == counted(session)
    assert (kept(session)["attended"], kept(session)["facilitators"]) == (4, 1)


def test_single_saves_deletions_and_facilitator_changes_are_tallied(session_with_men):
    session, men, facilitator = session_with_men
    row = factories.AttendanceFactory(session=session, participant=men[0], status="present")
    assert kept(session) == counted(session) and kept(session)["attended"] == 1
    row.status, row.violence = "excused", ""
    row.save()
    assert kept(session) == counted(session) and kept(session)["attended"] == 0
    row.delete()
    assert kept(session) == counted(session) and kept(session)["expected"] == 0
    session.facilitators.add(facilitator)
    assert kept(session)["facilitators"] == 1
    facilitator.facilitated_sessions.remove(session)  # from the user's side
    assert kept(session)["facilitators"] == 0
    facilitator.facilitated_sessions.add(session)
    facilitator.facilitated_sessions.clear()
    assert kept(session) == counted(session) and kept(session)["facilitators"] == 0


def test_recount_of_many_sessions_matches_counting_their_rows(db):
    group = factories.GroupFactory()
    men = [factories.ParticipantFactory(site=group.site) for _ in range(3)]
    statuses = ["present", "late", "excused", "unexcused"]
    for week in range(6):
        session = factories.GroupSessionFactory(
            group=group, date=datetime.date(2026, 9, 1) + datetime.timedelta(weeks=week)
        )
        for n, man in enumerate(men):
            status = statuses[(week + n) % 4]
            attended = status in ("present", "late")
            factories.AttendanceFactory(
                session=session,
                participant=man,
                status=status,
                violence=("yes" if n == 0 else "no") if attended else "",
                violence_verbal=attended and n == 0,
            )
    SessionTally.objects.all().delete()
    assert tallies.recount(GroupSession.objects.values("pk")) == 6
    for session in GroupSession.objects.all():
        assert kept(session) == counted(session)
