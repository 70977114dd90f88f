"""Workflows of the participants app (keyword-only functions; views and admin call them)."""

from django.db import transaction
from django.utils.translation import gettext as _

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from programmes.models import Site

from .enums import ParticipantStatus, ReferralSource
from .models import Enrolment, Participant, Referral


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
    """A newcomer who walked into a session of a group that takes walk-ins: he gets a code,
    a self-referral to be completed by the coordinator, and an enrolment from `day`."""
    if not group.allows_walk_ins:
        raise EnrolmentError(_("This group does not take walk-ins: ask the coordinator."))
    with transaction.atomic():
        participant = Participant.objects.create(
            code=next_code(group.site),
            site=group.site,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            status=ParticipantStatus.ACTIVE,
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
