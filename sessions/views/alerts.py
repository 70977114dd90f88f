"""Safety alerts: acknowledging one (saying what was done), and the coordinator's history."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendes.audit.log import record
from gendes.audit.models import AuditEvent

from .. import selectors
from ..forms import AcknowledgeAlertForm
from ..services.alerts import AlertError, acknowledge_alert
from .lookups import get_alert_for_coordinator, require_coordinator

PAGE_SIZE = 25  # as every other list


def _back(request):
    """Back to the page the form was on (home, the session, the man, the history)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("home")


@require_POST
def alert_acknowledge(request, pk):
    alert = get_alert_for_coordinator(request.user, pk)
    form = AcknowledgeAlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["note"]))
        return _back(request)
    correcting = alert.acknowledged_at is not None
    try:
        acknowledge_alert(alert=alert, by=request.user, note=form.cleaned_data["note"])
    except AlertError as error:
        messages.error(request, str(error))
        return _back(request)
    record(
        action=AuditEvent.Action.ACKNOWLEDGE,
        obj=alert,
        participant_id=alert.participant_id,
        detail="corrected note" if correcting else "",
    )
    code = alert.participant.code
    if correcting:
        messages.success(
            request, _("The note on the alert about %(code)s was corrected.") % {"code": code}
        )
    else:
        messages.success(request, _("Alert about %(code)s acknowledged.") % {"code": code})
    return _back(request)


class AlertFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("", gettext_lazy("All alerts")),
            ("open", gettext_lazy("Open")),
            ("acknowledged", gettext_lazy("Acknowledged")),
        ],
    )


def alert_list(request):
    """Every alert of the sites he coordinates, newest first, with what was done about it."""
    require_coordinator(request.user)
    alerts = selectors.alert_history_for(request.user)
    form = AlertFilterForm(request.GET)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    if state == "open":
        alerts = alerts.open()
    elif state == "acknowledged":
        alerts = alerts.filter(acknowledged_at__isnull=False)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sessions/alert_list.html",
        {
            "page": page,
            "form": form,
            "querystring": f"state={state}" if state else "",
        },
    )
