"""A panel's figures as a small table: what the page shows, the chart draws, the export writes
and the anonymised statistics suppress. One shape for all of them."""

import dataclasses
import datetime
from typing import Any

from django.utils.formats import date_format, number_format

NUMERIC = ("count", "percent")


@dataclasses.dataclass
class Column:
    key: str
    label: Any  # a lazy translation
    # "count": a number of men or sessions (suppressed below 5 when anonymised);
    # "percent": a share 0–100 (suppressed when its base count is); "text"/"date": labels.
    kind: str = "count"
    # For a percent column: the key of the count it is a share of (for suppression).
    base: str = ""

    @property
    def numeric(self):
        return self.kind in NUMERIC

    def text(self, value):
        """`value` as the page shows it, in its language ("" when there is none): counts
        whole and shares with one decimal, rounded as the downloads round them (number_format
        alone cuts the decimals: 66.66 → "66.6"); months and dates in the language's format;
        a text (a suppressed "<5") as it is."""
        if value is None:
            return ""
        if self.numeric and not isinstance(value, str):
            decimals = 1 if self.kind == "percent" else 0
            return number_format(round(value, decimals), decimals)
        if self.kind == "month" and isinstance(value, datetime.date):
            return date_format(value, "YEAR_MONTH_FORMAT")
        if self.kind == "date" and isinstance(value, datetime.date):
            return date_format(value, "SHORT_DATE_FORMAT")
        return str(value)


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

    def cells(self):
        """Rows as lists of (text, is a figure) in column order, for a page to write."""
        return [
            [(column.text(row.get(column.key)), column.numeric) for column in self.columns]
            for row in self.rows
        ]
