from django import forms
from django.utils.translation import gettext_lazy as _

from gendes.forms import date_input

from ..models import Participant, PartnerContact
from .selectors import men_for_partner_support

NOTES_MAX = 5000
CODE_MAX = Participant._meta.get_field("code").max_length
CHANNEL_MAX = PartnerContact._meta.get_field("safe_channel").max_length
TIMES_MAX = PartnerContact._meta.get_field("safe_times").max_length


class PartnerContactForm(forms.Form):
    """The partner's safe channel, safe times and consent."""

    safe_channel = forms.CharField(
        label=_("Safe contact channel"),
        help_text=_("How the partner can be reached safely, for example a relative's phone."),
        max_length=CHANNEL_MAX,
        required=False,
    )
    safe_times = forms.CharField(
        label=_("Safe times to contact"),
        help_text=_("When it is safe to contact the partner."),
        max_length=TIMES_MAX,
        required=False,
    )
    consent_to_contact = forms.BooleanField(
        label=_("The partner consents to be contacted"), required=False
    )

    @classmethod
    def initial_for(cls, partner_contact):
        return {name: getattr(partner_contact, name) for name in cls.base_fields}


class NewPartnerContactForm(PartnerContactForm):
    """A new partner contact; the man is named by his code, looked up only among the men of
    the worker's partner-support sites."""

    code = forms.CharField(
        label=_("Participant code"),
        help_text=_("The man's code, for example CDMX-0042."),
        max_length=CODE_MAX,
    )
    field_order = ["code", "safe_channel", "safe_times", "consent_to_contact"]

    def __init__(self, *args, user, **kwargs):
        self.user = user
        self.participant = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"]
        # The same answer whether the code is unknown or belongs to another site.
        participant = (
            men_for_partner_support(self.user).filter(code__iexact=code).order_by("pk").first()
        )
        if participant is None:
            raise forms.ValidationError(_("No man with this code at your sites."), code="unknown")
        self.participant = participant
        return participant.code


class PartnerContactEntryForm(forms.Form):
    """One contact with the partner: its date (not in the future at the man's site) and
    notes."""

    contacted_on = forms.DateField(
        label=_("Date of the contact"),
        widget=date_input(),
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, today, **kwargs):
        self.today = today
        kwargs.setdefault("initial", {"contacted_on": today})
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].widget.attrs["max"] = today.isoformat()

    def clean_contacted_on(self):
        day = self.cleaned_data["contacted_on"]
        if day > self.today:
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return day
