"""The streamed export of a year's attendance rows: its time, its rows, and its peak memory
(tracemalloc), to show it streams in constant memory whatever the number of rows."""

import statistics
import time
import tracemalloc

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions.reports.exports.streaming import stream_attendance_csv

EXPORT_USER = "coordinator"


def measure_export(target, runs=3):
    """Stream the whole attendance of this year as the coordinator `runs` times."""
    user = target.users[EXPORT_USER]
    year = timezone.localdate().year
    times, peaks, rows, size, queries = [], [], 0, 0, 0
    for _ in range(runs):
        reset_queries()
        tracemalloc.start()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            rows = size = 0
            for chunk in stream_attendance_csv(user, year, {}):
                size += len(chunk)
                rows += chunk.count(b"\n")
            times.append((time.perf_counter() - started) * 1000)
        peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
        queries = len(captured.captured_queries)
    return {
        "page": "attendance_export",
        "queries": queries,
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(max(times), 3),
        "rows": rows - 1,  # the header line
        "megabytes": round(size / 2**20, 2),
        "peak_memory_mb": round(max(peaks), 2),
    }


def line(result):
    return (
        f"attendance_export: {result['rows']} rows ({result['megabytes']} MB of CSV) in "
        f"{result['median_ms']:.0f} ms median, {result['queries']} queries, peak Python memory "
        f"{result['peak_memory_mb']} MB (tracemalloc; it streams, so this does not grow with rows)"
    )
