import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes import access

from .. import selectors


def _requested_week(request):
    raw = request.GET.get("week", "")
    if not raw:
        return timezone.localdate()
    try:
        day = datetime.date.fromisoformat(raw[:10])
    except ValueError:
        messages.error(request, _("That is not a date; showing this week."))
        return timezone.localdate()
    if not 2000 <= day.year <= 2100:
        messages.error(request, _("That date is out of range; showing this week."))
        return timezone.localdate()
    return day


def my_week(request):
    """The week's sessions of the user's groups, past and upcoming, unrecorded ones first to
    the eye."""
    if not access.works_with_men(request.user):
        raise Http404
    day = _requested_week(request)
    monday, sunday = selectors.week_bounds(day)
    return render(
        request,
        "sessions/my_week.html",
        {
            "sessions": selectors.sessions_in_week(request.user, day, facilitated_only=False),
            "monday": monday,
            "sunday": sunday,
            "previous_week": monday - datetime.timedelta(days=7),
            "next_week": monday + datetime.timedelta(days=7),
        },
    )
