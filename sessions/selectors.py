"""Reads of sessions that pages compose (a man's page, the home page, the record page)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, FilteredRelation, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext

from participants.enums import ExitStatus
from participants.models import Enrolment, Participant, PartnerContact
from participants.selectors import roster_on
from programmes.enums import StaffRoleKind
from programmes.models import Group, StaffRole, Topic

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


def unrecorded_sessions(user, today, *, facilitated_only=True):
    """Past sessions of the user's groups still neither recorded nor cancelled, oldest first,
    each with `days_since`: the facilitators' to-do, and the coordinators' per site. A
    session of today counts once its start has passed in its site's time zone."""
    groups = (
        Group.objects.facilitated_by(user)
        if facilitated_only
        else Group.objects.coordinated_by(user)
    )
    # A day of margin: a site east of the server's time zone may already be on tomorrow.
    last_day = today + datetime.timedelta(days=1)
    sessions = (
        GroupSession.objects.filter(
            group__in=groups, state=SessionState.SCHEDULED, date__lte=last_day
        )
        .select_related("group", "group__site")
        .order_by("group__site__name", "date", "start_time")
    )
    past = [session for session in sessions if session.is_overdue]
    for session in past:
        session.days_since = (session.group.site.today() - session.date).days
    return past


PARTNER_NOTICE_DAYS = 90


def partner_notices(user, today, days=PARTNER_NOTICE_DAYS):
    """What a partner-support worker must know to plan a partner's safety: for each man whose
    partner she supports, his safety alerts and his dropping out or termination of the last
    `days` days. The date and the kind only: never a check-in's text. Newest first; each
    notice links to her partner contact. Three queries."""
    contacts = dict(PartnerContact.objects.visible_to(user).values_list("participant_id", "pk"))
    if not contacts:
        return []
    since = today - datetime.timedelta(days=days)
    notices = [
        {
            "date": alert.session.date,
            "code": alert.participant.code,
            "contact_id": contacts[alert.participant_id],
            "what": gettext("Safety alert: %(reasons)s") % {"reasons": alert.reasons_display()},
        }
        for alert in SafetyAlert.objects.filter(
            participant_id__in=contacts, session__date__gte=since
        ).select_related("participant", "session")
    ]
    notices += [
        {
            "date": enrolment.end_date,
            "code": enrolment.participant.code,
            "contact_id": contacts[enrolment.participant_id],
            "what": enrolment.get_exit_status_display(),
        }
        for enrolment in Enrolment.objects.filter(
            participant_id__in=contacts,
            exit_status__in=[ExitStatus.DROPPED_OUT, ExitStatus.TERMINATED],
            end_date__gte=since,
        ).select_related("participant")
    ]
    return sorted(notices, key=lambda notice: (notice["date"], notice["code"]), reverse=True)


def recent_sessions(group, limit=12):
    """The group's latest sessions, newest first; each has this `group` as its group (the
    related manager sets it: no join)."""
    return group.sessions.order_by("-date", "-start_time")[:limit]


def alerts_for(user):
    """The alerts of the sites a coordinator coordinates, newest first, with all a list of
    them shows (the man, the session, who acknowledged it)."""
    return (
        SafetyAlert.objects.filter(session__group__in=Group.objects.coordinated_by(user))
        .select_related(
            "participant",
            "session",
            "session__group",
            "session__group__site",
            "acknowledged_by",
        )
        .order_by("-created_at", "-pk")
    )


def alert_history_for(user):
    """`alerts_for`, with each alert's deliveries (who was emailed, what became of it)."""
    return alerts_for(user).prefetch_related("deliveries")


def open_alerts_for(user):
    """The open alerts a coordinator must acknowledge (those of the sites he coordinates)."""
    return alerts_for(user).open()


def alerts_of_session(session):
    return session.alerts.select_related(
        "participant", "session__group__site", "acknowledged_by"
    ).order_by("pk")


def alerts_of_participant(participant, user):
    """His alerts that `user` may see (a facilitator: those of the groups he runs)."""
    return (
        SafetyAlert.objects.visible_to(user)
        .filter(participant=participant)
        .select_related("participant", "session__group__site", "acknowledged_by")
        .order_by("-created_at")
    )


def attendance_history(participant, *, seen_by):
    """His attendance and check-ins, most recent first, each with its session and group:
    those of the sessions `seen_by` may see (a facilitator: of the groups he runs, not of a
    group the man was transferred from or to); all of them when `seen_by` is None (for
    those who manage him: his site's coordinators, admins)."""
    rows = Attendance.objects.all() if seen_by is None else Attendance.objects.visible_to(seen_by)
    return (
        rows.filter(participant=participant)
        .select_related("session", "session__group")
        .order_by("-session__date", "-session__start_time")
    )


def men_of_session(session):
    """The men of the record page: those enrolled in the group on the session's date, plus
    anyone already recorded in it (a correction never drops a saved row), by code; and their
    saved attendance by man's id."""
    enrolled = roster_on(session.group, session.date).values("participant_id")
    recorded = Attendance.objects.filter(session=session).values("participant_id")
    men = list(
        Participant.objects.filter(Q(pk__in=enrolled) | Q(pk__in=recorded))
        .annotate(saved=FilteredRelation("attendances", condition=Q(attendances__session=session)))
        .select_related("saved")
        .order_by("code")
    )
    # select_related sets a filtered relation only on the men who have such a row.
    return men, {man.pk: man.saved for man in men if hasattr(man, "saved")}


def record_choices(session):
    """Choices and current values of the session form, and the names of the site's
    coordinators (the page names them when the group takes no walk-ins).

    The choices are (pk, label) pairs in the page's order: the facilitators who ran the
    session or run the group, by first name; the programme's topics. "facilitators_present",
    "group_facilitators" and "topics_covered" are pks (the topics covered among the choices)."""
    group = session.group
    users = list(
        get_user_model()
        .objects.annotate(
            present=Exists(
                GroupSession.facilitators.through.objects.filter(
                    groupsession_id=session.pk, user_id=OuterRef("pk")
                )
            ),
            of_group=Exists(
                Group.facilitators.through.objects.filter(group_id=group.pk, user_id=OuterRef("pk"))
            ),
            coordinator=Exists(
                StaffRole.objects.filter(
                    site_id=group.site_id, role=StaffRoleKind.COORDINATOR, user_id=OuterRef("pk")
                )
            ),
        )
        .filter(Q(present=True) | Q(of_group=True) | Q(coordinator=True))
        .order_by("first_name", "username")
    )
    topics = list(
        Topic.objects.filter(programme_id=group.programme_id)
        .annotate(
            covered=Exists(
                GroupSession.topics.through.objects.filter(
                    groupsession_id=session.pk, topic_id=OuterRef("pk")
                )
            )
        )
        .order_by("order", "title")
    )
    facilitators = [u for u in users if u.present or u.of_group]
    return {
        "facilitator_choices": [
            (u.pk, u.get_full_name() or u.get_username()) for u in facilitators
        ],
        "topic_choices": [(topic.pk, str(topic)) for topic in topics],
        "facilitators_present": [u.pk for u in facilitators if u.present],
        "group_facilitators": [u.pk for u in facilitators if u.of_group],
        "topics_covered": [topic.pk for topic in topics if topic.covered],
        "coordinators": [
            u.get_full_name() or u.username for u in users if u.coordinator and u.is_active
        ],
    }


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


def participant_summary(participant, history, counts):
    """The figures of his page: his standing's `counts` (`standing.with_standing`: the
    programme of the enrolment that counts) and the weeks since the last violence he reported
    in `history` (his every attendance, with its session)."""
    last_violence = max(
        (a.session.date for a in history if a.violence == Violence.YES), default=None
    )
    weeks = None
    if last_violence is not None:
        today = timezone.localdate(timezone=participant.site.tzinfo)
        weeks = (today - last_violence).days // 7
    return {
        "attended": counts.attended_count,
        "late": counts.late_count,
        "excused": counts.excused_count,
        "unexcused": counts.unexcused_count,
        "consecutive_absences": counts.consecutive_absences,
        "weeks_since_violence": weeks,
    }


GRID_SYMBOLS = {
    AttendanceStatus.PRESENT: "✓",
    AttendanceStatus.LATE: "L",
    AttendanceStatus.EXCUSED: "E",
    AttendanceStatus.UNEXCUSED: "U",
}


def attendance_grid(group, men, size=8, recent=None):
    """The last `size` held sessions of the group and each man's mark in them (2 queries):
    returns (sessions oldest first, {participant id: [(symbol, label, status), ...]}); the
    label is what a screen reader says, the status styles the cell.

    `recent` may give the group's latest sessions, newest first (recent_sessions): when
    `size` of them were held, they are the last held and the grid reads only the marks."""
    held = [s for s in recent or () if s.state == SessionState.RECORDED][:size]
    if len(held) < size:
        held = group.sessions.filter(state=SessionState.RECORDED).order_by("-date", "-start_time")
        held = held[:size]
    sessions = list(held)[::-1]
    statuses = {
        (session_id, participant_id): status
        for session_id, participant_id, status in Attendance.objects.filter(
            session_id__in=[s.pk for s in sessions], participant_id__in=[m.pk for m in men]
        )
        .order_by()
        .values_list("session_id", "participant_id", "status")
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
    """The topics the group's held sessions covered, in the programme's order, each with
    `times` (how many sessions) and `last` (the date of the last one)."""
    return (
        Topic.objects.filter(sessions__group=group, sessions__state=SessionState.RECORDED)
        .annotate(times=Count("sessions"), last=Max("sessions__date"))
        .order_by("order", "title")
    )
