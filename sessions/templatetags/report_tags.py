"""Tags of the report pages: a panel's chart and rows."""

from django import template
from django.template import engines
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from sessions.reports.dashboard.charts import render_chart

register = template.Library()

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
def table_rows(table):
    """The <tr>s of `table`'s cells, drawn by the Jinja2 engine (a panel per group of a
    thousand groups is some ten thousand cells; see settings.TEMPLATES)."""
    rows = engines["jinja2"].get_template("sessions/reports/table_rows.html")
    return mark_safe(rows.render({"table": table}))
