"""The measured pages, one line each: (name, user, method, url, data, expected status, goal).

`url` and `data` are callables of the `Target` (data is called before every request, outside
the timing, so a POST can carry the current version). `goal` is the most a page's median may
be over its user's bare page. A bare page per user is added by `with_bare`: `bare` for the
facilitator, `bare_<username>` for any other user. Every coordinator page is measured again
as the one-site coordinator (`<name>_one_site`).
"""

import dataclasses
from collections.abc import Callable

from django.urls import reverse

from sessions.enums import AttendanceStatus, Violence
from sessions.models import GroupSession
from sessions.selectors import men_of_session

from .target import ONE_SITE_COORDINATOR
from .urls import BARE_URL

BARE_USER = "facilitator"
ONE_SITE_SUFFIX = "_one_site"


@dataclasses.dataclass(frozen=True)
class Page:
    name: str
    user: str  # username of the demo user who requests it
    method: str  # "GET" or "POST"
    url: Callable  # Target -> str
    data: Callable | None = None  # Target -> dict, the POST body
    status: int = 200  # the status that means it worked
    goal: int | None = 10  # the most its median may be over its user's bare page (× bare)


def record_post_data(target):
    """The record form as a browser posts it untouched plus every man "present, no violence":
    the current version (each save increments it), notes, facilitators and topics."""
    session = GroupSession.objects.select_related("group").get(pk=target.session.pk)
    men, _saved = men_of_session(session)
    facilitators = list(session.facilitators.values_list("pk", flat=True)) or list(
        session.group.facilitators.values_list("pk", flat=True)
    )
    data = {
        "version": session.version,
        "notes": session.notes,
        "facilitators": facilitators,
        "topics": list(session.topics.values_list("pk", flat=True)),
    }
    for man in men:
        data[f"m{man.pk}-status"] = AttendanceStatus.PRESENT
        data[f"m{man.pk}-violence"] = Violence.NO
    return data


def _record_url(target):
    return reverse("sessions:record", args=[target.session.pk])


def _progress_url(target):
    return reverse("progress:report", args=[target.man.pk])


COORDINATOR_PAGES = [
    Page("participant_list", "coordinator", "GET", lambda t: reverse("participants:list")),
    Page("participant_page", "coordinator", "GET", lambda t: t.man.get_absolute_url()),
    Page("at_risk_list", "coordinator", "GET", lambda t: reverse("participants:at_risk")),
    Page("dashboard", "coordinator", "GET", lambda t: reverse("reports:dashboard"), goal=25),
    Page("anonymised", "coordinator", "GET", lambda t: reverse("exports:anonymised"), goal=25),
    Page("progress_report", "coordinator", "GET", _progress_url, goal=25),
]

PAGES = [
    Page("record_get", "facilitator", "GET", _record_url),
    Page("record_post", "facilitator", "POST", _record_url, record_post_data, status=302),
    Page("facilitator_home", "facilitator", "GET", lambda t: reverse("home")),
    Page("week", "facilitator", "GET", lambda t: reverse("sessions:my_week")),
    Page("group_page", "facilitator", "GET", lambda t: t.group.get_absolute_url()),
    Page("session_page", "facilitator", "GET", lambda t: t.session.get_absolute_url()),
    *COORDINATOR_PAGES,
    *(
        dataclasses.replace(page, name=page.name + ONE_SITE_SUFFIX, user=ONE_SITE_COORDINATOR)
        for page in COORDINATOR_PAGES
    ),
]


def bare_name(user):
    return "bare" if user == BARE_USER else f"bare_{user}"


def with_bare(pages):
    """The bare page of each user of `pages` (facilitator first), then the pages."""
    users = sorted({p.user for p in pages} | {BARE_USER}, key=lambda u: (u != BARE_USER, u))
    bare = [Page(bare_name(user), user, "GET", lambda t: BARE_URL, goal=None) for user in users]
    return bare + list(pages)
