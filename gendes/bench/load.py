"""The load test's plan and its check (`manage.py load_plan`; `make load` runs it all).

The plan is what the simulated staff open, picked from the seeded data the way the bench picks
its pages: each account's own pages, the past sessions of the facilitators' groups that they
record, and the bad requests a tenth of the traffic makes (ids that do not exist, invalid
forms, other sites' objects). The check reads the log of accepted record saves that locust
wrote and proves each session holds what its last accepted save sent: no save was lost.
"""

import json

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from participants.models import Participant
from programmes.models import Group, Site
from sessions.enums import AttendanceStatus, SessionState
from sessions.models import Attendance
from sessions.selectors import men_of_session

from .target import ONE_SITE_COORDINATOR, _largest_site, _one_site_coordinator

FACILITATORS = ["facilitator", "facilitator2"]
COORDINATORS = ["coordinator", ONE_SITE_COORDINATOR]
SESSIONS_PER_FACILITATOR = 40  # recorded in turn, so that two users rarely meet on one
MEN_PER_COORDINATOR = 40
NO_SUCH_ID = 2_000_000_000


def _recordable_sessions(user):
    groups = Group.objects.facilitated_by(user).select_related("site")
    sessions = []
    for group in groups:
        today = timezone.localdate(timezone=group.site.tzinfo)
        sessions += list(
            group.sessions.exclude(state=SessionState.CANCELLED)
            .filter(date__lt=today)
            .select_related("group")
            .order_by("-date")[:4]
        )
    sessions.sort(key=lambda s: s.date, reverse=True)
    return sessions[:SESSIONS_PER_FACILITATOR]


def _session_entry(session):
    men, _saved = men_of_session(session)
    facilitators = list(session.facilitators.values_list("pk", flat=True)) or list(
        session.group.facilitators.values_list("pk", flat=True)
    )
    return {
        "id": session.pk,
        "record": reverse("sessions:record", args=[session.pk]),
        "group": session.group.get_absolute_url(),
        "men": [man.pk for man in men],
        "facilitators": facilitators,
        "topics": list(session.topics.values_list("pk", flat=True)),
    }


def _facilitator_plan(user, other):
    sessions = [_session_entry(s) for s in _recordable_sessions(user)]
    men = sorted({pk for s in sessions for pk in s["men"]})[:MEN_PER_COORDINATOR]
    foreign = _recordable_sessions(other)[:5]
    return {
        "role": "facilitator",
        "pages": {
            "home": [reverse("home")],
            "week": [reverse("sessions:my_week")],
            "group_page": sorted({s["group"] for s in sessions}),
            "man_page": [reverse("participants:detail", args=[pk]) for pk in men],
        },
        "sessions": sessions,
        "bad": [
            reverse("sessions:record", args=[NO_SUCH_ID]),
            reverse("participants:detail", args=[NO_SUCH_ID]),
            *(reverse("sessions:record", args=[s.pk]) for s in foreign),
            *(s.group.get_absolute_url() for s in foreign),
        ],
    }


def _coordinator_plan(user):
    men = (
        Participant.objects.visible_to(user)
        .order_by("-pk")
        .values_list("pk", flat=True)[:MEN_PER_COORDINATOR]
    )
    outside = Participant.objects.exclude(site__in=Site.objects.coordinated_by(user))
    return {
        "role": "coordinator",
        "pages": {
            "home": [reverse("home")],
            "man_page": [reverse("participants:detail", args=[pk]) for pk in men],
            "participant_list": [reverse("participants:list")],
            "at_risk_list": [reverse("participants:at_risk")],
            "dashboard": [reverse("reports:dashboard")],
        },
        "sessions": [],
        "bad": [
            reverse("participants:detail", args=[NO_SUCH_ID]),
            reverse("participants:list") + "?page=400000000000000000",
            reverse("reports:dashboard") + "?start=2026-13-45",
            *(
                reverse("participants:detail", args=[pk])
                for pk in outside.values_list("pk", flat=True)[:5]
            ),
        ],
    }


def build_plan():
    """Every account's pages; the one-site coordinator is made as the bench makes it."""
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    missing = sorted(set(FACILITATORS + ["coordinator"]) - set(users))
    if missing:
        raise RuntimeError(f"No user {', '.join(missing)}: seed the demo data first.")
    users[ONE_SITE_COORDINATOR] = _one_site_coordinator(_largest_site())
    accounts = {
        "facilitator": _facilitator_plan(users["facilitator"], users["facilitator2"]),
        "facilitator2": _facilitator_plan(users["facilitator2"], users["facilitator"]),
        "coordinator": _coordinator_plan(users["coordinator"]),
        ONE_SITE_COORDINATOR: _coordinator_plan(users[ONE_SITE_COORDINATOR]),
    }
    return {"accounts": accounts, "bare": "/__bench__/bare/"}


def check_saves(lines):
    """`lines`: the JSON lines locust wrote for each accepted save (session, the man marked
    absent, when the answer came). The last accepted save of each session must be what the
    database holds. Returns (saves checked, sessions, mismatches)."""
    last = {}
    count = 0
    for line in lines:
        if not line.strip():
            continue
        save = json.loads(line)
        count += 1
        if save["session"] not in last or save["at"] >= last[save["session"]]["at"]:
            last[save["session"]] = save
    mismatches = []
    for session_id, save in last.items():
        held = dict(
            Attendance.objects.filter(session_id=session_id).values_list("participant_id", "status")
        )
        for man in save["men"]:
            expected = (
                AttendanceStatus.UNEXCUSED if man == save["absent"] else AttendanceStatus.PRESENT
            )
            if held.get(man) != expected:
                mismatches.append((session_id, man, held.get(man), str(expected)))
    return count, len(last), mismatches
