"""The record pages a facilitator's phone keeps: his own sessions of the past and next 7 days,
in a constant number of queries; the service worker script is public and holds no data."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = reverse("sessions:offline_sessions")


def test_his_own_sessions_of_the_past_and_next_seven_days(cast, login_as):
    today = timezone.localdate()
    days = [-8, -7, 0, 7, 8]
    made = {
        d: factories.GroupSessionFactory(
            group=cast.group_a, date=today + datetime.timedelta(days=d)
        )
        for d in days
    }
    factories.GroupSessionFactory(
        group=cast.group_a, date=today, start_time=datetime.time(10, 0), state="cancelled"
    )
    factories.GroupSessionFactory(group=cast.group_b, date=today)  # another site's
    pages = login_as(cast.facilitator).get(URL).json()["record_pages"]
    assert pages == [reverse("sessions:record", args=[made[d].pk]) for d in (-7, 0, 7)]


def test_the_list_makes_the_same_queries_for_1_and_10_sessions(cast, login_as):
    client = login_as(cast.facilitator)
    factories.GroupSessionFactory(group=cast.group_a, date=timezone.localdate())
    client.get(URL)
    one = count_queries(client, URL)
    for day in (-6, -5, -4, -3, -2, -1, 1, 2, 3):
        factories.GroupSessionFactory(
            group=cast.group_a, date=timezone.localdate() + datetime.timedelta(days=day)
        )
    assert count_queries(client, URL) == one == 4


def test_the_service_worker_is_public_javascript_without_data(cast):
    response = Client().get(reverse("sessions:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    assert response["Cache-Control"] == "no-cache"
    assert b"gendes-record-pages" in response.content and b"SA-" not in response.content
