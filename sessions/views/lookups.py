"""One access helper per object kind: load through the user-scoped queryset or answer 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from programmes import access
from programmes.models import Group

from ..models import GroupSession, SafetyAlert


def get_group_for_user(user, pk):
    return get_object_or_404(
        Group.objects.visible_to(user).select_related("site", "programme"), pk=pk
    )


def get_managed_group_for_user(user, pk):
    """A group the user coordinates (schedule changes are the coordinator's)."""
    return get_object_or_404(
        Group.objects.coordinated_by(user).select_related("site", "programme"), pk=pk
    )


def get_session_for_user(user, pk):
    """A session of a group the user may see. Everyone who may see a session may record it:
    its facilitators and the site's coordinators."""
    return get_object_or_404(
        GroupSession.objects.visible_to(user).select_related(
            "group", "group__site", "group__programme", "recorded_by"
        ),
        pk=pk,
    )


def get_managed_session_for_user(user, pk):
    return get_object_or_404(
        GroupSession.objects.filter(group__in=Group.objects.coordinated_by(user)).select_related(
            "group", "group__site"
        ),
        pk=pk,
    )


def get_alert_for_coordinator(user, pk):
    return get_object_or_404(
        SafetyAlert.objects.filter(
            session__group__in=Group.objects.coordinated_by(user)
        ).select_related("session", "participant"),
        pk=pk,
    )


def require_coordinator(user):
    """Pages only coordinators (and admins) have answer 404 to everyone else."""
    if not (user.is_superuser or access.is_coordinator(user)):
        raise Http404
