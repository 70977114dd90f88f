"""gendes.html.escape writes what Django's conditional_escape writes."""

import pytest
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from gendes.html import escape


@pytest.mark.parametrize(
    "value",
    [
        "Jueves <b>A</b> & \"Sede\" 'B'",
        "Ñandú · 66,7",
        42,
        12.5,
        None,
        mark_safe("<em>already safe</em>"),
        gettext_lazy("Group"),
    ],
)
def test_escape_is_conditional_escape(value):
    assert escape(value) == conditional_escape(value)
