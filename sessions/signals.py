"""Keep the men's kept standing counts honest (`standing.touch`) whatever writes what decides
them, the admin included: a single save or deletion of an attendance row, an enrolment, a
referral or a follow-up moves its man's standing version; moving a session (its date or
group) or a group to another programme moves the version of the men concerned. Bulk writes
send no signals: the services that make them call `standing.touch` themselves."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from participants.models import Enrolment, FollowUp, Participant, Referral
from programmes.models import Group

from . import standing
from .models import Attendance, CheckIn, GroupSession


def _touch_one(sender, instance, **kwargs):
    standing.touch([instance.participant_id])


for model in (Attendance, CheckIn, Enrolment, Referral, FollowUp):
    post_save.connect(_touch_one, sender=model, dispatch_uid=f"standing_{model.__name__}_save")
    post_delete.connect(_touch_one, sender=model, dispatch_uid=f"standing_{model.__name__}_del")


@receiver(post_save, sender=GroupSession, dispatch_uid="standing_session_save")
def _session_saved(sender, instance, created, **kwargs):
    # A new session has no attendance yet; a saved one may have moved to another day.
    if not created:
        standing.touch(
            Participant.objects.filter(attendances__session=instance).values_list("pk", flat=True)
        )


@receiver(post_save, sender=Group, dispatch_uid="standing_group_save")
def _group_saved(sender, instance, created, **kwargs):
    # Its programme may have changed: his counts are those of his enrolment's programme.
    if not created:
        standing.touch(
            Participant.objects.filter(enrolments__group=instance).values_list("pk", flat=True)
        )
