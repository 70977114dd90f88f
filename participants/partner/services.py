"""Workflows of partner contacts (keyword-only functions; the views call them). Each write is
audited with the man's id; the audit detail names changed fields, never their content."""

from django.db import transaction

from gendes.audit.log import record
from gendes.audit.models import AuditEvent

from ..models import PartnerContact, PartnerContactEntry

DETAIL_FIELDS = ("safe_channel", "safe_times", "consent_to_contact")


def create_partner_contact(
    *, participant, safe_channel="", safe_times="", consent_to_contact=False, by
):
    with transaction.atomic():
        contact = PartnerContact.objects.create(
            participant=participant,
            safe_channel=safe_channel,
            safe_times=safe_times,
            consent_to_contact=consent_to_contact,
        )
        record(user=by, action=AuditEvent.Action.CREATE, obj=contact, participant_id=participant.pk)
    return contact


def update_partner_contact(*, partner_contact, safe_channel, safe_times, consent_to_contact, by):
    """Save the safe channel, times and consent; returns the names of the changed fields."""
    new = {
        "safe_channel": safe_channel,
        "safe_times": safe_times,
        "consent_to_contact": consent_to_contact,
    }
    changed = [name for name in DETAIL_FIELDS if getattr(partner_contact, name) != new[name]]
    if not changed:
        return changed
    with transaction.atomic():
        for name in changed:
            setattr(partner_contact, name, new[name])
        partner_contact.save(update_fields=changed)
        record(
            user=by,
            action=AuditEvent.Action.CHANGE,
            obj=partner_contact,
            participant_id=partner_contact.participant_id,
            detail=",".join(changed),
        )
    return changed


def add_partner_contact_entry(*, partner_contact, contacted_on, notes="", by):
    with transaction.atomic():
        entry = PartnerContactEntry.objects.create(
            partner_contact=partner_contact, contacted_on=contacted_on, notes=notes, created_by=by
        )
        record(
            user=by,
            action=AuditEvent.Action.CREATE,
            obj=entry,
            participant_id=partner_contact.participant_id,
        )
    return entry
