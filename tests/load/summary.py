"""Print the load test's table: per journey, requests/s and p95 idle and under load, and the
goals (at least 70% of the offered rate served; each p95 under load within 4x its idle p95).
Usage: summary.py RESULTS_DIR USERS SECONDS. Exits 1 on any 5xx."""

import csv
import json
import sys
from pathlib import Path

MEAN_WAIT = (0.5 + 2) / 2  # locustfile: between(0.5, 2)


def stats(path):
    with open(path, encoding="utf-8") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def main(results, users, seconds):
    results = Path(results)
    idle, loaded = stats(results / "idle_stats.csv"), stats(results / "loaded_stats.csv")
    print("| journey | requests | req/s | p95 idle (ms) | p95 loaded (ms) | × idle |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in loaded.items():
        if name == "Aggregated":
            continue
        p95_idle = float(idle.get(name, {}).get("95%", "nan") or "nan")
        p95 = float(row["95%"] or "nan")
        print(
            f"| {name} | {row['Request Count']} | {float(row['Requests/s']):.1f} | "
            f"{p95_idle:.0f} | {p95:.0f} | {p95 / p95_idle:.1f} |"
        )
    total = loaded["Aggregated"]
    served = float(total["Requests/s"])
    offered = users / MEAN_WAIT
    print(
        f"\nServed {served:.1f} requests/s of about {offered:.0f} offered "
        f"({served / offered:.0%}; goal 70%)."
    )
    outcome = json.loads((results / "loaded_outcome.json").read_text())
    fives = sum(n for code, n in outcome.items() if code.startswith("5") or code == "0")
    print(f"Answers by status: {outcome}")
    if fives:
        sys.exit(f"{fives} answers were 5xx or no answer at all.")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
