"""Safety alerts reach the coordinators through the task engine: queued with the save that
raised them, retried until the mail server takes them, never sent twice, and escalated when
nobody acknowledges them within the site's working hours."""

import datetime
import os
import socket
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django_q.models import OrmQ, Schedule

from sessions.messaging.escalation import after_working_hours, escalate_due
from sessions.messaging.schedules import SCHEDULES, set_up
from sessions.messaging.tasks import deliver, retry_due
from sessions.models import Delivery, SafetyAlert
from tests.helpers import run_queued_tasks

pytestmark = pytest.mark.django_db

MEXICO = zoneinfo.ZoneInfo("America/Mexico_City")
ROOT = Path(__file__).resolve().parents[2]


def violent_save(cast, client):
    enrolled = [cast.man_a]
    data = {"version": str(cast.session_a.version), "notes": ""}
    for man in enrolled:
        data[f"m{man.pk}-status"] = "present"
        data[f"m{man.pk}-violence"] = "yes"
        data[f"m{man.pk}-kinds"] = "physical"
    return client.post(reverse("sessions:record", args=[cast.session_a.pk]), data)


@pytest.fixture
def coordinator(cast):
    cast.coordinator.email = "coord@example.org"
    cast.coordinator.save()
    return cast.coordinator


def test_the_save_queues_one_delivery_and_its_task_in_its_transaction(cast, login_as, coordinator):
    violent_save(cast, login_as(cast.facilitator))
    delivery = Delivery.objects.get()
    assert (delivery.kind, delivery.recipient, delivery.state) == (
        "alert",
        "coord@example.org",
        "queued",
    )
    assert delivery.alert == SafetyAlert.objects.get()
    assert OrmQ.objects.count() == 1
    assert mail.outbox == []


def test_a_rolled_back_change_sends_nothing(cast, coordinator):
    from sessions.services.alerts import notify_coordinators

    alert = SafetyAlert.objects.create(
        session=cast.session_a, participant=cast.man_a, physical=True, raised_by=cast.facilitator
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_coordinators(session=cast.session_a, alerts=[alert])
        assert OrmQ.objects.count() == 1
        raise RuntimeError("the save failed after the alert was raised")
    assert (Delivery.objects.count(), OrmQ.objects.count()) == (0, 0)
    assert run_queued_tasks() == 0 and mail.outbox == []


def test_a_delivery_already_sent_is_not_sent_again(cast, login_as, coordinator):
    violent_save(cast, login_as(cast.facilitator))
    delivery = Delivery.objects.get()
    deliver(delivery.pk)
    deliver(delivery.pk)  # the task again: a worker died after sending, say
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 1)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.rcpt_tos)
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on this machine, which the test can stop and start."""
    inbox = Inbox()
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = False
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.inbox, server.port = inbox, port
    yield server
    try:
        server.stop()
    except (AssertionError, RuntimeError):
        pass  # already stopped


def test_retries_while_the_smtp_server_is_down_and_sends_once_when_it_is_back(
    cast, login_as, coordinator, smtp
):
    violent_save(cast, login_as(cast.facilitator))
    delivery = Delivery.objects.get()

    run_queued_tasks()  # the server is not started yet: refused
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("retrying", 1)
    assert delivery.last_error.startswith("ConnectionRefusedError")
    wait = delivery.next_attempt_at - delivery.created_at
    assert datetime.timedelta(minutes=1) < wait < datetime.timedelta(minutes=3)

    assert retry_due(now=delivery.next_attempt_at - datetime.timedelta(seconds=1)) == 0
    assert retry_due(now=delivery.next_attempt_at) == 1
    run_queued_tasks()  # still down: the second attempt waits longer
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("retrying", 2)

    smtp.start()
    retry_due(now=delivery.next_attempt_at)
    run_queued_tasks()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 3)
    assert smtp.inbox.messages == [["coord@example.org"]]
    retry_due(now=delivery.next_attempt_at or delivery.sent_at + datetime.timedelta(days=1))
    run_queued_tasks()
    deliver(delivery.pk)
    assert smtp.inbox.messages == [["coord@example.org"]]  # never twice


def test_after_too_many_attempts_a_delivery_is_failed_in_sight(cast, login_as, coordinator, smtp):
    violent_save(cast, login_as(cast.facilitator))
    delivery = Delivery.objects.get()
    for _ in range(8):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        deliver(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("failed", 8, None)
    page = login_as(coordinator).get(reverse("sessions:alert_list"))
    assert "coord@example.org" in page.content.decode()


# --- escalation -----------------------------------------------------------------------------


def at(*args, tz=MEXICO):
    return datetime.datetime(*args, tzinfo=tz)


def test_working_hours_in_the_site_s_time_zone(cast):
    site = cast.site_a  # Mexico City, Monday to Friday 9:00-18:00
    friday_five = at(2026, 3, 6, 17, 0)
    assert after_working_hours(friday_five, 4, site) == at(2026, 3, 9, 12, 0)  # Monday noon
    assert after_working_hours(at(2026, 3, 7, 23, 0), 4, site) == at(2026, 3, 9, 13, 0)
    assert after_working_hours(at(2026, 3, 9, 7, 0), 4, site) == at(2026, 3, 9, 13, 0)
    panama = cast.site_b
    panama.working_days, panama.workday_start = "0,1,2,3,4,5", datetime.time(8, 0)
    tz = zoneinfo.ZoneInfo("America/Panama")
    # Saturday works in Panama; 17:00 Friday there + 4 h = Saturday 11:00.
    assert after_working_hours(at(2026, 3, 6, 17, 0, tz=tz), 4, panama) == at(
        2026, 3, 7, 11, 0, tz=tz
    )


def test_an_open_alert_goes_to_the_coordinators_again_then_to_the_admins(
    cast, coordinator, login_as
):
    cast.admin.email = "admin@example.org"
    cast.admin.save()
    alert = SafetyAlert.objects.create(
        session=cast.session_a, participant=cast.man_a, sexual=True, raised_by=cast.facilitator
    )
    SafetyAlert.objects.filter(pk=alert.pk).update(created_at=at(2026, 3, 6, 17, 0))
    assert escalate_due(now=at(2026, 3, 9, 11, 59)) == 0
    assert escalate_due(now=at(2026, 3, 9, 12, 0)) == 1
    assert escalate_due(now=at(2026, 3, 9, 12, 5)) == 0  # each step once
    assert escalate_due(now=at(2026, 3, 9, 16, 0)) == 1  # 8 working hours: the admins
    assert escalate_due(now=at(2026, 3, 20, 9, 0)) == 0  # no third step
    steps = list(
        Delivery.objects.filter(kind="escalation")
        .order_by("id")
        .values_list("recipient", flat=True)
    )
    assert steps == ["coord@example.org", "admin@example.org"]
    alert.refresh_from_db()
    assert alert.escalations == 2
    run_queued_tasks()
    assert mail.outbox[0].subject == "Alerta de seguridad AÚN NO atendida: Martes A"


def test_an_acknowledged_alert_is_never_escalated(cast, coordinator):
    alert = SafetyAlert.objects.create(
        session=cast.session_a,
        participant=cast.man_a,
        flagged=True,
        raised_by=cast.facilitator,
    )
    SafetyAlert.objects.filter(pk=alert.pk).update(
        created_at=at(2026, 3, 2, 9, 0),
        acknowledged_at=at(2026, 3, 2, 10, 0),
        acknowledged_by=coordinator,
        acknowledgement_note="Llamé a la pareja",
    )
    assert escalate_due(now=at(2026, 3, 30, 9, 0)) == 0
    assert not Delivery.objects.exists()


def test_the_schedule_is_set_up_once_whatever_the_runs():
    assert set_up() == set_up() == len(SCHEDULES)
    assert sorted(Schedule.objects.values_list("name", "cron")) == sorted(
        (name, cron) for name, _f, _a, cron in SCHEDULES
    )


# --- a real worker --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_alert(cast, coordinator, smtp):
    """`manage.py qcluster` in a process of its own, on the test database, sends the queued
    alert through the SMTP server; the test starts and stops it itself."""
    smtp.start()
    from sessions.services.alerts import notify_coordinators

    with transaction.atomic():
        alert = SafetyAlert.objects.create(
            session=cast.session_a,
            participant=cast.man_a,
            physical=True,
            raised_by=cast.facilitator,
        )
        notify_coordinators(session=cast.session_a, alerts=[alert])
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        if connection.vendor == "postgresql"
        else f"sqlite:///{db['NAME']}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "x" * 60),
        "TASK_WORKERS": "1",
    }
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database another process can open (CI: PostgreSQL)")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if Delivery.objects.filter(state="sent").exists():
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert Delivery.objects.get().state == "sent"
    assert smtp.inbox.messages == [["coord@example.org"]]
