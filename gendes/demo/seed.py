"""Runs the builders in order and counts what they made."""

import gc
import random
import time
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.utils import timezone

from gendes.accounts.devices import give_demo_device
from participants.models import FollowUp, Participant, PartnerContact
from programmes.models import Group, Programme, Site
from sessions.models import Attendance, GroupSession, SafetyAlert

from . import aftercare, catalogue, checkins, history, org, people, register, schedule
from .context import Demo


@contextmanager
def stage(demo, name):
    started = time.monotonic()
    yield
    demo.timings[name] = time.monotonic() - started


def seed(*, scale=1, years=0, seed=1):
    """Fill the (empty) database with the demo organisation: ~12 weeks of sessions, or
    `years` of history. Call inside a transaction."""
    # Seeding makes millions of objects that all live to the end, and no garbage: the
    # cyclic collector would only rescan them, again and again as they grow.
    gc.disable()
    try:
        return _seed(scale, years, seed)
    finally:
        gc.enable()


def _seed(scale, years, seed):
    now = timezone.now()
    today = timezone.localdate(now)
    demo = Demo(rng=random.Random(seed), scale=scale, years=years, today=today, now=now)
    with stage(demo, "organisation"):
        org.build_org(demo)
        # Every demo user logs in with the demo password and the RFC 6238 test secret.
        for user in get_user_model().objects.filter(username__in=catalogue.DEMO_USERS):
            give_demo_device(user)
    with stage(demo, "plans"):
        schedule.plan_sessions(demo)
        plans = (history if years else people).plan_men(demo)
    with stage(demo, "sessions"):
        schedule.save_sessions(demo, plans)
    with stage(demo, "men"):
        register.register_men(demo, plans)
    with stage(demo, "attendance"):
        checkins.build_attendance(demo)
    with stage(demo, "aftercare"):
        aftercare.build_alerts(demo)
        aftercare.build_follow_ups(demo)
        aftercare.build_partner_contacts(demo)
    return demo


def counts():
    """What the database holds, for the summary the command prints."""
    return {
        "sites": Site.objects.count(),
        "programmes": Programme.objects.count(),
        "groups": Group.objects.count(),
        "users": get_user_model().objects.count(),
        "participants": Participant.objects.count(),
        "sessions": GroupSession.objects.count(),
        "attendance rows": Attendance.objects.count(),
        "safety alerts (open)": (
            f"{SafetyAlert.objects.count()} ({SafetyAlert.objects.open().count()})"
        ),
        "follow-ups": FollowUp.objects.count(),
        "partner contacts": PartnerContact.objects.count(),
    }


DEMO_SECRET_NOTE = (
    "Second factor of every demo user: TOTP secret {secret} (base32; RFC 6238's test "
    "secret), for an authenticator app or `oathtool --totp -b {secret}`."
)


def user_rows():
    """(username, password, role) of the demo users."""
    return [
        (username, catalogue.PASSWORD, role)
        for username, (_first, _last, role) in catalogue.DEMO_USERS.items()
    ]
