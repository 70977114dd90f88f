"""Keep derived figures honest whatever writes what they count, the admin included:

- the men's kept standing counts (`standing.touch`): a single save or deletion of an
  attendance row, an enrolment, a referral or a follow-up moves its man's standing version;
  moving a session (its date or group) or a group to another programme moves the version of
  the men concerned;
- a session's tallies (`tallies.recount`): a single save or deletion of one of its attendance
  rows, a change of its facilitators.

Bulk writes send no signals: the services that make them call both themselves."""

import contextlib
import contextvars

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from participants.models import Enrolment, FollowUp, Participant, Referral
from programmes.models import Group

from . import standing, tallies
from .models import Attendance, CheckIn, GroupSession, SessionTally

# Off while `paused()` runs: deleting the whole demo data, when nothing derived survives.
_listening = contextvars.ContextVar("listening", default=True)


@contextlib.contextmanager
def paused():
    token = _listening.set(False)
    try:
        yield
    finally:
        _listening.reset(token)


def _touch_one(sender, instance, **kwargs):
    if _listening.get():
        standing.touch([instance.participant_id])


for model in (Attendance, CheckIn, Enrolment, Referral, FollowUp):
    post_save.connect(_touch_one, sender=model, dispatch_uid=f"standing_{model.__name__}_save")
    post_delete.connect(_touch_one, sender=model, dispatch_uid=f"standing_{model.__name__}_del")


def _recount_session(sender, instance, **kwargs):
    if _listening.get():
        tallies.recount([instance.session_id])


for model in (Attendance, CheckIn):
    post_save.connect(_recount_session, sender=model, dispatch_uid=f"tally_{model.__name__}_save")
    post_delete.connect(_recount_session, sender=model, dispatch_uid=f"tally_{model.__name__}_del")


@receiver(m2m_changed, sender=GroupSession.facilitators.through, dispatch_uid="tally_facilitators")
def _facilitators_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A session's facilitators changed (the record page, the admin), or a user's sessions."""
    if not _listening.get():
        return
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            tallies.recount([instance.pk])
    elif action == "pre_clear":
        instance._sessions_cleared = list(
            instance.facilitated_sessions.values_list("pk", flat=True)
        )
    elif action in ("post_add", "post_remove"):
        tallies.recount(pk_set)
    elif action == "post_clear":
        tallies.recount(getattr(instance, "_sessions_cleared", []))


def _may_change(update_fields, fields):
    """Whether a save may have changed one of `fields`: any save but one that names only
    other fields (`update_fields`, as the services pass it; the admin passes None)."""
    return update_fields is None or not fields.isdisjoint(update_fields)


# What of a session and of a group the kept figures read: a session's day and group (the
# tally copies both), a group's programme (a man's counts are those of his programme).
SESSION_FIELDS = frozenset({"date", "group", "group_id"})
GROUP_FIELDS = frozenset({"programme", "programme_id"})


@receiver(post_save, sender=GroupSession, dispatch_uid="standing_session_save")
def _session_saved(sender, instance, created, update_fields=None, **kwargs):
    # A new session has no attendance yet; a saved one may have moved to another day or group.
    # Cancelling or restoring it (its state) changes no kept figure.
    if not created and _listening.get() and _may_change(update_fields, SESSION_FIELDS):
        standing.touch(
            Participant.objects.filter(attendances__session=instance).values_list("pk", flat=True)
        )
        if SessionTally.objects.filter(session=instance).exists():
            tallies.recount([instance.pk])


@receiver(post_save, sender=Group, dispatch_uid="standing_group_save")
def _group_saved(sender, instance, created, update_fields=None, **kwargs):
    # Its programme may have changed: his counts are those of his enrolment's programme.
    if not created and _listening.get() and _may_change(update_fields, GROUP_FIELDS):
        standing.touch(
            Participant.objects.filter(enrolments__group=instance).values_list("pk", flat=True)
        )
