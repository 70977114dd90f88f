"""The kept standing counts of the at-risk list follow every write that decides a man's
standing: after each one, `refresh_stale` leaves them equal to what `with_standing` counts in
SQL over his open enrolment, and a man nothing happened to is not recomputed."""

import dataclasses
import datetime

import pytest
from django.db import connection

from participants import services as participant_services
from participants.models import Participant
from programmes.models import Programme
from sessions import standing
from sessions.models import Attendance, KeptStanding
from sessions.services.recording import Row, record_session
from sessions.services.schedule import cancel_session, restore_session, set_walk_ins
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)
COUNTED = [f.name for f in dataclasses.fields(standing.Counts) if f.name != "last_follow_up_on"]


def kept(man):
    """His kept counts, refreshed, as the fields of `standing.Counts`."""
    standing.refresh_stale(Participant.objects.filter(pk=man.pk))
    row = KeptStanding.objects.get(participant=man)
    return {name: getattr(row, name) for name in [*COUNTED, "last_follow_up_on"]}


def live(man):
    """The same counts from SQL now, over his open enrolment (the at-risk rules' choice)."""
    sql = standing.with_standing(Participant.objects.filter(pk=man.pk)).get()
    open_enrolment = man.enrolments.filter(end_date__isnull=True).first()
    if open_enrolment is None:
        return {
            **dataclasses.asdict(
                standing.Counts(None, None, first_referred_on=sql.first_referred_on)
            ),
            "last_follow_up_on": sql.last_follow_up_on,
        }
    return {name: getattr(sql, name) for name in [*COUNTED, "last_follow_up_on"]}


def record(session, by, statuses):
    """Save `session` through the recording service: {man: status}."""
    session.refresh_from_db()
    record_session(
        session=session,
        by=by,
        expected_version=session.version,
        rows=[
            Row(participant_id=man.pk, status=status, violence="no" if status == "present" else "")
            for man, status in statuses.items()
        ],
        codes={man.pk: man.code for man in statuses},
        facilitator_ids=[],
        topic_ids=[],
        notes="",
    )


def weekly_sessions(group, count, start=datetime.date(2026, 9, 1)):
    return [
        factories.GroupSessionFactory(group=group, date=start + datetime.timedelta(weeks=n))
        for n in range(count)
    ]


@pytest.fixture
def setting(db):
    group = factories.GroupFactory()
    coordinator = factories.coordinator_of(group.site)
    man = factories.ParticipantFactory(site=group.site, status="active")
    factories.EnrolmentFactory(participant=man, group=group, start_date=datetime.date(2026, 9, 1))
    return group, coordinator, man


def test_recording_sessions_keeps_his_counts(setting):
    group, coordinator, man = setting
    first, second, third = weekly_sessions(group, 3)
    assert kept(man) == live(man)
    record(first, coordinator, {man: "present"})
    assert kept(man) == live(man) and kept(man)["attended_count"] == 1
    record(second, coordinator, {man: "unexcused"})
    record(third, coordinator, {man: "excused"})
    counts = kept(man)
    assert counts == live(man)
    assert (counts["consecutive_absences"], counts["recorded_count"]) == (2, 3)
    # A correction of an earlier session counts too.
    record(second, coordinator, {man: "present"})
    assert kept(man) == live(man) and kept(man)["consecutive_absences"] == 1


def test_enrolment_changes_referrals_and_follow_ups_are_followed(setting):
    group, coordinator, man = setting
    (session,) = weekly_sessions(group, 1)
    record(session, coordinator, {man: "unexcused"})
    assert kept(man)["recorded_count"] == 1
    # Transferred to a group of another programme: his counts start again there.
    other = factories.GroupFactory(
        site=group.site, programme=Programme.objects.create(name="Otro", required_sessions=10)
    )
    enrolment = man.enrolments.get()
    participant_services.transfer(
        enrolment=enrolment, to_group=other, date=TODAY, reason="", by=coordinator
    )
    assert kept(man) == live(man)
    assert (kept(man)["recorded_count"], kept(man)["standing_programme_id"]) == (
        0,
        other.programme_id,
    )
    factories.ReferralFactory(participant=man, referred_on=datetime.date(2026, 8, 20))
    assert kept(man)["first_referred_on"] == datetime.date(2026, 8, 20)
    participant_services.log_follow_up(
        participant=man,
        contacted_on=TODAY,
        channel="phone",
        outcome="returning",
        next_step="",
        notes="",
        by=coordinator,
    )
    assert kept(man) == live(man) and kept(man)["last_follow_up_on"] == TODAY
    participant_services.close_enrolment(
        enrolment=man.enrolments.get(end_date__isnull=True),
        exit_status="dropped_out",
        end_date=TODAY,
        reason="",
        by=coordinator,
    )
    assert kept(man) == live(man) and kept(man)["standing_enrolment_id"] is None


def test_single_saves_and_deletions_as_the_admin_makes_them_are_followed(setting):
    group, coordinator, man = setting
    early, late = weekly_sessions(group, 2)
    absent = factories.AttendanceFactory(
        session=late, participant=man, status="unexcused", violence=""
    )
    present = factories.AttendanceFactory(
        session=early, participant=man, status="present", violence="no"
    )
    assert kept(man)["consecutive_absences"] == 1
    # The later session moves to a week before the other: his absence now came before.
    late.date = early.date - datetime.timedelta(weeks=1)
    late.save()
    assert kept(man) == live(man) and kept(man)["consecutive_absences"] == 0
    present.delete()
    assert kept(man) == live(man) and kept(man)["attended_count"] == 0
    absent.status = "present"
    absent.violence = "no"
    absent.save()
    assert kept(man) == live(man) and kept(man)["attended_count"] == 1
    # His group moved to another programme: his sessions no longer count for his enrolment's.
    group.programme = Programme.objects.create(name="Nuevo", required_sessions=12)
    group.save()
    assert kept(man) == live(man) and kept(man)["attended_count"] == 1


def test_saving_a_man_loaded_before_a_change_does_not_hide_it(setting):
    group, coordinator, man = setting
    (session,) = weekly_sessions(group, 1)
    assert kept(man)["recorded_count"] == 0
    loaded = Participant.objects.get(pk=man.pk)  # an edit form has him loaded
    record(session, coordinator, {man: "unexcused"})
    loaded.phone = "5512345678"
    loaded.save()
    assert kept(man)["recorded_count"] == 1


def test_only_men_whose_data_changed_are_recomputed(setting, django_assert_num_queries):
    group, coordinator, man = setting
    other = factories.ParticipantFactory(site=group.site, status="active")
    factories.EnrolmentFactory(participant=other, group=group)
    men = Participant.objects.filter(pk__in=[man.pk, other.pk])
    assert standing.refresh_stale(men) == 2
    with django_assert_num_queries(1):
        assert standing.refresh_stale(men) == 0
    (session,) = weekly_sessions(group, 1)
    record(session, coordinator, {man: "present"})
    assert standing.refresh_stale(men) == 1
    assert KeptStanding.objects.get(participant=man).attended_count == 1
    assert KeptStanding.objects.get(participant=other).attended_count == 0


def test_a_record_saved_unchanged_moves_nobody(setting):
    group, coordinator, man = setting
    (session,) = weekly_sessions(group, 1)
    record(session, coordinator, {man: "present"})
    standing.refresh_stale(Participant.objects.all())
    version = Participant.objects.get(pk=man.pk).standing_version
    record(session, coordinator, {man: "present"})
    assert Participant.objects.get(pk=man.pk).standing_version == version
    assert Attendance.objects.get(participant=man).status == "present"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only")
def test_two_requests_refreshing_the_same_men_take_turns(monkeypatch):
    """A request recomputing a man's figures holds his kept row: another one waits for it
    instead of writing his yearly rows at the same time (which would break their unique
    constraint)."""
    import threading

    from django.db import connections

    from sessions.models import YearlyParticipation

    group = factories.GroupFactory()
    man = factories.ParticipantFactory(site=group.site)
    factories.AttendanceFactory(
        session=factories.GroupSessionFactory(group=group), participant=man, status="present"
    )
    first_inside, second_done = threading.Event(), threading.Event()
    original = YearlyParticipation.objects.bulk_create

    def slow_first(rows, *args, **kwargs):
        # The first request stops between deleting the man's yearly rows and writing them.
        if threading.current_thread().name == "first":
            first_inside.set()
            second_done.wait(timeout=1.5)
        return original(rows, *args, **kwargs)

    monkeypatch.setattr(YearlyParticipation.objects, "bulk_create", slow_first)
    errors = []

    def request(name):
        try:
            if name == "second":
                first_inside.wait(timeout=5)
            standing.refresh_stale()
        except Exception as error:  # noqa: BLE001 (collected for the assertion)
            errors.append(error)
        finally:
            if name == "second":
                second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=request, args=[n], name=n) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == []
    assert list(YearlyParticipation.objects.values_list("participant", "attended")) == [(man.pk, 1)]


def test_saves_that_change_no_kept_figure_move_nobody(setting):

    group, coordinator, man = setting
    session, later, unrecorded = weekly_sessions(group, 3)
    record(session, coordinator, {man: "present"})
    record(later, coordinator, {man: "unexcused"})
    # A row on a session still scheduled (as the admin can write it): his counts read it.
    factories.AttendanceFactory(session=unrecorded, participant=man, status="excused", violence="")
    standing.refresh_stale()

    def version():
        return Participant.objects.get(pk=man.pk).standing_version

    before = version()
    # Cancelling or restoring a session changes its state, and walk-ins a group's setting:
    # none of them is read by his counts or the tallies.
    cancel_session(session=unrecorded, reason="Feriado")
    restore_session(session=unrecorded)
    set_walk_ins(group=group, allowed=True, by=coordinator)
    assert version() == before
    # A session moved (a save naming its date) is followed.
    later.date = session.date - datetime.timedelta(weeks=1)
    later.save(update_fields=["date"])
    assert version() > before
    assert kept(man) == live(man)
