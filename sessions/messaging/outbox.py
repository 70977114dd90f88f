"""Queue a message: its Delivery row and its task, both in the caller's transaction (the ORM
broker writes the task to the same database), so a rolled-back save sends nothing and a
committed one always does."""

from django_q.tasks import async_task

from ..models import Delivery

TASK = "sessions.messaging.tasks.deliver"


def queue_email(*, kind, recipient, subject, body, alert=None):
    delivery = Delivery.objects.create(
        kind=kind, recipient=recipient, subject=subject, body=body, alert=alert
    )
    enqueue(delivery)
    return delivery


def enqueue(delivery):
    async_task(TASK, delivery.pk, task_name=f"delivery-{delivery.pk}-{delivery.attempts}")
