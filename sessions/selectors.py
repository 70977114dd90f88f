"""Reads of sessions that other apps' pages compose (a man's page, the home page)."""

import datetime

from .models import Attendance, GroupSession, SafetyAlert


def week_bounds(day):
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def sessions_in_week(user, day, *, facilitated_only=True):
    """The sessions of the week containing `day` for the groups `user` facilitates."""
    from programmes.models import Group

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
    return (
        SafetyAlert.objects.visible_to(user)
        .open()
        .select_related("participant", "session", "session__group", "session__group__site")
        .order_by("-created_at")
    )


def attendance_history(participant):
    """His attendance and check-ins, most recent first."""
    return (
        Attendance.objects.filter(participant=participant)
        .select_related("session", "session__group", "session__group__site")
        .order_by("-session__date", "-session__start_time")
    )
