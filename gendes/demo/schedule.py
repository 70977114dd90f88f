"""Sessions from each group's schedule: twelve weeks back (recorded, but for one or two left
unrecorded and a cancelled one) and two weeks ahead (scheduled)."""

import datetime

from sessions.enums import SessionState
from sessions.models import GroupSession

from . import texts

WEEKS_BACK = 12
DAYS_AHEAD = 14


def meeting_days(group, first_day, last_day):
    weekdays = set(group.weekday_list)
    day = max(first_day, group.start_date)
    while day <= last_day:
        if day.weekday() in weekdays:
            yield day
        day += datetime.timedelta(days=1)


def build_sessions(demo):
    rng = demo.rng
    first_day = demo.days(-7 * WEEKS_BACK)
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
        unrecorded = past[-1] if index % 6 == 0 and past else None
        cancelled = past[len(past) // 2] if index % 5 == 2 and len(past) > 2 else None
        for day in days:
            session = GroupSession(
                group=group,
                date=day,
                start_time=group.start_time,
                duration_minutes=group.programme.session_minutes,
            )
            sessions.append(session)
            if day not in past or day == unrecorded:
                continue
            if day == cancelled:
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

    GroupSession.objects.bulk_create(sessions, batch_size=2000)
    through = GroupSession.facilitators.through
    through.objects.bulk_create(
        [through(groupsession_id=s.pk, user_id=u.pk) for s, users in present for u in users],
        batch_size=5000,
    )
    through = GroupSession.topics.through
    through.objects.bulk_create(
        [through(groupsession_id=s.pk, topic_id=t.pk) for s, topics in covered for t in topics],
        batch_size=5000,
    )
    return sessions
