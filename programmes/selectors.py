"""Reads of programmes that other apps' pages compose."""

from django.db.models import Count, Q

from .models import Group


def groups_for_home(user, *, facilitated_only=False):
    """The groups a home page lists, with their site, programme and open-enrolment count."""
    groups = (
        Group.objects.facilitated_by(user) if facilitated_only else Group.objects.visible_to(user)
    )
    return (
        groups.filter(active=True)
        .select_related("site", "programme")
        .annotate(open_enrolments=Count("enrolments", filter=Q(enrolments__end_date__isnull=True)))
        .order_by("site__name", "name")
    )
