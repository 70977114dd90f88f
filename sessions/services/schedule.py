"""Sessions are generated from each group's schedule for a rolling window ahead."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendes.audit.log import record
from gendes.audit.models import AuditEvent

from ..enums import SessionState
from ..models import GroupSession

WEEKS_AHEAD = 4


class ScheduleError(ValueError):
    """A schedule change that cannot be made; the message says why (translated)."""


def planned_dates(group, first_day, last_day):
    """The dates between `first_day` and `last_day` on which `group` meets."""
    weekdays = set(group.weekday_list)
    start = max(first_day, group.start_date)
    end = min(last_day, group.end_date) if group.end_date else last_day
    day = start
    while day <= end:
        if day.weekday() in weekdays:
            yield day
        day += datetime.timedelta(days=1)


def generate_sessions(*, groups, until=None, since=None):
    """Create the missing scheduled sessions of `groups` up to `until` (4 weeks ahead by
    default). Existing sessions, cancelled ones included, are left as they are. Returns the
    number of sessions created. One INSERT whatever the number of groups."""
    today = timezone.localdate()
    until = until or today + datetime.timedelta(weeks=WEEKS_AHEAD)
    since = since or today - datetime.timedelta(weeks=1)
    new = [
        GroupSession(
            group=group,
            date=day,
            start_time=group.start_time,
            duration_minutes=group.programme.session_minutes,
        )
        for group in groups
        if group.active
        for day in planned_dates(group, since, until)
    ]
    if not new:
        return 0
    # The unique slot (group, date, start time) makes generation idempotent.
    created = GroupSession.objects.bulk_create(new, ignore_conflicts=True)
    return len(created)


def cancel_session(*, session, reason):
    if session.state == SessionState.RECORDED:
        raise ScheduleError(_("A recorded session cannot be cancelled."))
    session.state = SessionState.CANCELLED
    session.cancellation_reason = reason
    session.save(update_fields=["state", "cancellation_reason"])
    return session


def restore_session(*, session):
    if session.state == SessionState.CANCELLED:
        session.state = SessionState.SCHEDULED
        session.cancellation_reason = ""
        session.save(update_fields=["state", "cancellation_reason"])
    return session


def add_extra_session(*, group, date, start_time, duration_minutes=None):
    if date < group.start_date or (group.end_date and date > group.end_date):
        raise ScheduleError(_("The date is outside the group's running dates."))
    try:
        with transaction.atomic():
            return GroupSession.objects.create(
                group=group,
                date=date,
                start_time=start_time,
                duration_minutes=duration_minutes or group.programme.session_minutes,
                is_extra=True,
            )
    except IntegrityError:
        raise ScheduleError(_("The group already has a session at that date and time.")) from None


def set_walk_ins(*, group, allowed, by):
    """Whether facilitators may add a newcomer to the roster during a session (audited: it
    lets a facilitator create a man's record)."""
    if group.allows_walk_ins != allowed:
        group.allows_walk_ins = allowed
        group.save(update_fields=["allows_walk_ins"])
        record(user=by, action=AuditEvent.Action.CHANGE, obj=group, detail=f"walk-ins={allowed}")
    return group
