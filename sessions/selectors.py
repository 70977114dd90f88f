"""Reads of sessions that pages compose (a man's page, the home page, the record page)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from participants.selectors import roster_on
from programmes.enums import StaffRoleKind
from programmes.models import Group, Topic

from .enums import AttendanceStatus, SessionState, Violence
from .models import Attendance, GroupSession, SafetyAlert


def week_bounds(day):
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def sessions_in_week(user, day, *, facilitated_only=True):
    """The sessions of the week containing `day` of the user's groups."""
    groups = (
        Group.objects.facilitated_by(user) if facilitated_only else Group.objects.visible_to(user)
    )
    monday, sunday = week_bounds(day)
    return (
        GroupSession.objects.filter(group__in=groups)
        .between(monday, sunday)
        .select_related("group", "group__site")
        .order_by("date", "start_time")
    )


def recent_sessions(group, limit=12):
    return group.sessions.select_related("group__site").order_by("-date", "-start_time")[:limit]


def open_alerts_for(user):
    """The open alerts a coordinator must acknowledge (those of the sites he coordinates)."""
    return (
        SafetyAlert.objects.filter(session__group__in=Group.objects.coordinated_by(user))
        .open()
        .select_related("participant", "session", "session__group", "session__group__site")
        .order_by("-created_at")
    )


def attendance_history(participant):
    """His attendance and check-ins, most recent first, each with its session and group."""
    return (
        Attendance.objects.filter(participant=participant)
        .select_related("session", "session__group")
        .order_by("-session__date", "-session__start_time")
    )


def men_of_session(session):
    """The men of the record page: those enrolled in the group on the session's date, plus
    anyone already recorded in it (a correction never drops a saved row). Two queries."""
    saved = {
        a.participant_id: a
        for a in session.attendances.select_related("participant").order_by("participant__code")
    }
    men = {e.participant.pk: e.participant for e in roster_on(session.group, session.date)}
    for pid, attendance in saved.items():
        men.setdefault(pid, attendance.participant)
    return sorted(men.values(), key=lambda m: m.code), saved


def record_choices(session):
    """Choices and current values of the session form (four queries)."""
    user_model = get_user_model()
    facilitators_present = list(session.facilitators.values_list("pk", flat=True))
    group_facilitators = list(session.group.facilitators.values_list("pk", flat=True))
    return {
        "facilitator_choices": user_model.objects.filter(
            pk__in=set(facilitators_present) | set(group_facilitators)
        ).order_by("first_name", "username"),
        "topic_choices": Topic.objects.for_programme(session.group.programme_id),
        "facilitators_present": facilitators_present,
        "group_facilitators": group_facilitators,
        "topics_covered": list(session.topics.values_list("pk", flat=True)),
    }


def coordinator_names(site):
    users = get_user_model().objects.filter(
        is_active=True, staff_roles__site=site, staff_roles__role=StaffRoleKind.COORDINATOR
    )
    return [u.get_full_name() or u.username for u in users.order_by("first_name", "username")]


def session_changes(session):
    """The saves of a session, newest first, each with `items` in words of the current
    language (the log keeps field names and raw values)."""
    changes = list(session.changes.select_related("changed_by").order_by("-version"))
    for change in changes:
        change.items = [_readable(item) for item in change.changes]
    return changes


def _field_label(name):
    for model in (Attendance, GroupSession):
        try:
            return model._meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            continue
    return name


def _value_label(field, value):
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field == "status":
        return AttendanceStatus(value).label
    if field == "violence":
        return Violence(value).label
    return value


def _readable(item):
    field = item.get("field", "")
    return {
        "who": item.get("who", ""),
        "field": _field_label(field),
        "old": _value_label(field, item.get("old")),
        "new": _value_label(field, item.get("new")),
    }


def attendance_summary(participant, history=None):
    """His counts in one query: sessions attended, absences by kind, the date of his last
    attended session and of his last reported violence. None if `history` (his every
    attendance, with its session) is loaded already: the same counts from it."""
    if history is not None:
        attended = [a.session.date for a in history if a.attended]
        return {
            "attended": len(attended),
            "late": sum(a.status == AttendanceStatus.LATE for a in history),
            "excused": sum(a.status == AttendanceStatus.EXCUSED for a in history),
            "unexcused": sum(a.status == AttendanceStatus.UNEXCUSED for a in history),
            "last_attended": max(attended, default=None),
            "last_violence": max(
                (a.session.date for a in history if a.violence == Violence.YES), default=None
            ),
        }
    attended = Q(status__in=AttendanceStatus.attended())
    return Attendance.objects.filter(participant=participant).aggregate(
        attended=Count("pk", filter=attended),
        late=Count("pk", filter=Q(status=AttendanceStatus.LATE)),
        excused=Count("pk", filter=Q(status=AttendanceStatus.EXCUSED)),
        unexcused=Count("pk", filter=Q(status=AttendanceStatus.UNEXCUSED)),
        last_attended=Max("session__date", filter=attended),
        last_violence=Max("session__date", filter=Q(violence=Violence.YES)),
    )


def participant_summary(participant, history):
    """The counts of his page (no query); `history` is his attendance, most recent first."""
    summary = attendance_summary(participant, history)
    summary["consecutive_absences"] = consecutive_absences(history)
    last_violence = summary["last_violence"]
    if last_violence is not None:
        today = timezone.localdate(timezone=participant.site.tzinfo)
        summary["weeks_since_violence"] = (today - last_violence).days // 7
    else:
        summary["weeks_since_violence"] = None
    return summary


def consecutive_absences(history):
    """Absences since his last attended session, from his history (most recent first)."""
    count = 0
    for attendance in history:
        if attendance.attended:
            break
        count += 1
    return count


GRID_SYMBOLS = {
    AttendanceStatus.PRESENT: "✓",
    AttendanceStatus.LATE: "L",
    AttendanceStatus.EXCUSED: "E",
    AttendanceStatus.UNEXCUSED: "U",
}


def attendance_grid(group, men, size=8):
    """The last `size` held sessions of the group and each man's mark in them (2 queries):
    returns (sessions oldest first, {participant id: [(symbol, label, status), ...]}); the
    label is what a screen reader says, the status styles the cell."""
    sessions = list(
        group.sessions.filter(state=SessionState.RECORDED).order_by("-date", "-start_time")[:size]
    )[::-1]
    statuses = {
        (session_id, participant_id): status
        for session_id, participant_id, status in Attendance.objects.filter(
            session__in=sessions, participant__in=men
        ).values_list("session_id", "participant_id", "status")
    }
    absent = ("·", gettext("not on the roster"), "")
    marks = {
        status: (symbol, AttendanceStatus(status).label, status)
        for status, symbol in GRID_SYMBOLS.items()
    }
    return sessions, {
        man.pk: [
            marks[statuses[(s.pk, man.pk)]] if (s.pk, man.pk) in statuses else absent
            for s in sessions
        ]
        for man in men
    }


def topics_covered(group):
    return (
        Topic.objects.filter(sessions__group=group, sessions__state=SessionState.RECORDED)
        .annotate(times=Count("sessions"), last=Max("sessions__date"))
        .order_by("order", "title")
    )
