"""The sessions services on their own: schedule, recording rules, alerts."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from participants.services import EnrolmentError
from sessions.models import Attendance, GroupSession, SafetyAlert
from sessions.services import alerts, schedule
from sessions.services.completion import end_enrolment
from sessions.services.recording import RecordingError, Row, record_session
from tests import factories

pytestmark = pytest.mark.django_db


def test_generate_sessions_follows_weekdays_and_is_idempotent(db):
    group = factories.GroupFactory(weekdays="1,3", start_date=datetime.date(2026, 1, 1))
    created = schedule.generate_sessions(
        groups=[group], since=datetime.date(2026, 3, 2), until=datetime.date(2026, 3, 15)
    )
    dates = list(GroupSession.objects.order_by("date").values_list("date", flat=True))
    assert created == 4
    assert [d.isoformat() for d in dates] == [
        "2026-03-03",
        "2026-03-05",
        "2026-03-10",
        "2026-03-12",
    ]
    assert {s.start_time for s in GroupSession.objects.all()} == {datetime.time(18, 0)}
    schedule.generate_sessions(
        groups=[group], since=datetime.date(2026, 3, 2), until=datetime.date(2026, 3, 15)
    )
    assert GroupSession.objects.count() == 4


def test_generate_sessions_respects_the_groups_running_dates_and_cancellations(db):
    group = factories.GroupFactory(
        weekdays="0", start_date=datetime.date(2026, 3, 9), end_date=datetime.date(2026, 3, 23)
    )
    schedule.generate_sessions(
        groups=[group], since=datetime.date(2026, 3, 1), until=datetime.date(2026, 3, 31)
    )
    first = GroupSession.objects.order_by("date").first()
    schedule.cancel_session(session=first, reason="Día festivo")
    schedule.generate_sessions(
        groups=[group], since=datetime.date(2026, 3, 1), until=datetime.date(2026, 3, 31)
    )
    states = list(GroupSession.objects.order_by("date").values_list("date", "state"))
    assert states == [
        (datetime.date(2026, 3, 9), "cancelled"),
        (datetime.date(2026, 3, 16), "scheduled"),
        (datetime.date(2026, 3, 23), "scheduled"),
    ]


def test_extra_session_at_a_taken_slot_is_refused(db):
    group = factories.GroupFactory()
    schedule.add_extra_session(
        group=group, date=datetime.date(2026, 3, 4), start_time=datetime.time(10)
    )
    with pytest.raises(schedule.ScheduleError):
        schedule.add_extra_session(
            group=group, date=datetime.date(2026, 3, 4), start_time=datetime.time(10)
        )
    with pytest.raises(schedule.ScheduleError):
        schedule.add_extra_session(
            group=group, date=datetime.date(2020, 1, 1), start_time=datetime.time(10)
        )
    assert GroupSession.objects.filter(is_extra=True).count() == 1


def test_a_recorded_session_cannot_be_cancelled(cast):
    record_session(
        session=cast.session_a,
        by=cast.facilitator,
        expected_version=0,
        rows=[Row(participant_id=cast.man_a.pk)],
        codes={cast.man_a.pk: "SA-0001"},
        facilitator_ids=[],
        topic_ids=[],
        notes="",
    )
    cast.session_a.refresh_from_db()
    with pytest.raises(schedule.ScheduleError):
        schedule.cancel_session(session=cast.session_a, reason="x")


def test_a_cancelled_session_cannot_be_recorded(cast):
    schedule.cancel_session(session=cast.session_a, reason="Día festivo")
    with pytest.raises(RecordingError):
        record_session(
            session=cast.session_a,
            by=cast.facilitator,
            expected_version=0,
            rows=[Row(participant_id=cast.man_a.pk)],
            codes={cast.man_a.pk: "SA-0001"},
            facilitator_ids=[],
            topic_ids=[],
            notes="",
        )
    assert Attendance.objects.count() == 0


def test_the_database_refuses_a_check_in_for_an_absent_man(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            session=cast.session_a, participant=cast.man_a, status="unexcused", violence="no"
        )


def test_the_database_refuses_kinds_without_violence(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            session=cast.session_a,
            participant=cast.man_a,
            status="present",
            violence="no",
            violence_verbal=True,
        )


def test_the_database_refuses_two_attendances_of_a_man_in_a_session(cast):
    Attendance.objects.create(session=cast.session_a, participant=cast.man_a, status="present")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(session=cast.session_a, participant=cast.man_a, status="late")


def test_one_alert_per_man_and_session_lists_its_reasons(cast):
    row = Row(participant_id=cast.man_a.pk, violence="yes", kinds=["sexual"], safety_flag=True)
    for version in (0, 1):
        record_session(
            session=cast.session_a,
            by=cast.facilitator,
            expected_version=version,
            rows=[row],
            codes={cast.man_a.pk: "SA-0001"},
            facilitator_ids=[],
            topic_ids=[],
            notes="",
        )
        cast.session_a.refresh_from_db()
    alert = SafetyAlert.objects.get()
    assert (alert.physical, alert.sexual, alert.flagged) == (False, True, True)


def test_acknowledging_sets_who_and_when_once_and_only_he_corrects_the_note(cast):
    alert = SafetyAlert.objects.create(
        session=cast.session_a, participant=cast.man_a, physical=True
    )
    alerts.acknowledge_alert(alert=alert, by=cast.coordinator, note="Llamé a la pareja")
    first_time = alert.acknowledged_at
    with pytest.raises(alerts.AlertError):
        alerts.acknowledge_alert(alert=alert, by=cast.admin, note="otra")
    alerts.acknowledge_alert(alert=alert, by=cast.coordinator, note="Llamé a la pareja y al juez")
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledged_at, alert.acknowledgement_note) == (
        cast.coordinator,
        first_time,
        "Llamé a la pareja y al juez",
    )


def test_acknowledging_needs_what_was_done(cast):
    alert = SafetyAlert.objects.create(
        session=cast.session_a, participant=cast.man_a, physical=True
    )
    with pytest.raises(alerts.AlertError):
        alerts.acknowledge_alert(alert=alert, by=cast.coordinator, note="  ")
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_new_reason_reopens_an_acknowledged_alert(cast):
    def save(version, row):
        return record_session(
            session=cast.session_a,
            by=cast.facilitator,
            expected_version=version,
            rows=[row],
            codes={cast.man_a.pk: "SA-0001"},
            facilitator_ids=[],
            topic_ids=[],
            notes="",
        )

    first = save(0, Row(participant_id=cast.man_a.pk, safety_flag=True))
    alert = SafetyAlert.objects.get()
    assert first.alerts == [alert]
    alerts.acknowledge_alert(alert=alert, by=cast.coordinator, note="Hablé con él")
    cast.session_a.refresh_from_db()
    again = save(1, Row(participant_id=cast.man_a.pk, safety_flag=True))
    assert again.alerts == []  # nothing new: it stays acknowledged
    cast.session_a.refresh_from_db()
    grown = save(
        2, Row(participant_id=cast.man_a.pk, violence="yes", kinds=["physical"], safety_flag=True)
    )
    alert.refresh_from_db()
    assert [a.pk for a in grown.alerts] == [alert.pk]
    assert (alert.physical, alert.flagged, alert.acknowledged_at) == (True, True, None)
    assert SafetyAlert.objects.count() == 1


@pytest.mark.parametrize(
    "row",
    [
        Row(participant_id=0, status="unexcused", violence="yes", kinds=["sexual"]),
        Row(participant_id=0, status="excused", reflection="Le grité"),
        Row(participant_id=0, status="unexcused", safety_flag=True),
        Row(participant_id=0, violence="yes", kinds=[]),
    ],
)
def test_the_service_refuses_rows_that_would_lose_or_blur_a_disclosure(cast, row):
    row.participant_id = cast.man_a.pk
    with pytest.raises(RecordingError):
        record_session(
            session=cast.session_a,
            by=cast.facilitator,
            expected_version=0,
            rows=[row],
            codes={cast.man_a.pk: "SA-0001"},
            facilitator_ids=[],
            topic_ids=[],
            notes="",
        )
    cast.session_a.refresh_from_db()
    assert (cast.session_a.version, Attendance.objects.count()) == (0, 0)


def test_generate_sessions_command_fills_the_coming_weeks(db):
    from django.core.management import CommandError, call_command
    from django.utils import timezone

    today = timezone.localdate()
    group = factories.GroupFactory(weekdays=str(today.weekday()), start_date=today)
    call_command("generate_sessions", weeks=2)
    dates = list(group.sessions.order_by("date").values_list("date", flat=True))
    assert dates == [today + datetime.timedelta(weeks=n) for n in range(3)]
    with pytest.raises(CommandError):
        call_command("generate_sessions", weeks=0)


def test_end_enrolment_completes_by_the_rules_and_closes_the_other_ways(cast):

    day = datetime.date(2026, 5, 5)
    enrolment = cast.man_a.enrolments.get()
    # Completing checks the programme's rules: he met none of them, and gave no reason.
    with pytest.raises(EnrolmentError):
        end_enrolment(
            enrolment=enrolment, exit_status="completed", end_date=day, reason="", by=cast.admin
        )
    enrolment.refresh_from_db()
    assert enrolment.end_date is None
    # Dropping out needs no rule: the reason is kept as written.
    end_enrolment(
        enrolment=enrolment,
        exit_status="dropped_out",
        end_date=day,
        reason="Se mudó",
        by=cast.coordinator,
    )
    enrolment.refresh_from_db()
    cast.man_a.refresh_from_db()
    assert (enrolment.end_date, enrolment.exit_status, enrolment.exit_reason) == (
        day,
        "dropped_out",
        "Se mudó",
    )
    assert cast.man_a.status == "dropped_out"
