"""Safety alerts: a check-in with physical or sexual violence, or a facilitator's flag, is a
safety event the site's coordinators must know about today."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programmes.enums import StaffRoleKind

from ..enums import AlertReason
from ..models import SafetyAlert

logger = logging.getLogger(__name__)


def reasons_for(attendance):
    reasons = []
    if attendance.violence_physical:
        reasons.append(AlertReason.PHYSICAL)
    if attendance.violence_sexual:
        reasons.append(AlertReason.SEXUAL)
    if attendance.safety_flag:
        reasons.append(AlertReason.FLAG)
    return reasons


def raise_alerts(*, session, attendances, by):
    """Create the alerts these check-ins call for that the session does not have yet, and
    email the site's coordinators once the transaction commits. Returns the new alerts."""
    wanted = {(a.participant_id, reason) for a in attendances for reason in reasons_for(a)}
    if not wanted:
        return []
    existing = set(
        SafetyAlert.objects.filter(session=session).values_list("participant_id", "reason")
    )
    new = [
        SafetyAlert(session=session, participant_id=pid, reason=reason, raised_by=by)
        for pid, reason in sorted(wanted - existing)
    ]
    if new:
        SafetyAlert.objects.bulk_create(new)
        transaction.on_commit(lambda: notify_coordinators(session=session, count=len(new)))
    return new


def coordinators_of(site):
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            staff_roles__site=site,
            staff_roles__role=StaffRoleKind.COORDINATOR,
        )
        .exclude(email="")
    )


def notify_coordinators(*, session, count):
    """One email per coordinator. It names the group and date only: the details stay behind
    the login (an inbox is not a safe place for check-in contents)."""
    link = settings.SITE_URL.rstrip("/") + reverse("home")
    messages = []
    for user in coordinators_of(session.group.site):
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Safety alert: %(group)s") % {"group": session.group.name}
            body = _(
                "A check-in in the session of %(group)s on %(date)s raised %(count)s safety "
                "alert(s). Open the app to see them and acknowledge them: %(link)s"
            ) % {
                "group": session.group.name,
                "date": session.date.isoformat(),
                "count": count,
                "link": link,
            }
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:
        # The alert is saved and shown on the coordinators' home page; a mail server that is
        # down must not turn the facilitator's save into an error page.
        logger.exception("Could not email the safety alert of session %s", session.pk)


def acknowledge_alert(*, alert, by, note=""):
    if alert.acknowledged_at is None:
        alert.acknowledged_by = by
        alert.acknowledged_at = timezone.now()
        alert.acknowledgement_note = note
        alert.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note"])
    return alert
