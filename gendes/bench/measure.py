"""Seed, then request every page through django.test.Client (the whole middleware stack, a
logged-in user) and collect its query count and times (`report` draws the tables).

Runs in whatever database is current: the `bench` command first creates a throwaway one.
Pages are requested in rounds (every page once per round, in a new random order each round)
so that a slow moment of the machine, and the cost of coming first after another page, spread
over all pages, the bare pages included, instead of spoiling one of them.
"""

import dataclasses
import io
import random
import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from .pages import PAGES, with_bare
from .target import BenchError, prepare

RUNS = 30
WARMUP = 3


def bench_settings():
    """What the bench changes, none of it on a page's path: its URLconf (the bare page), the
    test client's host, no HTTPS redirect (the client speaks plain HTTP), mail kept in memory,
    and static URLs without the manifest (which only `collectstatic` writes)."""
    return {
        "ROOT_URLCONF": "gendes.bench.urls",
        "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, "testserver"],
        "SECURE_SSL_REDIRECT": False,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@dataclasses.dataclass
class Result:
    page: str
    user: str
    queries: int  # the most any run made
    times_ms: list
    goal: int | None = None  # the page's goal, × its user's bare page

    @property
    def median_ms(self):
        return statistics.median(self.times_ms)

    @property
    def p95_ms(self):
        return percentile(self.times_ms, 0.95)

    def as_json(self, scale):
        return {
            "page": self.page,
            "scale": scale,
            "queries": self.queries,
            "median_ms": round(self.median_ms, 3),
            "p95_ms": round(self.p95_ms, 3),
        }


def percentile(values, fraction):
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def seed(scale, years=None):
    """The demo data at `scale` (over `years`, when given), into the current (empty) database,
    with planner statistics."""
    spread = {} if years is None else {"years": years}
    call_command("seed_demo", scale=scale, force=True, stdout=io.StringIO(), **spread)
    analyze()


def analyze():
    """Gather the planner's statistics, as autovacuum has them on a live database. Just after
    a bulk load PostgreSQL has none and picks poor plans for a minute or so (a man's standing
    query took 23 ms instead of 5)."""
    if connection.vendor in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def run(scale, years=None, runs=RUNS, warmup=WARMUP, pages=PAGES):
    """Seed at `scale`, then measure `pages` (and the bare pages). Returns a list of Result."""
    seed(scale, years)
    return measure(prepare(), runs=runs, warmup=warmup, pages=pages)


def measure(target, runs=RUNS, warmup=WARMUP, pages=PAGES):
    """`warmup` untimed rounds then `runs` timed ones; every round requests every page once.
    A POST really saves (the record page's version goes up by warmup + runs)."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    pages = with_bare(pages)
    clients = {}
    for page in pages:
        if page.user not in clients:
            clients[page.user] = Client()
            clients[page.user].force_login(target.users[page.user])
    times = {page.name: [] for page in pages}
    queries = {page.name: 0 for page in pages}
    order = random.Random(2018)  # the same orders every time
    with override_settings(**bench_settings()):
        for _ in range(warmup):
            for page in pages:
                _request(clients[page.user], page, target)
        for _ in range(runs):
            for page in order.sample(pages, len(pages)):
                elapsed, count = _request(clients[page.user], page, target)
                times[page.name].append(elapsed * 1000)
                queries[page.name] = max(queries[page.name], count)
    return [Result(p.name, p.user, queries[p.name], times[p.name], p.goal) for p in pages]


def _request(client, page, target):
    """One request of `page`, checked; returns (seconds, queries)."""
    url = page.url(target)
    data = page.data(target) if page.data else None
    # With DEBUG on the query log is a deque of at most 9000 entries, and a full one makes
    # CaptureQueriesContext count nothing: start each request with an empty one.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = getattr(client, page.method.lower())(url, data)
        if response.streaming:
            b"".join(response.streaming_content)
        elapsed = time.perf_counter() - started
    # Count now: the query log is emptied at the start of the next request.
    queries = len(captured.captured_queries)
    if response.status_code != page.status:
        hint = " (409: the version posted was stale)" if response.status_code == 409 else ""
        raise BenchError(
            f"{page.name}: {page.method} {url} as {page.user} answered "
            f"{response.status_code}, expected {page.status}{hint}."
        )
    if page.method == "POST" and response.status_code == 302:
        # Show the flash message ("Session saved.") now, untimed, as the browser would, so
        # the next page of this user does not render it.
        client.get(response["Location"])
    return elapsed, queries
