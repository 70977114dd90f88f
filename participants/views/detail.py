from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.functional import SimpleLazyObject
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from sessions import selectors as session_selectors
from sessions.enums import AttendanceStatus, Violence, ViolenceKind
from sessions.services.completion import standing_of

from ..forms import CloseEnrolmentForm, EnrolForm, IntakeForm, TransferForm
from ..models import Participant
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


SENTINEL_PK = 987654321


def timeline(attendances):
    """The "Attendance and check-ins" list, most recent first: the markup the template drew
    for each session (a man with years of weekly sessions has hundreds), assembled here with
    every value escaped and the labels translated once."""
    if not attendances:
        return ""
    # Every session's URL is this one with its pk: reversed once.
    url_head, _pk, url_tail = reverse("sessions:detail", args=[SENTINEL_PK]).rpartition(
        str(SENTINEL_PK)
    )
    day_format = get_format("DATE_FORMAT")
    statuses = {value: conditional_escape(label) for value, label in AttendanceStatus.choices}
    violence = {value: conditional_escape(label) for value, label in Violence.choices}
    kinds = [(kind.field_name, conditional_escape(kind.label)) for kind in ViolenceKind]
    # Translated outside the f-strings, where makemessages cannot see them.
    violence_label = conditional_escape(_("Violence since the last session"))
    retreat = " · " + conditional_escape(_("used the retreat"))
    support = " · " + conditional_escape(_("asked for support"))
    concern = conditional_escape(_("Safety concern"))
    concern = f' · <strong class="text-danger">{concern}</strong>'
    items = []
    for a in attendances:
        session = a.session
        day = conditional_escape(dateformat.format(session.date, day_format))
        head = (
            f'<p class="mb-0"><a href="{url_head}{session.pk}{url_tail}">'
            f"<strong>{day}</strong></a> · {conditional_escape(session.group.name)} · "
            f"{statuses.get(a.status) or conditional_escape(a.status)}</p>"
        )
        if a.attended:
            had = ", ".join(label for name, label in kinds if getattr(a, name))
            check_in = (
                f'<p class="mb-0 small">{violence_label}: '
                f"{violence.get(a.violence) or conditional_escape(a.violence) or '—'}"
                f"{f' ({had})' if had else ''}"
                f"{retreat if a.used_retreat else ''}{support if a.asked_support else ''}"
                f"{concern if a.safety_flag else ''}</p>"
            )
            if a.reflection:
                check_in += (
                    f'<p class="mb-0 small fst-italic">{conditional_escape(a.reflection)}</p>'
                )
            border = "border-success"
        else:
            check_in, border = "", "border-secondary"
        items.append(f'<li class="border-start border-3 ps-3 pb-2 {border}">{head}{check_in}</li>')
    return mark_safe(f'<ol class="list-unstyled timeline">{"".join(items)}</ol>')


def render_participant(request, participant, *, data=None, bound="", status=200):
    # Only those who manage him (his site's coordinators, admins) see his identity, contact
    # details, referrals and follow-ups, and the forms that change his path. The lookups
    # annotate `manages`; a man loaded otherwise is checked here.
    manages = getattr(participant, "manages", None)
    if manages is None:
        manages = (
            Participant.objects.coordinated_by(request.user).filter(pk=participant.pk).exists()
        )
    record(
        user=request.user,
        action=AuditEvent.Action.VIEW,
        obj=participant,
        participant_id=participant.pk,
    )
    history = list(session_selectors.attendance_history(participant))
    enrolments = list(
        participant.enrolments.select_related("group", "group__site", "group__programme")
    )
    # Loaded for everyone (his standing counts his first referral); shown to those who
    # manage him only.
    referrals = list(participant.referrals.all())
    open_enrolment = next((e for e in enrolments if e.end_date is None), None)
    today = participant.site.today()
    context = {
        "participant": participant,
        "can_see_identity": manages,
        "manages": manages,
        "enrolments": enrolments,
        "open_enrolment": open_enrolment,
        "attendances": history,
        "timeline": timeline(history),
        "summary": session_selectors.participant_summary(participant, history),
        "standing": standing_of(
            participant, today, enrolments=enrolments, attendances=history, referrals=referrals
        ),
        "referrals": referrals if manages else None,
    }
    if manages:
        context.update(
            partner_summary=partner_contact_summary(participant),
            follow_ups=participant.follow_ups.select_related("created_by"),
            **manage_forms(request.user, participant, open_enrolment, data, bound),
        )
    return render(request, "participants/participant_detail.html", context, status=status)
