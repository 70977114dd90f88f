"""Forms of a man's path: referral, intake, enrolment, closing, follow-up, and the list's
filters. Forms validate and normalise; services save."""

import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from programmes.models import Group, Site

from .enums import ContactChannel, ExitStatus, FollowUpOutcome, ParticipantStatus, ReferralSource
from .models import Participant

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def not_in_future(value, today):
    if value and value > today:
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


def _attrs(attrs):
    """Django's widgets/attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _add_classes(widget, classes):
    """The classes crispy-forms' `crispy_field` puts on a widget: its kind (e.g. "dateinput"),
    then `classes`, each once."""
    kind = widget.__class__.__name__.lower()
    current = widget.attrs.get("class", "")
    if not current:
        current = kind
    elif kind not in current:
        current += f" {kind}"
    for name in classes.split():
        if name not in current.split():
            current += f" {name}"
    widget.attrs["class"] = current


def _errors(field):
    """crispy's field_errors_block.html."""
    if not field.errors:
        return ""
    items = "".join(
        f'<p id="error_{n}_{field.auto_id}"><strong>{conditional_escape(error)}</strong></p>'
        for n, error in enumerate(field.errors, start=1)
    )
    return f'<div id="{field.errors.field_id}_error" class="invalid-feedback">{items}</div>'


def _help_text(field):
    """crispy's help_text.html (the help text is the form's own, not escaped, as there)."""
    if not field.help_text:
        return ""
    helptext_id = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
    return f'<div {helptext_id}class="form-text">{field.help_text}</div>'


def _widget(field, classes):
    """The widget as Django's templates draw it (input, textarea, select), with crispy's
    classes; any other widget through its own template."""
    widget = field.field.widget
    _add_classes(widget, classes)
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    if not isinstance(
        widget, forms.Select | forms.Textarea | forms.widgets.Input | forms.CheckboxInput
    ):
        return str(field)
    if type(widget) is forms.Select:
        return _select(field, widget, attrs)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name = conditional_escape(context["name"])
    if isinstance(widget, forms.Select):
        options = []
        for group_name, choices, _index in context["optgroups"]:
            if group_name:
                options.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            options.extend(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                for option in choices
            )
            if group_name:
                options.append("\n  </optgroup>")
        return f'<select name="{name}"{_attrs(context["attrs"])}>{"".join(options)}\n</select>'
    if isinstance(widget, forms.Textarea):
        value = conditional_escape(context["value"]) if context["value"] else ""
        return f'<textarea name="{name}"{_attrs(context["attrs"])}>\n{value}</textarea>'
    value = context["value"]
    value = "" if value is None else f' value="{conditional_escape(value)}"'
    return f'<input type="{context["type"]}" name="{name}"{value}{_attrs(context["attrs"])}>'


def _select(field, widget, attrs):
    """A plain select as Django's select.html draws it (the first option whose value is the
    field's is selected), its options written here rather than built as option contexts."""
    values = widget.format_value(field.value())
    options, found = [], False
    for value, label in widget.choices:
        if isinstance(label, list | tuple):  # option groups: Django's own template
            return str(field)
        value = "" if value is None else value
        selected = not found and str(value) in values
        found |= selected
        options.append(
            f'\n  <option value="{conditional_escape(value)}"{" selected" if selected else ""}>'
            f"{conditional_escape(label)}</option>"
        )
    attrs = widget.build_attrs(widget.attrs, attrs)
    name = conditional_escape(field.html_name)
    return f'<select name="{name}"{_attrs(attrs)}>{"".join(options)}\n</select>'


def _label(field, tag, css, suffix=""):
    """The label (or legend) with crispy's classes and its mark for a required field."""
    if not field.label:
        return ""
    required = field.field.required
    for_id = f'for="{field.id_for_label}" ' if field.id_for_label else ""
    css += (" requiredField" if required else "") + suffix
    mark = '<span class="asteriskField">*</span>' if required else ""
    return f'<{tag} {for_id}class="{css}">{conditional_escape(field.label)}{mark}</{tag}>'


def _choices(field):
    """A radio select: a fieldset of form-check inputs (crispy's radio_checkbox_select.html)."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), attrs)
    invalid = " is-invalid" if field.errors else ""
    options = [option for _group, choices, _index in groups for option in choices]
    parts = []
    for n, option in enumerate(options, start=1):
        parts.append(
            f'<div class="form-check"><input type="{option["type"]}" '
            f'class="form-check-input{invalid}" name="{conditional_escape(field.html_name)}" '
            f'value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
            f'<label for="{conditional_escape(option["attrs"].get("id", ""))}" '
            f'class="form-check-label">{conditional_escape(option["label"])}</label>'
            f"{_errors(field) if n == len(options) else ''}</div>"
        )
    described = field.aria_describedby
    described = f' aria-describedby="{described}"' if described else ""
    return (
        f"<fieldset{described}>{_label(field, 'legend', 'form-label', ' fs-6')}"
        f"<div>{''.join(parts)}</div>{_help_text(field)}</fieldset>"
    )


class BootstrapForm(forms.Form):
    """A form with `as_bootstrap`: the markup of crispy-forms' bootstrap5 pack (`|crispy`),
    the same labels, required marks, classes, ids, errors and help texts, assembled in Python.
    Crispy renders a template per field, and Django one per choice: the coordinator's forms
    of a man's page (a select of some 60 groups) took ~8 ms of it."""

    def as_bootstrap(self):
        parts = []
        if self.non_field_errors():
            items = "".join(f"<li>{conditional_escape(e)}</li>" for e in self.non_field_errors())
            parts.append(
                f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>'
            )
        for field in self:
            parts.append(self._bootstrap_field(field))
        return mark_safe("".join(parts))

    @staticmethod
    def _bootstrap_field(field):
        widget = field.field.widget
        if field.is_hidden:
            return str(field)
        css = field.css_classes()
        css = f" {css}" if css else ""
        div_id = f"div_{field.auto_id}"
        invalid = " is-invalid" if field.errors else ""
        if isinstance(widget, forms.RadioSelect) and not isinstance(
            widget, forms.CheckboxSelectMultiple
        ):
            return f'<div id="{div_id}" class="mb-3{css}">{_choices(field)}</div>'
        if isinstance(widget, forms.CheckboxInput):
            return (
                f'<div class="mb-3"><div id="{div_id}" class="form-check{css}">'
                f"{_widget(field, 'form-check-input' + invalid)}"
                f"{_label(field, 'label', 'form-check-label')}"
                f"{_errors(field)}{_help_text(field)}</div></div>"
            )
        kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
        return (
            f'<div id="{div_id}" class="mb-3{css}">{_label(field, "label", "form-label")}'
            f"{_widget(field, kind + invalid)}{_errors(field)}{_help_text(field)}</div>"
        )


class DatedForm(BootstrapForm):
    """A form whose dates are checked against today at the man's site (`today`), and whose
    date fields named in `today_fields` start at that day."""

    today_fields = ()

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        for name in self.today_fields:
            self.fields[name].initial = self.today


class ReferralForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none())
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    preferred_contact_times = forms.CharField(
        label=_("Preferred contact times"), max_length=200, required=False
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        required=False,
        help_text=_("Leave empty to give him the next code of his site."),
    )
    source_type = forms.ChoiceField(
        label=_("Referred by"), choices=[("", "—"), *ReferralSource.choices]
    )
    institution = forms.CharField(label=_("Referring institution"), max_length=200, required=False)
    reference_number = forms.CharField(label=_("Reference number"), max_length=100, required=False)
    referred_on = forms.DateField(label=_("Referral date"), widget=DATE)
    reports_requested = forms.BooleanField(
        label=_("Progress reports go back to the referrer"), required=False
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("I checked: he is not the man listed above; register him anyway."),
        required=False,
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        if sites.count() == 1:
            self.fields["site"].initial = sites.first()
        # The latest "today" among his possible sites: the site is only known once chosen.
        self.fields["referred_on"].initial = max(
            [site.today() for site in sites] or [timezone.localdate()]
        )

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value.year < 1900:
            raise forms.ValidationError(_("Check the birth date."))
        return value

    def clean_code(self):
        code = self.cleaned_data.get("code", "").strip().upper()
        if not code:
            return ""
        if not re.fullmatch(r"[A-Z]{2,8}-\d{1,6}", code):
            raise forms.ValidationError(_("A code looks like CDMX-0042."))
        if Participant.objects.filter(code=code).exists():
            raise forms.ValidationError(_("This code is already in use."))
        return code

    def clean(self):
        cleaned = super().clean()
        site, code = cleaned.get("site"), cleaned.get("code")
        if site and code and not code.startswith(f"{site.code}-"):
            self.add_error("code", _("The code must start with the site's prefix."))
        today = site.today() if site else timezone.localdate()
        for name in ("birth_date", "referred_on"):
            try:
                not_in_future(cleaned.get(name), today)
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def person(self):
        fields = ["first_name", "last_name", "birth_date", "phone", "email"]
        data = {name: self.cleaned_data[name] for name in fields}
        data["preferred_contact_times"] = self.cleaned_data["preferred_contact_times"]
        return data

    def referral(self):
        fields = ["source_type", "institution", "reference_number", "referred_on"]
        data = {name: self.cleaned_data[name] for name in fields}
        data["reports_requested"] = self.cleaned_data["reports_requested"]
        data["notes"] = self.cleaned_data["notes"]
        return data


class IntakeForm(DatedForm):
    intake_date = forms.DateField(label=_("Intake date"), widget=DATE)
    consent_given = forms.BooleanField(label=_("He gave his informed consent"), required=False)
    consent_date = forms.DateField(label=_("Consent date"), required=False, widget=DATE)
    consent_version = forms.CharField(
        label=_("Version of the consent text"), max_length=20, required=False
    )
    notes = forms.CharField(
        label=_("Intake notes"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_intake_date(self):
        return not_in_future(self.cleaned_data.get("intake_date"), self.today)

    def clean_consent_date(self):
        return not_in_future(self.cleaned_data.get("consent_date"), self.today)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_given"):
            if not cleaned.get("consent_date"):
                self.add_error("consent_date", _("Give the date he consented."))
            if not cleaned.get("consent_version", "").strip():
                self.add_error("consent_version", _("Give the version of the text he signed."))
        else:
            cleaned["consent_date"], cleaned["consent_version"] = None, ""
        return cleaned


class GroupChoiceIterator(forms.models.ModelChoiceIterator):
    """The groups as (pk, name) pairs, read once (see `GroupChoiceField.pairs`)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.pairs()

    def __len__(self):
        return len(self.field.pairs()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.pairs())


class GroupChoiceField(forms.ModelChoiceField):
    """A group select whose choices are read with values_list, once: a group's label is its
    name, so the select needs no Group objects (some 60 on a man's page), and the page's
    "is there any other group" asks the same list. What is posted is still looked up in the
    queryset."""

    iterator = GroupChoiceIterator

    def pairs(self):
        loaded = getattr(self, "_pairs", None)
        if loaded is None or loaded[0] is not self.queryset:
            loaded = (self.queryset, list(self.queryset.values_list("pk", "name")))
            self._pairs = loaded
        return loaded[1]


class EnrolForm(DatedForm):
    today_fields = ("start_date",)
    group = GroupChoiceField(label=_("Group"), queryset=Group.objects.none())
    start_date = forms.DateField(label=_("First session on or after"), widget=DATE)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class CloseEnrolmentForm(DatedForm):
    today_fields = ("end_date",)
    exit_status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in ExitStatus.choices if c[0] != ExitStatus.TRANSFERRED],
        widget=forms.RadioSelect,
    )
    end_date = forms.DateField(label=_("End date"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to terminate, and to complete a man who has not met the rules."),
    )

    def clean_end_date(self):
        return not_in_future(self.cleaned_data.get("end_date"), self.today)


class TransferForm(DatedForm):
    today_fields = ("date",)
    to_group = GroupChoiceField(label=_("New group"), queryset=Group.objects.none())
    date = forms.DateField(label=_("Transfer date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = groups

    @property
    def has_groups(self):
        return bool(self.fields["to_group"].pairs())


class FollowUpForm(DatedForm):
    today_fields = ("contacted_on",)
    contacted_on = forms.DateField(label=_("Date"), widget=DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUpOutcome.choices)
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_contacted_on(self):
        return not_in_future(self.cleaned_data.get("contacted_on"), self.today)


class ParticipantFilterForm(forms.Form):
    """The list's filters. Unknown or foreign ids are simply not among the choices, so the
    form drops them instead of leaking another site's data."""

    q = forms.CharField(label=_("Code or name"), max_length=100, required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *ParticipantStatus.choices], required=False
    )
    source = forms.ChoiceField(
        label=_("Referred by"), choices=[("", "—"), *ReferralSource.choices], required=False
    )

    def __init__(self, *args, sites, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["group"].queryset = groups

    def filter(self, participants):
        self.is_valid()  # invalid fields (another site's id, an unknown status) are left out
        data = self.cleaned_data
        if data.get("q"):
            q = data["q"].strip()
            participants = participants.filter(
                Q(code__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
            )
        if data.get("site"):
            participants = participants.filter(site=data["site"])
        if data.get("group"):
            participants = participants.filter(enrolments__group=data["group"]).distinct()
        if data.get("status"):
            participants = participants.filter(status=data["status"])
        if data.get("source"):
            participants = participants.filter(referrals__source_type=data["source"]).distinct()
        return participants
