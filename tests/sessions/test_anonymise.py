"""Anonymising a man erases what identifies him and keeps every figure; retention does it
for men whose last enrolment closed long ago."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from gendes.audit.models import AuditEvent
from participants.models import Enrolment, FollowUp, Participant, PartnerContact
from sessions.models import Attendance, StandingCounts
from sessions.services.anonymise import anonymise, apply_retention
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def man(cast):
    man = cast.man_a
    Participant.objects.filter(pk=man.pk).update(
        last_name="Pérez",
        birth_date=datetime.date(1980, 5, 1),
        phone="5551234567",
        email="juan@example.org",
        intake_notes="Vive con su madre",
    )
    factories.ReferralFactory(participant=man, notes="Juzgado 3", reference_number="EXP-77")
    factories.AttendanceFactory(session=cast.session_a, participant=man, reflection="Mis celos")
    FollowUp.objects.create(
        participant=man,
        contacted_on="2026-03-04",
        channel="phone",
        outcome="no_answer",
        notes="Su hermana contestó",
        created_by=cast.coordinator,
    )
    PartnerContact.objects.create(
        participant=man, safe_channel="Tel. 5559876543", safe_times="9-11"
    )
    return man


def counts(man):
    figures = StandingCounts.objects.get(participant=man)
    attendance = Attendance.objects.filter(participant=man)
    return (figures.attended_count, figures.unexcused_count), attendance.count()


def test_anonymising_erases_what_identifies_him_and_keeps_his_counts(cast, man):
    before = counts(man)

    assert anonymise(man, by=cast.admin) is True

    man.refresh_from_db()
    assert (man.first_name, man.last_name, man.birth_date, man.phone, man.email) == (
        "—",
        "",
        None,
        "",
        "",
    )
    assert man.intake_notes == "" and man.anonymised_at is not None
    assert man.code == "SA-0001"
    assert list(man.referrals.values_list("notes", "reference_number")) == [("", "")]
    assert list(Attendance.objects.filter(participant=man).values_list("reflection")) == [("",)]
    assert list(man.follow_ups.values_list("notes", flat=True)) == [""]
    assert list(PartnerContact.objects.values_list("safe_channel", "safe_times")) == [("—", "")]
    assert counts(man) == before
    event = AuditEvent.objects.get(action=AuditEvent.Action.ANONYMISE)
    assert (event.user, event.participant_id, event.detail) == (cast.admin, man.pk, "admin")


def test_anonymising_twice_changes_nothing(cast, man):
    anonymise(man)
    first = Participant.objects.get(pk=man.pk).anonymised_at
    assert anonymise(man) is False
    assert Participant.objects.get(pk=man.pk).anonymised_at == first
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ANONYMISE).count() == 1


def test_an_admin_anonymises_from_the_men_s_list(cast, man, login_as):
    answer = login_as(cast.admin).post(
        reverse("admin:participants_participant_changelist"),
        {"action": "anonymise_men", "_selected_action": [man.pk]},
    )
    assert answer.status_code == 302
    assert Participant.objects.get(pk=man.pk).first_name == "—"
    page = login_as(cast.coordinator).get(reverse("participants:detail", args=[man.pk]))
    assert "Anonimizado el" in page.content.decode()


def test_retention_anonymises_only_men_whose_last_enrolment_closed_long_ago(cast, settings):
    settings.RETENTION_YEARS = 5
    today = datetime.date(2031, 6, 1)
    old = factories.ParticipantFactory(site=cast.site_a, code="SA-0010", first_name="Viejo")
    factories.EnrolmentFactory(
        participant=old,
        group=cast.group_a,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 5, 1),
        exit_status="completed",
    )
    recent = factories.ParticipantFactory(site=cast.site_a, code="SA-0011", first_name="Reciente")
    factories.EnrolmentFactory(
        participant=recent,
        group=cast.group_a,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 7, 1),
        exit_status="completed",
    )
    never = factories.ParticipantFactory(site=cast.site_a, code="SA-0012", first_name="Nunca")
    # man_a's enrolment is open: untouched.

    assert apply_retention(today=today) == 1
    assert apply_retention(today=today) == 0  # safe to run daily
    names = dict(Participant.objects.values_list("code", "first_name"))
    assert names["SA-0010"] == "—"
    assert (names["SA-0011"], names["SA-0012"], names["SA-0001"]) == ("Reciente", "Nunca", "Juan")
    assert never.enrolments.count() == 0 and Enrolment.objects.filter(participant=old).exists()


def test_the_retention_command_says_how_many(cast):
    from io import StringIO

    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert out.getvalue() == "0 men anonymised (last enrolment closed over 5 years ago).\n"
