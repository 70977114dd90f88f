"""Partner contact: segregated records that only partner-support workers of the man's site
(and admins) reach. Coordinators get only "exists, last date"; facilitators nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gendes.audit.models import AuditEvent
from participants.models import PartnerContact, PartnerContactEntry
from participants.partner import services
from participants.partner.selectors import partner_contact_summary
from tests import factories
from tests.helpers import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CHANNEL = "WhatsApp de su hermana"
TIMES = "Martes por la mañana"
NOTES = "Refiere miedo cuando él llega tarde"


def make_contact(cast, participant=None, *, entry_on=datetime.date(2026, 3, 2)):
    contact = services.create_partner_contact(
        participant=participant or cast.man_a,
        safe_channel=CHANNEL,
        safe_times=TIMES,
        consent_to_contact=True,
        by=cast.partner,
    )
    if entry_on:
        services.add_partner_contact_entry(
            partner_contact=contact, contacted_on=entry_on, notes=NOTES, by=cast.partner
        )
    return contact


def partner_of_site_b(cast):
    return factories.StaffRoleFactory(
        user=factories.UserFactory(username="partner_b"), site=cast.site_b, role="partner_support"
    ).user


def snapshot():
    return (
        list(
            PartnerContact.objects.values_list(
                "pk", "safe_channel", "safe_times", "consent_to_contact"
            )
        ),
        list(PartnerContactEntry.objects.values_list("pk", "contacted_on", "notes")),
    )


def today_at_a(cast):
    return timezone.localdate(timezone=cast.site_a.tzinfo)


# The partner-support worker's journey


def test_partner_worker_creates_a_contact_and_an_entry_and_sees_them(cast, login_as):
    client = login_as(cast.partner)
    response = client.post(
        reverse("partner:new"),
        {
            "code": "sa-0001",
            "safe_channel": CHANNEL,
            "safe_times": TIMES,
            "consent_to_contact": "on",
        },
    )
    contact = PartnerContact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partner:detail", args=[contact.pk])
    assert (contact.participant, contact.safe_channel, contact.safe_times) == (
        cast.man_a,
        CHANNEL,
        TIMES,
    )
    assert contact.consent_to_contact is True

    day = today_at_a(cast) - datetime.timedelta(days=1)
    response = client.post(
        reverse("partner:entry_add", args=[contact.pk]),
        {"contacted_on": day.isoformat(), "notes": f"  {NOTES}  "},
    )
    assert response.status_code == 302
    entry = PartnerContactEntry.objects.get()
    assert (entry.partner_contact, entry.contacted_on, entry.notes, entry.created_by) == (
        contact,
        day,
        NOTES,
        cast.partner,
    )

    page = client.get(reverse("partner:detail", args=[contact.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert CHANNEL in html and TIMES in html and NOTES in html and "SA-0001" in html
    assert page.context["entries"] == [entry]
    # The man's name stays in his file.
    assert "Juan" not in html
    listing = client.get(reverse("partner:list"))
    assert [(c.participant.code, c.last_contact) for c in listing.context["page"]] == [
        ("SA-0001", day)
    ]
    home = client.get(reverse("home")).content.decode()
    assert reverse("partner:detail", args=[contact.pk]) in home


def test_writes_and_views_are_audited_with_the_man_s_id(cast, login_as):
    client = login_as(cast.partner)
    client.post(reverse("partner:new"), {"code": "SA-0001", "safe_channel": CHANNEL})
    contact = PartnerContact.objects.get()
    client.post(
        reverse("partner:entry_add", args=[contact.pk]),
        {"contacted_on": today_at_a(cast).isoformat(), "notes": NOTES},
    )
    client.post(
        reverse("partner:edit", args=[contact.pk]),
        {"safe_channel": CHANNEL, "safe_times": TIMES, "consent_to_contact": "on"},
    )
    client.get(reverse("partner:detail", args=[contact.pk]))
    events = list(
        AuditEvent.objects.order_by("id").values_list(
            "username", "action", "object_type", "participant_id", "detail"
        )
    )
    assert events == [
        ("partner_a", "create", "participants.partnercontact", cast.man_a.pk, ""),
        ("partner_a", "create", "participants.partnercontactentry", cast.man_a.pk, ""),
        (
            "partner_a",
            "change",
            "participants.partnercontact",
            cast.man_a.pk,
            "safe_times,consent_to_contact",
        ),
        ("partner_a", "view", "participants.partnercontact", cast.man_a.pk, ""),
    ]
    # Audit details name fields, never the partner's data.
    assert not AuditEvent.objects.filter(detail__icontains="WhatsApp").exists()


def test_partner_worker_edits_channel_times_and_consent(cast, login_as):
    contact = make_contact(cast, entry_on=None)
    client = login_as(cast.partner)
    form = client.get(reverse("partner:edit", args=[contact.pk]))
    assert form.status_code == 200
    assert CHANNEL in form.content.decode()
    response = client.post(
        reverse("partner:edit", args=[contact.pk]),
        {"safe_channel": "Llamar al trabajo", "safe_times": ""},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.safe_channel, contact.safe_times, contact.consent_to_contact) == (
        "Llamar al trabajo",
        "",
        False,
    )


def test_admin_reaches_every_site(cast, login_as):
    contact = make_contact(cast, cast.man_b)
    client = login_as(cast.admin)
    assert client.get(reverse("partner:detail", args=[contact.pk])).status_code == 200
    response = client.post(reverse("partner:new"), {"code": "SA-0001"})
    assert response.status_code == 302
    assert PartnerContact.objects.filter(participant=cast.man_a).count() == 1


# Segregation: everyone else gets 404 on every URL, and nothing changes


def partner_urls(contact_pk):
    return [
        ("get", reverse("partner:list"), {}),
        ("get", reverse("partner:new"), {}),
        ("post", reverse("partner:new"), {"code": "SA-0001", "safe_channel": "x"}),
        ("get", reverse("partner:detail", args=[contact_pk]), {}),
        ("post", reverse("partner:detail", args=[contact_pk]), {}),
        ("get", reverse("partner:entry_add", args=[contact_pk]), {}),
        ("post", reverse("partner:entry_add", args=[contact_pk]), {"contacted_on": "2026-03-01"}),
        ("get", reverse("partner:edit", args=[contact_pk]), {}),
        ("post", reverse("partner:edit", args=[contact_pk]), {"safe_channel": "x"}),
    ]


@pytest.mark.parametrize("who", ["coordinator", "facilitator", "outsider"])
def test_staff_without_the_partner_support_role_get_404_everywhere(cast, login_as, who):
    contact = make_contact(cast)
    before = snapshot()
    client = login_as(getattr(cast, who))
    for method, url, data in partner_urls(contact.pk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (who, method, url)
        assert CHANNEL not in response.content.decode()
    assert snapshot() == before
    assert not AuditEvent.objects.filter(username=getattr(cast, who).username).exists()


def test_partner_worker_of_another_site_gets_404_and_changes_nothing(cast, login_as):
    contact = make_contact(cast)
    before = snapshot()
    client = login_as(partner_of_site_b(cast))
    for method, url, data in partner_urls(contact.pk)[3:]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    # Her own list and form work, and show nothing of site A.
    listing = client.get(reverse("partner:list"), {"q": "SA"})
    assert listing.status_code == 200
    assert list(listing.context["page"]) == []
    assert "SA-0001" not in listing.content.decode()
    response = client.post(reverse("partner:new"), {"code": "SA-0001", "safe_channel": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"code": ["No man with this code at your sites."]}
    assert snapshot() == before


def test_unknown_or_absurd_ids_answer_404(cast, login_as):
    client = login_as(cast.partner)
    for pk in [0, 999_999, 99_999_999_999_999_999_999]:
        assert client.get(f"/partner/{pk}/").status_code == 404
        assert (
            client.post(f"/partner/{pk}/entries/", {"contacted_on": "2026-03-01"}).status_code
            == 404
        )
        assert client.post(f"/partner/{pk}/edit/", {"safe_channel": "x"}).status_code == 404
    assert PartnerContactEntry.objects.count() == 0


def test_entries_url_answers_get_with_405_to_the_worker(cast, login_as):
    contact = make_contact(cast, entry_on=None)
    response = login_as(cast.partner).get(reverse("partner:entry_add", args=[contact.pk]))
    assert response.status_code == 405
    assert PartnerContactEntry.objects.count() == 0


@pytest.mark.parametrize("who", ["coordinator", "facilitator"])
def test_man_s_page_shows_none_of_the_partner_data(cast, login_as, who):
    make_contact(cast)
    client = login_as(getattr(cast, who))
    response = client.get(reverse("participants:detail", args=[cast.man_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "SA-0001" in html
    assert CHANNEL not in html
    assert TIMES not in html
    assert "Refiere miedo" not in html
    assert "/partner/" not in html
    home = client.get(reverse("home")).content.decode()
    assert CHANNEL not in home and "Refiere miedo" not in home and "/partner/" not in home


def test_partner_worker_cannot_open_the_man_s_file(cast, login_as):
    make_contact(cast)
    client = login_as(cast.partner)
    assert client.get(reverse("participants:detail", args=[cast.man_a.pk])).status_code == 404


def test_anonymous_client_is_redirected_to_login_and_nothing_changes(cast, client):
    contact = make_contact(cast)
    before = snapshot()
    for method, url, data in partner_urls(contact.pk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith("/accounts/login/?next="), (method, url)
    assert snapshot() == before


# Bad input: a form error, never a 500, nothing saved


@pytest.mark.parametrize("code", ["SB-0001", "SX-9999", "", "x" * 10_000, "SA-0001\x00"])
def test_code_not_at_the_worker_s_sites_gives_a_form_error_and_creates_nothing(
    cast, login_as, code
):
    response = login_as(cast.partner).post(
        reverse("partner:new"), {"code": code, "safe_channel": CHANNEL}
    )
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert PartnerContact.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_other_site_code_and_unknown_code_get_the_same_answer(cast, login_as):
    client = login_as(cast.partner)
    other = client.post(reverse("partner:new"), {"code": "SB-0001"})
    unknown = client.post(reverse("partner:new"), {"code": "SX-9999"})
    message = "No man with this code at your sites."
    assert other.context["form"].errors == unknown.context["form"].errors == {"code": [message]}
    assert message in other.content.decode()


def test_huge_channel_is_refused(cast, login_as):
    response = login_as(cast.partner).post(
        reverse("partner:new"), {"code": "SA-0001", "safe_channel": "x" * 10_000}
    )
    assert response.status_code == 400
    assert "safe_channel" in response.context["form"].errors
    assert PartnerContact.objects.count() == 0


@pytest.mark.parametrize(
    "data,field",
    [
        ({"contacted_on": "2026-03-01", "notes": "x" * 10_000}, "notes"),
        ({"contacted_on": "2026-02-31", "notes": NOTES}, "contacted_on"),
        ({"contacted_on": "not a date", "notes": NOTES}, "contacted_on"),
        ({"contacted_on": "99999-01-01", "notes": NOTES}, "contacted_on"),
        ({"notes": NOTES}, "contacted_on"),
        ({"contacted_on": "2026-03-01", "notes": "a\x00b"}, "notes"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_saved(cast, login_as, data, field):
    contact = make_contact(cast, entry_on=None)
    response = login_as(cast.partner).post(reverse("partner:entry_add", args=[contact.pk]), data)
    assert response.status_code == 400
    assert field in response.context["entry_form"].errors
    assert PartnerContactEntry.objects.count() == 0


def test_a_contact_date_in_the_future_is_refused(cast, login_as):
    contact = make_contact(cast, entry_on=None)
    tomorrow = today_at_a(cast) + datetime.timedelta(days=1)
    response = login_as(cast.partner).post(
        reverse("partner:entry_add", args=[contact.pk]),
        {"contacted_on": tomorrow.isoformat(), "notes": NOTES},
    )
    assert response.status_code == 400
    assert response.context["entry_form"].errors == {
        "contacted_on": ["The date cannot be in the future."]
    }
    assert PartnerContactEntry.objects.count() == 0


def test_bad_edit_is_refused_and_nothing_changes(cast, login_as):
    contact = make_contact(cast, entry_on=None)
    response = login_as(cast.partner).post(
        reverse("partner:edit", args=[contact.pk]),
        {"safe_channel": "x" * 10_000, "safe_times": "y", "consent_to_contact": "on"},
    )
    assert response.status_code == 400
    contact.refresh_from_db()
    assert (contact.safe_channel, contact.safe_times) == (CHANNEL, TIMES)


@pytest.mark.parametrize(
    "params",
    [{"q": "x" * 10_000}, {"q": "SA\x00"}, {"page": "abc"}, {"page": "-1"}, {"page": "999999"}],
)
def test_list_answers_garbage_with_a_page_not_an_error(cast, login_as, params):
    make_contact(cast)
    assert login_as(cast.partner).get(reverse("partner:list"), params).status_code == 200


# The list


def test_list_searches_by_code_and_paginates_by_25(cast, login_as):
    for n in range(2, 28):
        make_contact(cast, factories.ParticipantFactory(site=cast.site_a, code=f"SA-{n:04d}"))
    make_contact(cast)
    make_contact(cast, cast.man_b)  # site B: never in partner_a's list
    client = login_as(cast.partner)
    first = client.get(reverse("partner:list")).context["page"]
    assert (first.paginator.count, len(first.object_list)) == (27, 25)
    found = client.get(reverse("partner:list"), {"q": "sa-0001"}).context["page"]
    assert [c.participant.code for c in found] == ["SA-0001"]
    assert list(client.get(reverse("partner:list"), {"q": "SB-0001"}).context["page"]) == []


def test_list_makes_the_same_queries_for_1_and_3_contacts(cast, login_as):
    one_site, three_site = factories.SiteFactory(), factories.SiteFactory()
    one = factories.StaffRoleFactory(site=one_site, role="partner_support").user
    three = factories.StaffRoleFactory(site=three_site, role="partner_support").user
    make_contact(cast, factories.ParticipantFactory(site=one_site))
    for _ in range(3):
        make_contact(cast, factories.ParticipantFactory(site=three_site))
    url = reverse("partner:list")
    assert count_queries(login_as(one), url) == count_queries(login_as(three), url) == 6


def test_detail_makes_the_same_queries_for_1_and_3_entries(cast, login_as):
    contact = make_contact(cast)
    other = make_contact(cast, factories.ParticipantFactory(site=cast.site_a))
    for day in (1, 2):
        services.add_partner_contact_entry(
            partner_contact=other,
            contacted_on=datetime.date(2026, 3, day),
            notes="n",
            by=cast.coordinator,
        )
    client = login_as(cast.partner)
    one = count_queries(client, reverse("partner:detail", args=[contact.pk]))
    three = count_queries(client, reverse("partner:detail", args=[other.pk]))
    assert one == three == 7


# What coordinators may know


def test_summary_says_whether_a_contact_exists_and_its_last_date(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert partner_contact_summary(cast.man_a) == {"exists": False, "last_contact": None}
    contact = make_contact(cast, entry_on=None)
    assert partner_contact_summary(cast.man_a) == {"exists": True, "last_contact": None}
    for day in (datetime.date(2026, 3, 4), datetime.date(2026, 2, 1)):
        services.add_partner_contact_entry(
            partner_contact=contact, contacted_on=day, notes=NOTES, by=cast.partner
        )
    with django_assert_num_queries(1):
        summary = partner_contact_summary(cast.man_a)
    assert summary == {"exists": True, "last_contact": datetime.date(2026, 3, 4)}
    assert partner_contact_summary(cast.man_b) == {"exists": False, "last_contact": None}


def test_pages_have_no_inline_script_or_style(cast, login_as):
    contact = make_contact(cast)
    client = login_as(cast.partner)
    for url in [
        reverse("partner:list"),
        reverse("partner:new"),
        reverse("partner:detail", args=[contact.pk]),
        reverse("partner:edit", args=[contact.pk]),
    ]:
        html = client.get(url).content.decode()
        assert "style=" not in html and "<script>" not in html, url
