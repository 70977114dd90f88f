"""Admin forms."""

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.utils.text import capfirst

from .enums import Weekday
from .models import Group


class GroupAdminForm(forms.ModelForm):
    """Shows the comma-separated `weekdays` string as one checkbox per weekday."""

    weekdays = forms.TypedMultipleChoiceField(
        label=capfirst(Group._meta.get_field("weekdays").verbose_name),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "programme",
            "site",
            "facilitators",
            "active",
            "weekdays",
            "start_time",
            "start_date",
            "end_date",
            "capacity",
            "is_open",
            "allows_walk_ins",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new group has no initial data, only the model's default.
        stored = self.initial.get("weekdays", self.instance.weekdays)
        if isinstance(stored, str):
            self.initial["weekdays"] = [int(d) for d in stored.split(",") if d.strip().isdigit()]

    def clean_weekdays(self):
        return ",".join(str(d) for d in sorted(set(self.cleaned_data["weekdays"])))


class ChoicesReadOnceMixin:
    """For an inline: a foreign key's select reads its options once for the whole formset.
    Django reads them again for each row, whose form copies the field and its queryset."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        formfield.choices = list(formfield.choices)
        return formfield


# Two-line text areas in a tabular inline, so that a row stays one row.
COMPACT_TEXT = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 2, "cols": 30})}}
