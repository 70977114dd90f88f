from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gendes.audit.log import record_many
from gendes.audit.models import AuditEvent
from programmes import access
from programmes.models import Group, Site
from sessions import standing

from .. import searches
from ..forms import ParticipantFilterForm
from ..models import FollowUp, Participant

PAGE_SIZE = 25


def _men_of_page(page, men=None):
    """The men of a page of ids, in its order, with their standing counts."""
    loaded = standing.of_men(page.object_list, men).select_related("site").in_bulk()
    page.object_list = [loaded[pk] for pk in page.object_list]
    return page


def _with_standings(page, today):
    """The page's men with their standing (one query for their programmes)."""
    _men_of_page(page)
    results = standing.standings(page.object_list, today)
    for man in page.object_list:
        man.standing = results[man.pk]
    return page


def participant_list(request):
    """The men the user may see, filtered. A name never travels in the URL (access logs and
    browser history keep URLs): the search words are POSTed, kept in the session under an
    opaque key, and the list is shown at `?search=<key>` (post/redirect/get), so that paging
    and the back button still work. The other filters (ids, status, page) stay in the URL."""
    if not access.works_with_men(request.user):
        raise Http404
    if request.method == "POST":
        return redirect(searches.results_url(request))
    user = request.user
    data = request.GET.copy()
    data.pop("q", None)  # an old link's name is ignored, never searched
    key = data.pop("search", [""])[-1]
    if key:
        words = searches.words_of(request, key)
        if words is None:
            messages.info(
                request, _("That search is no longer available: here is the list without it.")
            )
        else:
            data["q"] = words
    form = ParticipantFilterForm(
        data or None,
        sites=Site.objects.visible_to(user).order_by("name"),
        groups=Group.objects.visible_to(user).select_related("site").order_by("name"),
    )
    participants = Participant.objects.visible_to(user)
    if data:
        participants = form.filter(participants, named=Participant.objects.coordinated_by(user))
        if form.errors:
            messages.warning(request, _("Some filters were not valid and were left out."))
    today = timezone.localdate()
    page = Paginator(participants.order_by("code").values_list("pk", flat=True), PAGE_SIZE)
    page = page.get_page(request.GET.get("page"))
    # Each man shown is a view of his data: one event each, one INSERT for the page.
    record_many(
        action=AuditEvent.Action.VIEW,
        object_type="participants.participant",
        participant_ids=list(page.object_list),
        detail="list",
        request=request,
    )
    query = request.GET.copy()
    for name in ("page", "q"):
        query.pop(name, None)
    return render(
        request,
        "participants/participant_list.html",
        {"page": _with_standings(page, today), "form": form, "querystring": query.urlencode()},
    )


def _follower(follow_up):
    """Who logged a follow-up: his full name, else his username."""
    who = follow_up.created_by
    return who.get_full_name() or who.get_username() if who else ""


def at_risk_list(request):
    """Men at risk of dropping out at the user's sites (`standing.at_risk_q`): the men not
    contacted yet first, then those contacted longest ago."""
    if not access.is_coordinator(request.user):
        raise Http404
    today = timezone.localdate()
    caseload = Participant.objects.coordinated_by(request.user).filter(
        status__in=["referred", "active"]
    )
    # The counts decide who is at risk, so every man of the caseload is counted, once, for
    # the ids in their order; then only the page's men are read.
    at_risk = (
        standing.of_men(caseload.values_list("pk", flat=True))
        .filter(standing.at_risk_q(today))
        .order_by(F("last_follow_up_on").asc(nulls_first=True), "code")
        .values_list("pk", flat=True)
    )
    page = Paginator(list(at_risk), PAGE_SIZE).get_page(request.GET.get("page"))
    record_many(
        action=AuditEvent.Action.VIEW,
        object_type="participants.participant",
        participant_ids=list(page.object_list),
        detail="at risk",
        request=request,
    )
    newest_first = FollowUp.objects.select_related("created_by").order_by("-contacted_on", "-pk")
    _men_of_page(page, Participant.objects.prefetch_related(Prefetch("follow_ups", newest_first)))
    for man in page.object_list:
        man.risks = standing.at_risk_reasons(man, today)
        contacts = man.follow_ups.all()
        man.last_follow_up_by = _follower(contacts[0]) if contacts else ""
    return render(request, "participants/at_risk_list.html", {"page": page, "querystring": ""})
