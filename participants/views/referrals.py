from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from programmes import access
from programmes.models import Site

from .. import services
from ..forms import ReferralForm
from ..models import Participant


def referral_new(request):
    """Register a referral: the man and who sent him. Warns of a likely duplicate among the
    men the coordinator may see, and asks to confirm before registering."""
    if not access.is_coordinator(request.user):
        raise Http404
    sites = Site.objects.coordinated_by(request.user).filter(active=True).order_by("name")
    form = ReferralForm(request.POST or None, sites=sites)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            services.likely_duplicates(
                participants=Participant.objects.visible_to(request.user),
                first_name=data["first_name"],
                last_name=data["last_name"],
                birth_date=data["birth_date"],
            )
        )
        if duplicates and not data["confirm_not_duplicate"]:
            messages.warning(
                request,
                _(
                    "A man with the same name and birth date is already registered. Check "
                    "before registering him again."
                ),
            )
        else:
            try:
                participant = services.register_referral(
                    site=data["site"],
                    person=form.person(),
                    referral=form.referral(),
                    code=data["code"],
                    by=request.user,
                )
            except IntegrityError:
                form.add_error("code", _("This code is already in use."))
            else:
                messages.success(
                    request,
                    _("%(code)s registered. Record his intake and enrol him in a group.")
                    % {"code": participant.code},
                )
                return redirect(participant)
    status = 400 if form.errors else 200
    return render(
        request,
        "participants/referral_form.html",
        {"form": form, "duplicates": duplicates},
        status=status,
    )
