import datetime
import itertools

import pytest
from django.urls import reverse

from gendes.audit.models import AuditEvent
from participants.models import (
    FollowUp,
    Participant,
    PartnerContact,
    PartnerContactEntry,
)
from tests import factories
from tests.helpers import count_queries, queries_with_1_and_3

pytestmark = pytest.mark.django_db

serial = itertools.count()


def a_participant():
    man = factories.ParticipantFactory()
    factories.EnrolmentFactory(participant=man)
    return man


def a_follow_up():
    return FollowUp.objects.create(
        participant=factories.ParticipantFactory(),
        contacted_on=datetime.date(2026, 3, 4),
        channel="phone",
        outcome="returning",
        created_by=factories.UserFactory(),
    )


def a_partner_contact():
    return PartnerContact.objects.create(participant=factories.ParticipantFactory())


def an_entry(contact=None):
    return PartnerContactEntry.objects.create(
        partner_contact=contact or a_partner_contact(),
        contacted_on=datetime.date(2026, 3, 4),
        notes="Llamada de seguimiento.",
        created_by=factories.UserFactory(),
    )


ROWS = {
    "participants_participant": a_participant,
    "participants_referral": factories.ReferralFactory,
    "participants_enrolment": factories.EnrolmentFactory,
    "participants_followup": a_follow_up,
    "participants_partnercontact": a_partner_contact,
    "participants_partnercontactentry": an_entry,
}


@pytest.mark.parametrize("name", ROWS)
def test_changelist_queries_do_not_grow_with_rows(root, name):
    one, three = queries_with_1_and_3(root, reverse(f"admin:{name}_changelist"), ROWS[name])
    assert one == three
    assert three <= 11  # the audit event of what is shown included


def close(enrolment):
    enrolment.end_date = datetime.date(2026, 2, 1)
    enrolment.exit_status = "transferred"
    enrolment.save()


def test_participant_change_page_queries_do_not_grow_with_referrals_and_enrolments(root):
    man = factories.ParticipantFactory()
    factories.ReferralFactory(participant=man)
    close(factories.EnrolmentFactory(participant=man))
    url = reverse("admin:participants_participant_change", args=[man.pk])
    root.get(url)
    one = count_queries(root, url)
    for _ in range(2):
        factories.ReferralFactory(participant=man)
    close(factories.EnrolmentFactory(participant=man))
    factories.EnrolmentFactory(participant=man)  # the open one
    three = count_queries(root, url)
    assert one == three
    assert three <= 11  # the audit event of what is shown included


def test_partner_contact_change_page_queries_do_not_grow_with_entries(root):
    contact = a_partner_contact()
    an_entry(contact)
    url = reverse("admin:participants_partnercontact_change", args=[contact.pk])
    root.get(url)
    one = count_queries(root, url)
    an_entry(contact)
    an_entry(contact)
    three = count_queries(root, url)
    assert one == three
    assert three <= 11  # the audit event of what is shown included


def test_participant_list_shows_codes_and_current_group_not_names(cast, login_as):
    response = login_as(cast.admin).get(reverse("admin:participants_participant_changelist"))
    assert response.status_code == 200
    assert "SA-0001" in response.text
    assert cast.group_a.name in response.text
    assert cast.man_a.last_name not in response.text


# Audit of the admin's changes


def participant_form_data(man, **changes):
    data = {
        "code": man.code,
        "site": man.site_id,
        "status": man.status,
        "first_name": man.first_name,
        "last_name": man.last_name,
        "birth_date": "",
        "phone": "",
        "email": "",
        "preferred_contact_times": "",
        "intake_date": man.intake_date or "",
        "intake_notes": "",
        "consent_date": man.consent_date or "",
        "consent_version": man.consent_version,
    }
    for prefix in ["referrals", "enrolments"]:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return {**data, **changes}


def test_admin_change_of_a_participant_is_audited_without_values(cast, login_as):
    man = factories.ParticipantFactory(site=cast.site_a, code="SA-0099", phone="")
    url = reverse("admin:participants_participant_change", args=[man.pk])
    response = login_as(cast.admin).post(url, participant_form_data(man, phone="5555-1234"))
    assert response.status_code == 302
    man.refresh_from_db()
    assert man.phone == "5555-1234"
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.object_type, event.object_id) == (
        cast.admin,
        "change",
        "participants.participant",
        str(man.pk),
    )
    assert event.participant_id == man.pk
    assert event.detail == "phone"


def test_admin_creation_of_a_participant_is_audited(cast, login_as):
    new = Participant(code="SA-0100", site=cast.site_a, status="referred", first_name="Luis")
    url = reverse("admin:participants_participant_add")
    response = login_as(cast.admin).post(url, participant_form_data(new))
    assert response.status_code == 302
    man = Participant.objects.get(code="SA-0100")
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.participant_id) == (cast.admin, "create", man.pk)


def test_new_follow_up_is_by_the_admin_who_writes_it(cast, login_as):
    url = reverse("admin:participants_followup_add")
    data = {
        "participant": cast.man_a.pk,
        "contacted_on": "2026-03-04",
        "channel": "phone",
        "outcome": "returning",
        "next_step": "",
        "notes": "",
    }
    response = login_as(cast.admin).post(url, data)
    assert response.status_code == 302
    assert FollowUp.objects.get().created_by == cast.admin


def test_new_partner_contact_entry_in_the_inline_is_by_the_admin(cast, login_as):
    contact = PartnerContact.objects.create(participant=cast.man_a)
    url = reverse("admin:participants_partnercontact_change", args=[contact.pk])
    data = {
        "participant": cast.man_a.pk,
        "safe_channel": "",
        "safe_times": "",
        "entries-TOTAL_FORMS": "1",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        "entries-0-contacted_on": "2026-03-05",
        "entries-0-notes": "Ella prefiere mensajes por la mañana.",
    }
    response = login_as(cast.admin).post(url, data)
    assert response.status_code == 302
    entry = contact.entries.get()
    assert (entry.created_by, entry.contacted_on) == (cast.admin, datetime.date(2026, 3, 5))


def test_deleting_a_participant_with_records_is_refused(cast, login_as):
    url = reverse("admin:participants_participant_delete", args=[cast.man_a.pk])
    response = login_as(cast.admin).post(url, {"post": "yes"})
    assert response.status_code == 200  # the page that lists the protected records
    assert Participant.objects.filter(pk=cast.man_a.pk).exists()
