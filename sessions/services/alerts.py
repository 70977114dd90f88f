"""Safety alerts: a check-in with physical or sexual violence, or a facilitator's flag, is a
safety event the site's coordinators must know about today."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from programmes.enums import StaffRoleKind

from ..messaging.outbox import queue_email
from ..models import Delivery, SafetyAlert


def reasons_for(attendance):
    """The alert fields this check-in sets: physical or sexual violence, the safety flag."""
    return {
        "physical": attendance.violence_physical,
        "sexual": attendance.violence_sexual,
        "flagged": attendance.safety_flag,
    }


def raise_alerts(*, session, attendances, by):
    """One alert per man and session, listing its reasons. A check-in that now calls for an
    alert the session does not have creates it; one that adds a reason to an existing alert
    adds it and, if that alert was acknowledged, opens it again (the new reason is news to
    the coordinators). The coordinators' emails are queued in the same transaction. Returns
    the alerts created or opened again."""
    wanted = {}
    for attendance in attendances:
        reasons = {field for field, raised in reasons_for(attendance).items() if raised}
        if reasons:
            wanted[attendance.participant_id] = reasons
    if not wanted:
        return []
    existing = {
        alert.participant_id: alert
        for alert in SafetyAlert.objects.filter(session=session, participant_id__in=wanted)
    }
    new, grown = [], []
    for participant_id, reasons in sorted(wanted.items()):
        alert = existing.get(participant_id)
        if alert is None:
            fields = dict.fromkeys(reasons, True)
            new.append(
                SafetyAlert(session=session, participant_id=participant_id, raised_by=by, **fields)
            )
        elif any(not getattr(alert, field) for field in reasons):
            for field in reasons:
                setattr(alert, field, True)
            alert.acknowledged_at = alert.acknowledged_by = None
            grown.append(alert)
    if new:
        SafetyAlert.objects.bulk_create(new)
    if grown:
        SafetyAlert.objects.bulk_update(
            grown, ["physical", "sexual", "flagged", "acknowledged_at", "acknowledged_by"]
        )
    raised = new + grown
    if raised:
        notify_coordinators(session=session, alerts=raised)
    return raised


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


def notify_coordinators(*, session, alerts):
    """For each alert, one email per coordinator of the site, queued in the caller's
    transaction (delivered and retried by the task engine; sessions/messaging/). It names
    the group and date only: the details stay behind the login (an inbox is not a safe place
    for check-in contents)."""
    coordinators = list(coordinators_of(session.group.site))
    for alert in alerts:
        for user in coordinators:
            subject, body = alert_email(alert, session)
            queue_email(
                kind=Delivery.Kind.ALERT,
                recipient=user.email,
                subject=subject,
                body=body,
                alert=alert,
            )


def alert_email(alert, session, escalated=False):
    """The subject and text of an alert's email, in the site's default language."""
    link = settings.SITE_URL.rstrip("/") + reverse("home")
    values = {"group": session.group.name, "date": session.date.isoformat(), "link": link}
    with translation.override(settings.LANGUAGE_CODE):
        if escalated:
            subject = _("Safety alert NOT acknowledged yet: %(group)s") % values
            body = (
                _(
                    "A safety alert of the session of %(group)s on %(date)s has not been "
                    "acknowledged yet. Open the app to see it and say what was done: %(link)s"
                )
                % values
            )
        else:
            subject = _("Safety alert: %(group)s") % values
            body = (
                _(
                    "A check-in in the session of %(group)s on %(date)s raised a safety alert. "
                    "Open the app to see it and acknowledge it: %(link)s"
                )
                % values
            )
    return subject, body


class AlertError(ValueError):
    """The acknowledgement cannot be saved; the message says why (translated)."""


def acknowledge_alert(*, alert, by, note):
    """Acknowledge an open alert, saying what was done. The coordinator who acknowledged it
    may correct the note later; nobody else can overwrite it."""
    note = note.strip()
    if not note:
        raise AlertError(_("Write what was done before acknowledging the alert."))
    if alert.acknowledged_at is None:
        alert.acknowledged_by = by
        alert.acknowledged_at = timezone.now()
    elif alert.acknowledged_by_id != by.pk:
        raise AlertError(
            _("This alert was already acknowledged by someone else; only they can correct it.")
        )
    alert.acknowledgement_note = note
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note"])
    return alert
