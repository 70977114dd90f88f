"""A session's tallies (`SessionTally`): how many men it expected, how many attended, the
check-ins and the violence they reported by kind, and how many facilitators ran it, so that
the reports sum sessions instead of counting attendance rows. `recount` is the one place they
are computed, in SQL. It runs where they change: the recording service (after a save that
changed a row), and the receivers of `sessions/signals.py` for single saves and deletions
(the admin's) and for changes of a session's facilitators."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .enums import AttendanceStatus, Violence, ViolenceKind
from .models import GroupSession, SessionTally

ATTENDED = Q(status__in=AttendanceStatus.attended())
# A check-in: violence since the last session recorded (yes, no or declined). The check
# constraints of Attendance allow one only for a man who attended, and a kind of violence only
# with "yes": so these filters, evaluated on every row, need not repeat ATTENDED.
CHECKED_IN = ~Q(violence=Violence.NOT_RECORDED)

# SessionTally field -> which of the session's attendance rows it counts.
ATTENDANCE_TALLIES = {
    "expected": Q(),
    "attended": ATTENDED,
    "check_ins": CHECKED_IN,
    "reported": Q(violence=Violence.YES),
    "declined": Q(violence=Violence.DECLINED),
    **{kind.value: Q(**{kind.field_name: True}) for kind in ViolenceKind},
}
TALLY_FIELDS = [*ATTENDANCE_TALLIES, "facilitators"]
BATCH = 2000


def _on_rows(q):
    """`q`, a filter on Attendance, as one on a session's `attendances`."""
    children = [
        _on_rows(child) if isinstance(child, Q) else (f"attendances__{child[0]}", child[1])
        for child in q.children
    ]
    return Q(*children, _connector=q.connector, _negated=q.negated)


def recount(session_ids):
    """Recount the tallies of the sessions of `session_ids` (ids, or a queryset of them):
    2 queries per BATCH sessions."""
    through = GroupSession.facilitators.through.objects.filter(groupsession=OuterRef("pk"))
    facilitators = Coalesce(
        Subquery(
            through.order_by().values("groupsession").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )
    sessions = (
        GroupSession.objects.filter(pk__in=session_ids)
        .order_by()
        .annotate(
            **{
                f"n_{name}": Count("attendances", filter=_on_rows(q))
                for name, q in ATTENDANCE_TALLIES.items()
            },
            n_facilitators=facilitators,
        )
    )
    values = sessions.values_list("pk", "group_id", "date", *(f"n_{name}" for name in TALLY_FIELDS))
    tallies = [
        SessionTally(
            session_id=pk,
            group_id=group_id,
            date=date,
            **dict(zip(TALLY_FIELDS, counts, strict=True)),
        )
        for pk, group_id, date, *counts in values
    ]
    for start in range(0, len(tallies), BATCH):
        SessionTally.objects.bulk_create(
            tallies[start : start + BATCH],
            update_conflicts=True,
            unique_fields=["session"],
            update_fields=["group", "date", *TALLY_FIELDS],
        )
    return len(tallies)
