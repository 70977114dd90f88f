"""Safety alerts: acknowledging says what was done, the history shows it on every page."""

import pytest
from django.urls import reverse

from gendes.audit.models import AuditEvent
from sessions.models import SafetyAlert
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(cast):
    return SafetyAlert.objects.create(
        session=cast.session_a, participant=cast.man_a, physical=True, flagged=True
    )


def test_acknowledging_without_a_note_is_refused(cast, login_as, alert, english):
    url = reverse("sessions:alert_acknowledge", args=[alert.pk])
    response = login_as(cast.coordinator).post(url, {"note": " "}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Write what was done before acknowledging the alert."
    ]
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledging_returns_to_the_page_and_is_audited(cast, login_as, alert):
    url = reverse("sessions:alert_acknowledge", args=[alert.pk])
    back = reverse("sessions:detail", args=[cast.session_a.pk])
    response = login_as(cast.coordinator).post(url, {"note": "Llamé", "next": back})
    assert response.url == back
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement_note) == (cast.coordinator, "Llamé")
    event = AuditEvent.objects.get(action="acknowledge")
    assert (event.username, event.participant_id) == ("coord_a", cast.man_a.pk)


def test_an_outside_next_is_ignored(cast, login_as, alert):
    url = reverse("sessions:alert_acknowledge", args=[alert.pk])
    response = login_as(cast.coordinator).post(
        url, {"note": "Llamé", "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


def test_only_the_coordinator_who_acknowledged_corrects_the_note(cast, login_as, alert, english):
    other = factories.coordinator_of(cast.site_a, factories.UserFactory(username="coord_a2"))
    url = reverse("sessions:alert_acknowledge", args=[alert.pk])
    login_as(cast.coordinator).post(url, {"note": "Llamé"})
    response = login_as(other).post(url, {"note": "Otra cosa"}, follow=True)
    assert "only they can correct it" in str(list(response.context["messages"])[0])
    login_as(cast.coordinator).post(url, {"note": "Llamé a la pareja"})
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement_note) == (
        cast.coordinator,
        "Llamé a la pareja",
    )


@pytest.mark.parametrize("page", ["session", "man", "history"])
def test_each_page_shows_the_alert_with_what_was_done_who_and_when(
    cast, login_as, alert, english, page
):
    cast.coordinator.first_name, cast.coordinator.last_name = "Ana", "Ruiz"
    cast.coordinator.save()
    login_as(cast.coordinator).post(
        reverse("sessions:alert_acknowledge", args=[alert.pk]), {"note": "Llamé a la pareja"}
    )
    url = {
        "session": reverse("sessions:detail", args=[cast.session_a.pk]),
        "man": reverse("participants:detail", args=[cast.man_a.pk]),
        "history": reverse("sessions:alert_list"),
    }[page]
    html = login_as(cast.coordinator).get(url).content.decode()
    assert "Physical violence reported, Flagged by a facilitator" in html
    assert "Acknowledged by Ana Ruiz on" in html
    assert "Llamé a la pareja" in html


def test_the_history_is_the_coordinators_own_sites_and_filters(cast, login_as, alert):
    other = SafetyAlert.objects.create(session=cast.session_b, participant=cast.man_b, sexual=True)
    client = login_as(cast.coordinator)
    page = client.get(reverse("sessions:alert_list")).context["page"]
    assert list(page.object_list) == [alert]
    assert other not in page.object_list
    client.post(reverse("sessions:alert_acknowledge", args=[alert.pk]), {"note": "Llamé"})
    url = reverse("sessions:alert_list")
    assert list(client.get(url, {"state": "open"}).context["page"].object_list) == []
    assert list(client.get(url, {"state": "acknowledged"}).context["page"].object_list) == [alert]
    assert client.get(url, {"state": "nonsense", "page": "400000000000000000"}).status_code == 200


@pytest.mark.parametrize("who", ["facilitator", "partner", "outsider"])
def test_the_history_is_for_coordinators_only(cast, login_as, who):
    assert login_as(getattr(cast, who)).get(reverse("sessions:alert_list")).status_code == 404


def test_the_history_makes_the_same_queries_for_1_and_30_alerts(cast, login_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_as(cast.coordinator)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("sessions:alert_list")).status_code == 200
        return len(queries)

    SafetyAlert.objects.create(session=cast.session_a, participant=cast.man_a, physical=True)
    one = count()
    for _ in range(29):
        man = factories.ParticipantFactory(site=cast.site_a)
        SafetyAlert.objects.create(session=cast.session_a, participant=man, flagged=True)
    # session, user, his roles, the count for the pages, the page of alerts.
    assert one == count() == 7  # each alert's deliveries: one query for the page
