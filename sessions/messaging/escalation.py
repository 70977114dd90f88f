"""Escalation of safety alerts nobody acknowledged: after the site's `escalation_hours`
working hours the site's coordinators are emailed again (the alert "not acknowledged yet"),
and after as long again the admins. Working hours are the site's (its days and hours, in its
time zone). Each step is taken once, written on the alert (`escalations`) and in its
deliveries (kind "escalation"), so the alert's pages show every step."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..models import Delivery, SafetyAlert
from ..services.alerts import alert_email, coordinators_of
from .outbox import queue_email

STEPS = 2  # 1: the site's coordinators again; 2: the admins


def after_working_hours(start, hours, site):
    """The moment `hours` working hours of `site` have passed since `start`."""
    tz = site.tzinfo
    days = {int(d) for d in site.working_days.split(",")}
    left = datetime.timedelta(hours=hours)
    moment = start.astimezone(tz)
    for _ in range(366 * 2):  # at most two years of days, even with one working day a week
        day = moment.date()
        opens = datetime.datetime.combine(day, site.workday_start, tz)
        closes = datetime.datetime.combine(day, site.workday_end, tz)
        if day.weekday() in days and moment < closes:
            begin = max(moment, opens)
            if begin + left <= closes:
                return begin + left
            left -= closes - begin
        moment = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tz)
    raise ValueError(f"site {site.pk} has no working hours")


def recipients(alert, step):
    if step == 1:
        return list(coordinators_of(alert.session.group.site).values_list("email", flat=True))
    admins = get_user_model().objects.filter(is_active=True, is_superuser=True).exclude(email="")
    return list(admins.values_list("email", flat=True))


def escalate_due(now=None):
    """Take every escalation step that is due (scheduled every five minutes)."""
    now = now or timezone.now()
    taken = 0
    with transaction.atomic():
        open_alerts = (
            SafetyAlert.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(acknowledged_at__isnull=True, escalations__lt=STEPS)
            .select_related("session__group__site")
        )
        for alert in open_alerts:
            site = alert.session.group.site
            step = alert.escalations + 1
            if now < after_working_hours(alert.created_at, site.escalation_hours * step, site):
                continue
            subject, body = alert_email(alert, alert.session, escalated=True)
            for email in recipients(alert, step):
                queue_email(
                    kind=Delivery.Kind.ESCALATION,
                    recipient=email,
                    subject=subject,
                    body=body,
                    alert=alert,
                )
            SafetyAlert.objects.filter(pk=alert.pk).update(escalations=step)
            taken += 1
    return taken
