"""The dashboard's figures, each one SQL statement written out here and run as it is.

Why not the ORM, which the rest of the project uses: at `--scale 20` (220 groups) building the
nine panels' querysets took Django as long as PostgreSQL took to run them, some 35 ms a page
on the project's machine, and reaching the benchmark's goal needed that time back. The
statements are the ones the querysets wrote, tidied, in SQL that PostgreSQL and SQLite (the
embedded default) both run; the one difference, a month's first day, is `_month_start`.
Every figure is still an aggregate computed in the database; `tests/sessions/test_panels.py`
and `test_participation.py` check them against counting the records.

Each function takes a report `Scope` and returns rows as dicts, 1 query each. The ids of the
groups in scope open each statement as the rows of `scope_groups` (`_with_groups`), those of
its sites are written as a list (`_in`); every other value is a parameter.
"""

from django.db import connection
from django.utils.dateparse import parse_date

from participants.enums import ExitStatus, ParticipantStatus
from participants.models import Enrolment, Participant
from programmes.models import Group

from ..enums import AttendanceStatus, SessionState, Violence, ViolenceKind
from ..models import Attendance, GroupSession

# Being rewritten as querysets (the kept tables are gone); placeholders keep the module importable.
KeptStanding = SessionTally = YearlyParticipation = Attendance

ATTENDANCE = Attendance._meta.db_table
ENROLMENT = Enrolment._meta.db_table
GROUP = Group._meta.db_table
KEPT = KeptStanding._meta.db_table
PARTICIPANT = Participant._meta.db_table
SESSION = GroupSession._meta.db_table
TALLY = SessionTally._meta.db_table
YEARLY = YearlyParticipation._meta.db_table

KINDS = [kind.value for kind in ViolenceKind]  # also the tally's columns
# The statuses of a man who attended, as parameters, and the SQL list naming them.
ATTENDED = {f"attended_{i}": status.value for i, status in enumerate(AttendanceStatus.attended())}
ATTENDED_IN = f"({', '.join(f'%({name})s' for name in ATTENDED)})"


def fetch(sql, params):
    """The statement's rows as dicts keyed by column name."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _in(ids):
    """`ids` as the SQL list `(1, 2, 3)`, as `_with_groups` writes the groups' ids: they are
    the database's own integer keys (`int()` makes sure), so writing them out is safe, and
    psycopg2 would otherwise quote each one as a parameter on the client. Empty, it is
    `(NULL)`: no row matches."""
    return f"({', '.join(str(int(pk)) for pk in ids)})" if ids else "(NULL)"


# The groups in scope, in a statement opened by `_with_groups`.
GROUPS = "(SELECT id FROM scope_groups)"


def _with_groups(scope, sql, *ctes):
    """`sql` after `WITH scope_groups(id) AS (VALUES (1), (2), …)` (and `ctes`): the ids of
    the groups in scope once per statement. PostgreSQL plans `group_id IN (1, 2, …)` with the
    ~220 groups of a large dashboard in twice the time it plans the same statement with these
    rows, and some statements name the groups three times."""
    if scope.group_ids:
        groups = "VALUES " + ", ".join(f"({int(pk)})" for pk in scope.group_ids)
    else:
        groups = "SELECT CAST(NULL AS bigint) WHERE 1 = 0"
    return f"WITH scope_groups(id) AS ({groups}){''.join(f', {cte}' for cte in ctes)} {sql}"


def _fetch(scope, sql, params, *ctes):
    return fetch(_with_groups(scope, sql, *ctes), params)


def as_date(value):
    """A date column computed in SQL: SQLite gives it as ISO text."""
    return parse_date(value) if isinstance(value, str) else value


def _date(value):
    return connection.ops.adapt_datefield_value(value)


def _month_start(column):
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(DATE_TRUNC('month', {column}) AS date)"


def _period(scope, **more):
    return {"date_from": _date(scope.date_from), "date_to": _date(scope.date_to), **more}


def months(scope):
    """Per month: sessions with attendance recorded (tallied with men expected), men expected
    and attending, check-ins, violence reported in total, declined and by kind, summed from
    the sessions' tallies."""
    kinds = ", ".join(f"SUM({kind}) AS {kind}" for kind in KINDS)
    sql = f"""
        SELECT {_month_start('"date"')} AS month, COUNT(*) AS sessions,
               SUM(expected) AS expected, SUM(attended) AS attended,
               SUM(check_ins) AS check_ins, SUM(reported) AS reported,
               SUM(declined) AS declined, {kinds}
        FROM {TALLY}
        WHERE group_id IN {GROUPS} AND "date" >= %(date_from)s AND "date" <= %(date_to)s
          AND expected > 0
        GROUP BY 1 ORDER BY 1"""
    rows = _fetch(scope, sql, _period(scope))
    for row in rows:
        row["month"] = as_date(row["month"])
    return rows


def groups(scope):
    """Per group id, its sessions in the period: those with attendance recorded (`sessions`,
    tallied with men expected) and their men expected and attending, and those before today
    (`past`): recorded, never recorded, cancelled, and recorded with fewer than two
    facilitators (a recorded session without a tally had none to count). The attendance and
    fidelity panels share it."""
    sql = f"""
        SELECT s.group_id AS "group",
               COUNT(*) FILTER (WHERE t.expected > 0) AS sessions,
               SUM(t.expected) FILTER (WHERE t.expected > 0) AS expected,
               SUM(t.attended) FILTER (WHERE t.expected > 0) AS attended,
               COUNT(*) FILTER (WHERE s."date" < %(today)s) AS past,
               COUNT(*) FILTER (WHERE s."date" < %(today)s AND s.state = %(recorded)s)
                   AS recorded,
               COUNT(*) FILTER (WHERE s."date" < %(today)s AND s.state = %(scheduled)s)
                   AS unrecorded,
               COUNT(*) FILTER (WHERE s."date" < %(today)s AND s.state = %(cancelled)s)
                   AS cancelled,
               COUNT(*) FILTER (WHERE s."date" < %(today)s AND s.state = %(recorded)s
                                AND (t.facilitators < 2 OR t.session_id IS NULL))
                   AS one_facilitator
        FROM {SESSION} s LEFT JOIN {TALLY} t ON t.session_id = s.id
        WHERE s.group_id IN {GROUPS} AND s."date" >= %(date_from)s AND s."date" <= %(date_to)s
        GROUP BY s.group_id"""
    params = _period(
        scope,
        today=_date(scope.today),
        recorded=SessionState.RECORDED.value,
        scheduled=SessionState.SCHEDULED.value,
        cancelled=SessionState.CANCELLED.value,
    )
    return _fetch(scope, sql, params)


def _yearly_rows_decide(scope):
    """Whether each man's first and last attended session of a year in a group tell if he
    attended in the period: always, but when the period starts and ends inside one year
    (from 1 March to 30 June, say, he may have come before and after it, and not in it)."""
    start, end = scope.date_from, scope.date_to
    return (
        start.year != end.year
        or (start.month, start.day) == (1, 1)
        or (end.month, end.day) == (12, 31)
    )


def men_reached(scope):
    """Distinct men who attended in the period, per year and site id, and per year over all
    the sites in scope (`site_id` None: a man who came at two sites counts once there). From
    the men's yearly participation when it decides, else from the attendance rows (a period
    inside one year: its year is the rows' year)."""
    if _yearly_rows_decide(scope):
        attended = f"""
            SELECT y.participant_id, y."year" AS "year", g.site_id
            FROM {YEARLY} y JOIN {GROUP} g ON g.id = y.group_id
            WHERE y.group_id IN {GROUPS} AND y."year" >= %(first_year)s
              AND y."year" <= %(last_year)s AND y.first_attended_on <= %(date_to)s
              AND y.last_attended_on >= %(date_from)s"""
    else:
        attended = f"""
            SELECT a.participant_id, %(first_year)s AS "year", g.site_id
            FROM {ATTENDANCE} a JOIN {SESSION} s ON s.id = a.session_id
                 JOIN {GROUP} g ON g.id = s.group_id
            WHERE s.group_id IN {GROUPS} AND s."date" >= %(date_from)s
              AND s."date" <= %(date_to)s AND a.status IN {ATTENDED_IN}"""
    sql = """
        SELECT "year", site_id, COUNT(DISTINCT participant_id) AS men
        FROM attended GROUP BY "year", site_id
        UNION ALL
        SELECT "year", NULL, COUNT(DISTINCT participant_id) FROM attended GROUP BY "year"
        """
    params = _period(
        scope,
        first_year=scope.date_from.year,
        last_year=scope.date_to.year,
        **ATTENDED,
    )
    return _fetch(scope, sql, params, f"attended AS ({attended})")


def retention(scope, steps):
    """Of the men whose first attended session in the groups in scope fell in the period: how
    many (`started`), how many reached each of `steps` sessions (`reached_<n>`), and how many
    completed an enrolment in those groups (`done`)."""
    steps = [int(n) for n in steps]
    reached = ", ".join(f"COUNT(*) FILTER (WHERE sessions >= {n}) AS reached_{n}" for n in steps)
    sql = f"""
        SELECT COUNT(*) AS started, {reached},
               COUNT(*) FILTER (WHERE participant_id IN (
                   SELECT participant_id FROM {ENROLMENT}
                   WHERE group_id IN {GROUPS} AND exit_status = %(completed)s)) AS done
        FROM (SELECT participant_id, SUM(attended) AS sessions FROM {YEARLY}
              WHERE group_id IN {GROUPS} GROUP BY participant_id
              HAVING MIN(first_attended_on) >= %(date_from)s
                 AND MIN(first_attended_on) <= %(date_to)s) AS per_man"""
    return _fetch(scope, sql, _period(scope, completed=ExitStatus.COMPLETED.value))[0]


def referral_sources(scope, reached):
    """Men of the sites in scope whose first referral fell in the period, per source: how many,
    how many attended in the groups in scope, reached `reached` sessions there, completed."""
    reached = int(reached)
    sql = f"""
        SELECT k.first_referral_source AS source, COUNT(*) AS men,
               COUNT(a.participant_id) AS attended,
               COUNT(*) FILTER (WHERE a.sessions >= {reached}) AS reached_{reached},
               COUNT(*) FILTER (WHERE p.status = %(completed)s) AS completed
        FROM {PARTICIPANT} p JOIN {KEPT} k ON k.participant_id = p.id
             LEFT JOIN (SELECT participant_id, SUM(attended) AS sessions FROM {YEARLY}
                        WHERE group_id IN {GROUPS} GROUP BY participant_id) a
                    ON a.participant_id = p.id
        WHERE p.site_id IN {_in(scope.site_ids)} AND k.first_referred_on >= %(date_from)s
          AND k.first_referred_on <= %(date_to)s
        GROUP BY k.first_referral_source ORDER BY 2 DESC, 1"""
    return _fetch(scope, sql, _period(scope, completed=ParticipantStatus.COMPLETED.value))


def recent_violence(scope, last):
    """Men with check-ins in the period (`men`), those with at least `last` check-ins in all
    (`eight`), and those of them who reported no violence in their `last` latest (`clean`),
    counting their check-ins in the groups in scope up to the end of the period. One
    statement, the sum of two counts:

    - `kept`: the men whose check-ins were all in the groups in scope and none after the
      period: the counts kept with their standing (how many, how many latest in a row without
      violence, the latest's date) are the ones asked for;
    - `ranked`: the others (a man who came after the period, or also to a group out of
      scope: a UNION of the two, which PostgreSQL estimates from each side, where an OR of
      them made it expect half the men and ready itself for thousands of rows; a man with
      check-ins in scope always has his latest kept, by the same refresh that wrote his
      yearly rows): each one's check-ins in the groups in scope up to the end of the period,
      newest first, with his latest's date and a running count of those reporting violence
      (three window functions over one window); then his rank 1 and rank `last` rows are
      counted: he had check-ins in the period when his latest falls in it, `last` check-ins
      when he has a rank `last`, and none with violence when the running count is 0 there."""
    in_scope = f"SELECT participant_id FROM {YEARLY} WHERE group_id IN {GROUPS} AND check_ins > 0"
    elsewhere = (
        f"SELECT participant_id FROM {YEARLY} WHERE group_id NOT IN {GROUPS} AND check_ins > 0"
    )
    n = int(last)
    sql = f"""
        SELECT kept.men + ranked.men AS men, kept.eight + ranked.eight AS eight,
               kept.clean + ranked.clean AS clean
        FROM (SELECT COUNT(*) AS men,
                     COUNT(*) FILTER (WHERE check_ins >= {n}) AS eight,
                     COUNT(*) FILTER (WHERE clean_check_ins >= {n}) AS clean
              FROM {KEPT}
              WHERE participant_id IN ({in_scope}) AND participant_id NOT IN ({elsewhere})
                AND last_check_in_on >= %(date_from)s AND last_check_in_on <= %(date_to)s
             ) AS kept,
             (SELECT COUNT(*) FILTER (WHERE "rank" = 1) AS men,
                     COUNT(*) FILTER (WHERE "rank" = {n}) AS eight,
                     COUNT(*) FILTER (WHERE "rank" = {n} AND violence_so_far = 0) AS clean
              FROM (SELECT ROW_NUMBER() OVER newest_first AS "rank",
                           FIRST_VALUE(s."date") OVER newest_first AS latest,
                           COUNT(*) FILTER (WHERE a.violence = %(yes)s)
                               OVER newest_first AS violence_so_far
                    FROM {ATTENDANCE} a JOIN {SESSION} s ON s.id = a.session_id
                    WHERE a.status IN {ATTENDED_IN} AND a.violence <> %(unrecorded)s
                      AND s.group_id IN {GROUPS} AND s."date" <= %(date_to)s
                      AND a.participant_id IN (
                          SELECT participant_id FROM {KEPT}
                          WHERE last_check_in_on > %(date_to)s
                            AND participant_id IN ({in_scope})
                          UNION
                          SELECT participant_id FROM ({elsewhere}) AS other_groups
                          WHERE participant_id IN ({in_scope}))
                    WINDOW newest_first AS (
                        PARTITION BY a.participant_id ORDER BY s."date" DESC, a.id DESC)
                   ) AS checks
              WHERE "rank" <= {n} AND latest >= %(date_from)s
             ) AS ranked"""
    params = _period(
        scope,
        yes=Violence.YES.value,
        unrecorded=Violence.NOT_RECORDED.value,
        **ATTENDED,
    )
    return _fetch(scope, sql, params)[0]


def enrolment_outcomes(scope):
    """Enrolments in the groups in scope closed in the period, by exit status (one column per
    status), and those still open at its end (`open`)."""
    closed = ", ".join(
        f"COUNT(*) FILTER (WHERE exit_status = %({s.value})s AND end_date >= %(date_from)s "
        f"AND end_date <= %(date_to)s) AS {s.value}"
        for s in ExitStatus
    )
    sql = f"""
        SELECT {closed},
               COUNT(*) FILTER (WHERE start_date <= %(date_to)s
                                AND (end_date IS NULL OR end_date > %(date_to)s)) AS "open"
        FROM {ENROLMENT} WHERE group_id IN {GROUPS}"""
    return _fetch(scope, sql, _period(scope, **{s.value: s.value for s in ExitStatus}))[0]
