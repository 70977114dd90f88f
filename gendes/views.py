from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone

from participants.selectors import partner_contacts_for
from programmes import access
from programmes.selectors import groups_for_home
from sessions import selectors as session_selectors


def home(request):
    """A role-aware dashboard: each role sees the part of the work that is theirs."""
    user = request.user
    today = timezone.localdate()
    context = {"today": today, "is_admin": user.is_superuser}
    if access.is_facilitator(user):
        context["my_groups"] = groups_for_home(user, facilitated_only=True)
        context["week_sessions"] = session_selectors.sessions_in_week(user, today)
        context["to_record"] = session_selectors.unrecorded_sessions(user, today)
    if access.is_coordinator(user):
        context["site_groups"] = groups_for_home(user)
        context["alerts"] = session_selectors.open_alerts_for(user)
        context["can_acknowledge"] = True
        context["site_unrecorded"] = session_selectors.unrecorded_sessions(
            user, today, facilitated_only=False
        )
    if access.is_partner_support(user) and not user.is_superuser:
        context["partner_contacts"] = partner_contacts_for(user)
        context["partner_notices"] = session_selectors.partner_notices(user, today)
    context["has_role"] = bool(access.roles_of(user)) or user.is_superuser
    return render(request, "home.html", context)


@login_not_required
def privacy_notice(request):
    """The privacy notice: public, like the login page that links it."""
    return render(request, "privacy.html")
