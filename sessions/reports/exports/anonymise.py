"""Anonymised statistics: the same tables with small counts suppressed, for a government or a
funder. A count below 5 (0 included) could point at one man, so it is shown as "<5"; a share
whose base count is suppressed is hidden too, or the count could be worked back from it.

Suppression alone can be undone by subtraction: a total of 41 beside 10 + 9 + 8 + 10 reveals
the "<5" of the fifth site, and two overlapping periods reveal the men of the days between
them. So every other count is rounded to the nearest 5 and every share to the nearest 5
points: a row, a column, a total or another period then only ever bound a suppressed count
between values it shares with several others (tests/sessions/test_anonymised.py tries them)."""

import dataclasses

from ..panels import all_panels

THRESHOLD = 5
SUPPRESSED = "<5"
HIDDEN = "—"
BASE = 5  # counts are shown to the nearest 5, shares to the nearest 5 points


def rounded(value):
    """To the nearest multiple of 5 (a count is whole, so there is never a tie)."""
    return BASE * round(value / BASE)


def _small(value):
    # A missing count is treated as small: when in doubt, suppress.
    return value is None or value < THRESHOLD


def _anonymised_row(columns, row):
    result = {}
    for column in columns:
        value = row.get(column.key)
        if column.kind == "count":
            value = SUPPRESSED if _small(value) else rounded(value)
        elif column.kind == "percent":
            # A share without a declared base cannot be shown to be safe.
            small = not column.base or _small(row.get(column.base)) or value is None
            value = HIDDEN if small else float(rounded(value))
        result[column.key] = value
    return result


def anonymise(table):
    """A copy of `table` with every count below 5 replaced by "<5", every share of a
    suppressed count by "—", and the other counts and shares rounded to the nearest 5. Rows
    keep only the table's columns (no hidden extra keys)."""
    columns = [dataclasses.replace(column) for column in table.columns]
    return dataclasses.replace(
        table,
        columns=columns,
        rows=[_anonymised_row(columns, row) for row in table.rows],
    )


def anonymised_tables(scope):
    """Every panel that does not name men, anonymised."""
    return [anonymise(table) for table in all_panels(scope) if not table.identifies_men]
