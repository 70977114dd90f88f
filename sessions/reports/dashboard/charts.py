"""A panel's Table drawn as an SVG picture, on the server: "bar", "grouped", "line" or
"funnel". The picture is `role="img"` with a <title> and <desc>; the table printed under it is
the accessible source of the figures."""

import datetime
import math

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from . import svg


def _labeller(table, rows):
    """A row's label: its label column, or, where that repeats (a site in two years), all its
    text columns in order, so that two bars never read the same."""
    key = table.chart.label_key
    if len({row.get(key) for row in rows}) == len(rows):
        return lambda row: svg.text_of(row.get(key))
    keys = [c.key for c in table.columns if c.kind == "text" or c.key == key]

    def label(row):
        return " · ".join(svg.text_of(row[k]) for k in keys if row.get(k) not in (None, ""))

    return label


def _scale_max(values, percent):
    return 100.0 if percent else float(max(values + [0]) or 1)


def bar_chart(table):
    """One horizontal bar per row: the label at the left, the value at the end of the bar."""
    chart = table.chart
    key = chart.value_keys[0]
    rows = [row for row in table.rows if row.get(key) is not None]
    if not rows:
        return svg.empty()
    top_value = _scale_max([row[key] for row in rows], chart.percent)
    label = _labeller(table, rows)
    row_height, bar_height, top = 32, 18, 4
    parts = []
    for index, row in enumerate(rows):
        middle = top + index * row_height + row_height / 2
        width = svg.BAR_MAX * row[key] / top_value
        parts.append(svg.label_text(svg.LABEL_WIDTH, middle, label(row)))
        parts.append(svg.bar(svg.BAR_X, middle - bar_height / 2, width, bar_height, "", 0))
        parts.append(
            svg.value_text(
                svg.BAR_X + width + 4, middle, svg.format_number(row[key], chart.percent)
            )
        )
    bottom = top + len(rows) * row_height
    parts.append(svg.axis_line(svg.BAR_X, top, bottom))
    return svg.document(table, bottom + 4, svg.join(parts), _("A bar chart, one bar per row."))


def funnel_chart(table):
    """Bars that shrink step by step, each with its count and its share of the first step."""
    chart = table.chart
    key = chart.value_keys[0]
    rows = [row for row in table.rows if row.get(key) is not None]
    if not rows:
        return svg.empty()
    first = rows[0][key]
    top_value = float(max(row[key] for row in rows) or 1)
    label = _labeller(table, rows)
    row_height, bar_height, top = 32, 20, 4
    parts = []
    for index, row in enumerate(rows):
        middle = top + index * row_height + row_height / 2
        width = (svg.BAR_MAX - 24) * row[key] / top_value
        value = svg.format_number(row[key])
        if first:
            value = f"{value} ({svg.format_number(row[key] * 100.0 / first, percent=True)})"
        parts.append(svg.label_text(svg.LABEL_WIDTH, middle, label(row)))
        parts.append(svg.bar(svg.BAR_X, middle - bar_height / 2, width, bar_height, "", 0))
        parts.append(svg.value_text(svg.BAR_X + width + 4, middle, value, svg.SMALL + 1))
    bottom = top + len(rows) * row_height
    return svg.document(
        table,
        bottom + 4,
        svg.join(parts),
        _("A funnel: how many men reached each step, and their share of the first step."),
    )


def _series(table):
    """For a chart of several value columns: the rows with a figure in at least one, those
    figures, and the columns' labels (for the legend)."""
    keys = table.chart.value_keys
    rows = [row for row in table.rows if any(row.get(key) is not None for key in keys)]
    values = [row[key] for row in rows for key in keys if row.get(key) is not None]
    label_of = {column.key: column.label for column in table.columns}
    return rows, values, [label_of[key] for key in keys]


def grouped_chart(table):
    """Per row, one horizontal bar per value column, each series with its own fill."""
    chart = table.chart
    prefix = f"chart-{table.slug}"
    keys = chart.value_keys
    rows, values, labels = _series(table)
    if not rows:
        return svg.empty()
    top_value = _scale_max(values, chart.percent)
    legend, legend_height = svg.legend(prefix, labels, 0)
    bar_height, gap = 11, 2
    row_height = max(len(keys) * (bar_height + gap) + 10, 2 * svg.LINE_HEIGHT + 8)
    top = legend_height + 6
    label = _labeller(table, rows)
    parts = [svg.patterns(prefix, len(keys)), legend]
    for index, row in enumerate(rows):
        row_top = top + index * row_height
        parts.append(svg.label_text(svg.LABEL_WIDTH, row_top + row_height / 2, label(row)))
        bars_top = row_top + (row_height - len(keys) * (bar_height + gap) + gap) / 2
        for series, key in enumerate(keys):
            if row.get(key) is None:
                continue
            y = bars_top + series * (bar_height + gap)
            width = svg.BAR_MAX * row[key] / top_value
            parts.append(svg.bar(svg.BAR_X, y, width, bar_height, prefix, series))
            parts.append(
                svg.value_text(
                    svg.BAR_X + width + 4,
                    y + bar_height / 2,
                    svg.format_number(row[key], chart.percent),
                    svg.SMALL,
                )
            )
    bottom = top + len(rows) * row_height
    parts.append(svg.axis_line(svg.BAR_X, top, bottom))
    return svg.document(
        table,
        bottom + 4,
        svg.join(parts),
        _("A bar chart, one bar per figure for each row, with a legend."),
    )


PERCENT_SCALES = ((10, 2), (25, 5), (50, 10), (100, 25))


def _ticks(top_value, percent):
    """Gridline values and the top of the scale, which always starts at 0. Percentages go up to
    100, or to 50, 25 or 10 when every value is below (a rate of 2–10% would be a flat line at
    the bottom of a 0–100 scale)."""
    if percent:
        top, step = next((t, s) for t, s in PERCENT_SCALES if top_value <= t or t == 100)
        return list(range(0, top + 1, step)), float(top)
    magnitude = 10 ** math.floor(math.log10(top_value)) if top_value > 0 else 1
    step = next(
        s * magnitude for s in (0.1, 0.2, 0.5, 1, 2, 5, 10) if top_value / (s * magnitude) <= 4
    )
    step = max(step, 1)
    count = math.ceil(top_value / step) or 1
    return [step * i for i in range(count + 1)], float(step * count)


def _x_labels(table, rows, xs, baseline):
    """Month names under the axis, the year under January and the first month; a label on
    every n-th month only when there are many."""
    key = table.chart.label_key
    every = max(1, math.ceil(len(rows) / 12))
    parts, last_year = [], None
    for index, (row, x) in enumerate(zip(rows, xs, strict=True)):
        value = row[key]
        if index % every:
            continue
        if isinstance(value, datetime.date):
            first, second = date_format(value, "M"), ""
            if value.year != last_year:
                second, last_year = str(value.year), value.year
        else:
            first, second = svg.wrap(svg.text_of(value), 10, 1)[0], ""
        parts.append(
            format_html(
                '<text class="chart-text" x="{x}" y="{y}" font-size="{size}" text-anchor="middle"'
                ' fill="#212529">{first}<tspan x="{x}" dy="12">{second}</tspan></text>',
                x=svg.coord(x),
                y=svg.coord(baseline + 14),
                size=svg.SMALL,
                first=first,
                second=second,
            )
        )
    return svg.join(parts)


def line_chart(table):
    """Rows (months) along x, one line with point markers per value column; 0–100 for
    percentages, with gridlines and a legend."""
    chart = table.chart
    prefix = f"chart-{table.slug}"
    keys = chart.value_keys
    rows, values, labels = _series(table)
    if not rows:
        return svg.empty()
    ticks, top_value = _ticks(max(values), chart.percent)
    legend, legend_height = svg.legend(prefix, labels, 0, line=True)
    left, right = 40, svg.WIDTH - 12
    top = legend_height + 10
    bottom = top + 170
    parts = [legend]
    for tick in ticks:
        y = bottom - (bottom - top) * tick / top_value
        parts.append(
            format_html(
                '<line x1="{left}" y1="{y}" x2="{right}" y2="{y}"'
                ' stroke="#ced4da" stroke-width="1" class="chart-grid"/>'
                '<text class="chart-text" x="{label_x}" y="{y}" font-size="{size}"'
                ' text-anchor="end" dominant-baseline="middle" fill="#212529">{label}</text>',
                left=svg.coord(left),
                right=svg.coord(right),
                y=svg.coord(y),
                label_x=svg.coord(left - 4),
                size=svg.SMALL,
                label=svg.format_number(tick, chart.percent, decimals=0),
            )
        )
    if len(rows) == 1:
        xs = [(left + right) / 2]
    else:
        xs = [left + 8 + (right - left - 16) * i / (len(rows) - 1) for i in range(len(rows))]
    single = len(keys) == 1 and len(rows) <= 12
    marker_size = 3.5 if len(rows) <= 24 else 2
    for series, key in enumerate(keys):
        colour = svg.COLOURS[series % len(svg.COLOURS)]
        segment, segments, markers = [], [], []
        for row, x in zip(rows, xs, strict=True):
            if row.get(key) is None:  # no data that month: the line breaks
                if segment:
                    segments.append(segment)
                segment = []
                continue
            y = bottom - (bottom - top) * row[key] / top_value
            segment.append((x, y))
            markers.append(svg.marker(x, y, series, marker_size))
            if single:
                markers.append(
                    format_html(
                        '<text class="chart-text" x="{}" y="{}" font-size="{}"'
                        ' text-anchor="middle" fill="#212529">{}</text>',
                        svg.coord(x),
                        svg.coord(y - 7),
                        svg.SMALL,
                        svg.format_number(row[key], chart.percent),
                    )
                )
        if segment:
            segments.append(segment)
        for points in segments:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"'
                    ' stroke-linejoin="round"{} class="ink-line"/>',
                    svg.points_of(points),
                    colour,
                    svg.dash(series),
                )
            )
        parts.extend(markers)
    parts.append(_x_labels(table, rows, xs, bottom))
    scale = _("The vertical axis goes from 0 to %(top)s.") % {
        "top": svg.format_number(top_value, chart.percent, decimals=0)
    }
    return svg.document(
        table,
        bottom + 34,
        svg.join(parts),
        f"{_('A line chart over the months, with a legend.')} {scale}",
    )


CHARTS = {"bar": bar_chart, "grouped": grouped_chart, "line": line_chart, "funnel": funnel_chart}


def render_chart(table):
    """The table's chart as SVG markup; a short message when there is nothing to draw; an
    empty string when the table has no chart."""
    if table.chart is None:
        return ""
    return CHARTS[table.chart.kind](table)
