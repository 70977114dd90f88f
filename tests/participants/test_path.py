"""A man's path: referral, intake, enrolment, follow-up, closing and transfer."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gendes.audit.models import AuditEvent
from participants.models import Enrolment, FollowUp, Participant, Referral
from tests import factories
from tests.helpers import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = timezone.localdate()


def referral_data(cast, **overrides):
    data = {
        "site": str(cast.site_a.pk),
        "first_name": "Ramón",
        "last_name": "Gutiérrez Soto",
        "birth_date": "1985-04-12",
        "phone": "55 5555 0101",
        "preferred_contact_times": "Tardes",
        "source_type": "court",
        "institution": "Juzgado 3o Familiar",
        "reference_number": "EXP-2026-118",
        "referred_on": TODAY.isoformat(),
        "reports_requested": "on",
    }
    data.update(overrides)
    return data


def test_coordinator_registers_a_referral_with_the_next_code_of_the_site(cast, login_as):
    response = login_as(cast.coordinator).post(
        reverse("participants:referral_new"), referral_data(cast)
    )
    man = Participant.objects.get(first_name="Ramón")
    assert response.status_code == 302 and response["Location"] == man.get_absolute_url()
    assert (man.code, man.site, man.status, man.phone) == (
        "SA-0002",
        cast.site_a,
        "referred",
        "55 5555 0101",
    )
    referral = Referral.objects.get(participant=man)
    assert (referral.source_type, referral.institution, referral.reports_requested) == (
        "court",
        "Juzgado 3o Familiar",
        True,
    )
    assert AuditEvent.objects.filter(action="create", participant_id=man.pk).count() == 1


def test_a_likely_duplicate_is_shown_and_needs_confirmation(cast, login_as):
    client = login_as(cast.coordinator)
    client.post(reverse("participants:referral_new"), referral_data(cast))
    again = client.post(reverse("participants:referral_new"), referral_data(cast))
    assert again.status_code == 200
    assert [m.code for m in again.context["duplicates"]] == ["SA-0002"]
    assert Participant.objects.filter(first_name="Ramón").count() == 1
    client.post(
        reverse("participants:referral_new"),
        referral_data(cast, confirm_not_duplicate="on"),
    )
    assert Participant.objects.filter(first_name="Ramón").count() == 2


@pytest.mark.parametrize(
    "field,value",
    [
        ("birth_date", (TODAY + datetime.timedelta(days=1)).isoformat()),
        ("birth_date", "1985-02-30"),
        ("referred_on", "2026-13-01"),
        ("code", "SA-0001"),
        ("code", "SB-0999"),
        ("code", "not a code"),
        ("site", "999999"),
        ("source_type", "rumour"),
        ("first_name", "x" * 10_000),
    ],
)
def test_bad_referral_input_changes_nothing(cast, login_as, field, value):
    before = Participant.objects.count()
    response = login_as(cast.coordinator).post(
        reverse("participants:referral_new"), referral_data(cast, **{field: value})
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Participant.objects.count() == before


def test_a_coordinator_cannot_register_at_another_site(cast, login_as):
    response = login_as(cast.coordinator).post(
        reverse("participants:referral_new"), referral_data(cast, site=str(cast.site_b.pk))
    )
    assert "site" in response.context["form"].errors
    assert not Participant.objects.filter(first_name="Ramón").exists()


def test_facilitators_and_partner_workers_cannot_register_referrals(cast, login_as):
    for user in (cast.facilitator, cast.partner):
        assert login_as(user).get(reverse("participants:referral_new")).status_code == 404


def new_man(cast, **fields):
    """A man just referred: no intake, no consent yet."""
    fields = {"intake_date": None, "consent_date": None, "consent_version": "", **fields}
    return factories.ParticipantFactory(
        site=cast.site_a, code="SA-0100", status="referred", **fields
    )


def consented_man(cast):
    """A man whose intake and consent are recorded: he may be enrolled."""
    return new_man(
        cast,
        intake_date=datetime.date(2026, 3, 1),
        consent_date=datetime.date(2026, 3, 1),
        consent_version="2026-1",
    )


def test_intake_records_consent_date_and_version(cast, login_as):
    man = new_man(cast)
    login_as(cast.coordinator).post(
        reverse("participants:intake", args=[man.pk]),
        {
            "intake_date": "2026-03-01",
            "consent_given": "on",
            "consent_date": "2026-03-01",
            "consent_version": "v2",
            "notes": "Viene por orden judicial.",
        },
    )
    man.refresh_from_db()
    assert (man.intake_date, man.consent_date, man.consent_version, man.intake_notes) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 1),
        "v2",
        "Viene por orden judicial.",
    )


def test_intake_with_consent_but_no_version_changes_nothing(cast, login_as):
    man = new_man(cast)
    login_as(cast.coordinator).post(
        reverse("participants:intake", args=[man.pk]),
        {"intake_date": "2026-03-01", "consent_given": "on", "consent_date": "2026-03-01"},
    )
    man.refresh_from_db()
    assert (man.intake_date, man.consent_date) == (None, None)


def enrol(client, man, group, start="2026-03-02"):
    return client.post(
        reverse("participants:enrol", args=[man.pk]), {"group": str(group.pk), "start_date": start}
    )


def test_enrolled_man_appears_on_the_facilitators_roster(cast, login_as):
    man = consented_man(cast)
    enrol(login_as(cast.coordinator), man, cast.group_a, start=TODAY.isoformat())
    man.refresh_from_db()
    assert man.status == "active"
    page = login_as(cast.facilitator).get(reverse("sessions:group_detail", args=[cast.group_a.pk]))
    assert man.code in [e.participant.code for e, _ in page.context["roster_rows"]]


def test_enrolling_in_another_sites_group_changes_nothing(cast, login_as):
    man = consented_man(cast)
    enrol(login_as(cast.coordinator), man, cast.group_b)
    assert not Enrolment.objects.filter(participant=man).exists()


def test_a_man_with_an_open_enrolment_cannot_be_enrolled_again(cast, login_as):
    other = factories.GroupFactory(site=cast.site_a, name="Jueves A")
    response = enrol(login_as(cast.coordinator), cast.man_a, other)
    assert Enrolment.objects.filter(participant=cast.man_a).count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "He is already enrolled in a group: close or transfer that enrolment first."
    ] or messages == ["Ya está inscrito en un grupo: cierra o transfiere esa inscripción primero."]


def test_a_full_group_says_so(cast, login_as):
    cast.group_a.capacity = 1
    cast.group_a.save()
    man = new_man(cast)
    enrol(login_as(cast.coordinator), man, cast.group_a)
    assert not Enrolment.objects.filter(participant=man).exists()


def test_a_closed_group_takes_men_only_until_it_starts(cast, login_as):
    cast.group_a.is_open = False
    cast.group_a.save()
    man = consented_man(cast)
    client = login_as(cast.coordinator)
    enrol(client, man, cast.group_a, start="2026-03-02")
    assert not Enrolment.objects.filter(participant=man).exists()
    enrol(client, man, cast.group_a, start=cast.group_a.start_date.isoformat())
    assert Enrolment.objects.filter(participant=man).count() == 1


def close(client, man, enrolment, **data):
    return client.post(
        reverse("participants:enrolment_close", args=[man.pk, enrolment.pk]),
        {"end_date": TODAY.isoformat(), **data},
    )


def test_completing_without_meeting_the_rules_needs_a_reason(cast, login_as):
    enrolment = cast.man_a.enrolments.get()
    client = login_as(cast.coordinator)
    close(client, cast.man_a, enrolment, exit_status="completed")
    enrolment.refresh_from_db()
    assert enrolment.end_date is None
    close(client, cast.man_a, enrolment, exit_status="completed", reason="Orden del juez")
    enrolment.refresh_from_db()
    cast.man_a.refresh_from_db()
    assert (enrolment.exit_status, enrolment.exit_reason, cast.man_a.status) == (
        "completed",
        "Completed by exception: Orden del juez",
        "completed",
    )


def test_completing_a_man_who_met_the_rules(cast, login_as):
    programme = cast.group_a.programme
    programme.required_sessions = 2
    programme.save()
    for n in range(2):
        session = factories.GroupSessionFactory(
            group=cast.group_a, date=datetime.date(2026, 4, 7) + datetime.timedelta(weeks=n)
        )
        factories.AttendanceFactory(session=session, participant=cast.man_a)
    enrolment = cast.man_a.enrolments.get()
    close(login_as(cast.coordinator), cast.man_a, enrolment, exit_status="completed")
    enrolment.refresh_from_db()
    assert (enrolment.exit_status, enrolment.exit_reason) == ("completed", "")


def test_terminating_needs_a_reason(cast, login_as):
    enrolment = cast.man_a.enrolments.get()
    client = login_as(cast.coordinator)
    close(client, cast.man_a, enrolment, exit_status="terminated")
    enrolment.refresh_from_db()
    assert enrolment.end_date is None
    close(client, cast.man_a, enrolment, exit_status="terminated", reason="Nueva agresión")
    enrolment.refresh_from_db()
    assert (enrolment.exit_status, enrolment.exit_reason) == ("terminated", "Nueva agresión")


def test_transfer_closes_one_enrolment_and_opens_another_in_one_step(cast, login_as):
    other = factories.GroupFactory(
        site=cast.site_a, name="Jueves A", programme=cast.group_a.programme
    )
    enrolment = cast.man_a.enrolments.get()
    login_as(cast.coordinator).post(
        reverse("participants:enrolment_transfer", args=[cast.man_a.pk, enrolment.pk]),
        {"to_group": str(other.pk), "date": "2026-05-05", "reason": "Cambio de horario"},
    )
    rows = list(
        cast.man_a.enrolments.order_by("start_date").values_list(
            "group__name", "end_date", "exit_status"
        )
    )
    assert rows == [
        ("Martes A", datetime.date(2026, 5, 5), "transferred"),
        ("Jueves A", None, ""),
    ]
    cast.man_a.refresh_from_db()
    assert cast.man_a.status == "active"


def test_a_transfer_to_a_full_group_changes_nothing(cast, login_as):
    other = factories.GroupFactory(site=cast.site_a, name="Jueves A", capacity=1)
    factories.EnrolmentFactory(group=other, participant__site=cast.site_a)
    enrolment = cast.man_a.enrolments.get()
    login_as(cast.coordinator).post(
        reverse("participants:enrolment_transfer", args=[cast.man_a.pk, enrolment.pk]),
        {"to_group": str(other.pk), "date": "2026-05-05"},
    )
    enrolment.refresh_from_db()
    assert (enrolment.end_date, cast.man_a.enrolments.count()) == (None, 1)


def test_facilitator_and_outsider_get_404_on_every_coordinator_action(cast, login_as):
    enrolment = cast.man_a.enrolments.get()
    urls = [
        reverse("participants:intake", args=[cast.man_a.pk]),
        reverse("participants:enrol", args=[cast.man_a.pk]),
        reverse("participants:enrolment_close", args=[cast.man_a.pk, enrolment.pk]),
        reverse("participants:enrolment_transfer", args=[cast.man_a.pk, enrolment.pk]),
        reverse("participants:follow_up_new", args=[cast.man_a.pk]),
    ]
    for user in (cast.facilitator, cast.outsider, cast.partner):
        client = login_as(user)
        for url in urls:
            assert (
                client.post(
                    url, {"exit_status": "dropped_out", "end_date": "2026-05-05"}
                ).status_code
                == 404
            )
        assert client.get(reverse("participants:at_risk")).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.end_date is None


def test_follow_up_from_the_at_risk_list(cast, login_as):
    for n, status in enumerate(["present", "unexcused", "unexcused"]):
        session = factories.GroupSessionFactory(
            group=cast.group_a, date=datetime.date(2026, 4, 7) + datetime.timedelta(weeks=n)
        )
        factories.AttendanceFactory(
            session=session,
            participant=cast.man_a,
            status=status,
            violence="no" if status == "present" else "",
        )
    client = login_as(cast.coordinator)
    listing = client.get(reverse("participants:at_risk"))
    man = listing.context["page"].object_list[0]
    assert (man.code, man.risks, man.last_follow_up_on) == (
        "SA-0001",
        ["2 consecutive absences", "a newcomer who missed 2 of his first 4 sessions"],
        None,
    )
    response = client.post(
        reverse("participants:follow_up_new", args=[cast.man_a.pk]),
        {
            "contacted_on": TODAY.isoformat(),
            "channel": "whatsapp",
            "outcome": "returning",
            "next_step": "Lo esperamos el martes",
            "next": "at_risk",
        },
    )
    assert response["Location"] == reverse("participants:at_risk")
    follow_up = FollowUp.objects.get()
    assert (follow_up.created_by, follow_up.channel, follow_up.outcome) == (
        cast.coordinator,
        "whatsapp",
        "returning",
    )
    man = client.get(reverse("participants:at_risk")).context["page"].object_list[0]
    assert (man.last_follow_up_on, man.last_follow_up_by) == (
        TODAY,
        cast.coordinator.get_full_name(),
    )


def test_a_follow_up_in_the_future_is_refused(cast, login_as):
    response = login_as(cast.coordinator).post(
        reverse("participants:follow_up_new", args=[cast.man_a.pk]),
        {
            "contacted_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
            "channel": "phone",
            "outcome": "no_answer",
        },
    )
    assert response.status_code == 400
    assert FollowUp.objects.count() == 0


def test_at_risk_list_makes_the_same_queries_for_1_and_3_men(db, login_as):
    counts = []
    for count in (1, 3):
        site = factories.SiteFactory()
        coordinator = factories.coordinator_of(site)
        for n in range(count):
            man = factories.ParticipantFactory(site=site, status="referred")
            factories.ReferralFactory(
                participant=man, referred_on=TODAY - datetime.timedelta(days=30)
            )
            if n:  # the others were contacted: the page names who contacted them last
                FollowUp.objects.create(
                    participant=man,
                    contacted_on=TODAY - datetime.timedelta(days=n),
                    channel="phone",
                    outcome="no_answer",
                    created_by=coordinator,
                )
        client = login_as(coordinator)
        url = reverse("participants:at_risk")
        first, then = count_queries(client, url), count_queries(client, url)
        assert len(client.get(reverse("participants:at_risk")).context["page"]) == count
        counts.append((first, then))
    # The caseload's ids, the at-risk ids counted from the standing view, the page's men, and
    # their follow-ups (whether or not any was contacted), after the request's own three.
    assert counts[0] == counts[1] == (9, 9)  # the page's audit events included


def test_at_risk_list_answers_any_page_number_as_the_paginator_does(db, login_as):
    site = factories.SiteFactory()
    for _ in range(3):
        man = factories.ParticipantFactory(site=site, status="referred")
        factories.ReferralFactory(participant=man, referred_on=TODAY - datetime.timedelta(days=30))
    client = login_as(factories.coordinator_of(site))
    for number in ["1", "abc", "2.0", "0", "-3", "7", None]:
        params = {} if number is None else {"page": number}
        page = client.get(reverse("participants:at_risk"), params).context["page"]
        assert (page.number, page.paginator.count, len(page.object_list)) == (1, 3, 3), number


def test_filters_by_site_group_status_and_source_and_ignore_foreign_ids(cast, login_as):
    factories.ReferralFactory(participant=cast.man_a, source_type="partner")
    client = login_as(cast.coordinator)
    url = reverse("participants:list")

    def codes(**params):
        return [p.code for p in client.get(url, params).context["page"]]

    assert codes(source="partner") == ["SA-0001"]
    assert codes(source="court") == []
    assert codes(group=cast.group_a.pk, status="active") == ["SA-0001"]
    assert codes(group=cast.group_b.pk) == ["SA-0001"]  # not his: the filter is left out
    assert codes(site=cast.site_b.pk, status="bogus") == ["SA-0001"]


def test_coordinator_sees_only_that_a_partner_contact_exists_and_its_last_date(cast, login_as):
    from participants.models import PartnerContact, PartnerContactEntry

    contact = PartnerContact.objects.create(
        participant=cast.man_a, safe_channel="Teléfono de su madre", consent_to_contact=True
    )
    PartnerContactEntry.objects.create(
        partner_contact=contact,
        contacted_on=datetime.date(2026, 5, 4),
        notes="Refiere calma",
        created_by=cast.partner,
    )
    coordinator = login_as(cast.coordinator).get(
        reverse("participants:detail", args=[cast.man_a.pk])
    )
    assert coordinator.context["partner_summary"] == {
        "exists": True,
        "last_contact": datetime.date(2026, 5, 4),
    }
    html = coordinator.content.decode()
    assert "Teléfono de su madre" not in html and "Refiere calma" not in html
    facilitator = login_as(cast.facilitator).get(
        reverse("participants:detail", args=[cast.man_a.pk])
    )
    assert "partner_summary" not in facilitator.context


def test_a_man_cannot_be_enrolled_before_his_intake_and_consent(cast, login_as, english):
    man = new_man(cast)
    client = login_as(cast.coordinator)
    page = client.get(reverse("participants:detail", args=[man.pk]))
    refusal = "Record his intake and his informed consent before enrolling him."
    assert refusal in page.content.decode()  # no enrol form until then, and it says why
    assert "enrol_form" in page.context and b'name="group"' not in page.content

    response = enrol(client, man, cast.group_a, start=TODAY.isoformat())

    assert not Enrolment.objects.filter(participant=man).exists()
    assert [str(m) for m in response.wsgi_request._messages] == [refusal]
    man.refresh_from_db()
    assert man.status == "referred"


def test_consent_can_be_recorded_after_enrolment_from_his_page(cast, login_as):
    client = login_as(cast.coordinator)
    page = client.get(reverse("participants:detail", args=[cast.man_a.pk]))
    assert b'action="/participants/%d/intake/"' % cast.man_a.pk in page.content
    client.post(
        reverse("participants:intake", args=[cast.man_a.pk]),
        {
            "intake_date": "2026-03-01",
            "consent_given": "on",
            "consent_date": "2026-03-02",
            "consent_version": "2026-2",
        },
    )
    cast.man_a.refresh_from_db()
    assert (cast.man_a.consent_date, cast.man_a.consent_version) == (
        datetime.date(2026, 3, 2),
        "2026-2",
    )
