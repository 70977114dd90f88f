"""Tags of the report pages: a panel's chart and its table cells."""

import datetime

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from gendes.html import escape
from sessions.reports.dashboard.charts import render_chart
from sessions.reports.tables import localized_number

register = template.Library()

NUMERIC = ("count", "percent")


# A bar per row stops being readable past this; the table under it lists every row.
MAX_BARS = 30


@register.filter
def chart(table):
    if table.chart and table.chart.kind in ("bar", "grouped") and len(table.rows) > MAX_BARS:
        return format_html(
            '<p class="chart-empty">{}</p>',
            ngettext(
                "The chart is left out: %(count)d row is too many to draw; the table lists it.",
                "The chart is left out: %(count)d rows are too many to draw; the table lists "
                "them all.",
                len(table.rows),
            )
            % {"count": len(table.rows)},
        )
    return render_chart(table)


@register.filter
def table_body(table):
    """The rows of a panel's table, rendered in Python: a dashboard at --scale 20 has
    thousands of cells, and a template tag per cell cost most of the page. The cells are
    written a column at a time, each distinct figure or text formatted once (a table repeats
    its small counts and its sites' names many times over)."""
    numeric = [column.kind in NUMERIC for column in table.columns]
    first_is_label = bool(table.columns) and not numeric[0]
    columns = []
    for index, column in enumerate(table.columns):
        if index == 0 and first_is_label:
            start, end = '<th scope="row">', "</th>"
        elif numeric[index]:
            start, end = '<td class="text-end">', "</td>"
        else:
            start, end = "<td>", "</td>"
        texts = _column_texts(table.rows, column)
        columns.append([f"{start}{text}{end}" for text in texts])
    return mark_safe("".join(f"<tr>{''.join(cells)}</tr>" for cells in zip(*columns, strict=True)))


def _column_texts(rows, column):
    """The escaped text of each row's cell in `column`: figures rounded and in the language
    of the page (percentages with one decimal), labels by `_text`; "—" where there is no
    value."""
    key = column.key
    values = [row.get(key) for row in rows]
    done = {None: "—", "": "—"}
    if column.kind in NUMERIC:
        decimals = 1 if column.kind == "percent" else 0
        texts = []
        for value in values:
            text = done.get(value)
            if text is None:
                # localized_number rounds to this text first: the same text, the same figure.
                rounded = f"{value:.{decimals}f}"
                text = done.get(rounded)
                if text is None:
                    text = done[rounded] = escape(localized_number(value, decimals))
                done[value] = text
            texts.append(text)
        return texts
    texts = []
    for value in values:
        text = done.get(value)
        if text is None:
            text = done[value] = escape(_text(value, column.kind))
        texts.append(text)
    return texts


@register.filter
def is_numeric(column):
    return column.kind in NUMERIC


def _text(value, kind):
    """A label cell's text: months as "March 2026", dates in the language of the page."""
    if kind == "month" and isinstance(value, datetime.date):
        return date_format(value, "YEAR_MONTH_FORMAT")
    if kind == "date" and isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)
