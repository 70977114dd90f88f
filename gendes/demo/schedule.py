"""Sessions from each group's schedule: twelve weeks back, or the years of `--years`
(recorded, but for one or two left unrecorded and a cancelled one, and over the years a
holiday now and then) and two weeks ahead (scheduled)."""

import datetime

from sessions.enums import SessionState
from sessions.models import GroupSession

from . import texts

DAYS_AHEAD = 14
HOLIDAYS = 0.02  # share of the sessions of `--years` cancelled


def meeting_days(group, first_day, last_day):
    weekdays = set(group.weekday_list)
    day = max(first_day, group.start_date)
    while day <= last_day:
        if day.weekday() in weekdays:
            yield day
        day += datetime.timedelta(days=1)


def plan_sessions(demo):
    """The sessions, in memory: the men's plans refer to them before they are written."""
    rng = demo.rng
    first_day = demo.days(-demo.history_days)
    last_day = demo.days(DAYS_AHEAD - 1)
    sessions, present, covered = [], [], []
    for index, group in enumerate(demo.groups):
        tz = group.site.tzinfo
        length = datetime.timedelta(minutes=group.programme.session_minutes)
        topics = demo.topics[group.programme_id]
        next_topic = rng.randrange(len(topics))
        days = list(meeting_days(group, first_day, last_day))
        # Sessions that have ended by now; later ones are still to come.
        past = [
            d
            for d in days
            if datetime.datetime.combine(d, group.start_time, tzinfo=tz) + length <= demo.now
        ]
        # A few groups have a session nobody recorded yet, or one that was cancelled.
        over = set(past)
        unrecorded = past[-1] if index % 6 == 0 and past else None
        cancelled = {past[len(past) // 2]} if index % 5 == 2 and len(past) > 2 else set()
        if demo.years:
            cancelled |= {d for d in past if rng.random() < HOLIDAYS}
        for day in days:
            session = GroupSession(
                group=group,
                date=day,
                start_time=group.start_time,
                duration_minutes=group.programme.session_minutes,
            )
            sessions.append(session)
            if day not in over or day == unrecorded:
                continue
            if day in cancelled:
                session.state = SessionState.CANCELLED
                session.cancellation_reason = rng.choice(texts.CANCELLATION_REASONS)
                continue
            pair = demo.group_facilitators[group.pk]
            there = list(pair) if rng.random() < 0.85 else [rng.choice(pair)]
            ended = datetime.datetime.combine(day, group.start_time, tzinfo=tz) + length
            session.state = SessionState.RECORDED
            session.recorded_by = rng.choice(there)
            session.recorded_at = min(
                ended + datetime.timedelta(minutes=rng.randint(5, 60 * 30)), demo.now
            )
            session.version = 1
            if rng.random() < 0.3:
                session.notes = rng.choice(texts.SESSION_NOTES)
            present.append((session, there))
            count = 2 if rng.random() < 0.3 else 1
            covered.append(
                (session, [topics[(next_topic + k) % len(topics)] for k in range(count)])
            )
            next_topic += count
            demo.recorded.setdefault(group.pk, []).append(session)
    demo.sessions, demo.session_facilitators, demo.session_topics = sessions, present, covered


def save_sessions(demo, plans):
    """Writes the sessions. One nobody attended (a group with no man enrolled, over the
    years of `--years`) was cancelled instead."""
    # By id(): a model instance without its primary key yet cannot be hashed.
    marked = {id(s) for plan in plans for stay in plan.stays for s, *_ in stay.marks}
    empty = [s for s, _users in demo.session_facilitators if id(s) not in marked]
    for session in empty:
        session.state = SessionState.CANCELLED
        session.cancellation_reason = texts.NOBODY_ENROLLED
        session.recorded_by = session.recorded_at = None
        session.version = 0
        session.notes = ""
    GroupSession.objects.bulk_create(demo.sessions, batch_size=2000)
    through = GroupSession.facilitators.through
    through.objects.bulk_create(
        [
            through(groupsession_id=s.pk, user_id=u.pk)
            for s, users in demo.session_facilitators
            if id(s) in marked
            for u in users
        ],
        batch_size=5000,
    )
    through = GroupSession.topics.through
    through.objects.bulk_create(
        [
            through(groupsession_id=s.pk, topic_id=t.pk)
            for s, topics in demo.session_topics
            if id(s) in marked
            for t in topics
        ],
        batch_size=5000,
    )
