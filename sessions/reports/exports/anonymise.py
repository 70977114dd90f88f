"""Anonymised statistics: the same tables with small counts suppressed, for a government or a
funder. A count below 5 (0 included) could point at one man, so it is shown as "<5"; a share
whose base count is suppressed is hidden too, or the count could be worked back from it."""

import dataclasses

from ..panels import all_panels

THRESHOLD = 5
SUPPRESSED = "<5"
HIDDEN = "—"


def _small(value):
    # A missing count is treated as small: when in doubt, suppress.
    return value is None or value < THRESHOLD


def _anonymised_row(columns, row):
    result = {}
    for column in columns:
        value = row.get(column.key)
        if column.kind == "count":
            value = SUPPRESSED if _small(value) else value
        elif column.kind == "percent":
            # A share without a declared base cannot be shown to be safe.
            value = HIDDEN if not column.base or _small(row.get(column.base)) else value
        result[column.key] = value
    return result


def anonymise(table):
    """A copy of `table` with every count below 5 replaced by "<5" and every share of a
    suppressed count by "—". Rows keep only the table's columns (no hidden extra keys)."""
    columns = [dataclasses.replace(column) for column in table.columns]
    return dataclasses.replace(
        table,
        columns=columns,
        rows=[_anonymised_row(columns, row) for row in table.rows],
    )


def anonymised_tables(scope):
    """Every panel that does not name men, anonymised."""
    return [anonymise(table) for table in all_panels(scope) if not table.identifies_men]
