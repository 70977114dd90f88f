"""The men: for each group a roster whose story the attendance tells (a core that stays, a
newcomer who stays, newcomers who drop out after a session or two), plus per site men still
waiting after their referral and men transferred within or out of the site."""

import datetime
import math
from dataclasses import dataclass, field

from participants.enums import ExitStatus, ParticipantStatus
from sessions.enums import AttendanceStatus as A

from . import texts

DAY = datetime.timedelta(days=1)


@dataclass
class Stay:
    """One enrolment and what he did in each recorded session it covers."""

    group: object
    start: datetime.date
    end: datetime.date | None = None
    exit_status: str = ""
    exit_reason: str = ""
    marks: list = field(default_factory=list)  # (session, attendance status, "physical"|"")


@dataclass
class ManPlan:
    site: object
    status: str
    stays: list
    risk: float
    referred_on: datetime.date | None = None
    intake_date: datetime.date | None = None
    participant: object = None


class Roster:
    """Plans the men of one group from its recorded sessions (oldest first)."""

    def __init__(self, demo, group):
        self.demo, self.rng, self.group = demo, demo.rng, group
        self.sessions = demo.recorded.get(group.pk, [])
        programme = group.programme
        self.per_week = len(group.weekday_list)
        self.required_weeks = math.ceil(programme.required_sessions / self.per_week)
        self.gives_up_after = programme.max_consecutive_absences or 2
        self.excused_share = 0.9 if programme.allowed_unexcused_absences == 0 else 0.5

    @property
    def window_start(self):
        return self.sessions[0].date if self.sessions else self.demo.today

    def steady(self, stay, p, force=None):
        """Marks for every recorded session the stay covers: attends with probability p, and
        surely in the sessions whose indexes `force` holds (True there: reports physical
        violence)."""
        rng, force = self.rng, force or {}
        for i, session in enumerate(self.sessions):
            if session.date < stay.start or (stay.end and session.date > stay.end):
                continue
            if i in force or rng.random() < p:
                status = A.LATE if rng.random() < 0.1 else A.PRESENT
            else:
                status = A.EXCUSED if rng.random() < self.excused_share else A.UNEXCUSED
            stay.marks.append((session, status, "physical" if force.get(i) else ""))
        return stay

    def dropping(self, stay, attends):
        """Comes `attends` times, then stops coming."""
        covered = [
            s
            for s in self.sessions
            if s.date >= stay.start and (not stay.end or s.date <= stay.end)
        ]
        for i, session in enumerate(covered):
            status = (A.LATE if self.rng.random() < 0.1 else A.PRESENT) if i < attends else None
            stay.marks.append((session, status or A.UNEXCUSED, ""))
        return stay

    def joins_at(self, index):
        """An enrolment date on or a few days before the index-th session, after the one before."""
        day = self.sessions[index].date - self.rng.randint(0, 6) * DAY
        if index > 0:
            day = max(day, self.sessions[index - 1].date + DAY)
        return day

    def leaves_after(self, index, extra_days):
        """A closing date a few days after the index-th session, before the next one."""
        day = self.sessions[index].date + extra_days * DAY
        if index + 1 < len(self.sessions):
            day = min(day, self.sessions[index + 1].date - DAY)
        return min(day, self.demo.today)

    def before_window(self, most_weeks):
        weeks = self.rng.randint(1, max(2, most_weeks))
        return self.not_before_group(self.window_start - datetime.timedelta(weeks=weeks))

    def not_before_group(self, day):
        return max(day, self.group.start_date)

    def man(self, kind):
        rng, n = self.rng, len(self.sessions)
        risk = rng.choice([0.03, 0.05, 0.08, 0.12, 0.18, 0.25])
        if kind == "core":
            start = self.before_window(self.required_weeks - 13)
            stay = self.steady(Stay(self.group, start), rng.uniform(0.75, 0.95))
            return ManPlan(self.group.site, ParticipantStatus.ACTIVE, [stay], risk)
        if kind == "completer":
            k = rng.randint(n // 3, n - 2)
            start = self.sessions[k].date - datetime.timedelta(weeks=self.required_weeks + 2)
            start = self.not_before_group(start)
            stay = Stay(self.group, start, self.sessions[k].date, ExitStatus.COMPLETED)
            stay.exit_reason = texts.EXIT_REASONS["completed"]
            self.steady(stay, 0.92, force={k: False})
            return ManPlan(self.group.site, ParticipantStatus.COMPLETED, [stay], risk / 2)
        if kind == "terminated":
            k = rng.randint(2, n - 3)
            start = self.before_window(self.required_weeks - 13)
            stay = Stay(self.group, start, self.leaves_after(k, 2), ExitStatus.TERMINATED)
            stay.exit_reason = texts.EXIT_REASONS["terminated"][0]
            self.steady(stay, 0.8, force={k: True})
            return ManPlan(self.group.site, ParticipantStatus.TERMINATED, [stay], 0.3)
        if kind == "stayer":
            k = rng.randint(1, max(1, n - 4))
            stay = self.steady(
                Stay(self.group, self.joins_at(k)),
                rng.uniform(0.7, 0.9),
                force={k: False},
            )
            return ManPlan(self.group.site, ParticipantStatus.ACTIVE, [stay], risk)
        # A dropper comes once to three times (a no-show never), then stops coming; after
        # the programme's consecutive absences the coordinator closes his enrolment.
        attends = 0 if kind == "no_show" else rng.choice([1, 1, 2, 2, 3])
        k = rng.randint(0, n - 2)
        last = k + attends + self.gives_up_after - 1
        stay = Stay(self.group, self.joins_at(k))
        status = ParticipantStatus.ACTIVE
        if last < n:
            stay.end = self.leaves_after(last, rng.randint(1, 4))
            stay.exit_status = ExitStatus.DROPPED_OUT
            reasons = texts.EXIT_REASONS["dropped_out"]
            stay.exit_reason = reasons[2] if attends == 0 else rng.choice(reasons[:2] + reasons[3:])
            status = ParticipantStatus.DROPPED_OUT
        return ManPlan(self.group.site, status, [self.dropping(stay, attends)], risk)

    def moved_out(self):
        k = self.rng.randint(2, len(self.sessions) - 3)
        start = self.before_window(self.required_weeks - 13)
        stay = Stay(self.group, start, self.leaves_after(k, 3), ExitStatus.TRANSFERRED)
        stay.exit_reason = self.rng.choice(texts.EXIT_REASONS["transferred_out"])
        self.steady(stay, 0.85)
        return ManPlan(self.group.site, ParticipantStatus.TRANSFERRED, [stay], 0.08)

    def moved_to(self, other):
        """Leaves this group for `other` of the same site and carries on there."""
        k = self.rng.randint(2, len(self.sessions) - 4)
        start = self.before_window(self.required_weeks - 13)
        first = Stay(self.group, start, self.leaves_after(k, 1), ExitStatus.TRANSFERRED)
        first.exit_reason = self.rng.choice(texts.EXIT_REASONS["transferred_in"])
        second = Stay(other.group, first.end + DAY)
        self.steady(first, 0.85)
        other.steady(second, 0.85)
        return ManPlan(self.group.site, ParticipantStatus.ACTIVE, [first, second], 0.08)


def group_kinds(rng):
    kinds = ["core"] * 4 + ["stayer", "dropper"]
    if rng.random() < 0.45:
        kinds[0] = "completer"
    if rng.random() < 0.25:
        kinds[1] = "terminated"
    if rng.random() < 0.5:
        kinds.append("no_show" if rng.random() < 0.6 else "dropper")
    return kinds


def plan_men(demo):
    rng = demo.rng
    plans = []
    for site in demo.sites:
        rosters = [Roster(demo, g) for g in demo.groups if g.site_id == site.pk]
        rosters = [r for r in rosters if len(r.sessions) >= 6]
        for roster in rosters:
            plans += [roster.man(kind) for kind in group_kinds(rng)]
        base = len(demo.site_spec[site.pk]["groups"])
        for copy in range(demo.scale):
            mine = rosters[copy * base : (copy + 1) * base]
            if len(mine) >= 2 and rng.random() < 0.5:
                plans.append(mine[0].moved_to(mine[1]))
            if mine and rng.random() < 0.3:
                plans.append(rng.choice(mine).moved_out())
            plans += waiting(rng, site)
    date_referrals(demo, plans)
    return plans


def waiting(rng, site):
    """Men referred lately, not yet in a group."""
    return [ManPlan(site, ParticipantStatus.REFERRED, [], 0.1) for _ in range(rng.randint(1, 2))]


def date_referrals(demo, plans):
    """Each man was referred, and had his intake, shortly before his first enrolment."""
    rng = demo.rng
    for plan in plans:
        if plan.stays:
            start = plan.stays[0].start
            plan.intake_date = start - rng.randint(0, 7) * DAY
            plan.referred_on = plan.intake_date - rng.randint(3, 35) * DAY
        else:
            plan.referred_on = demo.days(-rng.randint(1, 25))
            if rng.random() < 0.5:
                plan.intake_date = min(plan.referred_on + rng.randint(1, 7) * DAY, demo.today)
