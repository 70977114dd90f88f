"""One access helper per object kind: load through the user-scoped queryset or answer 404."""

from django.db.models import Value
from django.shortcuts import get_object_or_404

from programmes import access
from programmes.models import Group

from ..models import Enrolment, Participant


def get_participant_for_user(user, pk):
    """A man the user may see (his facilitators, his site's coordinators), with `manages`:
    whether the user also manages him (his site's coordinators, admins). Those who manage
    him are the common case: he is looked up among the men they manage first."""
    access.roles_of(user)  # read now (the navigation bar needs them): the lookups use the ids
    managed = Participant.objects.coordinated_by(user).select_related("site").filter(pk=pk)
    participant = next(iter(managed), None)
    if participant is not None:
        participant.manages = True
        return participant
    participant = get_object_or_404(
        Participant.objects.visible_to(user).select_related("site"), pk=pk
    )
    participant.manages = False
    return participant


def get_managed_participant(user, pk):
    """A man the user manages: only coordinators of his site (and admins)."""
    return get_object_or_404(
        Participant.objects.coordinated_by(user)
        .select_related("site")
        .annotate(manages=Value(True)),
        pk=pk,
    )


def get_open_enrolment(participant, pk):
    return get_object_or_404(
        Enrolment.objects.filter(participant=participant, end_date__isnull=True).select_related(
            "group", "group__site", "participant"
        ),
        pk=pk,
    )


def groups_for_enrolment(user, participant):
    """The groups a coordinator may put this man in: active groups of his site."""
    return (
        Group.objects.coordinated_by(user)
        .filter(site_id=participant.site_id, active=True)
        .order_by("name")
    )
