"""The men of `--years`: each group takes in men one after another over the years. Most
complete the programme, many stop coming after a few sessions and are dropped out, a few
are terminated after new violence or transferred; those still in a group are active."""

import bisect
import datetime
import math

from participants.enums import ExitStatus, ParticipantStatus
from sessions.enums import AttendanceStatus as A

from . import texts
from .people import ManPlan, Stay, date_referrals, waiting
from .schedule import meeting_days

DAY = datetime.timedelta(days=1)
# Men a group meeting once a week takes in a year (twice a week: twice as many, as they
# finish in half the time): ~560 a year across the groups of `--scale 3`.
ARRIVALS_PER_YEAR = 15
STORIES = ["completer", "dropper", "no_show", "terminated", "moved_out", "moved_to"]
WEIGHTS = [46, 32, 8, 4, 5, 5]
# Sessions a dropper comes to before he stops coming.
DROPPER_ATTENDS = [1, 1, 2, 2, 3, 4, 5, 7, 10, 14]


class GroupHistory:
    """Plans the stays of one group's men, over its meetings from before the recorded years
    (not recorded: the demo's history starts with groups already running) to today."""

    def __init__(self, demo, group):
        self.demo, self.rng, self.group = demo, demo.rng, group
        self.programme = programme = group.programme
        self.required = programme.required_sessions
        self.sessions = demo.recorded.get(group.pk, [])
        self.dates = [session.date for session in self.sessions]
        self.first_day = demo.days(-demo.history_days)
        self.gives_up_after = programme.max_consecutive_absences or 2
        self.excused_share = 0.9 if programme.allowed_unexcused_absences == 0 else 0.5
        per_week = len(group.weekday_list)
        self.arrivals_per_year = ARRIVALS_PER_YEAR * per_week
        # Men who join this long before the recorded years are still there when they begin.
        self.lead = datetime.timedelta(
            weeks=math.ceil(1.5 * programme.required_sessions / per_week)
        )

    def meetings(self, start):
        """(day, session) of the meetings from `start`: without a session before the recorded
        years, then the recorded sessions (cancelled and unrecorded ones nobody attended)."""
        for day in meeting_days(self.group, start, self.first_day - DAY):
            yield day, None
        for session in self.sessions[bisect.bisect_left(self.dates, start) :]:
            yield session.date, session

    def comes(self, stay, meetings, times, p, violent_at=0):
        """He comes to `times` meetings, missing some (with probability 1 - p) as far as the
        programme allows; at the `violent_at`-th he reports physical violence. Returns the
        day of the last, or None if the recorded sessions run out first."""
        rng, programme = self.rng, self.programme
        came = excused = unexcused = run = 0
        while came < times:
            day, session = next(meetings, (None, None))
            if day is None:
                return None
            may_excuse = excused < programme.allowed_excused_absences
            may_skip = unexcused < programme.allowed_unexcused_absences
            if rng.random() < p or run + 1 >= self.gives_up_after or not (may_excuse or may_skip):
                came, run = came + 1, 0
                status = A.LATE if rng.random() < 0.1 else A.PRESENT
            elif may_excuse and (not may_skip or rng.random() < self.excused_share):
                excused, run, status = excused + 1, run + 1, A.EXCUSED
            else:
                unexcused, run, status = unexcused + 1, run + 1, A.UNEXCUSED
            if session:
                violent = came == violent_at and status in (A.PRESENT, A.LATE)
                stay.marks.append((session, status, "physical" if violent else ""))
        return day

    def stops_coming(self, stay, meetings):
        """Misses meetings until the coordinator gives up on him: the day of the last one,
        or None if the recorded sessions run out first."""
        for _ in range(self.gives_up_after):
            day, session = next(meetings, (None, None))
            if day is None:
                return None
            if session:
                stay.marks.append((session, A.UNEXCUSED, ""))
        return day

    def close(self, stay, meetings, last, exit_status, reason, most_days):
        """The coordinator closes the enrolment a few days after `last`, before the next
        meeting."""
        day = last + self.rng.randint(1, most_days) * DAY
        following, _session = next(meetings, (None, None))
        if following:
            day = min(day, following - DAY)
        stay.end = min(day, self.demo.today)
        stay.exit_status, stay.exit_reason = exit_status, reason

    def completes(self, stay, meetings, times, p):
        last = self.comes(stay, meetings, times, p)
        if last:
            stay.end, stay.exit_status = last, ExitStatus.COMPLETED
            stay.exit_reason = texts.EXIT_REASONS["completed"]
        return stay

    def man(self, story, start, other=None):
        """The plan of a man who joins on `start` and whose stay tells `story`."""
        stay = Stay(self.group, start)
        risk = self.rng.choice([0.03, 0.05, 0.08, 0.12, 0.18, 0.25])
        if story == "completer":
            p = self.rng.uniform(0.8, 0.95)
            stays, risk = [self.completes(stay, self.meetings(start), self.required, p)], risk / 2
        elif story == "terminated":
            stays, risk = [self.terminated(stay)], 0.3
        elif story in ("moved_out", "moved_to"):
            stays, risk = self.transferred(stay, other), 0.08
        else:
            stays = [self.drops_out(stay, 0 if story == "no_show" else None)]
        return ManPlan(self.group.site, status_of(stays[-1]), stays, risk)

    def drops_out(self, stay, attends=None):
        """Comes a few times (`attends`, or a number drawn), then stops coming."""
        rng, reasons = self.rng, texts.EXIT_REASONS["dropped_out"]
        attends = rng.choice(DROPPER_ATTENDS) if attends is None else attends
        meetings = self.meetings(stay.start)
        if attends and not self.comes(stay, meetings, attends, 0.75):
            return stay
        last = self.stops_coming(stay, meetings)
        if last:
            reason = reasons[2] if attends == 0 else rng.choice(reasons[:2] + reasons[3:])
            self.close(stay, meetings, last, ExitStatus.DROPPED_OUT, reason, 4)
        return stay

    def terminated(self, stay):
        """Reports physical violence after a few sessions; the programme ends his stay."""
        attends = self.rng.randint(3, self.required - 2)
        meetings = self.meetings(stay.start)
        last = self.comes(stay, meetings, attends, 0.8, violent_at=attends)
        if last:
            reason = texts.EXIT_REASONS["terminated"][0]
            self.close(stay, meetings, last, ExitStatus.TERMINATED, reason, 2)
        return stay

    def transferred(self, stay, other):
        """Leaves after some sessions: to `other` group of the site, where he carries on
        from the next day, or (no other, or closed on the last day) out of the site."""
        rng, reasons = self.rng, texts.EXIT_REASONS
        attends = rng.randint(2, self.required - 2)
        meetings = self.meetings(stay.start)
        last = self.comes(stay, meetings, attends, 0.85)
        if not last:
            return [stay]
        self.close(stay, meetings, last, ExitStatus.TRANSFERRED, "", 1 if other else 3)
        if not other or stay.end >= self.demo.today:
            stay.exit_reason = rng.choice(reasons["transferred_out"])
            return [stay]
        stay.exit_reason = rng.choice(reasons["transferred_in"])
        moved = Stay(other.group, stay.end + DAY)
        return [
            stay,
            other.completes(moved, other.meetings(moved.start), self.required - attends, 0.9),
        ]

    def arrivals(self):
        """The days men join this group, from `lead` before the recorded years to today: one
        at a random day of each of `count` equal spans, so that the group never runs dry."""
        rng, first = self.rng, max(self.first_day - self.lead, self.group.start_date)
        span = (self.demo.today - first).days
        count = max(1, round(self.arrivals_per_year * span / 365.25 * rng.uniform(0.8, 1.2)))
        return [first + int((i + rng.random()) * span / count) * DAY for i in range(count)]


def status_of(stay):
    return stay.exit_status or ParticipantStatus.ACTIVE


def plan_men(demo):
    rng = demo.rng
    plans = []
    for site in demo.sites:
        histories = [GroupHistory(demo, g) for g in demo.groups if g.site_id == site.pk]
        for history in histories:
            others = [h for h in histories if h is not history]
            for start in history.arrivals():
                story = rng.choices(STORIES, weights=WEIGHTS)[0]
                other = rng.choice(others) if story == "moved_to" and others else None
                plan = history.man(story, start, other)
                # Men whose whole story ended before the recorded years are not shown.
                if not plan.stays[-1].end or plan.stays[-1].end >= history.first_day:
                    plans.append(plan)
        for _copy in range(demo.scale):
            plans += waiting(rng, site)
    date_referrals(demo, plans)
    return plans
