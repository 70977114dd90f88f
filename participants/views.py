from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from sessions import selectors as session_selectors

from .models import Participant

PAGE_SIZE = 25


def get_participant_for_user(user, pk):
    """The man, if the access policy lets `user` see him; 404 otherwise."""
    return get_object_or_404(Participant.objects.visible_to(user).select_related("site"), pk=pk)


def participant_list(request):
    participants = Participant.objects.visible_to(request.user).select_related("site")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        participants = participants.filter(
            Q(code__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    page = Paginator(participants.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "participants/participant_list.html", {"page": page, "query": query})


def participant_detail(request, pk):
    participant = get_participant_for_user(request.user, pk)
    # Only those who manage him (his site's coordinators, admins) see name and contact details.
    can_see_identity = Participant.objects.coordinated_by(request.user).filter(pk=pk).exists()
    record(
        user=request.user,
        action=AuditEvent.Action.VIEW,
        obj=participant,
        participant_id=participant.pk,
    )
    history = list(session_selectors.attendance_history(participant))
    return render(
        request,
        "participants/participant_detail.html",
        {
            "participant": participant,
            "can_see_identity": can_see_identity,
            "enrolments": participant.enrolments.select_related("group", "group__site"),
            "referrals": participant.referrals.all() if can_see_identity else None,
            "attendances": history,
            "summary": session_selectors.participant_summary(participant, history),
        },
    )
