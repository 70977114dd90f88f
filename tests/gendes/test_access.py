"""The access policy, proved for each detail view with an owner and an outsider."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def urls_of(cast, which):
    group = getattr(cast, f"group_{which}")
    session = getattr(cast, f"session_{which}")
    man = getattr(cast, f"man_{which}")
    return [
        reverse("sessions:group_detail", args=[group.pk]),
        reverse("sessions:detail", args=[session.pk]),
        reverse("participants:detail", args=[man.pk]),
    ]


def test_facilitator_opens_his_own_groups_pages(cast, login_as):
    client = login_as(cast.facilitator)
    for url in urls_of(cast, "a"):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("who", ["facilitator", "coordinator"])
def test_site_a_staff_get_404_for_every_page_of_site_b(cast, login_as, who):
    client = login_as(getattr(cast, who))
    for url in urls_of(cast, "b"):
        assert client.get(url).status_code == 404, url


def test_partner_support_worker_cannot_open_mens_files(cast, login_as):
    client = login_as(cast.partner)
    assert client.get(reverse("participants:detail", args=[cast.man_a.pk])).status_code == 404
    assert client.get(reverse("sessions:detail", args=[cast.session_a.pk])).status_code == 404


def test_facilitator_sees_code_and_first_name_but_not_contact_details(cast, login_as):
    cast.man_a.phone = "55 1234 5678"
    cast.man_a.last_name = "Pérez"
    cast.man_a.save()
    page = login_as(cast.facilitator).get(reverse("participants:detail", args=[cast.man_a.pk]))
    html = page.content.decode()
    assert "SA-0001" in html and "Juan" in html
    assert "55 1234 5678" not in html
    assert "Pérez" not in html


def test_coordinator_sees_contact_details_of_his_site(cast, login_as):
    cast.man_a.phone = "55 1234 5678"
    cast.man_a.save()
    html = (
        login_as(cast.coordinator)
        .get(reverse("participants:detail", args=[cast.man_a.pk]))
        .content.decode()
    )
    assert "55 1234 5678" in html


def test_viewing_a_participant_is_audited(cast, login_as):
    from gendes.audit.models import AuditEvent

    login_as(cast.coordinator).get(reverse("participants:detail", args=[cast.man_a.pk]))
    event = AuditEvent.objects.get()
    assert (event.username, event.action, event.participant_id) == (
        "coord_a",
        "view",
        cast.man_a.pk,
    )


def test_removing_the_facilitator_role_revokes_access_to_the_group(cast, login_as):
    cast.facilitator.staff_roles.all().delete()
    client = login_as(cast.facilitator)
    assert client.get(reverse("sessions:group_detail", args=[cast.group_a.pk])).status_code == 404
