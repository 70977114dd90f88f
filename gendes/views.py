import sys

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views import defaults

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


def server_error(request):
    """Django's 500 page; but when the database could not be reached (a restart, a failover)
    the request is answered 503 "try again" in the same layout: nothing was half-saved (each
    save is one transaction) and the app reconnects by itself (CONN_HEALTH_CHECKS)."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = render_to_response_without_context("503.html")
        response.status_code = 503
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)


def render_to_response_without_context(template_name):
    # Like Django's server_error: no request context, as the database may be what failed.
    return HttpResponse(loader.get_template(template_name).render())
