"""`manage.py load_plan`: what `make load`'s simulated staff open, as JSON; and, with
--check, whether every save locust saw accepted is in the database."""

import json
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gendes.accounts.devices import give_demo_device
from gendes.bench.load import build_plan, check_saves
from gendes.bench.target import ONE_SITE_COORDINATOR


class Command(BaseCommand):
    help = (
        "Write the load test's plan (each demo account's pages, the sessions its facilitators "
        "record, the bad requests) to --out; or, with --check FILE, read locust's log of "
        "accepted saves and fail if any is not what the database holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", help="where to write the plan (JSON)")
        parser.add_argument("--check", help="the JSON-lines log of accepted record saves")
        parser.add_argument(
            "--password",
            default="gendes-demo",
            help="the password given to the one-site coordinator the plan adds",
        )

    def handle(self, *args, **options):
        if options["check"]:
            return self._check(options["check"])
        if not options["out"]:
            raise CommandError("Give --out FILE (the plan) or --check FILE (the saves).")
        plan = build_plan()
        user = get_user_model().objects.get(username=ONE_SITE_COORDINATOR)
        user.set_password(options["password"])
        user.save(update_fields=["password"])
        give_demo_device(user)  # he logs in with the demo users' second factor
        with open(options["out"], "w", encoding="utf-8") as out:
            json.dump(plan, out, indent=1)
        sessions = sum(len(a["sessions"]) for a in plan["accounts"].values())
        self.stdout.write(f"Plan: {len(plan['accounts'])} accounts, {sessions} sessions.")

    def _check(self, path):
        with open(path, encoding="utf-8") as log:
            saves, sessions, mismatches = check_saves(log)
        self.stdout.write(f"{saves} accepted saves on {sessions} sessions checked.")
        if mismatches:
            for mismatch in mismatches[:20]:
                self.stderr.write(f"lost: session {mismatch[0]} man {mismatch[1]}: {mismatch[2:]}")
            sys.exit(f"{len(mismatches)} saved values are not in the database.")
        self.stdout.write("No save lost.")
