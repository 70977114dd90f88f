"""Form pieces shared by the apps."""

from django import forms


def date_input(css_class=""):
    """The browser's date picker, given its value as it reads it (ISO 8601): Django would
    write it in the page's language (28/11/2026), which a date input shows as empty."""
    attrs = {"type": "date", **({"class": css_class} if css_class else {})}
    return forms.DateInput(attrs=attrs, format="%Y-%m-%d")
