from django.apps import apps
from django.db import models


def _visible_group_ids(user):
    return apps.get_model("programmes", "Group").objects.visible_to(user).values("pk")


class GroupSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(group_id__in=_visible_group_ids(user))

    def between(self, first_day, last_day):
        return self.filter(date__gte=first_day, date__lte=last_day)


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(session__group_id__in=_visible_group_ids(user))


class SafetyAlertQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Alerts go to the coordinators of the site (and admins); facilitators see those of
        their own groups."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(session__group_id__in=_visible_group_ids(user))

    def open(self):
        return self.filter(acknowledged_at__isnull=True)
