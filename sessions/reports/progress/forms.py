from django import forms
from django.utils.translation import gettext_lazy as _

from gendes.forms import date_input

from .selectors import local_today


class MarkSentForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Sent on"),
        widget=date_input("form-control"),
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site

    def clean_sent_on(self):
        value = self.cleaned_data["sent_on"]
        if value > local_today(self.site):
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
