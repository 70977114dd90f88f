"""`manage.py apply_retention`: anonymise the men whose last enrolment closed more than
RETENTION_YEARS ago. Safe to run daily (cron today; the task engine's schedule later)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from sessions.services.anonymise import apply_retention


class Command(BaseCommand):
    help = (
        "Anonymise the men whose last enrolment closed more than RETENTION_YEARS ago (their "
        "names, contact details and free texts are erased; their counts stay)."
    )

    def handle(self, *args, **options):
        done = apply_retention()
        self.stdout.write(
            f"{done} men anonymised (last enrolment closed over "
            f"{settings.RETENTION_YEARS} years ago)."
        )
