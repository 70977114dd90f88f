"""Recording a session: attendance and check-ins of every man, in one transaction."""

import dataclasses

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import AttendanceStatus, SessionState, Violence, ViolenceKind
from ..models import Attendance, GroupSession, SessionChange
from .alerts import raise_alerts

CHECK_IN_FIELDS = [
    "violence",
    *[kind.field_name for kind in ViolenceKind],
    "reflection",
    "asked_support",
    "used_retreat",
    "safety_flag",
]
ROW_FIELDS = ["status", *CHECK_IN_FIELDS]


class RecordingError(ValueError):
    """The record cannot be saved; the message says why (translated)."""


class StaleSession(RecordingError):
    """Someone else saved the session since this form was loaded."""


@dataclasses.dataclass
class Row:
    """One man's line of the record page, as the form cleaned it."""

    participant_id: int
    status: str = AttendanceStatus.PRESENT
    violence: str = Violence.NO
    kinds: list = dataclasses.field(default_factory=list)
    reflection: str = ""
    asked_support: bool = False
    used_retreat: bool = False
    safety_flag: bool = False

    def has_check_in_answers(self):
        """Whether anything beyond the "no violence" default was entered for his check-in."""
        return bool(
            self.violence in (Violence.YES, Violence.DECLINED)
            or self.kinds
            or self.reflection
            or self.asked_support
            or self.used_retreat
            or self.safety_flag
        )

    def problem(self):
        """Why this row cannot be saved as it is, or None. A disclosure must never vanish:
        answers under an absent man, or "yes" with no kind, are refused, not dropped."""
        attended = self.status in AttendanceStatus.attended()
        if not attended and self.has_check_in_answers():
            return _(
                "%(code)s is marked absent but has check-in answers: mark him present, "
                "or clear his check-in."
            )
        if attended and self.violence == Violence.YES and not self.kinds:
            return _('%(code)s: tick at least one kind of violence, or choose "Declined to say".')
        return None

    def values(self):
        """The attendance field values; an absent man carries no check-in."""
        attended = self.status in AttendanceStatus.attended()
        values = {"status": self.status}
        values["violence"] = self.violence if attended else Violence.NOT_RECORDED
        for kind in ViolenceKind:
            values[kind.field_name] = (
                attended and self.violence == Violence.YES and kind in self.kinds
            )
        values["reflection"] = self.reflection if attended else ""
        values["asked_support"] = attended and self.asked_support
        values["used_retreat"] = attended and self.used_retreat
        values["safety_flag"] = attended and self.safety_flag
        return values


def check_recordable(session, today=None):
    """Raise RecordingError if this session cannot be recorded now."""
    if session.state == SessionState.CANCELLED:
        raise RecordingError(_("This session was cancelled; it cannot be recorded."))
    today = today or timezone.localdate(timezone=session.group.site.tzinfo)
    if session.date > today:
        raise RecordingError(
            _("This session has not taken place yet; it can be recorded on its day.")
        )


def _diff(old, new, code):
    return [
        {"who": code, "field": field, "old": old.get(field), "new": new[field]}
        for field in ROW_FIELDS
        if old.get(field) != new[field]
    ]


def record_session(
    *, session, by, expected_version, rows, codes, facilitator_ids, topic_ids, notes
):
    """Save the whole record of `session` or nothing.

    `rows` are the men's lines (`Row`), `codes` maps participant id to code (for the change
    log). Raises StaleSession if the session's version is no longer `expected_version`, and
    RecordingError if it cannot be recorded. Returns the SessionChange written, with the
    alerts the record raised as its `alerts`."""
    check_recordable(session)
    for row in rows:
        problem = row.problem()
        if problem:
            raise RecordingError(problem % {"code": codes[row.participant_id]})
    with transaction.atomic():
        # Optimistic lock: the version moves only if nobody saved since the form was loaded.
        now = timezone.now()
        updated = GroupSession.objects.filter(pk=session.pk, version=expected_version).update(
            version=F("version") + 1,
            state=SessionState.RECORDED,
            notes=notes,
            recorded_by_id=session.recorded_by_id or by.pk,
            recorded_at=session.recorded_at or now,
        )
        if not updated:
            raise StaleSession(
                _(
                    "Someone else saved this session while you were editing it. Nothing was "
                    "saved, and your entries are still in the form: where the saved version "
                    "differs, it is shown beside the field. Choose for each man, then save "
                    "again."
                )
            )
        was_recorded = session.state == SessionState.RECORDED
        existing = {
            participant_id: dict(zip(ROW_FIELDS, values, strict=True))
            for participant_id, *values in Attendance.objects.filter(session=session)
            .order_by()
            .values_list("participant", *ROW_FIELDS)
        }
        changes = []
        attendances = []
        changed = []  # only these are written: an unchanged row already holds its values
        for row in rows:
            values = row.values()
            old = existing.get(row.participant_id)
            changes += _diff(old or {}, values, codes[row.participant_id])
            attendance = Attendance(
                session_id=session.pk, participant_id=row.participant_id, **values
            )
            attendances.append(attendance)
            if values != old:
                changed.append(attendance)
        if changed:
            Attendance.objects.bulk_create(
                changed,
                update_conflicts=True,
                unique_fields=["session", "participant"],
                update_fields=ROW_FIELDS,
            )
        changes += _set_related(session, "facilitators", facilitator_ids)
        changes += _set_related(session, "topics", topic_ids)
        if was_recorded and session.notes != notes:
            changes.append({"who": "", "field": "notes", "old": session.notes, "new": notes})
        # What the UPDATE above wrote (it matched the version expected), without reading it back.
        session.version = expected_version + 1
        session.state = SessionState.RECORDED
        session.notes = notes
        session.recorded_by_id = session.recorded_by_id or by.pk
        session.recorded_at = session.recorded_at or now
        change = SessionChange.objects.create(
            session=session,
            changed_by=by,
            version=session.version,
            is_correction=was_recorded,
            changes=changes if was_recorded else [],
        )
        change.alerts = raise_alerts(session=session, attendances=attendances, by=by)
    return change


def _set_related(session, name, ids):
    """Replace a many-to-many of the session; returns a change entry when it changed."""
    manager = getattr(session, name)
    old = set(manager.values_list("pk", flat=True))
    new = set(ids)
    if old == new:
        return []
    manager.set(new)
    labels = {obj.pk: str(obj) for obj in manager.model.objects.filter(pk__in=old | new)}
    return [
        {
            "who": "",
            "field": name,
            "old": sorted(labels[pk] for pk in old),
            "new": sorted(labels[pk] for pk in new),
        }
    ]
