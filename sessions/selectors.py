"""Reads of sessions that pages compose (a man's page, the home page, the record page)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from participants.models import Participant
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


def recent_sessions(group, limit=12):
    """The group's latest sessions, newest first; each has this `group` as its group (the
    related manager sets it: no join)."""
    return group.sessions.order_by("-date", "-start_time")[:limit]


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
    anyone already recorded in it (a correction never drops a saved row), by code; and their
    saved attendance by man's id.

    One plain SQL statement around the ORM's roster (roster_on): each man with his row of
    this session joined, the values converted as the ORM converts them. Built by the ORM (two
    queries, or one with a filtered relation) this cost some 1.5 ms more a page, most of it in
    building and compiling the queries (manage.py bench)."""
    quote = connection.ops.quote_name
    man_fields = Participant._meta.concrete_fields
    row_fields = Attendance._meta.concrete_fields
    rows_table = quote(Attendance._meta.db_table)
    man_pk = quote(Participant._meta.pk.column)
    of_man = quote(Attendance._meta.get_field("participant").column)
    of_session = quote(Attendance._meta.get_field("session").column)
    roster = roster_on(session.group, session.date).order_by().values("participant_id")
    roster_sql, roster_params = roster.query.sql_with_params()
    columns = [f"m.{quote(f.column)}" for f in man_fields]
    columns += [f"r.{quote(f.column)}" for f in row_fields]
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(Participant._meta.db_table)} m "
        f"LEFT JOIN {rows_table} r ON r.{of_man} = m.{man_pk} AND r.{of_session} = %s "
        f"WHERE m.{man_pk} IN ({roster_sql} "
        f"UNION SELECT {of_man} FROM {rows_table} WHERE {of_session} = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [session.pk, *roster_params, session.pk])
        rows = cursor.fetchall()
    compiler = roster.query.get_compiler(connection=connection)
    converters = compiler.get_converters(
        [f.get_col("m") for f in man_fields] + [f.get_col("r") for f in row_fields]
    )
    if converters:
        rows = compiler.apply_converters(rows, converters)
    split = len(man_fields)
    pairs = sorted(
        ((Participant.from_db(connection.alias, None, row[:split]), row[split:]) for row in rows),
        key=lambda pair: pair[0].code,
    )
    saved = {}
    for man, values in pairs:
        if values[0] is not None:  # his row of this session (the join gives nulls otherwise)
            attendance = Attendance.from_db(connection.alias, None, values)
            attendance.participant = man
            saved[man.pk] = attendance
    return [man for man, _values in pairs], saved


def record_choices(session):
    """Choices and current values of the session form, and the names of the site's
    coordinators (the page names them when the group takes no walk-ins).

    The choices are (pk, label) pairs in the page's order: the facilitators who ran the
    session or run the group, by first name; the programme's topics. "facilitators_present",
    "group_facilitators" and "topics_covered" are pks (the topics covered among the choices).

    Two plain SQL statements, read whole: the links of users to this session (facilitator
    present, of the group, coordinator of the site) with each user's name, and the programme's
    topics each with whether the session covered it. Built with the ORM these cost some 3 ms a
    page, most of it in building and compiling the queries, against 0.5 ms (manage.py bench);
    the names of tables and columns come from the models."""
    user_model = get_user_model()
    quote = connection.ops.quote_name

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    present = GroupSession._meta.get_field("facilitators")
    of_group = Group._meta.get_field("facilitators")
    covered = GroupSession._meta.get_field("topics")
    user_fields = [  # in the model's order, as from_db expects them
        f.attname
        for f in user_model._meta.concrete_fields
        if f.name in {"id", "first_name", "last_name", "username", "is_active"}
    ]
    users_sql = (
        f"SELECT link.kind, {', '.join(f'u.{column(user_model, f)}' for f in user_fields)} "
        "FROM ("
        f"SELECT 'present' AS kind, {quote(present.m2m_reverse_name())} AS user_id "
        f"FROM {quote(present.m2m_db_table())} WHERE {quote(present.m2m_column_name())} = %s "
        f"UNION ALL SELECT 'group', {quote(of_group.m2m_reverse_name())} "
        f"FROM {quote(of_group.m2m_db_table())} WHERE {quote(of_group.m2m_column_name())} = %s "
        f"UNION ALL SELECT 'coordinator', {column(StaffRole, 'user')} "
        f"FROM {quote(StaffRole._meta.db_table)} "
        f"WHERE {column(StaffRole, 'site')} = %s AND {column(StaffRole, 'role')} = %s"
        f") link JOIN {quote(user_model._meta.db_table)} u "
        f"ON u.{column(user_model, 'id')} = link.user_id "
        f"ORDER BY u.{column(user_model, 'first_name')}, u.{column(user_model, 'username')}"
    )
    topics_sql = (
        f"SELECT t.{column(Topic, 'id')}, t.{column(Topic, 'title')}, "
        f"c.{quote(covered.m2m_reverse_name())} IS NOT NULL "
        f"FROM {quote(Topic._meta.db_table)} t LEFT JOIN {quote(covered.m2m_db_table())} c "
        f"ON c.{quote(covered.m2m_reverse_name())} = t.{column(Topic, 'id')} "
        f"AND c.{quote(covered.m2m_column_name())} = %s "
        f"WHERE t.{column(Topic, 'programme')} = %s "
        f"ORDER BY t.{column(Topic, 'order')}, t.{column(Topic, 'title')}"
    )
    group = session.group
    with connection.cursor() as cursor:
        cursor.execute(
            users_sql, [session.pk, group.pk, group.site_id, StaffRoleKind.COORDINATOR.value]
        )
        links = cursor.fetchall()
        cursor.execute(topics_sql, [session.pk, group.programme_id])
        topic_rows = cursor.fetchall()
    users, kinds = {}, {}
    for kind, *values in links:  # in the users' order; a user has a row per link
        user = user_model.from_db(connection.alias, user_fields, values)
        user = users.setdefault(user.pk, user)
        kinds.setdefault(user.pk, set()).add(kind)
    facilitators = [u for u in users.values() if kinds[u.pk] & {"present", "group"}]
    topics = [
        (Topic.from_db(connection.alias, ["id", "title"], row[:2]), row[2]) for row in topic_rows
    ]
    return {
        "facilitator_choices": [
            (u.pk, u.get_full_name() or u.get_username()) for u in facilitators
        ],
        "topic_choices": [(topic.pk, str(topic)) for topic, _covered in topics],
        "facilitators_present": [u.pk for u in facilitators if "present" in kinds[u.pk]],
        "group_facilitators": [u.pk for u in facilitators if "group" in kinds[u.pk]],
        "topics_covered": [topic.pk for topic, is_covered in topics if is_covered],
        "coordinators": [
            u.get_full_name() or u.username
            for u in users.values()
            if "coordinator" in kinds[u.pk] and u.is_active
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
    `times` (how many sessions) and `last` (the date of the last one).

    One plain SQL statement, its values converted as the ORM converts them: the ORM's
    aggregate cost twice as much, most of it in building and compiling it (manage.py bench)."""
    quote = connection.ops.quote_name
    links = GroupSession._meta.get_field("topics")
    topic_fields = Topic._meta.concrete_fields
    date = GroupSession._meta.get_field("date")
    session_pk = quote(GroupSession._meta.pk.column)
    columns = ", ".join(f"t.{quote(f.column)}" for f in topic_fields)
    sql = (
        f"SELECT {columns}, COUNT(*), MAX(s.{quote(date.column)}) "
        f"FROM {quote(Topic._meta.db_table)} t "
        f"JOIN {quote(links.m2m_db_table())} l "
        f"ON l.{quote(links.m2m_reverse_name())} = t.{quote(Topic._meta.pk.column)} "
        f"JOIN {quote(GroupSession._meta.db_table)} s "
        f"ON s.{session_pk} = l.{quote(links.m2m_column_name())} "
        f"WHERE s.{quote(GroupSession._meta.get_field('group').column)} = %s "
        f"AND s.{quote(GroupSession._meta.get_field('state').column)} = %s "
        f"GROUP BY {columns} "
        f"ORDER BY t.{quote(Topic._meta.get_field('order').column)}, "
        f"t.{quote(Topic._meta.get_field('title').column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [group.pk, SessionState.RECORDED.value])
        rows = cursor.fetchall()
    compiler = Topic.objects.all().query.get_compiler(connection=connection)
    converters = compiler.get_converters(
        [f.get_col("t") for f in topic_fields] + [None, date.get_col("s")]
    )
    if converters:
        rows = compiler.apply_converters(rows, converters)
    topics = []
    for *values, times, last in rows:
        topic = Topic.from_db(connection.alias, None, values)
        topic.times, topic.last = times, last
        topics.append(topic)
    return topics
