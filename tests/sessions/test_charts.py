"""The dashboard's charts: SVG drawn on the server from a panel's table."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from sessions.reports.dashboard import charts
from sessions.reports.dashboard.svg import BAR_MAX, WIDTH
from sessions.reports.tables import Chart, Column, Table

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _table(rows, kind="bar", keys=("men",), percent=False, label_key="site", columns=None):
    columns = columns or [Column(label_key, "Site", "text")] + [
        Column(key, key.title(), "percent" if percent else "count") for key in keys
    ]
    return Table(
        slug="test",
        title="Men reached",
        description="Distinct men.",
        columns=columns,
        rows=rows,
        chart=Chart(kind, label_key, list(keys), percent=percent),
    )


def _parse(svg):
    return ET.fromstring(str(svg))


def _bars(svg):
    return [
        rect
        for rect in _parse(svg).iter(f"{SVG}rect")
        if "bar" in rect.get("class", "").split() and rect.get("y") is not None
    ]


def _texts(svg):
    return ["".join(text.itertext()) for text in _parse(svg).iter(f"{SVG}text")]


def test_bar_chart_draws_one_bar_per_row_with_widths_proportional_to_the_values():
    svg = charts.bar_chart(
        _table([{"site": "A", "men": 10}, {"site": "B", "men": 20}, {"site": "C", "men": 40}])
    )
    widths = [float(rect.get("width")) for rect in _bars(svg)]
    assert widths == [BAR_MAX / 4, BAR_MAX / 2, BAR_MAX]
    assert ["A", "10", "B", "20", "C", "40"] == _texts(svg)


def test_percent_bars_are_drawn_on_a_0_to_100_scale():
    svg = charts.bar_chart(_table([{"site": "A", "rate": 50.0}], keys=("rate",), percent=True))
    assert [float(rect.get("width")) for rect in _bars(svg)] == [BAR_MAX / 2]
    assert "50.0%" in _texts(svg)


def test_labels_are_escaped():
    svg = charts.bar_chart(_table([{"site": "<b>x</b>", "men": 3}]))
    assert "&lt;b&gt;x&lt;/b&gt;" in svg
    assert "<b>" not in svg
    assert "<b>x</b>" in _texts(svg)


def test_rows_without_a_value_are_left_out_of_the_drawing():
    svg = charts.bar_chart(
        _table([{"site": "A", "men": 4}, {"site": "B", "men": None}, {"site": "C", "men": 2}])
    )
    assert len(_bars(svg)) == 2
    assert "B" not in _texts(svg)


def test_an_empty_table_draws_no_svg_but_says_so():
    for kind in ("bar", "grouped", "line", "funnel"):
        html = charts.render_chart(_table([], kind=kind))
        assert "<svg" not in html
        assert html == '<p class="chart-empty">No data for this period.</p>'


def test_a_table_without_a_chart_draws_nothing():
    table = _table([{"site": "A", "men": 1}])
    table.chart = None
    assert charts.render_chart(table) == ""


def test_the_svg_is_an_accessible_image_with_a_title_and_description():
    svg = charts.bar_chart(_table([{"site": "A", "men": 1}]))
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-test-title chart-test-desc"
    assert root.find(f"{SVG}title").get("id") == "chart-test-title"
    assert root.find(f"{SVG}title").text == "Men reached"
    assert root.find(f"{SVG}desc").get("id") == "chart-test-desc"
    assert root.find(f"{SVG}desc").text.startswith("Distinct men. A bar chart")
    assert root.get("viewBox").startswith(f"0 0 {WIDTH} ")
    assert root.get("width") == "100%"


def test_repeated_labels_take_the_other_text_columns():
    columns = [Column("year", "Year", "text"), Column("site", "Site", "text"), Column("men", "Men")]
    rows = [{"year": 2025, "site": "A", "men": 1}, {"year": 2026, "site": "A", "men": 2}]
    svg = charts.bar_chart(_table(rows, columns=columns))
    assert _texts(svg) == ["2025 · A", "1", "2026 · A", "2"]


def test_long_labels_wrap_onto_two_lines_and_are_cut_after():
    label = "Lunes y jueves 18:00 · Iztapalapa " + "muy largo " * 5
    svg = charts.bar_chart(_table([{"site": label, "men": 1}]))
    spans = [span.text for span in _parse(svg).iter(f"{SVG}tspan")]
    assert spans[0] == "Lunes y jueves"
    assert len(spans) == 2 and spans[1].endswith("…")


def test_grouped_chart_draws_a_bar_per_value_with_a_patterned_legend():
    table = _table(
        [{"site": "A", "men": 4, "done": 2}, {"site": "B", "men": 3, "done": None}],
        kind="grouped",
        keys=("men", "done"),
    )
    svg = charts.grouped_chart(table)
    bars = _bars(svg)
    # 2 legend swatches, then A's two bars and B's one (its None is skipped).
    assert len(bars) == 5
    assert [b.get("fill") for b in bars] == [
        "#1f5f99",
        "url(#chart-test-p1)",
        "#1f5f99",
        "url(#chart-test-p1)",
        "#1f5f99",
    ]
    assert [float(b.get("width")) for b in bars[2:]] == [
        BAR_MAX,
        BAR_MAX / 2,
        BAR_MAX * 3 / 4,
    ]
    assert _parse(svg).find(f".//{SVG}pattern").get("id") == "chart-test-p1"
    assert _texts(svg)[:2] == ["Men", "Done"]


def _month_rows():
    return [
        {"month": datetime.date(2026, 1, 1), "rate": 80.0, "other": 10.0},
        {"month": datetime.date(2026, 2, 1), "rate": None, "other": 20.0},
        {"month": datetime.date(2026, 3, 1), "rate": 60.0, "other": 30.0},
        {"month": datetime.date(2026, 4, 1), "rate": 70.0, "other": None},
    ]


def test_line_chart_draws_a_line_per_value_column_broken_where_a_month_has_no_data():
    columns = [
        Column("month", "Month", "month"),
        Column("rate", "Rate", "percent"),
        Column("other", "Other", "percent"),
    ]
    table = _table(
        _month_rows(),
        kind="line",
        keys=("rate", "other"),
        percent=True,
        label_key="month",
        columns=columns,
    )
    root = _parse(charts.line_chart(table))
    lines = root.findall(f"{SVG}polyline")
    # "rate" has a gap in February: two pieces; "other" is one line (April left out).
    assert [len(line.get("points").split()) for line in lines] == [1, 2, 3]
    assert lines[2].get("stroke-dasharray") == "7 4"
    assert lines[0].get("stroke-dasharray") is None
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert ["0%", "25%", "50%", "75%", "100%"] == [t for t in texts if t.endswith("%")]
    assert "Jan2026" in texts and "Feb" in texts
    # Markers of different shapes: circles for the first series, squares for the second (each
    # also in the legend).
    assert len(root.findall(f"{SVG}circle")) == 3 + 1
    assert len(root.findall(f"{SVG}polygon")) == 3 + 1


def test_a_line_chart_of_low_percentages_zooms_in_from_zero():
    columns = [Column("month", "Month", "month"), Column("rate", "Rate", "percent")]
    rows = [{"month": datetime.date(2026, 1, 1), "rate": 8.0}]
    table = _table(
        rows, kind="line", keys=("rate",), percent=True, label_key="month", columns=columns
    )
    svg = charts.line_chart(table)
    assert [t for t in _texts(svg) if t.endswith("%")] == [
        "0%",
        "2%",
        "4%",
        "6%",
        "8%",
        "10%",
        "8.0%",
    ]
    assert "The vertical axis goes from 0 to 10%." in svg


def test_funnel_shows_each_steps_count_and_share_of_the_first():
    rows = [{"site": "1st", "men": 8}, {"site": "2nd", "men": 6}, {"site": "Done", "men": 2}]
    svg = charts.funnel_chart(_table(rows, kind="funnel"))
    assert _texts(svg) == ["1st", "8 (100.0%)", "2nd", "6 (75.0%)", "Done", "2 (25.0%)"]
    widths = [float(rect.get("width")) for rect in _bars(svg)]
    assert widths[0] > widths[1] > widths[2]


@pytest.mark.parametrize("kind", ["bar", "grouped", "line", "funnel"])
def test_no_chart_uses_inline_styles(kind):
    rows = [{"site": "A", "men": 1.5}, {"site": "B", "men": 3}]
    html = charts.render_chart(_table(rows, kind=kind))
    assert "<svg" in html
    assert "style=" not in html and "<style" not in html and "<script" not in html


def test_numbers_follow_the_language_but_coordinates_never_do():
    table = _table([{"site": "A", "rate": 86.9}], keys=("rate",), percent=True)
    with translation.override("es"):
        svg = charts.bar_chart(table)
    assert "86,9" in _texts(svg)[1]
    assert re.findall(r'width="([^"]+)"', svg)[1] == f"{BAR_MAX * 0.869:.1f}"


def test_figures_are_rounded_like_the_downloads_not_cut():
    from django.utils import translation

    from sessions.reports.dashboard.svg import format_number

    with translation.override("en"):
        assert format_number(200 / 3) == "66.7"
        assert format_number(99.96) == "100.0"
    with translation.override("es"):
        assert format_number(200 / 3) == "66,7"
