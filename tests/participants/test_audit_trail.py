"""The audit trail as coordinators read it: their men's events only, filtered, paged, as CSV."""

import pytest
from django.urls import reverse

from gendes.audit.models import AuditEvent
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = reverse("participants:audit_trail")


def event(man, username="fac_a", action="view", **fields):
    return AuditEvent.objects.create(
        username=username, action=action, participant_id=man.pk, object_type="x", **fields
    )


def shown(response):
    return [(e.username, e.action, e.participant_id) for e in response.context["page"]]


def test_a_coordinator_reads_the_events_of_her_sites_men_only(cast, login_as):
    event(cast.man_a)
    event(cast.man_b, username="fac_b")
    AuditEvent.objects.create(username="fac_a", action="login")  # about no man
    response = login_as(cast.coordinator).get(URL)
    assert shown(response) == [("fac_a", "view", cast.man_a.pk)]


def test_an_admin_reads_every_event(cast, login_as):
    event(cast.man_a)
    event(cast.man_b, username="fac_b")
    AuditEvent.objects.create(username="fac_a", action="login")
    assert len(shown(login_as(cast.admin).get(URL))) == 3


def test_filters_by_man_user_action_and_dates(cast, login_as):
    other = event(cast.man_a, username="coord_a", action="export")
    event(cast.man_a)
    client = login_as(cast.coordinator)
    assert shown(client.get(URL, {"username": "COORD_A"})) == [("coord_a", "export", cast.man_a.pk)]
    assert shown(client.get(URL, {"action": "export"})) == [("coord_a", "export", cast.man_a.pk)]
    assert len(shown(client.get(URL, {"code": "sa-0001"}))) == 2
    assert shown(client.get(URL, {"code": "SB-0001"})) == []
    day = other.created_at.date().isoformat()
    assert len(shown(client.get(URL, {"start": day, "end": day}))) == 2
    assert shown(client.get(URL, {"start": "2001-01-01", "end": "2001-01-02"})) == []


@pytest.mark.parametrize(
    "bad",
    [
        {"start": "2026-13-45"},
        {"start": "2026-03-10", "end": "2026-03-01"},
        {"action": "<script>"},
        {"code": "x" * 5000},
        {"username": "a\x00b"},
    ],
)
def test_bad_filters_get_a_message_and_the_unfiltered_list(cast, login_as, bad):
    event(cast.man_a)
    response = login_as(cast.coordinator).get(URL, bad)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(shown(response)) == 1
    assert b"<script>" not in response.content


def test_the_csv_export_holds_the_filtered_events_and_is_audited(cast, login_as):
    event(cast.man_a, detail="record")
    event(cast.man_b, username="fac_b")
    response = login_as(cast.coordinator).get(URL, {"format": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("created_at,username,action")
    assert len(lines) == 2 and ",fac_a,view,x,," in lines[1] and "record" in lines[1]
    assert AuditEvent.objects.filter(action="export", object_type="audit trail").count() == 1


@pytest.mark.parametrize("who", ["facilitator", "partner"])
def test_others_get_404(cast, login_as, who):
    assert login_as(getattr(cast, who)).get(URL).status_code == 404


def test_the_trail_makes_the_same_queries_for_1_and_20_events(cast, login_as):
    client = login_as(cast.coordinator)
    event(cast.man_a)
    client.get(URL)
    one = count_queries(client, URL)
    for _ in range(19):
        event(cast.man_a)
    assert count_queries(client, URL) == one == 6
