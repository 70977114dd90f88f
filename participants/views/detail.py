from django.shortcuts import render
from django.utils import timezone

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from sessions import selectors as session_selectors
from sessions.services.completion import standing_of

from ..forms import CloseEnrolmentForm, EnrolForm, FollowUpForm, IntakeForm, TransferForm
from ..models import Participant
from ..partner.selectors import partner_contact_summary
from .lookups import get_participant_for_user, groups_for_enrolment


def participant_detail(request, pk):
    participant = get_participant_for_user(request.user, pk)
    # Only those who manage him (his site's coordinators, admins) see his identity, contact
    # details, referrals and follow-ups, and the forms that change his path.
    manages = Participant.objects.coordinated_by(request.user).filter(pk=pk).exists()
    record(
        user=request.user,
        action=AuditEvent.Action.VIEW,
        obj=participant,
        participant_id=participant.pk,
    )
    history = list(session_selectors.attendance_history(participant))
    enrolments = list(participant.enrolments.select_related("group", "group__site"))
    open_enrolment = next((e for e in enrolments if e.end_date is None), None)
    context = {
        "participant": participant,
        "can_see_identity": manages,
        "manages": manages,
        "enrolments": enrolments,
        "open_enrolment": open_enrolment,
        "attendances": history,
        "summary": session_selectors.participant_summary(participant, history),
        "standing": standing_of(participant, timezone.localdate(), enrolments=enrolments),
        "referrals": participant.referrals.all() if manages else None,
    }
    if manages:
        groups = groups_for_enrolment(request.user, participant)
        context.update(
            partner_summary=partner_contact_summary(participant),
            follow_ups=participant.follow_ups.select_related("created_by"),
            intake_form=IntakeForm(
                initial={
                    "intake_date": participant.intake_date or timezone.localdate(),
                    "consent_given": participant.consent_date is not None,
                    "consent_date": participant.consent_date,
                    "consent_version": participant.consent_version,
                    "notes": participant.intake_notes,
                }
            ),
            enrol_form=EnrolForm(groups=groups),
            close_form=CloseEnrolmentForm(),
            transfer_form=TransferForm(
                groups=groups.exclude(pk=getattr(open_enrolment, "group_id", None))
            ),
            follow_up_form=FollowUpForm(),
        )
    return render(request, "participants/participant_detail.html", context)
