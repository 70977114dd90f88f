"""Reads of partner contacts. Everything here but `partner_contact_summary` is for
partner-support workers only; the views make sure of it."""

from django.db.models import Count, F, Max

from programmes import access

from ..models import Participant, PartnerContact
from ..selectors import partner_contacts_for


def partner_contact_list(user, query=""):
    """The partner contacts `user` keeps, optionally narrowed to codes containing `query`:
    the latest contact first, never-contacted ones last."""
    contacts = partner_contacts_for(user)
    if query:
        contacts = contacts.filter(participant__code__icontains=query)
    return contacts.order_by(F("last_contact").desc(nulls_last=True), "participant__code", "pk")


def men_for_partner_support(user):
    """The men whose partners `user` may contact: those whose home site is one of the user's
    partner-support sites (every man for admins)."""
    if not user.is_authenticated:
        return Participant.objects.none()
    if user.is_superuser:
        return Participant.objects.all()
    return Participant.objects.filter(site_id__in=access.partner_support_site_ids(user))


def entries_of(partner_contact):
    return partner_contact.entries.select_related("created_by").order_by("-contacted_on", "-id")


def partner_contact_summary(participant):
    """All a coordinator may know about a man's partner contact: whether one exists and the
    date of the latest contact entry. Nothing else leaves the segregated records. One query."""
    row = PartnerContact.objects.filter(participant=participant).aggregate(
        contacts=Count("pk", distinct=True), last_contact=Max("entries__contacted_on")
    )
    return {"exists": row["contacts"] > 0, "last_contact": row["last_contact"]}
