import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from programmes.models import Group
from sessions.services.schedule import WEEKS_AHEAD, generate_sessions


class Command(BaseCommand):
    help = (
        "Create the scheduled sessions of every active group for the coming weeks (pages "
        "never write them: run it daily from cron so the schedule never lags)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=WEEKS_AHEAD)

    def handle(self, *args, weeks, **options):
        if not 1 <= weeks <= 52:
            raise CommandError("--weeks must be between 1 and 52.")
        until = timezone.localdate() + datetime.timedelta(weeks=weeks)
        groups = Group.objects.filter(active=True).select_related("programme")
        created = generate_sessions(groups=groups, until=until)
        self.stdout.write(f"{created} sessions created.")
