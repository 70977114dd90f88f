"""`manage.py seed_demo`: fill an empty database with a believable demo organisation."""

import argparse
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gendes.accounts.devices import DEMO_TOTP_BASE32
from gendes.demo.reset import clear_all, holds_data
from gendes.demo.seed import DEMO_SECRET_NOTE, counts, user_rows
from gendes.demo.seed import seed as build_demo

# More years than this is not a history but a mistake (and dates before the first year).
MOST_YEARS = 50


def whole_number(most=None):
    """An argparse type: a whole number from 1 to `most`."""

    def parse(value):
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number < 1 or (most and number > most):
            upto = f" and at most {most}" if most else ""
            raise argparse.ArgumentTypeError(
                f"must be a whole number of at least 1{upto}, not {value!r}"
            )
        return number

    return parse


class Command(BaseCommand):
    help = (
        "Fill an empty database with demo data: sites, programmes, groups, men, twelve weeks "
        "(or --years) of sessions with attendance and check-ins, and users whose password is "
        "gendes-demo. For development and benchmarks only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=whole_number(),
            default=1,
            help="Make N times more groups, men and sessions (default 1).",
        )
        parser.add_argument(
            "--years",
            type=whole_number(MOST_YEARS),
            help=(
                "Spread the history over Y years: groups running all along, men joining, "
                "completing and dropping out over time (default: twelve weeks)."
            ),
        )
        parser.add_argument(
            "--seed", type=int, default=2018, help="Random seed, for reproducible data."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete all the app data and ALL users first.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (it creates users with a known password).",
        )

    def handle(self, *args, scale, years, seed, reset, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a known password and refuses to run with DEBUG "
                "off. Set DEBUG=true, or pass --force if this really is a demo database."
            )
        # call_command(scale=..., years=...) passes values argparse did not parse.
        checks = [("--scale", scale, None)] + (
            [("--years", years, MOST_YEARS)] if years is not None else []
        )
        for name, value, most in checks:
            try:
                whole_number(most)(value)
            except argparse.ArgumentTypeError as error:
                raise CommandError(f"{name} {error}.") from None
        started = time.monotonic()
        timings = {}
        with transaction.atomic():
            if holds_data():
                if not reset:
                    raise CommandError(
                        "The database already holds data (sites, participants or users). "
                        "seed_demo only fills an empty database; pass --reset to delete all "
                        "the app data and users first."
                    )
                clear_all()
                timings["reset"] = time.monotonic() - started
            demo = build_demo(scale=scale, years=years or 0, seed=seed)
            timings.update(demo.timings)
            committing = time.monotonic()
        timings["commit"] = time.monotonic() - committing
        self._report(time.monotonic() - started, timings)

    def _report(self, elapsed, timings):
        write = self.stdout.write
        summary = ", ".join(f"{n} {what}" for what, n in counts().items())
        write(self.style.SUCCESS(f"Demo data created in {elapsed:.1f} s: {summary}."))
        write("Stages: " + ", ".join(f"{name} {s:.1f} s" for name, s in timings.items()) + ".")
        rows = [("username", "password", "role"), *user_rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        line = "+".join("-" * (w + 2) for w in widths)
        write(f"+{line}+")
        write(DEMO_SECRET_NOTE.format(secret=DEMO_TOTP_BASE32))
        for i, row in enumerate(rows):
            write(
                "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
            )
            if i == 0:
                write(f"+{line}+")
        write(DEMO_SECRET_NOTE.format(secret=DEMO_TOTP_BASE32))
        write(f"+{line}+")
        write(DEMO_SECRET_NOTE.format(secret=DEMO_TOTP_BASE32))
