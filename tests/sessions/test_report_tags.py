"""A table's figures read as the downloads and localized_number write them, in both
languages, whichever way table_body formats them."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format

from sessions.reports.tables import Column, Table, localized_number
from sessions.templatetags.report_tags import table_body

VALUES = [0, 0.04, 0.05, 1, 7, 66.66, 99.95, 100, 999.4, 999.96, 1000, 1234.5, 12345, 987654.321]


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
            f'<tr><td class="text-end">{localized_number(value, 0)}</td>'
            f'<td class="text-end">{localized_number(value, 1)}</td></tr>'
            for value in VALUES
        )
    assert html == expected
    assert ("66,7" in html) == (language == "es")


@pytest.mark.parametrize("language", ["es", "en"])
def test_figures_below_a_thousand_read_as_number_format_writes_them(language):
    # localized_number skips number_format when there are no thousands to group.
    with translation.override(language):
        for value in [*VALUES, -7, -66.66, -999.96, -1234.5]:
            for decimals in (0, 1):
                rounded = Decimal(f"{value:.{decimals}f}")
                assert localized_number(value, decimals) == number_format(rounded, decimals)


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
