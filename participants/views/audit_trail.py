"""The audit trail as a coordinator reads it: who viewed, changed or exported what about the
men of his sites, and when; admins read every event (logins included)."""

import csv

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from gendes.forms import date_input
from programmes import access

from ..models import Participant

PAGE_SIZE = 25
CSV_COLUMNS = [
    "created_at",
    "username",
    "action",
    "object_type",
    "object_id",
    "participant_id",
    "detail",
    "ip_address",
]


class AuditFilterForm(forms.Form):
    code = forms.CharField(label=_("Man's code"), max_length=20, required=False)
    username = forms.CharField(label=_("User"), max_length=150, required=False)
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("Any"))] + AuditEvent.Action.choices, required=False
    )
    start = forms.DateField(label=_("From"), required=False, widget=date_input())
    end = forms.DateField(label=_("To"), required=False, widget=date_input())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("The end date is before the start date."))
        for field in ("code", "username"):
            if "\x00" in cleaned.get(field, ""):
                self.add_error(field, _("Remove the invalid characters."))
        return cleaned


def events_for(user):
    """The events a user may read: an admin all; a coordinator those about his sites' men."""
    if user.is_superuser:
        return AuditEvent.objects.all()
    men = Participant.objects.coordinated_by(user).values("pk")
    return AuditEvent.objects.filter(participant_id__in=men)


def _filtered(events, data):
    if data.get("code"):
        men = Participant.objects.filter(code__iexact=data["code"].strip()).values("pk")
        events = events.filter(participant_id__in=men)
    if data.get("username"):
        events = events.filter(username__iexact=data["username"].strip())
    if data.get("action"):
        events = events.filter(action=data["action"])
    # Dates are days in the user's time zone (Django's __date uses the current one).
    if data.get("start"):
        events = events.filter(created_at__date__gte=data["start"])
    if data.get("end"):
        events = events.filter(created_at__date__lte=data["end"])
    return events


def audit_trail(request):
    if not access.is_coordinator(request.user):
        raise Http404
    form = AuditFilterForm(request.GET)
    events = events_for(request.user)
    if form.is_valid():
        events = _filtered(events, form.cleaned_data)
    if request.GET.get("format") == "csv" and form.is_valid():
        return _csv(request, events)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "participants/audit_trail.html",
        {"form": form, "page": page, "querystring": query.urlencode(), "filters": query},
    )


class _Echo:
    def write(self, value):
        return value


def _csv(request, events):
    """The filtered events as CSV, streamed; the export is itself an event."""
    record(
        action=AuditEvent.Action.EXPORT, object_type="audit trail", detail="csv", request=request
    )
    writer = csv.writer(_Echo())
    rows = events.values_list(*CSV_COLUMNS).iterator(chunk_size=2000)
    lines = (writer.writerow(row) for row in _with_header(rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response


def _with_header(rows):
    yield CSV_COLUMNS
    yield from rows
