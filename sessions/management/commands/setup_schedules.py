"""`manage.py setup_schedules`: write the background work's schedule (sessions/messaging/
schedules.py) into the task engine. Safe to run at every deploy."""

from django.core.management.base import BaseCommand

from sessions.messaging.schedules import set_up


class Command(BaseCommand):
    help = "Create or update the task engine's schedules (session generation, retention, "
    help += "alert escalation, delivery retries)."

    def handle(self, *args, **options):
        self.stdout.write(f"{set_up()} schedules set up.")
