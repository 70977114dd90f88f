"""Admin forms and the pieces that keep inline admin pages at a constant number of queries."""

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget, ForeignKeyRawIdWidget
from django.urls import NoReverseMatch, reverse
from django.utils.choices import BaseChoiceIterator
from django.utils.text import Truncator, capfirst

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


class LoadedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id widget that labels the object its row already loaded (see `InlineRowForm`)
    instead of fetching it: Django's widget costs one query per inline row."""

    loaded = None

    def label_and_url_for_value(self, value):
        obj = self.loaded
        if obj is None or str(obj.pk) != str(value):
            return super().label_and_url_for_value(value)
        opts = obj._meta
        try:
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
            )
        except NoReverseMatch:
            url = ""
        return Truncator(obj).words(14), url


class InlineRowForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            if isinstance(field.widget, LoadedRawIdWidget):
                # Select the relation in the inline's get_queryset, or this is the query.
                field.widget.loaded = getattr(self.instance, name)


class SharedChoices(BaseChoiceIterator):
    """A select's choices, fetched at most once and shared by every row of the formset."""

    def __init__(self, field):
        self.field = field
        self.cache = None

    def __iter__(self):
        if self.cache is None:
            self.cache = list(self.field.iterator(self.field))
        return iter(self.cache)

    def __len__(self):
        return len(list(iter(self)))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        # Each row's form deep-copies its fields; all of them keep this one list.
        return self


class ConstantQueriesInlineMixin:
    """For inlines: raw-id fields label the loaded related object, and a select of a small
    table (site, group) runs its query once per page, not once per row."""

    form = InlineRowForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.raw_id_fields and "widget" not in kwargs:
            kwargs["widget"] = LoadedRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and db_field.name not in self.raw_id_fields:
            formfield.choices = SharedChoices(formfield)
        return formfield


class CompactTextMixin:
    """Two-line text areas in a tabular inline, so that a row stays one row."""

    compact_text_fields = ["notes", "description"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.compact_text_fields:
            kwargs["widget"] = AdminTextareaWidget(attrs={"rows": 2, "cols": 30})
        return super().formfield_for_dbfield(db_field, request, **kwargs)
