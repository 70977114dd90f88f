"""What the measured pages show, picked from the seeded demo data: a past session of one of
the facilitator's groups with 20 men on its record page (men are enrolled to make 20 if no
session has that many), its group, the largest site, and the man with the longest history
there. The demo coordinator coordinates every site; the bench adds a coordinator of the
largest site only, since a real coordinator looks after one site."""

import dataclasses

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from participants.enums import ParticipantStatus
from participants.models import Enrolment, Participant
from programmes.enums import StaffRoleKind
from programmes.models import Group, Site, StaffRole
from sessions.enums import SessionState
from sessions.models import GroupSession
from sessions.selectors import men_of_session

ROSTER_SIZE = 20
USERNAMES = ["facilitator", "coordinator"]
ONE_SITE_COORDINATOR = "coordinator_one_site"


class BenchError(RuntimeError):
    """The bench cannot run or a page answered unexpectedly; the message says why."""


@dataclasses.dataclass
class Target:
    users: dict  # username -> User
    group: Group
    session: GroupSession
    site: Site  # the site with the most men, the one-site coordinator's
    man: Participant  # the man with the longest history at `site`
    added_men: int = 0  # men enrolled by the bench to reach ROSTER_SIZE


def prepare(roster_size=ROSTER_SIZE):
    """Pick (and if needed complete) what the pages show. Call it after seeding."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
    missing = sorted(set(USERNAMES) - set(users))
    if missing:
        raise BenchError(f"No user {', '.join(missing)}: seed the demo data first (seed_demo).")
    session, size = _pick_session(users["facilitator"], roster_size)
    added = _enrol_extra_men(session, roster_size - size) if size < roster_size else 0
    site = _largest_site()
    users[ONE_SITE_COORDINATOR] = _one_site_coordinator(site)
    return Target(
        users=users,
        group=session.group,
        session=session,
        site=site,
        man=_longest_history(users[ONE_SITE_COORDINATOR]),
        added_men=added,
    )


def _pick_session(facilitator, roster_size):
    """The past, recordable session of the facilitator's groups whose record page lists the
    most men up to `roster_size` (or the fewest above it), the most recent on a tie."""
    groups = Group.objects.facilitated_by(facilitator).select_related("site", "programme")
    best = None
    for group in groups:
        today = timezone.localdate(timezone=group.site.tzinfo)
        sessions = (
            group.sessions.exclude(state=SessionState.CANCELLED)
            .filter(date__lt=today)
            .select_related("group", "group__site", "group__programme")
        )
        for session in sessions:
            size = len(men_of_session(session)[0])
            key = (
                size > roster_size,
                -size if size <= roster_size else size,
                -session.date.toordinal(),
            )
            if best is None or key < best[0]:
                best = (key, session, size)
    if best is None:
        raise BenchError("The facilitator has no past session to record: seed the demo data.")
    return best[1], best[2]


def _enrol_extra_men(session, count):
    """Enrol `count` new men in the session's group from its date on, at the group's site."""
    group = session.group
    men = Participant.objects.bulk_create(
        [
            Participant(
                code=f"{group.site.code}-X{n:03d}",
                site=group.site,
                first_name="Bench",
                last_name=f"{n:03d}",
                status=ParticipantStatus.ACTIVE,
                intake_date=session.date,
            )
            for n in range(1, count + 1)
        ]
    )
    Enrolment.objects.bulk_create(
        [Enrolment(participant=man, group=group, start_date=session.date) for man in men]
    )
    return count


def _largest_site():
    site = Site.objects.annotate(men=Count("participants")).order_by("-men", "code").first()
    if site is None:
        raise BenchError("No site: seed the demo data first (seed_demo).")
    return site


def _one_site_coordinator(site):
    """A coordinator of `site` alone (no password: the bench logs him in with force_login)."""
    user, _created = get_user_model().objects.get_or_create(
        username=ONE_SITE_COORDINATOR,
        defaults={"first_name": "Bench", "last_name": f"coordinator of {site.code}"},
    )
    StaffRole.objects.get_or_create(user=user, site=site, role=StaffRoleKind.COORDINATOR)
    return user


def _longest_history(coordinator):
    man = (
        Participant.objects.visible_to(coordinator)
        .annotate(sessions=Count("attendances"))
        .order_by("-sessions", "code")
        .first()
    )
    if man is None:
        raise BenchError("The coordinator sees no man: seed the demo data first (seed_demo).")
    return man
