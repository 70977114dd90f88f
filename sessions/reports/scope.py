"""What a report covers: the user's sites, narrowed by the filters in the query string."""

import dataclasses
import datetime
import functools

from django import forms
from django.db.models import BigIntegerField, Expression
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from programmes.models import Group, Programme, Site

from .. import standing
from ..models import Attendance, GroupSession, SessionTally, YearlyParticipation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EARLIEST_YEAR = 2000
MAX_SPAN_DAYS = 366 * 20


def _attrs(attrs):
    """What django/forms/widgets/attrs.html writes: ` name="value"`, ` name` when True,
    nothing when False."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """A <select> written in Python, the very markup of Django's select templates: the group
    filter has an option per group (220 at --scale 20), and a template per option took longer
    than many of the dashboard's figures. Named Select as Django's is: crispy-forms gives the
    element its widget's class name as a CSS class ("select")."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


def _options(field, label):
    """A model choice field's options as a callable (Django calls it when the options are
    drawn): the empty one, then (pk, the `label` columns joined by " · ") from one query
    of plain values."""

    read = []  # Django asks twice per drawing (for the `required` attribute too): read once

    def options():
        if not read:
            rows = field.queryset.values_list("pk", *label)
            read.append([("", field.empty_label), *((pk, " · ".join(n)) for pk, *n in rows)])
        return read[0]

    return options


class ReportFilterForm(forms.Form):
    """Filters of the dashboard and the exports. Another site's id is simply not among the
    choices, so it is refused like any unknown id: the report never crosses sites."""

    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, widget=Select
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False, widget=Select
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), required=False, widget=Select
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        groups = Group.objects.coordinated_by(user)
        self.fields["site"].queryset = Site.objects.coordinated_by(user).order_by("name")
        self.fields["group"].queryset = groups.order_by("site__name", "name")
        self.fields["programme"].queryset = Programme.objects.filter(
            pk__in=groups.values("programme_id")
        ).order_by("name")
        # The options, read only when the form is drawn (one plain query each): a group is
        # shown with its site. The querysets above still decide what a choice may be.
        for name, label in (("site", ["name"]), ("programme", ["name"])):
            self.fields[name].choices = _options(self.fields[name], label)
        self.fields["group"].choices = _options(self.fields["group"], ["site__name", "name"])

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


class IdList(Expression):
    """A list of ids as the SQL `(%s, %s, …)`, built once. Given a plain list, Django checks
    and converts every id again in each query that filters on it (some 220 ids in each of the
    dashboard's queries); this one is written as it is. Empty, it is `(NULL)`: no row."""

    output_field = BigIntegerField()

    def __init__(self, ids):
        super().__init__()
        self.ids = list(ids)
        self.sql = f"({', '.join(['%s'] * len(self.ids))})" if self.ids else "(NULL)"

    def resolve_expression(self, *args, **kwargs):
        return self

    def as_sql(self, compiler, connection):
        return self.sql, list(self.ids)


@dataclasses.dataclass
class Scope:
    groups: object  # a Group queryset, already limited to the user's sites and the filters
    date_from: datetime.date
    date_to: datetime.date
    today: datetime.date

    @functools.cached_property
    def group_ids(self):
        """The ids of the groups in scope, read once (1 query), for `…__in=`. The panels filter
        on this list rather than repeat the subquery on staff roles in each of their queries:
        PostgreSQL then also knows how many sessions the filter keeps (from the subquery it
        guessed a fifth of them, and chose nested loops over thousands of rows)."""
        return IdList(self.groups.order_by().values_list("pk", flat=True))

    def of_group(self, group):
        """This period for `group` alone; its id is known, so reading group_ids makes no
        query."""
        scope = dataclasses.replace(self, groups=Group.objects.filter(pk=group.pk))
        scope.__dict__["group_ids"] = IdList([group.pk])  # what the cached_property keeps
        return scope

    def sessions(self):
        return GroupSession.objects.filter(
            group__in=self.group_ids, date__gte=self.date_from, date__lte=self.date_to
        )

    def tallies(self):
        """The tallies of the sessions in scope with attendance recorded."""
        return SessionTally.objects.filter(
            group__in=self.group_ids,
            date__gte=self.date_from,
            date__lte=self.date_to,
            expected__gt=0,
        )

    def participation(self):
        """The men's yearly participation in the groups in scope (any period)."""
        return YearlyParticipation.objects.filter(group__in=self.group_ids)

    def attendance(self):
        return Attendance.objects.filter(
            session__group__in=self.group_ids,
            session__date__gte=self.date_from,
            session__date__lte=self.date_to,
        )


def default_period(today):
    return today.replace(year=today.year - 1) + datetime.timedelta(days=1), today


def scope_for(user, data):
    """The form (bound to `data`) and the Scope it gives. An invalid field is left out (the
    form keeps its error to show); the period falls back to the last twelve months."""
    form = ReportFilterForm(data or None, user=user)
    today = timezone.localdate()
    # The men-based panels count from the kept yearly participation: bring it up to date.
    standing.refresh_stale()
    start, end = default_period(today)
    groups = Group.objects.coordinated_by(user)
    if data:
        form.is_valid()
        cleaned = form.cleaned_data
        if cleaned.get("site"):
            groups = groups.filter(site=cleaned["site"])
        if cleaned.get("programme"):
            groups = groups.filter(programme=cleaned["programme"])
        if cleaned.get("group"):
            groups = groups.filter(pk=cleaned["group"].pk)
        if "__all__" not in form.errors:
            start = cleaned.get("date_from") or start
            end = cleaned.get("date_to") or end
            if start > end:  # only one end given, past the default other end
                start, end = min(start, end), max(start, end)
    return form, Scope(groups=groups, date_from=start, date_to=end, today=today)
