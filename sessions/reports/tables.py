"""A panel's figures as a small table: what the page shows, the chart draws, the export writes
and the anonymised statistics suppress. One shape for all of them."""

import dataclasses
from decimal import Decimal
from typing import Any

from django.utils.formats import get_format, number_format


@dataclasses.dataclass
class Column:
    key: str
    label: Any  # a lazy translation
    # "count": a number of men or sessions (suppressed below 5 when anonymised);
    # "percent": a share 0–100 (suppressed when its base count is); "text"/"date": labels.
    kind: str = "count"
    # For a percent column: the key of the count it is a share of (for suppression).
    base: str = ""


@dataclasses.dataclass
class Chart:
    """How to draw the table: `kind` "bar" (one bar per row), "grouped" (bars per row for
    several value columns), "line" (one line per value column over the rows) or "funnel"."""

    kind: str
    label_key: str
    value_keys: list
    # Percent charts are drawn on a fixed 0–100 scale.
    percent: bool = False


@dataclasses.dataclass
class Table:
    slug: str  # stable id, used in URLs and file names
    title: Any
    description: Any
    columns: list
    rows: list  # list of dicts keyed by Column.key
    chart: Chart | None = None
    # Whether the table names men (codes): never in anonymised statistics.
    identifies_men: bool = False

    def header(self):
        return [str(column.label) for column in self.columns]

    def values(self):
        """Rows as lists in column order (for exports)."""
        return [[row.get(column.key) for column in self.columns] for row in self.rows]


def localized_number(value, decimals=0):
    """A figure in the page's language, rounded as the downloads round it. Django's
    number_format cuts decimals (66.66 → "66.6") where the CSV says 66.7: round first, the
    way f"{value:.1f}" does. Below a thousand there is nothing to group, and the figure only
    needs the language's decimal separator: number_format costs some 40 µs a call, and the
    dashboard writes a few thousand figures (a test keeps both ways equal)."""
    text = f"{value:.{decimals}f}"
    if len(text.lstrip("-").partition(".")[0]) <= 3:
        return text.replace(".", get_format("DECIMAL_SEPARATOR")) if decimals else text
    return number_format(Decimal(text), decimals)
