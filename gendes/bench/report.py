"""What the bench prints and writes: a table per scale, the comparison of the scales, the goals
a page misses, and the JSON. `by_scale` is {scale: [Result]}, the scales in ascending order.

The goals (issue 10): the same number of queries at every scale, and at most MAX_QUERIES; a
page's median within its `goal` times its user's bare page; and at most MAX_GROWTH times its
median at the smallest scale when measured at the largest, in the same run. They are reported,
not enforced: a miss is a finding to measure and explain, not a failed command.
"""

import json

from .pages import bare_name

MAX_QUERIES = 15
MAX_GROWTH = 2


def ratios(results):
    """Each page's median over the median of the bare page of the same user."""
    bare = {r.user: r.median_ms for r in results if r.page == bare_name(r.user)}
    return {r.page: r.median_ms / bare[r.user] for r in results}


def table(results):
    """One scale's results as text lines: page, user, queries, median ms, p95 ms, x bare, and
    the page's goal."""
    ratio = ratios(results)
    header = ("page", "user", "queries", "median ms", "p95 ms", "x bare", "goal")
    rows = [
        (
            r.page,
            r.user,
            str(r.queries),
            f"{r.median_ms:.2f}",
            f"{r.p95_ms:.2f}",
            f"{ratio[r.page]:.1f}",
            f"{r.goal}x" if r.goal else "",
        )
        for r in results
    ]
    return _draw(header, rows)


def scale_table(by_scale):
    """Each page's queries at every scale, and its median at the largest scale over the
    smallest. Only meaningful with two scales or more."""
    low, high = min(by_scale), max(by_scale)
    by_page = _by_page(by_scale)
    header = (
        "page",
        "queries " + " / ".join(map(str, by_scale)),
        "same queries",
        f"median ms {low}",
        f"median ms {high}",
        f"x scale {low}->{high}",
    )
    rows = []
    for page, results in by_page.items():
        counts = [results[scale].queries for scale in by_scale]
        rows.append(
            (
                page,
                " / ".join(map(str, counts)),
                "yes" if len(set(counts)) == 1 else "no",
                f"{results[low].median_ms:.2f}",
                f"{results[high].median_ms:.2f}",
                f"{results[high].median_ms / results[low].median_ms:.2f}",
            )
        )
    return _draw(header, rows, left=1)


def misses(by_scale):
    """Which page misses which goal, one line each (empty when every page meets them)."""
    low, high = min(by_scale), max(by_scale)
    ratio = {scale: ratios(results) for scale, results in by_scale.items()}
    found = []
    for page, results in _by_page(by_scale).items():
        counts = [results[scale].queries for scale in by_scale]
        if len(set(counts)) > 1:
            scales = " / ".join(map(str, by_scale))
            found.append(
                f"{page}: {' / '.join(map(str, counts))} queries at --scale {scales} "
                "(goal: the same at every scale)"
            )
        if max(counts) > MAX_QUERIES:
            found.append(f"{page}: {max(counts)} queries (goal: at most {MAX_QUERIES})")
        for scale, result in results.items():
            if result.goal and ratio[scale][page] > result.goal:
                found.append(
                    f"{page}: {ratio[scale][page]:.1f}x bare at --scale {scale} "
                    f"(goal: at most {result.goal}x)"
                )
        growth = results[high].median_ms / results[low].median_ms
        if high != low and growth > MAX_GROWTH:
            found.append(
                f"{page}: median {growth:.2f}x from --scale {low} to --scale {high} "
                f"(goal: at most {MAX_GROWTH}x)"
            )
    return found


def write_json(by_scale, path, extra=()):
    """One entry per page and scale; `extra` entries (the export's, with its rows and peak
    memory) follow."""
    entries = [r.as_json(scale) for scale, results in by_scale.items() for r in results]
    with open(path, "w", encoding="utf-8") as out:
        json.dump(entries + list(extra), out, indent=2)
        out.write("\n")


def _by_page(by_scale):
    """{page: {scale: Result}}, the pages in the order of the first scale."""
    pages = {}
    for scale, results in by_scale.items():
        for result in results:
            pages.setdefault(result.page, {})[scale] = result
    return pages


def _draw(header, rows, left=2):
    """A Markdown table: the first `left` columns aligned left, the others right."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row):
        cells = [
            cell.ljust(w) if i < left else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "| " + " | ".join(cells) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return [line(header), rule, *(line(row) for row in rows)]
