"""What a report covers: the user's sites, narrowed by the filters in the query string."""

import dataclasses
import datetime
import functools
import typing

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendes.forms import JINJA2_RENDERER, LongSelect, date_input
from programmes.models import Group, Programme, Site

DATE = date_input()
EARLIEST_YEAR = 2000
MAX_SPAN_DAYS = 366 * 20


@dataclasses.dataclass(frozen=True)
class GroupRow:
    """A group the user's reports may cover, with its site's and programme's names."""

    pk: int
    name: str
    site_id: int
    site_name: str
    programme_id: int
    programme_name: str


class SiteName(typing.NamedTuple):
    pk: int
    name: str


def _distinct(pairs):
    """(pk, name) pairs once each, by name."""
    return sorted(set(pairs), key=lambda pair: (pair[1], pair[0]))


class ReportFilterForm(forms.Form):
    """Filters of the dashboard and the exports. Another site's id is simply not among the
    choices, so it is refused like any unknown id: the report never crosses sites."""

    # A coordinator of many sites has a group select of a thousand options: Django's Jinja2
    # renderer draws them from the same widget templates, several times faster.
    default_renderer = JINJA2_RENDERER

    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), required=False, widget=LongSelect
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = Group.objects.coordinated_by(user)
        self.user_groups = groups
        self.fields["site"].queryset = Site.objects.coordinated_by(user).order_by("name")
        self.fields["group"].queryset = groups.order_by("site__name", "name")
        self.fields["programme"].queryset = Programme.objects.filter(
            pk__in=groups.values("programme_id")
        ).order_by("name")
        # The options come from the user's groups, read once (`group_rows`) when the form is
        # drawn or a scope needs them: a site or programme is offered when one of his groups
        # is at it or follows it. The querysets above still decide what a choice may be.
        self.fields["site"].choices = self._site_choices
        self.fields["programme"].choices = self._programme_choices
        self.fields["group"].choices = self._group_choices

    def _with_empty(self, choices):
        return [("", self.fields["site"].empty_label), *choices]

    def _site_choices(self):
        return self._with_empty(_distinct((row.site_id, row.site_name) for row in self.group_rows))

    def _programme_choices(self):
        return self._with_empty(
            _distinct((row.programme_id, row.programme_name) for row in self.group_rows)
        )

    def _group_choices(self):
        return self._with_empty(
            (row.pk, f"{row.site_name} · {row.name}") for row in self.group_rows
        )

    @functools.cached_property
    def group_rows(self):
        """The user's groups (`GroupRow`), by site and name: 1 query."""
        values = self.user_groups.order_by("site__name", "name").values_list(
            "pk", "name", "site_id", "site__name", "programme_id", "programme__name"
        )
        return [GroupRow(*row) for row in values]

    def _check_year(self, name):
        value = self.cleaned_data.get(name)
        if value and not EARLIEST_YEAR <= value.year <= timezone.localdate().year + 1:
            raise forms.ValidationError(
                _("Choose a date between %(first)d and next year.") % {"first": EARLIEST_YEAR}
            )
        return value

    def clean_date_from(self):
        return self._check_year("date_from")

    def clean_date_to(self):
        return self._check_year("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        if start and end and (end - start).days > MAX_SPAN_DAYS:
            raise forms.ValidationError(_("Choose a period of at most 20 years."))
        return cleaned


@dataclasses.dataclass
class Scope:
    date_from: datetime.date
    date_to: datetime.date
    today: datetime.date
    # The groups in scope as `GroupRow`s, by site and name: a callable, read when first
    # needed (from what the filter form reads for its options).
    rows: typing.Callable
    # The programme and group filters, if any (the sites come from `rows`).
    programme_id: int | None = None
    group_id: int | None = None

    @functools.cached_property
    def group_rows(self):
        return self.rows()

    @functools.cached_property
    def group_ids(self):
        return [row.pk for row in self.group_rows]

    @functools.cached_property
    def groups(self):
        """The groups in scope as a queryset, that the figures (`queries`) filter on as a
        subquery: by their sites' ids (a few, however many groups; from them PostgreSQL
        estimates how many sessions the filter keeps) and the filters."""
        groups = Group.objects.filter(site_id__in=self.site_ids)
        if self.programme_id is not None:
            groups = groups.filter(programme_id=self.programme_id)
        if self.group_id is not None:
            groups = groups.filter(pk=self.group_id)
        return groups

    @functools.cached_property
    def sites(self):
        """The sites of the groups in scope (`SiteName`), by name."""
        return [
            SiteName(*pair) for pair in _distinct((r.site_id, r.site_name) for r in self.group_rows)
        ]

    @functools.cached_property
    def site_ids(self):
        return [site.pk for site in self.sites]

    def of_group(self, group):
        """This period for `group` alone (with its site and programme loaded): what the
        panels need of it is known, so reading it makes no query."""
        row = GroupRow(
            group.pk,
            group.name,
            group.site_id,
            group.site.name,
            group.programme_id,
            group.programme.name,
        )
        return dataclasses.replace(
            self, rows=lambda: [row], programme_id=group.programme_id, group_id=group.pk
        )

    def named_by_group(self, rows, key="group"):
        """Rows of a query grouped by group id (`key`), given the group's and its site's
        names and put in the order of the groups (by site, then name); groups without a row
        are left out. Naming them here spares the query a join and a sort on names."""
        by_group = {row.pop(key): row for row in rows}
        return [
            {"group": group.name, "site": group.site_name, **by_group[group.pk]}
            for group in self.group_rows
            if group.pk in by_group
        ]


def default_period(today):
    return today.replace(year=today.year - 1) + datetime.timedelta(days=1), today


def scope_for(user, data):
    """The form (bound to `data`) and the Scope it gives. An invalid field is left out (the
    form keeps its error to show); the period falls back to the last twelve months."""
    form = ReportFilterForm(data or None, user=user)
    today = timezone.localdate()
    start, end = default_period(today)
    site = programme = group = None
    if data:
        form.is_valid()
        cleaned = form.cleaned_data
        site, programme, group = cleaned.get("site"), cleaned.get("programme"), cleaned.get("group")
        if "__all__" not in form.errors:
            start = cleaned.get("date_from") or start
            end = cleaned.get("date_to") or end
            if start > end:  # only one end given, past the default other end
                start, end = min(start, end), max(start, end)

    def rows():
        """The user's groups (read once by the form) that the filters keep."""
        return [
            row
            for row in form.group_rows
            if (site is None or row.site_id == site.pk)
            and (programme is None or row.programme_id == programme.pk)
            and (group is None or row.pk == group.pk)
        ]

    return form, Scope(
        date_from=start,
        date_to=end,
        today=today,
        rows=rows,
        programme_id=programme and programme.pk,
        group_id=group and group.pk,
    )
