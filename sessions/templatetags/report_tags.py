"""Tags of the report pages: a panel's chart and its table cells."""

import datetime

from django import template
from django.utils.formats import date_format

from sessions.reports.dashboard.charts import render_chart
from sessions.reports.tables import localized_number

register = template.Library()

NUMERIC = ("count", "percent")


@register.filter
def chart(table):
    return render_chart(table)


@register.filter
def is_numeric(column):
    return column.kind in NUMERIC


@register.simple_tag
def cell(row, column):
    """A table cell: percentages with one decimal, months as "March 2026", numbers and dates
    in the language of the page; no figure is a dash."""
    value = row.get(column.key)
    if value is None or value == "":
        return "—"
    if column.kind == "percent":
        return localized_number(value, 1)
    if column.kind == "count":
        return localized_number(value, 0)
    if column.kind == "month" and isinstance(value, datetime.date):
        return date_format(value, "YEAR_MONTH_FORMAT")
    if column.kind == "date" and isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)
