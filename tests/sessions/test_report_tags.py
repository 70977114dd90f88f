"""A table's figures read as the downloads write them, in both languages: rounded, not cut,
then in the language's number format; labels escaped."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format

from sessions.reports.tables import Column, Table

VALUES = [0, 0.04, 0.05, 1, 7, 66.66, 99.95, 100, 999.4, 999.96, 1000, 1234.5, 12345, 987654.321]


def table_body(table):
    return render_to_string("sessions/reports/includes/table_body.html", {"table": table}).strip()


def downloaded(value, decimals):
    """The figure as the CSV rounds it (f"{value:.1f}"), in the language's number format."""
    return number_format(Decimal(f"{value:.{decimals}f}"), decimals)


@pytest.mark.parametrize("language", ["es", "en"])
def test_table_cells_are_the_localized_numbers(language):
    table = Table(
        slug="t",
        title="t",
        description="",
        columns=[Column("count", "Count"), Column("share", "Share", "percent")],
        rows=[{"count": value, "share": value} for value in VALUES],
    )
    with translation.override(language):
        html = table_body(table)
        expected = "".join(
            f'<tr><td class="text-end">{downloaded(value, 0)}</td>'
            f'<td class="text-end">{downloaded(value, 1)}</td></tr>'
            for value in VALUES
        )
    assert html == expected
    assert ("66,7" in html) == (language == "es")


@pytest.mark.parametrize("language", ["es", "en"])
def test_figures_are_rounded_as_the_downloads_round_them(language):
    count, share = Column("count", "Count"), Column("share", "Share", "percent")
    with translation.override(language):
        for value in [*VALUES, -7, -66.66, -999.96, -1234.5]:
            assert count.text(value) == downloaded(value, 0)
            assert share.text(value) == downloaded(value, 1)


def test_label_cells_are_escaped_and_empty_ones_are_a_dash():
    table = Table(
        slug="t",
        title="t",
        description="",
        columns=[Column("group", "Group", "text"), Column("site", "Site", "text")],
        rows=[{"group": "<b>Jueves</b> & Co", "site": None}, {"group": "", "site": "Sede A"}],
    )
    assert table_body(table) == (
        '<tr><th scope="row">&lt;b&gt;Jueves&lt;/b&gt; &amp; Co</th><td>—</td></tr>'
        '<tr><th scope="row">—</th><td>Sede A</td></tr>'
    )
