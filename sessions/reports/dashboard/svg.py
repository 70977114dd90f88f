"""The drawing primitives of the charts: SVG elements with presentation attributes only (the
Content-Security-Policy forbids `style=` and <style>), every element written by format_html
(so every text is escaped), every coordinate written with a decimal point whatever the
language. Series
differ by shape as well as colour (fill patterns for bars, dash patterns and marker shapes for
lines), so that the charts read in black and white too."""

import datetime

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# About a phone's width in CSS pixels, so that the text is drawn near its size there.
WIDTH = 360
FONT = 12
SMALL = 10
LABEL_WIDTH = 128
LABEL_CHARS = int(LABEL_WIDTH / (FONT * 0.55))  # what fits in LABEL_WIDTH, roughly
LINE_HEIGHT = 13
BAR_X = LABEL_WIDTH + 6
VALUE_WIDTH = 54
BAR_MAX = WIDTH - BAR_X - VALUE_WIDTH
LEGEND_ROW = 18

# Dark enough on white (contrast above 4.5:1) and apart for the common colour blindnesses.
COLOURS = ("#1f5f99", "#a34f00", "#2e7d32", "#7b3294", "#4d4d4d")
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 2")
MARKERS = ("circle", "square", "triangle", "diamond", "circle")


def coord(number):
    """A coordinate: never localised (a decimal comma would break the SVG)."""
    return f"{number:.1f}".removesuffix(".0")


def join(parts):
    """Markup pieces one after the other; a piece that is not marked safe is escaped."""
    return format_html_join("", "{}", ((part,) for part in parts))


def format_number(value, percent=False, decimals=1):
    """A figure in the page's language, rounded as the downloads round it (number_format
    alone cuts the decimals: 66.66 → "66.6")."""
    if percent:
        return _("%(value)s%%") % {"value": number_format(round(value, decimals), decimals)}
    decimals = 1 if isinstance(value, float) and not value.is_integer() else 0
    return number_format(round(value, decimals), decimals)


def text_of(value):
    if isinstance(value, datetime.date):
        return date_format(value, "YEAR_MONTH_FORMAT")
    return str(value)


def wrap(text, width=LABEL_CHARS, lines=2):
    """Words into at most `lines` lines of about `width` characters; the rest cut with …"""
    result, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            result.append(current)
            current = word
    result.append(current)
    if len(result) > lines:
        result = result[:lines]
        result[-1] = result[-1][: width - 1].rstrip() + "…"
    return [line if len(line) <= width else line[: width - 1] + "…" for line in result]


def label_text(x, y, text, anchor="end"):
    """A label of up to two lines, centred vertically on y."""
    lines = wrap(text)
    first = y - (len(lines) - 1) * LINE_HEIGHT / 2
    spans = format_html_join(
        "",
        '<tspan x="{}" y="{}">{}</tspan>',
        ((coord(x), coord(first + i * LINE_HEIGHT), line) for i, line in enumerate(lines)),
    )
    return format_html(
        '<text class="chart-text" font-size="{}" text-anchor="{}"'
        ' dominant-baseline="middle" fill="#212529">{}</text>',
        FONT,
        anchor,
        spans,
    )


def value_text(x, y, text, size=FONT):
    return format_html(
        '<text class="chart-text chart-value" x="{}" y="{}" font-size="{}"'
        ' dominant-baseline="middle" fill="#212529">{}</text>',
        coord(x),
        coord(y),
        size,
        text,
    )


def document(table, height, body, kind_description):
    prefix = f"chart-{table.slug}"
    description = (
        f"{table.description} {kind_description} {_('The table below gives the figures.')}"
    )
    return format_html(
        '<svg class="chart-svg" role="img" aria-labelledby="{prefix}-title {prefix}-desc"'
        ' viewBox="0 0 {width} {height}" width="100%"'
        ' preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"'
        ' font-family="system-ui, sans-serif">'
        '<title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc>{body}</svg>',
        prefix=prefix,
        width=WIDTH,
        height=coord(height),
        title=table.title,
        description=description,
        body=body,
    )


def empty():
    return format_html('<p class="chart-empty">{}</p>', _("No data for this period."))


def patterns(prefix, count):
    """Fill patterns for bar series after the first (solid): stripes, dots, cross-hatching."""
    shapes = (
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="3" class="ink-line"/>',
        '<circle cx="3" cy="3" r="1.6" fill="{colour}" class="ink-fill"/>',
        '<path d="M0 3H6M3 0V6" stroke="{colour}" stroke-width="1.4" class="ink-line"/>',
        '<line x1="0" y1="3" x2="6" y2="3" stroke="{colour}" stroke-width="2" class="ink-line"/>',
    )
    parts = []
    for index in range(1, count):
        colour = COLOURS[index % len(COLOURS)]
        rotate = mark_safe(' patternTransform="rotate(45)"') if index == 1 else ""
        parts.append(
            format_html(
                '<pattern id="{}-p{}" patternUnits="userSpaceOnUse" width="6" height="6"{}>'
                '<rect width="6" height="6" fill="#ffffff" class="paper"/>{}</pattern>',
                prefix,
                index,
                rotate,
                format_html(shapes[(index - 1) % len(shapes)], colour=colour),
            )
        )
    return format_html("<defs>{}</defs>", join(parts)) if parts else ""


def _bar_fill(prefix, index):
    return COLOURS[0] if index == 0 else f"url(#{prefix}-p{index})"


def bar(x, y, width, height, prefix, index):
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" stroke-width="1"'
        ' class="{}"/>',
        coord(x),
        coord(y),
        coord(width),
        coord(height),
        _bar_fill(prefix, index),
        COLOURS[index % len(COLOURS)],
        "bar ink-fill" if index == 0 else "bar",
    )


def axis_line(x, top, bottom):
    return format_html(
        '<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}"'
        ' stroke="#6c757d" stroke-width="1" class="chart-axis"/>',
        x=coord(x),
        top=coord(top),
        bottom=coord(bottom),
    )


def marker(x, y, index, size=3.5):
    colour = COLOURS[index % len(COLOURS)]
    shape = MARKERS[index % len(MARKERS)]
    if shape == "circle":
        return format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="{}" class="ink-fill"/>',
            coord(x),
            coord(y),
            coord(size),
            colour,
        )
    if shape == "square":
        points = [
            (x - size, y - size),
            (x + size, y - size),
            (x + size, y + size),
            (x - size, y + size),
        ]
    elif shape == "triangle":
        points = [(x, y - size * 1.3), (x + size * 1.2, y + size), (x - size * 1.2, y + size)]
    else:
        points = [
            (x, y - size * 1.3),
            (x + size * 1.3, y),
            (x, y + size * 1.3),
            (x - size * 1.3, y),
        ]
    return format_html(
        '<polygon points="{}" fill="{}" class="ink-fill"/>', points_of(points), colour
    )


def points_of(points):
    """(x, y) pairs as an SVG `points` attribute."""
    return " ".join(f"{coord(x)},{coord(y)}" for x, y in points)


def dash(index):
    dash = DASHES[index % len(DASHES)]
    return format_html(' stroke-dasharray="{}"', dash) if dash else ""


def line_segment(x, y, index):
    return format_html(
        '<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="2.5"{}'
        ' class="ink-line"/>{}',
        coord(x),
        coord(x + 20),
        COLOURS[index % len(COLOURS)],
        dash(index),
        marker(x + 10, y, index),
        y=coord(y),
    )


def legend(prefix, labels, top, line=False):
    """Legend items flowing in rows across the width; returns (markup, height)."""
    parts, x, y = [], 4.0, top + LEGEND_ROW / 2
    for index, label in enumerate(labels):
        text = str(label)
        item_width = 26 + len(text) * FONT * 0.55 + 12
        if x > 4 and x + item_width > WIDTH:
            x, y = 4.0, y + LEGEND_ROW
        if line:
            parts.append(line_segment(x, y, index))
        else:
            parts.append(bar(x, y - 6, 18, 12, prefix, index))
        parts.append(
            format_html(
                '<text class="chart-text" x="{}" y="{}" font-size="{}"'
                ' dominant-baseline="middle" fill="#212529">{}</text>',
                coord(x + 24),
                coord(y),
                FONT,
                text,
            )
        )
        x += item_width
    return join(parts), y + LEGEND_ROW / 2 - top
