"""Workflows of the participants app (keyword-only functions; views and admin call them)."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from programmes.models import Site

from .enums import ExitStatus, ParticipantStatus, ReferralSource
from .models import Enrolment, FollowUp, Participant, Referral


class EnrolmentError(ValueError):
    """An enrolment that cannot be made; the message says why (translated)."""


def next_code(site):
    """The next free pseudonymous code of `site`, e.g. CDMX-0042. Call inside a transaction:
    the site row is locked so that two intakes at once never get the same code."""
    Site.objects.select_for_update().filter(pk=site.pk).first()
    prefix = f"{site.code}-"
    numbers = [
        int(code[len(prefix) :])
        for code in Participant.objects.filter(code__startswith=prefix).values_list(
            "code", flat=True
        )
        if code[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def register_walk_in(*, group, day, first_name, last_name="", by):
    """A newcomer who walked into a session of a group that takes walk-ins and gave his
    informed consent there (the facilitator confirms it): he gets a code, his intake and
    consent of `day` (the current consent text), a self-referral to be completed by the
    coordinator, and an enrolment from `day`."""
    if not group.allows_walk_ins:
        raise EnrolmentError(_("This group does not take walk-ins: ask the coordinator."))
    with transaction.atomic():
        participant = Participant.objects.create(
            code=next_code(group.site),
            site=group.site,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            status=ParticipantStatus.ACTIVE,
            intake_date=day,
            consent_date=day,
            consent_version=settings.CONSENT_VERSION,
        )
        Referral.objects.create(
            participant=participant,
            source_type=ReferralSource.SELF,
            referred_on=day,
            notes=_("Walked in to a session; the coordinator completes the intake."),
        )
        Enrolment.objects.create(participant=participant, group=group, start_date=day)
        record(
            user=by,
            action=AuditEvent.Action.CREATE,
            obj=participant,
            participant_id=participant.pk,
            detail="walk-in",
        )
    return participant


def likely_duplicates(*, participants, first_name, last_name, birth_date):
    """Men among `participants` (the user's visible ones) with the same name and birth date."""
    if birth_date is None:
        return participants.none()
    return participants.filter(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        birth_date=birth_date,
    ).select_related("site")


def register_referral(*, site, person, referral, by, code=""):
    """A new man and the referral that brought him. `person` and `referral` are dicts of the
    model fields. The code is the next free one of his site unless one is given."""
    with transaction.atomic():
        participant = Participant.objects.create(
            code=code or next_code(site),
            site=site,
            status=ParticipantStatus.REFERRED,
            **person,
        )
        Referral.objects.create(participant=participant, **referral)
        record(
            user=by,
            action=AuditEvent.Action.CREATE,
            obj=participant,
            participant_id=participant.pk,
            detail="referral",
        )
    return participant


def record_intake(*, participant, intake_date, consent_date, consent_version, notes, by):
    participant.intake_date = intake_date
    participant.consent_date = consent_date
    participant.consent_version = consent_version if consent_date else ""
    participant.intake_notes = notes
    participant.save(
        update_fields=[
            "intake_date",
            "consent_date",
            "consent_version",
            "intake_notes",
            "updated_at",
        ]
    )
    record(
        user=by,
        action=AuditEvent.Action.CHANGE,
        obj=participant,
        participant_id=participant.pk,
        detail="intake",
    )
    return participant


def check_can_enrol(*, participant, group, start_date):
    """Raise EnrolmentError with the reason if `participant` cannot join `group` then."""
    if participant.intake_date is None or participant.consent_date is None:
        raise EnrolmentError(_("Record his intake and his informed consent before enrolling him."))
    if group.site_id != participant.site_id:
        raise EnrolmentError(_("He can only be enrolled in a group of his own site."))
    if not group.active or (group.end_date and start_date > group.end_date):
        raise EnrolmentError(_("This group is not running on that date."))
    if start_date < group.start_date:
        raise EnrolmentError(_("The group starts later than that date."))
    if not group.is_open and start_date > group.start_date:
        raise EnrolmentError(
            _("This is a closed group: it takes new men only until its first session.")
        )
    if Enrolment.objects.filter(participant=participant).open().exists():
        raise EnrolmentError(
            _("He is already enrolled in a group: close or transfer that enrolment first.")
        )
    taken = Enrolment.objects.filter(group=group).open().count()
    if taken >= group.capacity:
        raise EnrolmentError(
            _("The group is full (%(capacity)d men).") % {"capacity": group.capacity}
        )


def enrol(*, participant, group, start_date, by):
    with transaction.atomic():
        # Lock the man so two coordinators enrolling him at once cannot both pass the check;
        # the one-open-enrolment constraint is the last line of defence.
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        check_can_enrol(participant=participant, group=group, start_date=start_date)
        enrolment = Enrolment.objects.create(
            participant=participant, group=group, start_date=start_date
        )
        participant.status = ParticipantStatus.ACTIVE
        participant.save(update_fields=["status", "updated_at"])
        record(
            user=by,
            action=AuditEvent.Action.CREATE,
            obj=enrolment,
            participant_id=participant.pk,
            detail=f"enrol group={group.pk}",
        )
    return enrolment


# The man's status once his last enrolment closes this way.
STATUS_AFTER_EXIT = {
    ExitStatus.COMPLETED: ParticipantStatus.COMPLETED,
    ExitStatus.DROPPED_OUT: ParticipantStatus.DROPPED_OUT,
    ExitStatus.TERMINATED: ParticipantStatus.TERMINATED,
    ExitStatus.TRANSFERRED: ParticipantStatus.TRANSFERRED,
}


def close_enrolment(*, enrolment, exit_status, end_date, reason, by):
    """Close an open enrolment. Completing goes through the sessions app's
    `complete_enrolment`, which checks the programme's rules first."""
    if enrolment.end_date is not None:
        raise EnrolmentError(_("This enrolment is already closed."))
    if end_date < enrolment.start_date:
        raise EnrolmentError(_("The end date cannot be before the start date."))
    if exit_status == ExitStatus.TERMINATED and not reason.strip():
        raise EnrolmentError(_("Give the reason for terminating his participation."))
    with transaction.atomic():
        enrolment.end_date = end_date
        enrolment.exit_status = exit_status
        enrolment.exit_reason = reason.strip()
        enrolment.save(update_fields=["end_date", "exit_status", "exit_reason"])
        participant = enrolment.participant
        participant.status = STATUS_AFTER_EXIT[exit_status]
        participant.save(update_fields=["status", "updated_at"])
        record(
            user=by,
            action=AuditEvent.Action.CHANGE,
            obj=enrolment,
            participant_id=participant.pk,
            detail=f"close {exit_status}",
        )
    return enrolment


def transfer(*, enrolment, to_group, date, reason, by):
    """Close his enrolment as transferred and open one in `to_group` from the same day, in
    one step: if the new group cannot take him, nothing changes."""
    if to_group.pk == enrolment.group_id:
        raise EnrolmentError(_("Choose a different group to transfer him to."))
    with transaction.atomic():
        close_enrolment(
            enrolment=enrolment,
            exit_status=ExitStatus.TRANSFERRED,
            end_date=date,
            reason=reason,
            by=by,
        )
        return enrol(participant=enrolment.participant, group=to_group, start_date=date, by=by)


def log_follow_up(*, participant, contacted_on, channel, outcome, next_step, notes, by):
    follow_up = FollowUp.objects.create(
        participant=participant,
        contacted_on=contacted_on,
        channel=channel,
        outcome=outcome,
        next_step=next_step,
        notes=notes,
        created_by=by,
    )
    record(
        user=by,
        action=AuditEvent.Action.CREATE,
        obj=follow_up,
        participant_id=participant.pk,
    )
    return follow_up
