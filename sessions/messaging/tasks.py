"""The tasks the worker runs: send one delivery; re-queue the deliveries due for a retry."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..models import Delivery
from .outbox import enqueue

MAX_ATTEMPTS = 8
# After the nth failure the next attempt waits 2^n minutes (2, 4, 8 ... about 4 hours).
BACKOFF_MINUTES = 2
SAFETY_NET = datetime.timedelta(minutes=15)


def deliver(delivery_id):
    """Send the delivery once. Already sent (a retried or repeated task): nothing happens.
    A failure is kept on the row and retried later by `retry_due`; after MAX_ATTEMPTS the
    delivery is failed, in sight of the coordinators, never silently dropped."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.state in (Delivery.State.SENT, Delivery.State.FAILED):
            return
        delivery.attempts += 1
        try:
            send_mail(
                delivery.subject,
                delivery.body,
                settings.DEFAULT_FROM_EMAIL,
                [delivery.recipient],
                fail_silently=False,
            )
        except Exception as error:  # any transport error: kept, and retried
            delivery.last_error = f"{type(error).__name__}: {error}"[:500]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.state, delivery.next_attempt_at = Delivery.State.FAILED, None
            else:
                wait = datetime.timedelta(minutes=BACKOFF_MINUTES**delivery.attempts)
                delivery.state = Delivery.State.RETRYING
                delivery.next_attempt_at = timezone.now() + wait
        else:
            delivery.state, delivery.sent_at = Delivery.State.SENT, timezone.now()
            delivery.next_attempt_at, delivery.last_error = None, ""
        delivery.save()


def retry_due(now=None):
    """Queue again every delivery whose next attempt is due (scheduled every minute)."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Delivery.objects.select_for_update(skip_locked=True).filter(
                state=Delivery.State.RETRYING, next_attempt_at__lte=now
            )
        )
        for delivery in due:
            # Should this task be lost too, the row is due again in a while.
            Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=now + SAFETY_NET)
            enqueue(delivery)
    return len(due)
