"""The migrations that retire the kept figures (participants 0003, group_sessions 0006) and
add the standing views (0007), run forward on a database holding records and kept figures:
the kept tables go, every record stays, and the views count the records."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("group_sessions", "0005_recount_tallies"), ("participants", "0002_standing_version")]
KEPT_TABLES = {
    "group_sessions_keptstanding",
    "group_sessions_sessiontally",
    "group_sessions_yearlyparticipation",
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def seed_old(apps):
    """A site, a group, two men (one enrolled with three recorded sessions), and the kept
    figures of the old schema."""
    get = apps.get_model
    site = get("programmes", "Site").objects.create(
        name="Sede", code="SD", country="MX", time_zone="America/Mexico_City"
    )
    programme = get("programmes", "Programme").objects.create(
        name="Semanal", required_sessions=25, session_minutes=150
    )
    group = get("programmes", "Group").objects.create(
        programme=programme,
        site=site,
        name="Martes",
        weekdays="1",
        start_time=datetime.time(18),
        start_date=datetime.date(2026, 1, 6),
    )
    man, other = (
        get("participants", "Participant").objects.create(site=site, code=code, first_name="J")
        for code in ("SD-0001", "SD-0002")
    )
    get("participants", "Enrolment").objects.create(
        participant=man, group=group, start_date=datetime.date(2026, 1, 6)
    )
    get("participants", "Referral").objects.create(
        participant=other, source_type="court", referred_on=datetime.date(2026, 2, 1)
    )
    session_model = get("group_sessions", "GroupSession")
    attendance = get("group_sessions", "Attendance")
    for week, status in enumerate(["present", "unexcused", "excused"]):
        session = session_model.objects.create(
            group=group,
            date=datetime.date(2026, 1, 6) + datetime.timedelta(weeks=week),
            start_time=datetime.time(18),
            state="recorded",
            recorded_at=datetime.datetime(2026, 1, 6, tzinfo=datetime.UTC),
        )
        attendance.objects.create(
            session=session,
            participant=man,
            status=status,
            violence="no" if status == "present" else "",
        )
        get("group_sessions", "SessionTally").objects.create(
            session=session, group=group, date=session.date, expected=1
        )
    get("group_sessions", "KeptStanding").objects.create(
        participant=man, computed_version=0, attended_count=1
    )


def test_the_kept_figures_go_and_the_records_stay(db):
    old = migrate(BEFORE)
    try:
        seed_old(old)
        assert KEPT_TABLES <= set(connection.introspection.table_names())
        new = migrate(latest())
        assert not KEPT_TABLES & set(connection.introspection.table_names())
        counts = {
            name: new.get_model(*name.split(".")).objects.count()
            for name in (
                "participants.Participant",
                "participants.Enrolment",
                "participants.Referral",
                "group_sessions.GroupSession",
                "group_sessions.Attendance",
            )
        }
        assert counts == {
            "participants.Participant": 2,
            "participants.Enrolment": 1,
            "participants.Referral": 1,
            "group_sessions.GroupSession": 3,
            "group_sessions.Attendance": 3,
        }
        standing = new.get_model("group_sessions", "StandingCounts").objects.order_by(
            "participant__code"
        )
        assert [
            (
                s.participant.code,
                s.recorded_count,
                s.attended_count,
                s.excused_count,
                s.unexcused_count,
                s.consecutive_absences,
                s.first_sessions_absences,
                s.first_referred_on,
            )
            for s in standing
        ] == [
            ("SD-0001", 3, 1, 1, 1, 2, 2, None),
            ("SD-0002", 0, 0, 0, 0, 0, 0, datetime.date(2026, 2, 1)),
        ]
    finally:
        migrate(latest())
