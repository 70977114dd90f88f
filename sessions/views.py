from django.shortcuts import get_object_or_404, render

from participants import selectors as participant_selectors
from programmes.models import Group

from . import selectors
from .models import GroupSession


def get_group_for_user(user, pk):
    """The group, if the access policy lets `user` see it; 404 otherwise."""
    return get_object_or_404(
        Group.objects.visible_to(user).select_related("site", "programme"), pk=pk
    )


def get_session_for_user(user, pk):
    """The session, if the access policy lets `user` see its group; 404 otherwise."""
    return get_object_or_404(
        GroupSession.objects.visible_to(user).select_related(
            "group", "group__site", "group__programme", "recorded_by"
        ),
        pk=pk,
    )


def group_detail(request, pk):
    group = get_group_for_user(request.user, pk)
    return render(
        request,
        "sessions/group_detail.html",
        {
            "group": group,
            "facilitators": group.facilitators.order_by("first_name", "username"),
            "roster": participant_selectors.current_roster(group),
            "sessions": selectors.recent_sessions(group),
        },
    )


def session_detail(request, pk):
    session = get_session_for_user(request.user, pk)
    return render(
        request,
        "sessions/session_detail.html",
        {
            "session": session,
            "attendances": session.attendances.select_related("participant").order_by(
                "participant__code"
            ),
            "facilitators": session.facilitators.all(),
            "topics": session.topics.all(),
        },
    )
