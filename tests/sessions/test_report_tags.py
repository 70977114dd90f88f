"""A table's figures read as the downloads and localized_number write them, in both
languages, whichever way table_body formats them."""

import pytest
from django.utils import translation

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
