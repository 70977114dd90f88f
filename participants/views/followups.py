from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..forms import FollowUpForm
from .lookups import get_managed_participant


def follow_up_new(request, pk):
    """Log an outreach to a man at risk; reached from the at-risk list or his page."""
    participant = get_managed_participant(request.user, pk)
    form = FollowUpForm(request.POST or None, today=participant.site.today())
    if request.method == "POST" and form.is_valid():
        services.log_follow_up(participant=participant, by=request.user, **form.cleaned_data)
        messages.success(request, _("Follow-up saved for %(code)s.") % {"code": participant.code})
        target = request.POST.get("next", "")
        return redirect("participants:at_risk" if target == "at_risk" else participant)
    return render(
        request,
        "participants/follow_up_form.html",
        {
            "participant": participant,
            "form": form,
            "next": request.GET.get("next", request.POST.get("next", "")),
            "follow_ups": participant.follow_ups.select_related("created_by")[:5],
        },
        status=400 if request.method == "POST" else 200,
    )
