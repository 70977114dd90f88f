"""Logging in: the second factor, the lockout, the audit of logins, and how sessions end.

Every login here goes through the real login form (django-two-factor-auth's wizard: the
password, then the code), not the tests' force_login."""

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from gendes.accounts.devices import give_demo_device
from gendes.audit.models import AuditEvent
from gendes.middleware import IdleExpiryMiddleware
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
HOME = "/"


def password_step(client, username, password=factories.PASSWORD, address="198.51.100.1", **extra):
    return client.post(
        LOGIN,
        {
            "login_view-current_step": "auth",
            "auth-username": username,
            "auth-password": password,
        },
        REMOTE_ADDR=address,
        **extra,
    )


def code_step(client, code, address="198.51.100.1"):
    return client.post(
        LOGIN,
        {"login_view-current_step": "token", "token-otp_token": code},
        REMOTE_ADDR=address,
    )


def code_of(device):
    return f"{TOTP(device.bin_key).token():06d}"


def logged_in(client):
    return client.get(HOME).status_code == 200


@pytest.fixture
def coordinator(cast):
    give_demo_device(cast.coordinator)
    return cast.coordinator


def test_a_coordinator_logs_in_with_her_password_then_her_code(coordinator):
    client = Client()
    asked = password_step(client, coordinator.username)
    assert asked.status_code == 200 and b"token-otp_token" in asked.content
    assert not logged_in(client)  # the password alone is not a login

    done = code_step(client, code_of(TOTPDevice.objects.get(user=coordinator)))

    assert (done.status_code, done["Location"]) == (302, "/")
    assert logged_in(client)
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert (event.user, event.ip_address) == (coordinator, "198.51.100.1")


def test_a_wrong_code_does_not_log_in(coordinator):
    client = Client()
    password_step(client, coordinator.username)
    right = code_of(coordinator.totpdevice_set.get())
    answer = code_step(client, "000000" if right != "000000" else "111111")
    assert answer.status_code == 200
    assert not logged_in(client)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()


def test_a_coordinator_without_a_device_must_set_one_up_before_anything_else(cast):
    client = Client()
    answer = password_step(client, cast.coordinator.username)
    assert answer.status_code == 302  # no device yet: the password logs her in...
    for url in (HOME, reverse("participants:list"), f"/participants/{cast.man_a.pk}/"):
        response = client.get(url)
        # ...to nothing but the setup of her second factor.
        assert (response.status_code, response["Location"]) == (302, reverse("two_factor:setup"))
    assert client.get(reverse("two_factor:setup")).status_code == 200


def test_for_a_facilitator_the_second_factor_is_optional(cast):
    client = Client()
    password_step(client, cast.facilitator.username)
    assert logged_in(client)


def test_without_the_rule_nobody_is_asked_for_a_device(cast, settings):
    settings.TWO_FACTOR_REQUIRED = False
    client = Client()
    password_step(client, cast.coordinator.username)
    assert logged_in(client)


def test_thirty_wrong_passwords_then_the_right_one_do_not_log_in(cast, settings):
    answers = [
        password_step(Client(), cast.facilitator.username, "wrong").status_code for _ in range(30)
    ]
    limit = settings.AXES_FAILURE_LIMIT
    assert answers[: limit - 1] == [200] * (limit - 1)  # the form again, with its error
    assert set(answers[limit - 1 :]) == {429}

    client = Client()
    right = password_step(client, cast.facilitator.username)
    assert right.status_code == 429
    assert b"Too many failed logins" in right.content or b"Demasiados" in right.content
    assert not logged_in(client)


def test_the_lock_is_per_address_never_per_username_alone(cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(Client(), cast.facilitator.username, "wrong", address="203.0.113.9")
    # From the attacker's address: locked, for her name and for any other.
    assert (
        password_step(Client(), cast.facilitator.username, address="203.0.113.9").status_code == 429
    )
    assert password_step(Client(), cast.outsider.username, address="203.0.113.9").status_code == 429
    # From her own office: she logs in.
    client = Client()
    password_step(client, cast.facilitator.username, address="198.51.100.20")
    assert logged_in(client)


def test_the_address_comes_from_x_forwarded_for_only_behind_trusted_proxies(cast, settings):
    def fail_from(forwarded_for):
        password_step(
            Client(),
            cast.facilitator.username,
            "wrong",
            address="10.0.0.2",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail_from(f"203.0.113.{n + 1}")  # every client address its own: nobody is locked
    assert set(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == {1}

    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: X-Forwarded-For is whatever a client wrote
    AccessAttempt.objects.all().delete()
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail_from(f"203.0.113.{n + 1}")
    assert AccessAttempt.objects.get().ip_address == "10.0.0.2"
    assert password_step(Client(), cast.outsider.username, address="10.0.0.2").status_code == 429


def test_a_failed_login_is_audited_with_the_name_typed_never_the_password(cast):
    password_step(Client(), "coord_a", "Secreta-Adivinada-77", address="203.0.113.5")

    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert (event.username, event.ip_address, event.user) == ("coord_a", "203.0.113.5", None)
    for field in ("username", "object_type", "object_id", "detail"):
        assert "Secreta" not in getattr(event, field)


def test_logout_is_audited(cast):
    client = Client()
    password_step(client, cast.facilitator.username)
    client.post(reverse("logout"))
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT, user=cast.facilitator).count()
        == 1
    )


def test_a_password_change_ends_every_other_login(cast):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        password_step(client, cast.facilitator.username)
    changed = here.post(
        reverse("password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "otra-Clave-larga-2026",
            "new_password2": "otra-Clave-larga-2026",
        },
    )
    assert changed.status_code == 302
    assert logged_in(here)  # Django keeps the login that changed it
    assert elsewhere.get(HOME)["Location"].startswith(LOGIN)


def test_a_deactivated_user_is_logged_out_at_once(cast):
    client = Client()
    password_step(client, cast.facilitator.username)
    assert logged_in(client)
    cast.facilitator.is_active = False
    cast.facilitator.save()
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_a_login_ends_after_thirty_idle_minutes_and_with_the_browser(cast, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = Client()
    answer = password_step(client, cast.facilitator.username)
    cookie = answer.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # gone when the browser closes
    session = Session.objects.get()
    left = session.expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < left <= datetime.timedelta(minutes=30)

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(HOME)["Location"].startswith(LOGIN)


def test_requests_move_the_idle_expiry_once_a_minute(cast):
    client = Client()
    password_step(client, cast.facilitator.username)
    first = Session.objects.get().expire_date
    client.get(HOME)  # within the minute: nothing written
    assert Session.objects.get().expire_date == first

    session = client.session
    session[IdleExpiryMiddleware.KEY] = int(time.time()) - 61
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    client.get(HOME)
    left = Session.objects.get().expire_date - timezone.now()
    assert left > datetime.timedelta(minutes=29)


def test_an_admin_resets_a_lost_device_and_it_is_audited(cast, login_as):
    give_demo_device(cast.coordinator)
    StaticDevice.objects.create(user=cast.coordinator, name="backup")
    client = login_as(cast.admin)
    answer = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [cast.coordinator.pk]},
    )
    assert answer.status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.coordinator).exists()
    assert not StaticDevice.objects.filter(user=cast.coordinator).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DEVICE_RESET)
    assert (event.user, event.object_id) == (cast.admin, str(cast.coordinator.pk))
    # Her next login sets up a new device.
    fresh = Client()
    password_step(fresh, cast.coordinator.username)
    assert fresh.get(HOME)["Location"] == reverse("two_factor:setup")


def test_an_admin_unlocks_a_login_and_it_is_audited(cast, login_as, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(Client(), cast.facilitator.username, "wrong", address="203.0.113.9")
    attempt = AccessAttempt.objects.get()
    client = login_as(cast.admin)
    answer = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert answer.status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNLOCK)
    assert event.detail == f"{cast.facilitator.username} 203.0.113.9"
    unlocked = Client()
    password_step(unlocked, cast.facilitator.username, address="203.0.113.9")
    assert logged_in(unlocked)


def test_device_secrets_are_not_in_the_admin():
    assert TOTPDevice not in admin.site._registry
    assert StaticDevice not in admin.site._registry
