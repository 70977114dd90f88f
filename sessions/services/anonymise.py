"""Anonymising a man: his name, birth date, contact details and every free text about him are
erased; his counts (attendance, check-in answers, enrolments, alerts, reports' figures) stay,
so every figure is unchanged. His partner's contact details go too: they were kept only for
the time he was in the programme. One transaction; audited; doing it twice changes nothing."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from participants.models import (
    Enrolment,
    FollowUp,
    Participant,
    PartnerContact,
    PartnerContactEntry,
    Referral,
)

from ..models import Attendance, SafetyAlert

ERASED = "—"


def anonymise(participant, *, by=None, request=None, reason="admin"):
    """Erase what identifies `participant`. Returns False if he already was anonymised."""
    with transaction.atomic():
        man = Participant.objects.select_for_update().get(pk=participant.pk)
        if man.anonymised_at is not None:
            return False
        Participant.objects.filter(pk=man.pk).update(
            first_name=ERASED,
            last_name="",
            birth_date=None,
            phone="",
            email="",
            preferred_contact_times="",
            intake_notes="",
            anonymised_at=timezone.now(),
        )
        Referral.objects.filter(participant=man).update(notes="", reference_number="")
        Enrolment.objects.filter(participant=man).update(exit_reason="")
        FollowUp.objects.filter(participant=man).update(notes="")
        Attendance.objects.filter(participant=man).update(reflection="")
        SafetyAlert.objects.filter(participant=man).exclude(acknowledgement_note="").update(
            acknowledgement_note=ERASED
        )
        PartnerContact.objects.filter(participant=man).update(safe_channel=ERASED, safe_times="")
        PartnerContactEntry.objects.filter(partner_contact__participant=man).update(notes="")
        record(
            user=by,
            action=AuditEvent.Action.ANONYMISE,
            obj=man,
            participant_id=man.pk,
            detail=reason,
            request=request,
        )
    return True


def past_retention(today=None, years=None):
    """Men whose last enrolment closed more than RETENTION_YEARS ago, with none open, not yet
    anonymised. Men never enrolled are left to the coordinators (a referral may be recent)."""
    today = today or timezone.localdate()
    years = settings.RETENTION_YEARS if years is None else years
    cutoff = today - datetime.timedelta(days=round(365.25 * years))
    open_enrolment = Enrolment.objects.filter(participant=OuterRef("pk"), end_date__isnull=True)
    return (
        Participant.objects.filter(anonymised_at__isnull=True, enrolments__isnull=False)
        .exclude(Exists(open_enrolment))
        .annotate(last_end=Max("enrolments__end_date"))
        .filter(last_end__lt=cutoff)
    )


def apply_retention(today=None, years=None):
    """Anonymise every man past retention; safe to run daily. Returns how many."""
    done = 0
    for man in past_retention(today, years).only("pk"):
        done += anonymise(man, reason="retention")
    return done
