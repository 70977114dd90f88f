"""Forms of a man's path: referral, intake, enrolment, closing, follow-up, and the list's
filters. Forms validate and normalise; services save."""

import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendes.forms import JINJA2_RENDERER, LongSelect, date_input
from programmes.models import Group, Site

from .enums import ContactChannel, ExitStatus, FollowUpOutcome, ParticipantStatus, ReferralSource
from .models import Participant

DATE = date_input()


def not_in_future(value, today):
    if value and value > today:
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


class DatedForm(forms.Form):
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


class EnrolForm(DatedForm):
    default_renderer = JINJA2_RENDERER  # a coordinator of every site has hundreds of groups
    today_fields = ("start_date",)
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), widget=LongSelect
    )
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
    default_renderer = JINJA2_RENDERER  # as EnrolForm
    today_fields = ("date",)
    to_group = forms.ModelChoiceField(
        label=_("New group"), queryset=Group.objects.none(), widget=LongSelect
    )
    date = forms.DateField(label=_("Transfer date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = groups

    @property
    def has_groups(self):
        return self.fields["to_group"].queryset.exists()


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

    default_renderer = JINJA2_RENDERER  # a coordinator of every site has hundreds of groups
    q = forms.CharField(label=_("Code or name"), max_length=100, required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), required=False, widget=LongSelect
    )
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

    def filter(self, participants, *, named):
        """`participants` narrowed to the valid filters. The words match codes and first
        names, and last names only among `named`, the men whose last name the user may see
        (those he manages): a facilitator must not confirm a last name by searching it."""
        self.is_valid()  # invalid fields (another site's id, an unknown status) are left out
        data = self.cleaned_data
        if data.get("q"):
            q = data["q"].strip()
            participants = participants.filter(
                Q(code__icontains=q)
                | Q(first_name__icontains=q)
                | Q(last_name__icontains=q, pk__in=named.values("pk"))
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
