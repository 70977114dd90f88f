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
    # Built by org.py.
    sites: list = field(default_factory=list)
    site_spec: dict = field(default_factory=dict)  # site.pk -> its catalogue entry
    programmes: dict = field(default_factory=dict)  # programme key -> Programme
    topics: dict = field(default_factory=dict)  # programme.pk -> [Topic] in order
    users: dict = field(default_factory=dict)  # demo username -> User
    groups: list = field(default_factory=list)
    group_facilitators: dict = field(default_factory=dict)  # group.pk -> [User, User]
    # Built by schedule.py: group.pk -> recorded sessions, oldest first.
    recorded: dict = field(default_factory=dict)
    # Built by people.py.
    participants: list = field(default_factory=list)
    plans: list = field(default_factory=list)  # people.ManPlan
    # Built by checkins.py: (session, participant_id, Attendance) of the check-ins that raise
    # an alert.
    alarming: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)  # stage name -> seconds

    def days(self, n):
        return self.today + datetime.timedelta(days=n)
