"""`manage.py bench`: seed the demo data into a throwaway database and time the main pages."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from gendes.bench import measure
from gendes.bench.export import line as export_line
from gendes.bench.export import measure_export
from gendes.bench.target import BenchError


def positive_int(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Create a fresh database of its own (test_<NAME>), seed the demo data at --scale into "
        "it, and report each page's queries and median / p95 milliseconds over --runs "
        "requests, against a bare page (base.html only) requested as the same user. The "
        "database is destroyed afterwards; your data is never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=positive_int, required=True, help="seed_demo --scale (at least 1)."
        )
        parser.add_argument(
            "--runs",
            type=positive_int,
            default=measure.RUNS,
            help=f"Timed requests per page (default {measure.RUNS}).",
        )
        parser.add_argument(
            "--warmup",
            type=int,
            default=measure.WARMUP,
            help=f"Untimed requests per page first (default {measure.WARMUP}).",
        )
        parser.add_argument("--json", metavar="FILE", help="Also write the results as JSON.")

    def handle(self, *args, scale, runs, warmup, json, **options):
        for name, value, least in (("scale", scale, 1), ("runs", runs, 1), ("warmup", warmup, 0)):
            if not isinstance(value, int) or value < least:
                raise CommandError(f"--{name} must be a whole number of at least {least}.")
        verbose = options["verbosity"] >= 1
        connection = connections[DEFAULT_DB_ALIAS]
        real_name = connection.settings_dict["NAME"]
        try:
            started = time.monotonic()
            bench_name = connection.creation.create_test_db(
                verbosity=0, autoclobber=True, serialize=False, keepdb=False
            )
            if verbose:
                self.stdout.write(f"Created the database {bench_name}; seeding --scale {scale}…")
            measure.seed(scale)
            target = measure.prepare()
            if verbose:
                self.stdout.write(
                    f"Ready in {time.monotonic() - started:.1f} s. Measuring {runs} runs "
                    f"(after {warmup} warm-up) of session {target.session.pk} "
                    f"({target.session.date}, group {target.group.pk}, "
                    f"{target.added_men} men added to make 20), man {target.man.code}…"
                )
            results = measure.measure(target, runs=runs, warmup=warmup)
            export = measure_export(target)
        except BenchError as error:
            raise CommandError(str(error)) from error
        finally:
            # Whatever happened, drop the bench database and point back at the real one.
            if connection.settings_dict["NAME"] != real_name:
                connection.creation.destroy_test_db(real_name, verbosity=0, keepdb=False)
        for row in measure.table(results):
            self.stdout.write(row)
        self.stdout.write(export_line(export))
        if json:
            measure.write_json(results, json, extra=[export])
            if verbose:
                self.stdout.write(f"Wrote {json}.")
