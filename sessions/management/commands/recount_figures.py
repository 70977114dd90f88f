from django.core.management.base import BaseCommand
from django.db import transaction

from participants.models import Participant
from sessions import standing, tallies
from sessions.models import GroupSession


class Command(BaseCommand):
    help = (
        "Recount every derived figure from the records: the sessions' tallies and each man's "
        "kept standing, check-ins and yearly participation. The app keeps them as it writes; "
        "run this after changing records outside it (SQL, a bulk import), or weekly from cron "
        "as a check. The records themselves are never changed."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            sessions = tallies.recount(GroupSession.objects.values("pk"))
            # Moving every man's version marks his kept figures out of date.
            standing.touch(Participant.objects.values("pk"))
            men = standing.refresh_stale()
        self.stdout.write(f"{sessions} sessions tallied, {men} men's figures recounted.")
