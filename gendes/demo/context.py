"""What the builders share while seeding: the random generator, today's date, and what the
earlier builders made."""

import datetime
import random
from dataclasses import dataclass, field


@dataclass
class Demo:
    rng: random.Random
    scale: int
    today: datetime.date
    now: datetime.datetime
    # 0: the default ~12 weeks of sessions; else the years of history `--years` asks for.
    years: int = 0
    # Built by org.py.
    sites: list = field(default_factory=list)
    site_spec: dict = field(default_factory=dict)  # site.pk -> its catalogue entry
    programmes: dict = field(default_factory=dict)  # programme key -> Programme
    topics: dict = field(default_factory=dict)  # programme.pk -> [Topic] in order
    users: dict = field(default_factory=dict)  # demo username -> User
    groups: list = field(default_factory=list)
    group_facilitators: dict = field(default_factory=dict)  # group.pk -> [User, User]
    # Built by schedule.py: every session, group.pk -> recorded sessions (oldest first),
    # and the facilitators present at and the topics covered in each recorded one.
    sessions: list = field(default_factory=list)
    recorded: dict = field(default_factory=dict)
    session_facilitators: list = field(default_factory=list)  # (session, [User])
    session_topics: list = field(default_factory=list)  # (session, [Topic])
    # Built by people.py.
    participants: list = field(default_factory=list)
    plans: list = field(default_factory=list)  # people.ManPlan
    # Built by checkins.py: (session, participant_id, Attendance) of the check-ins that raise
    # an alert.
    alarming: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)  # stage name -> seconds

    def days(self, n):
        return self.today + datetime.timedelta(days=n)

    @property
    def history_days(self):
        """How far back the recorded sessions go."""
        return round(365.25 * self.years) if self.years else 7 * 12
