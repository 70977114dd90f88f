from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Window
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes import access
from programmes.models import Group, Site
from sessions import standing

from ..forms import ParticipantFilterForm
from ..models import Participant

PAGE_SIZE = 25


def _with_standings(page, today):
    """Attach each man's standing to the page's rows (one query for the programmes)."""
    results = standing.standings(list(page.object_list), today)
    for man in page.object_list:
        man.standing = results[man.pk]
    return page


def participant_list(request):
    user = request.user
    form = ParticipantFilterForm(
        request.GET or None,
        sites=Site.objects.visible_to(user).order_by("name"),
        groups=Group.objects.visible_to(user).select_related("site").order_by("name"),
    )
    participants = Participant.objects.visible_to(user).select_related("site")
    if request.GET:
        participants = form.filter(participants)
        if form.errors:
            messages.warning(request, _("Some filters were not valid and were left out."))
    today = timezone.localdate()
    page = Paginator(standing.with_standing(participants).order_by("code"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "participants/participant_list.html",
        {"page": _with_standings(page, today), "form": form, "querystring": query.urlencode()},
    )


def _follower(follow_up):
    """Who logged a follow-up: his full name, else his username."""
    who = follow_up.created_by
    return who.get_full_name() or who.get_username() if who else ""


def _page_of(men, number):
    """The page `number` of the ordered `men`, as `Paginator.get_page` answers it, from one
    query: each man brings the count of all of them (a window), so no COUNT query repeats
    the search. A page out of range (rare) is answered by the last page."""
    paginator = Paginator(men, PAGE_SIZE)
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    men = list(men[(wanted - 1) * PAGE_SIZE : wanted * PAGE_SIZE]) if wanted >= 1 else []
    if men or wanted == 1:
        paginator.count = men[0].at_risk_total if men else 0
        return Page(men, wanted, paginator)
    return paginator.get_page(wanted)


def at_risk_list(request):
    """Men at risk of dropping out at the user's sites: the men not contacted yet first, then
    those contacted longest ago. The rules read each man's kept counts (`KeptStanding`),
    recomputed first for any man whose data changed since (`standing.refresh_stale`)."""
    if not access.is_coordinator(request.user):
        raise Http404
    today = timezone.localdate()
    caseload = Participant.objects.coordinated_by(request.user).filter(
        status__in=["referred", "active"]
    )
    standing.refresh_stale()
    at_risk = (
        caseload.filter(standing.at_risk_q(today))
        .select_related("site", "kept_standing__last_follow_up__created_by")
        .annotate(at_risk_total=Window(Count("pk")))
        .order_by(F("kept_standing__last_follow_up__contacted_on").asc(nulls_first=True), "code")
    )
    page = _page_of(at_risk, request.GET.get("page"))
    for man in page.object_list:
        kept = man.kept_standing
        man.risks = standing.at_risk_reasons(kept, today)
        man.last_follow_up_on = kept.last_follow_up_on
        man.last_follow_up_by = _follower(kept.last_follow_up) if kept.last_follow_up else ""
    return render(
        request,
        "participants/at_risk_list.html",
        {"page": page, "querystring": ""},
    )
