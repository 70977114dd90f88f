"""Shared steps of the browser tests: choosing the language, logging in through the real login
form, and counting what a person does on a page."""

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import capfirst
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from gendes.accounts.devices import give_demo_device
from gendes.accounts.policy import must_use_second_factor
from sessions.models import GroupSession
from tests import factories

DAY = datetime.timedelta(days=1)


def spanish(message, **values):
    """The Spanish text a person sees, from the same catalogues the app uses."""
    with translation.override("es"):
        text = translation.gettext(message)
    return text % values if values else text


def use_language(context, site_url, code):
    """Make every page of this browser context come in `code`, as the language switcher does
    (it sets the language cookie, which LocaleMiddleware prefers over Accept-Language)."""
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": f"{site_url}/"}]
    )


def log_in(page, site_url, user, *, language="en", next_path="/"):
    """Log `user` in through the login form, in English unless told otherwise (Spanish uses the
    labels of the Spanish catalogues), and wait for the page he was going to."""
    if language:
        use_language(page.context, site_url, language)
    if must_use_second_factor(user):
        give_demo_device(user)  # his authenticator app, set up before
    page.goto(f"{site_url}/accounts/login/?next={next_path}")
    if language == "es":
        # Django's AuthenticationForm labels the field with the user model's verbose name.
        username = capfirst(spanish("username"))
        password, button = spanish("Password"), spanish("Log in")
    else:
        username, password, button = "Username", "Password", "Log in"
    page.get_by_label(username).fill(user.username)
    page.get_by_label(password).fill(factories.PASSWORD)
    page.get_by_role("button", name=button, exact=True).click()
    if must_use_second_factor(user):
        # The code of his authenticator app, as a person would type it.
        code_label, verify = (
            ("Token", "Verify")
            if language != "es"
            else (
                spanish("Token"),
                spanish("Verify"),
            )
        )
        page.get_by_label(code_label).fill(current_code(user))
        page.get_by_role("button", name=verify, exact=True).click()
    expect(page).to_have_url(f"{site_url}{next_path}")


def current_code(user):
    """The code his authenticator shows now (the demo secret). django-otp takes a code once
    per 30-second step; a test that logs the same user in twice in one step lets the device
    forget the step it last accepted, as a new step would."""
    device = give_demo_device(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{TOTP(device.bin_key).token():06d}"


class Person:
    """Does what a person does on a page (taps and typing) and counts it, so that a test can
    state how many interactions a job takes. Checking a box or a radio is one tap."""

    def __init__(self):
        self.interactions = 0

    def tap(self, locator):
        locator.click()
        self.interactions += 1

    def type(self, locator, text):
        locator.fill(text)
        self.interactions += 1


def most_recent(weekday, today):
    """The latest date on or before `today` that falls on `weekday` (0 = Monday)."""
    return today - (today.weekday() - weekday) % 7 * DAY


def attended(man, group, statuses, *, last):
    """Recorded weekly sessions of `group` up to `last`, one per status, oldest first."""
    for weeks_ago, status in enumerate(reversed(statuses)):
        day = last - weeks_ago * 7 * DAY
        session, _ = GroupSession.objects.get_or_create(
            group=group,
            date=day,
            defaults={
                "start_time": group.start_time,
                "state": "recorded",
                "recorded_at": timezone.now(),
            },
        )
        factories.AttendanceFactory(
            session=session,
            participant=man,
            status=status,
            violence="no" if status in ("present", "late") else "",
        )
