"""Completing an enrolment: allowed when the man met his programme's rules, or when a
coordinator overrides them with a written reason (kept on the enrolment and in the audit)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from participants.enums import ExitStatus
from participants.models import Participant
from participants.services import EnrolmentError, close_enrolment

from .. import standing


def standing_of(participant, today=None, *, enrolments=None, attendances=None, referrals=None):
    """His standing. `enrolments`, if the caller has them loaded (with their groups, and
    their programmes to save that query too), saves the enrolment lookup inside every
    count; with `attendances` (his every attendance, with its session's group) and
    `referrals` (all of his) loaded too, the counts are taken from those rows
    (`standing.counts_of`) and no query is made."""
    today = today or timezone.localdate()
    men = Participant.objects.filter(pk=participant.pk)
    if enrolments is None:
        man = standing.with_standing(men).get()
        return standing.standings([man], today)[participant.pk]
    current = current_enrolment(enrolments)
    if current is None:
        return standing.StandingResult(standing.Standing.NOT_ENROLLED, [])
    programme_id = current.group.programme_id
    if attendances is not None and referrals is not None:
        man = standing.counts_of(
            [(a.session.date, a.status, a.session.group.programme_id) for a in attendances],
            enrolment_id=current.pk,
            programme_id=programme_id,
            first_referred_on=min((r.referred_on for r in referrals), default=None),
        )
    else:
        man = standing.with_standing(men, programme_id=programme_id, enrolment_id=current.pk).get()
    return standing.classify(man, current.group.programme, today)


def current_enrolment(enrolments):
    """His open enrolment, else the latest: the same choice as `with_standing` makes in SQL."""
    ordered = sorted(enrolments, key=lambda e: (e.end_date is None, e.start_date, e.pk))
    return ordered[-1] if ordered else None


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
