from django.apps import apps
from django.db import models
from django.db.models import Q

from programmes import access


def _group_model():
    return apps.get_model("programmes", "Group")


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators: men of their sites (home site or a group there). Facilitators: men
        ever enrolled in a group they facilitate. Partner-support workers: none."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        sites = access.coordinated_site_ids(user)
        facilitated = _group_model().objects.filter(access.facilitated_groups_q(user)).values("pk")
        enrolment_model = apps.get_model("participants", "Enrolment")
        in_reach = enrolment_model.objects.filter(
            Q(group__site_id__in=sites) | Q(group_id__in=facilitated)
        ).values("participant_id")
        return self.filter(Q(site_id__in=sites) | Q(pk__in=in_reach))

    def coordinated_by(self, user):
        """Only what a coordinator may manage (contact details, referrals, enrolments)."""
        if user.is_superuser:
            return self.all()
        sites = access.coordinated_site_ids(user)
        enrolment_model = apps.get_model("participants", "Enrolment")
        in_reach = enrolment_model.objects.filter(group__site_id__in=sites).values("participant_id")
        return self.filter(Q(site_id__in=sites) | Q(pk__in=in_reach))


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(group__in=_group_model().objects.visible_to(user).values("pk"))

    def open(self):
        return self.filter(end_date__isnull=True)

    def on_date(self, day):
        """Enrolments that cover `day` (started on or before it, not ended before it)."""
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class PartnerContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Segregated: only partner-support workers of the man's site (and admins)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(participant__site_id__in=access.partner_support_site_ids(user))
