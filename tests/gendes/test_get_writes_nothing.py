"""A GET writes nothing but its audit event and the login session: every app URL, opened by
each role of the cast with real ids, sends no INSERT, UPDATE or DELETE to any other table."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendes.audit.models import AuditEvent
from tests import factories
from tests.gendes.test_urls import app_routes

pytestmark = pytest.mark.django_db

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
ALLOWED = {AuditEvent._meta.db_table, "django_session"}


def real_url(url, cast):
    """The route with the cast's own ids where it takes one (1 stands for every id)."""
    return url.replace("/1/", f"/{cast.man_a.pk}/") if "participants/" in url else url


def written_tables(client, url):
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        match.group(2) for query in queries.captured_queries if (match := WRITE.match(query["sql"]))
    } - ALLOWED


@pytest.mark.parametrize("role", ["facilitator", "coordinator", "partner", "admin"])
def test_no_get_writes_anything_but_its_audit_event(cast, login_as, role):
    # A recorded session with a check-in, so that the pages have something to show.
    factories.AttendanceFactory(session=cast.session_a, participant=cast.man_a, violence="no")
    client = login_as(getattr(cast, role))
    writes = {
        name: tables
        for name, url in app_routes()
        if name != "logout" and (tables := written_tables(client, real_url(url, cast)))
    }
    assert writes == {}
