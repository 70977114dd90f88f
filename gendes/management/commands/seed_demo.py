"""`manage.py seed_demo`: fill an empty database with a believable demo organisation."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gendes.demo.reset import clear_all, holds_data
from gendes.demo.seed import counts, user_rows
from gendes.demo.seed import seed as build_demo


def positive_int(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Fill an empty database with demo data: sites, programmes, groups, men, twelve weeks "
        "of sessions with attendance and check-ins, and users whose password is gendes-demo. "
        "For development and benchmarks only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=positive_int,
            default=1,
            help="Make N times more groups, men and sessions (default 1).",
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

    def handle(self, *args, scale, seed, reset, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a known password and refuses to run with DEBUG "
                "off. Set DEBUG=true, or pass --force if this really is a demo database."
            )
        if not isinstance(scale, int) or scale < 1:
            raise CommandError("--scale must be a whole number of at least 1.")
        started = time.monotonic()
        with transaction.atomic():
            if holds_data():
                if not reset:
                    raise CommandError(
                        "The database already holds data (sites, participants or users). "
                        "seed_demo only fills an empty database; pass --reset to delete all "
                        "the app data and users first."
                    )
                clear_all()
            demo = build_demo(scale=scale, seed=seed)
        elapsed = time.monotonic() - started
        self._report(elapsed, demo.timings)

    def _report(self, elapsed, timings):
        write = self.stdout.write
        summary = ", ".join(f"{n} {what}" for what, n in counts().items())
        write(self.style.SUCCESS(f"Demo data created in {elapsed:.1f} s: {summary}."))
        write("Stages: " + ", ".join(f"{name} {s:.1f} s" for name, s in timings.items()) + ".")
        rows = [("username", "password", "role"), *user_rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        line = "+".join("-" * (w + 2) for w in widths)
        write(f"+{line}+")
        for i, row in enumerate(rows):
            write(
                "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
            )
            if i == 0:
                write(f"+{line}+")
        write(f"+{line}+")
