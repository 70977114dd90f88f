from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import AcknowledgeAlertForm
from ..services.alerts import acknowledge_alert
from .lookups import get_alert_for_coordinator


@require_POST
def alert_acknowledge(request, pk):
    alert = get_alert_for_coordinator(request.user, pk)
    form = AcknowledgeAlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long."))
        return redirect("home")
    acknowledge_alert(alert=alert, by=request.user, note=form.cleaned_data["note"])
    messages.success(
        request, _("Alert about %(code)s acknowledged.") % {"code": alert.participant.code}
    )
    return redirect("home")
