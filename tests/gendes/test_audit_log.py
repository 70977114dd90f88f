"""The audit log's writer: who, which address (past the trusted proxies), one INSERT a list."""

import pytest
from django.test import RequestFactory

from gendes.audit.context import client_ip
from gendes.audit.log import record, record_many
from gendes.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.9"),  # no proxy trusted: the header is the client's own words
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # a spoofed left part moves nothing
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.1", "1.2.3.4"),
        (1, "", "10.0.0.9"),
    ],
)
def test_client_address_is_read_past_exactly_the_trusted_proxies(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_an_event_keeps_the_user_and_the_address_of_the_request(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = factories.UserFactory(username="coord")
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4")
    request.user = user
    record(action=AuditEvent.Action.VIEW, object_type="x", request=request)
    event = AuditEvent.objects.get()
    assert (event.user, event.username, event.ip_address) == (user, "coord", "1.2.3.4")


def test_a_failed_login_keeps_the_name_typed_and_no_user():
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.9")
    record(action=AuditEvent.Action.LOGIN_FAILED, username="who", request=request)
    event = AuditEvent.objects.get()
    assert (event.user, event.username, event.ip_address) == (None, "who", "10.0.0.9")


def test_a_list_writes_one_event_per_man_in_one_query(django_assert_num_queries):
    user = factories.UserFactory()
    with django_assert_num_queries(1):
        record_many(
            user=user, action=AuditEvent.Action.VIEW, object_type="list", participant_ids=[1, 2, 3]
        )
    assert sorted(AuditEvent.objects.values_list("participant_id", flat=True)) == [1, 2, 3]
