"""Is the database empty, and the wipe behind `seed_demo --reset`."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from gendes.audit.models import AuditEvent
from participants.models import (
    Enrolment,
    FollowUp,
    Participant,
    PartnerContact,
    PartnerContactEntry,
    Referral,
)
from programmes.models import Group, Programme, Site, StaffRole, Topic
from sessions.models import Attendance, GroupSession, SafetyAlert

# Most dependent first, so that no PROTECT foreign key stands in the way.
ORDER = [
    SafetyAlert,
    Attendance,
    GroupSession,
    FollowUp,
    PartnerContactEntry,
    PartnerContact,
    Enrolment,
    Referral,
    Participant,
    StaffRole,
    Group,
    Topic,
    Programme,
    Site,
    AuditEvent,
]
APP_LABELS = ["group_sessions", "participants", "programmes", "audit"]


def holds_data():
    return (
        Site.objects.exists() or Participant.objects.exists() or get_user_model().objects.exists()
    )


def models_to_clear():
    """The app models in deletion order: models the list above does not know yet (added
    later, most likely dependent ones) first, then the list, then the users. Views (unmanaged
    models) hold nothing to delete."""
    known = set(ORDER)
    others = [
        model
        for label in APP_LABELS
        for model in apps.get_app_config(label).get_models()
        if model not in known and not model._meta.proxy and model._meta.managed
    ]
    return others + ORDER + [get_user_model()]


def clear_all():
    """Delete all the app data and users. A model still protected by rows of another is
    retried after the others, until everything is gone."""
    pending = models_to_clear()
    while pending:
        left = []
        for model in pending:
            try:
                with transaction.atomic():
                    model._base_manager.all().delete()
            except (ProtectedError, RestrictedError):
                left.append(model)
        if len(left) == len(pending):
            names = ", ".join(model._meta.label for model in left)
            raise RuntimeError(f"Could not delete {names}: protected by other rows.")
        pending = left
