"""Audit events cannot be edited or deleted: not in the admin, not even by SQL on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from gendes.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's (CI runs on it)"
)


@pytest.fixture
def event(cast):
    return AuditEvent.objects.create(
        user=cast.coordinator, username="coord_a", action="view", participant_id=cast.man_a.pk
    )


def test_the_admin_shows_events_but_cannot_change_or_delete_them(cast, login_as, event):
    client = login_as(cast.admin)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.post(change, {"username": "nadie"}).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.username == "coord_a"


@on_postgresql
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET username = 'nadie'",
        "UPDATE audit_auditevent SET participant_id = NULL",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_event(event, statement):
    with pytest.raises(DatabaseError, match="cannot be changed or deleted"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    event.refresh_from_db()
    assert (event.username, event.participant_id) is not None
    assert AuditEvent.objects.filter(pk=event.pk, username="coord_a").exists()


@on_postgresql
def test_a_deleted_user_s_events_stay_with_his_username(event):
    user = factories.UserFactory(username="se_fue")
    AuditEvent.objects.create(user=user, username="se_fue", action="login")
    user.delete()
    assert AuditEvent.objects.get(username="se_fue").user is None
