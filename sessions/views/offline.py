"""The record page as a progressive web app: the service worker, and the list of the record
pages a facilitator's phone keeps for a weak connection (his own sessions of the past and
next 7 days). Fetching those pages is an ordinary GET of each: it is audited as a view."""

import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from programmes import access
from programmes.models import Group

from ..enums import SessionState
from ..models import GroupSession

KEEP_DAYS = 7


@login_not_required  # a browser fetches its worker script without asking who is logged in
@require_GET
def service_worker(request):
    response = render(request, "sw.js", content_type="application/javascript")
    response["Cache-Control"] = "no-cache"  # a new worker reaches the phone at once
    return response


@require_GET
def offline_sessions(request):
    """The record pages of his own sessions of the past and next 7 days, as JSON."""
    if not access.works_with_men(request.user):
        raise Http404
    today = timezone.localdate()
    sessions = (
        GroupSession.objects.filter(group__in=Group.objects.facilitated_by(request.user))
        .exclude(state=SessionState.CANCELLED)
        .filter(
            date__gte=today - datetime.timedelta(days=KEEP_DAYS),
            date__lte=today + datetime.timedelta(days=KEEP_DAYS),
        )
        .order_by("date", "start_time")
        .values_list("pk", flat=True)
    )
    return JsonResponse(
        {"record_pages": [reverse("sessions:record", args=[pk]) for pk in sessions]}
    )
