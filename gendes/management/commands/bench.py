"""`manage.py bench`: seed the demo data into a throwaway database, at each scale asked, and
time the main pages."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from gendes.bench import measure, report
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
        "For each --scale in turn: create a fresh database of its own (test_<NAME>), seed the "
        "demo data at that scale into it, and report each page's queries and median / p95 "
        "milliseconds over --runs requests, against a bare page (base.html only) requested "
        "as the same user; then compare the scales and list the goals missed. The database "
        "is destroyed after each scale; your data is never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=positive_int,
            action="append",
            required=True,
            help="seed_demo --scale (at least 1). Repeat it to measure several scales.",
        )
        parser.add_argument(
            "--years",
            type=positive_int,
            help="seed_demo --years: spread the history over Y years (seed_demo's default).",
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

    def handle(self, *args, scale, years, runs, warmup, json, **options):
        scales = sorted(set(scale if isinstance(scale, list | tuple) else [scale]))
        numbers = [("scale", s, 1) for s in scales] + [("runs", runs, 1), ("warmup", warmup, 0)]
        if years is not None:
            numbers.append(("years", years, 1))
        for name, value, least in numbers:
            if not isinstance(value, int) or value < least:
                raise CommandError(f"--{name} must be a whole number of at least {least}.")
        self.verbose = options["verbosity"] >= 1
        by_scale, exports = {}, []
        for each in scales:
            by_scale[each], export = self._bench(each, years, runs, warmup)
            exports.append({"page": export["page"], "scale": each, **export})
            self.stdout.write(f"\n--scale {each}" + (f" --years {years}" if years else ""))
            for row in report.table(by_scale[each]):
                self.stdout.write(row)
            self.stdout.write(export_line(export))
        if len(scales) > 1:
            self.stdout.write(f"\nFrom --scale {scales[0]} to --scale {scales[-1]}")
            for row in report.scale_table(by_scale):
                self.stdout.write(row)
        self._goals(by_scale)
        if json:
            report.write_json(by_scale, json, extra=exports)
            if self.verbose:
                self.stdout.write(f"Wrote {json}.")

    def _bench(self, scale, years, runs, warmup):
        """Seed `scale` into a database of its own, measure, drop it: (results, export)."""
        connection = connections[DEFAULT_DB_ALIAS]
        real_name = connection.settings_dict["NAME"]
        try:
            started = time.monotonic()
            bench_name = connection.creation.create_test_db(
                verbosity=0, autoclobber=True, serialize=False, keepdb=False
            )
            if self.verbose:
                self.stdout.write(f"Created the database {bench_name}; seeding --scale {scale}…")
            measure.seed(scale, years)
            target = measure.prepare()
            if self.verbose:
                self.stdout.write(
                    f"Ready in {time.monotonic() - started:.1f} s. Measuring {runs} runs "
                    f"(after {warmup} warm-up) of session {target.session.pk} "
                    f"({target.session.date}, group {target.group.pk}, "
                    f"{target.added_men} men added to make 20), man {target.man.code}, "
                    f"one-site coordinator of {target.site.code}…"
                )
            return measure.measure(target, runs=runs, warmup=warmup), measure_export(target)
        except BenchError as error:
            raise CommandError(str(error)) from error
        finally:
            # Whatever happened, drop the bench database and point back at the real one.
            if connection.settings_dict["NAME"] != real_name:
                connection.creation.destroy_test_db(real_name, verbosity=0, keepdb=False)

    def _goals(self, by_scale):
        missed = report.misses(by_scale)
        if not missed:
            self.stdout.write("\nEvery page meets its goals.")
            return
        self.stdout.write(f"\nGoals missed ({len(missed)}):")
        for line in missed:
            self.stdout.write(f"- {line}")
