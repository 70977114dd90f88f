"""Reads of participants that other apps' pages compose."""

from django.db.models import Max
from django.utils import timezone

from .models import Enrolment, PartnerContact


def roster_on(group, day):
    """The enrolments of `group` that cover `day`, with their man."""
    return (
        Enrolment.objects.filter(group=group)
        .on_date(day)
        .select_related("participant")
        .order_by("participant__code")
    )


def current_roster(group):
    return roster_on(group, timezone.localdate(timezone=group.site.tzinfo))


def partner_contacts_for(user):
    """The partner contacts a partner-support worker keeps, latest entry date first."""
    return (
        PartnerContact.objects.visible_to(user)
        .select_related("participant", "participant__site")
        .annotate(last_contact=Max("entries__contacted_on"))
        .order_by("-last_contact", "participant__code")
    )
