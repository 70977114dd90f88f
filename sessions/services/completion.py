"""Completing an enrolment: allowed when the man met his programme's rules, or when a
coordinator overrides them with a written reason (kept on the enrolment and in the audit)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from participants.enums import ExitStatus
from participants.models import Participant
from participants.services import EnrolmentError, close_enrolment

from .. import standing


def standing_of(participant, today=None, *, programmes=None):
    """His standing, with its counts (`result.counts`): 1 query, and 1 more for his
    programme's rules unless `programmes` ({id: Programme}, e.g. of his loaded enrolments)
    has it."""
    today = today or timezone.localdate()
    man = standing.with_standing(Participant.objects.filter(pk=participant.pk)).get()
    return standing.standings([man], today, programmes=programmes)[participant.pk]


def complete_enrolment(*, enrolment, end_date, by, override_reason=""):
    result = standing_of(enrolment.participant)
    override_reason = override_reason.strip()
    if result.code != standing.Standing.READY_TO_COMPLETE and not override_reason:
        raise EnrolmentError(
            _(
                "He has not met the programme's rules (%(standing)s: %(reasons)s). To complete "
                "him anyway, write the reason for the exception."
            )
            % {"standing": result.label, "reasons": "; ".join(result.reasons)}
        )
    reason = override_reason
    if result.code != standing.Standing.READY_TO_COMPLETE:
        reason = _("Completed by exception: %(reason)s") % {"reason": override_reason}
    return close_enrolment(
        enrolment=enrolment,
        exit_status=ExitStatus.COMPLETED,
        end_date=end_date,
        reason=reason,
        by=by,
    )


def end_enrolment(*, enrolment, exit_status, end_date, reason, by):
    """Close an open enrolment with any exit status: completing it through
    `complete_enrolment` (the programme's rules, or `reason` as the written exception),
    dropping out, terminating or transferring through `close_enrolment`. What the close
    form of a man's page posts."""
    if exit_status == ExitStatus.COMPLETED:
        return complete_enrolment(
            enrolment=enrolment, end_date=end_date, by=by, override_reason=reason
        )
    return close_enrolment(
        enrolment=enrolment, exit_status=exit_status, end_date=end_date, reason=reason, by=by
    )
