"""What the task engine runs on its own, and when (cron, server time). `manage.py
setup_schedules` writes these into django-q2's schedule; run it at each deploy (make run
does). Add a line here to schedule more."""

SCHEDULES = [
    # (name, task, its arguments, cron)
    (
        "generate sessions",
        "django.core.management.call_command",
        "'generate_sessions'",
        "0 2 * * *",
    ),
    ("apply retention", "django.core.management.call_command", "'apply_retention'", "15 3 * * *"),
    ("escalate safety alerts", "sessions.messaging.escalation.escalate_due", "", "*/5 * * * *"),
    ("retry deliveries", "sessions.messaging.tasks.retry_due", "", "* * * * *"),
]


def set_up():
    """Create or update each schedule by its name; remove none of the others."""
    from django_q.models import Schedule

    for name, func, args, cron in SCHEDULES:
        Schedule.objects.update_or_create(
            name=name,
            defaults={
                "func": func,
                "args": args or None,
                "schedule_type": Schedule.CRON,
                "cron": cron,
                "repeats": -1,
            },
        )
    return len(SCHEDULES)
