"""Form pieces shared by the apps."""

from django import forms
from django.forms.renderers import Jinja2

# For forms with hundreds of inputs or options (a session's record, a coordinator's filters
# over every group): Django's Jinja2 renderer draws the same widget templates as the default
# one, several times faster. One instance, so its templates are compiled once.
JINJA2_RENDERER = Jinja2()


class LongSelect(forms.Select):
    """A select of hundreds of options, for forms drawn by JINJA2_RENDERER: its template
    (gendes/jinja2/) writes the options in its loop instead of including one template each."""

    template_name = "gendes/widgets/select.html"


def date_input(css_class=""):
    """The browser's date picker, given its value as it reads it (ISO 8601): Django would
    write it in the page's language (28/11/2026), which a date input shows as empty."""
    attrs = {"type": "date", **({"class": css_class} if css_class else {})}
    return forms.DateInput(attrs=attrs, format="%Y-%m-%d")
