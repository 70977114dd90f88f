from django.db import models
from django.db.models import Q

from . import access


class SiteQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(staff_roles__user_id=user.pk).distinct()

    def coordinated_by(self, user):
        if user.is_superuser:
            return self.all()
        return self.filter(pk__in=access.coordinated_site_ids(user))


class GroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        facilitated = self.model.objects.filter(access.facilitated_groups_q(user)).values("pk")
        return self.filter(Q(site_id__in=access.coordinated_site_ids(user)) | Q(pk__in=facilitated))

    def coordinated_by(self, user):
        """The groups a user may manage (cancel sessions, add extra ones)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(site_id__in=access.coordinated_site_ids(user))

    def facilitated_by(self, user):
        """Only the groups the user facilitates (a coordinator's own groups included)."""
        return self.filter(
            pk__in=self.model.objects.filter(access.facilitated_groups_q(user)).values("pk")
        )


class TopicQuerySet(models.QuerySet):
    def for_programme(self, programme_id):
        return self.filter(programme_id=programme_id).order_by("order", "title")
