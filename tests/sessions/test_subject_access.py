"""A man's subject-access export, the privacy notice, and a walk-in's consent."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from gendes.audit.models import AuditEvent
from participants.models import FollowUp, Participant, PartnerContact
from sessions.models import SafetyAlert
from tests import factories

pytestmark = pytest.mark.django_db

SAFE_TIMES = "Martes 10-12, sólo al celular de su hermana"


@pytest.fixture
def his_file(cast):
    factories.ReferralFactory(participant=cast.man_a, notes="Juzgado 3 de lo familiar")
    factories.AttendanceFactory(
        session=cast.session_a, participant=cast.man_a, reflection="Hablé de mis celos"
    )
    SafetyAlert.objects.create(
        session=cast.session_a, participant=cast.man_a, flagged=True, raised_by=cast.facilitator
    )
    FollowUp.objects.create(
        participant=cast.man_a,
        contacted_on="2026-03-04",
        channel="phone",
        outcome="no_answer",
        notes="Volver a llamar el jueves",
        created_by=cast.coordinator,
    )
    PartnerContact.objects.create(
        participant=cast.man_a, safe_channel="Teléfono de su hermana", safe_times=SAFE_TIMES
    )
    return cast.man_a


def test_a_coordinator_exports_everything_held_about_a_man_but_his_partner_s_contact(
    cast, login_as, his_file
):
    response = login_as(cast.coordinator).get(reverse("exports:subject_access", args=[his_file.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="subject-access_SA-0001.json"'
    held = json.loads(response.content)
    assert held["participant"]["fields"]["first_name"] == "Juan"
    assert [r["fields"]["notes"] for r in held["referrals"]] == ["Juzgado 3 de lo familiar"]
    assert [a["fields"]["reflection"] for a in held["attendance_and_check_ins"]] == [
        "Hablé de mis celos"
    ]
    assert [a["fields"]["flagged"] for a in held["safety_alerts"]] == [True]
    assert [f["fields"]["notes"] for f in held["follow_ups"]] == ["Volver a llamar el jueves"]
    assert len(held["enrolments"]) == 1
    # Her data, never his: not a word of her contact.
    text = response.content.decode()
    assert SAFE_TIMES not in text and "hermana" not in text and "partnercontact" not in text
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.user, event.participant_id, event.detail) == (
        cast.coordinator,
        his_file.pk,
        "subject access json",
    )


def test_the_export_is_linked_from_his_page_for_coordinators_only(cast, login_as):
    url = reverse("exports:subject_access", args=[cast.man_a.pk])
    page = reverse("participants:detail", args=[cast.man_a.pk])
    assert url in login_as(cast.coordinator).get(page).content.decode()
    assert url not in login_as(cast.facilitator).get(page).content.decode()


@pytest.mark.parametrize("who", ["facilitator", "outsider", "partner"])
def test_nobody_else_gets_the_export(cast, login_as, who):
    response = login_as(getattr(cast, who)).get(
        reverse("exports:subject_access", args=[cast.man_a.pk])
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_another_sites_man_is_not_found(cast, login_as):
    url = reverse("exports:subject_access", args=[cast.man_b.pk])
    assert login_as(cast.coordinator).get(url).status_code == 404


def test_the_privacy_notice_is_public_and_linked_from_the_login_page(cast):
    client = Client()
    login = client.get(reverse("login")).content.decode()
    assert reverse("privacy") in login
    notice = client.get(reverse("privacy"))
    assert notice.status_code == 200
    assert "Aviso de privacidad" in notice.content.decode()
    assert "LFPDPPP" in notice.content.decode()


def test_the_privacy_notice_in_english(cast, english):
    notice = Client().get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Privacy notice" in notice.content.decode()


def test_a_walk_in_joins_only_with_his_consent_confirmed(cast, login_as):
    cast.group_a.allows_walk_ins = True
    cast.group_a.save()
    client = login_as(cast.facilitator)
    url = reverse("sessions:walk_in_add", args=[cast.session_a.pk])
    before = Participant.objects.count()

    client.post(url, {"first_name": "Mario"})
    assert Participant.objects.count() == before  # no consent confirmed: nothing stored

    client.post(url, {"first_name": "Mario", "consented": "on"})
    mario = Participant.objects.get(first_name="Mario")
    assert (mario.intake_date, mario.consent_date, mario.consent_version) == (
        cast.session_a.date,
        cast.session_a.date,
        "2026-1",
    )
