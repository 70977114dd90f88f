from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from programmes.models import Group
from sessions import selectors as session_selectors
from sessions.services.completion import standing_of

from ..forms import CloseEnrolmentForm, EnrolForm, IntakeForm, TransferForm
from ..partner.selectors import partner_contact_summary
from .lookups import get_participant_for_user, groups_for_enrolment


def participant_detail(request, pk):
    participant = get_participant_for_user(request.user, pk)
    return render_participant(request, participant)


def manage_forms(user, participant, open_enrolment, data=None, bound=""):
    """The coordinator's forms of the man's page; the one named `bound` takes `data` (a POST
    that failed validation is shown again with what was typed). Distinct auto ids: the close
    and transfer forms both have a "reason" field on the same page. Each is built when first
    used: the page shows two of the four."""
    today = participant.site.today()
    groups = groups_for_enrolment(user, participant)

    def given(name):
        return data if bound == name else None

    return {
        "intake_form": SimpleLazyObject(
            lambda: IntakeForm(
                given("intake"),
                today=today,
                auto_id="intake_%s",
                initial={
                    "intake_date": participant.intake_date or today,
                    "consent_given": participant.consent_date is not None,
                    "consent_date": participant.consent_date,
                    "consent_version": participant.consent_version,
                    "notes": participant.intake_notes,
                },
            )
        ),
        "enrol_form": SimpleLazyObject(
            lambda: EnrolForm(given("enrol"), groups=groups, today=today, auto_id="enrol_%s")
        ),
        "close_form": SimpleLazyObject(
            lambda: CloseEnrolmentForm(given("close"), today=today, auto_id="close_%s")
        ),
        "transfer_form": SimpleLazyObject(
            lambda: TransferForm(
                given("transfer"),
                groups=groups.exclude(pk=getattr(open_enrolment, "group_id", None)),
                today=today,
                auto_id="transfer_%s",
            )
        ),
    }


def render_participant(request, participant, *, data=None, bound="", status=200):
    # Only those who manage him (his site's coordinators, admins) see his identity, contact
    # details, referrals and follow-ups, and the forms that change his path: `manages`, set
    # by the lookup that loaded him (get_participant_for_user, get_managed_participant).
    manages = participant.manages
    record(
        user=request.user,
        action=AuditEvent.Action.VIEW,
        obj=participant,
        participant_id=participant.pk,
    )
    # Those who do not manage him (his facilitators) see only what happened in the groups
    # they may see: not the check-ins nor the enrolment of a group he moved to or from.
    seen_by = None if manages else request.user
    history = list(session_selectors.attendance_history(participant, seen_by=seen_by))
    enrolments = participant.enrolments.select_related("group", "group__site", "group__programme")
    if not manages:
        enrolments = enrolments.annotate(
            seen=Exists(Group.objects.visible_to(request.user).filter(pk=OuterRef("group_id")))
        )
    enrolments = list(enrolments)
    open_enrolment = next((e for e in enrolments if e.end_date is None), None)
    today = participant.site.today()
    result = standing_of(
        participant, today, programmes={e.group.programme_id: e.group.programme for e in enrolments}
    )
    context = {
        "participant": participant,
        "can_see_identity": manages,
        "manages": manages,
        "enrolments": enrolments if manages else [e for e in enrolments if e.seen],
        "open_enrolment": open_enrolment,
        "attendances": history,
        "summary": session_selectors.participant_summary(participant, history, result.counts),
        "standing": result,
        "referrals": participant.referrals.all() if manages else None,
        "alerts": session_selectors.alerts_of_participant(participant, request.user),
    }
    if manages:
        context.update(
            partner_summary=partner_contact_summary(participant),
            follow_ups=participant.follow_ups.select_related("created_by"),
            **manage_forms(request.user, participant, open_enrolment, data, bound),
        )
    return render(request, "participants/participant_detail.html", context, status=status)
