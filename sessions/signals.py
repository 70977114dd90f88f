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


@receiver(post_save, sender=GroupSession, dispatch_uid="standing_session_save")
def _session_saved(sender, instance, created, **kwargs):
    # A new session has no attendance yet; a saved one may have moved to another day or group
    # (its tally copies both).
    if not created and _listening.get():
        standing.touch(
            Participant.objects.filter(attendances__session=instance).values_list("pk", flat=True)
        )
        if SessionTally.objects.filter(session=instance).exists():
            tallies.recount([instance.pk])


@receiver(post_save, sender=Group, dispatch_uid="standing_group_save")
def _group_saved(sender, instance, created, **kwargs):
    # Its programme may have changed: his counts are those of his enrolment's programme.
    if not created and _listening.get():
        standing.touch(
            Participant.objects.filter(enrolments__group=instance).values_list("pk", flat=True)
        )
