"""The record page: attendance and the circle check-in of a whole session on one page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gendes.audit.log import record_many
from gendes.audit.models import AuditEvent
from participants.services import EnrolmentError, register_walk_in

from .. import selectors
from ..forms import AttendanceRowForm, SessionRecordForm, WalkInForm
from ..services.recording import RecordingError, StaleSession, check_recordable, record_session
from .lookups import get_session_for_user


def _forms(session, men, attendances, data=None, *, merging=False):
    """The session form, one row form per man, and the site's coordinators' names; unbound
    forms start from the saved record or, for a new record, from "present, no violence" and
    both facilitators. When `merging` a conflict, a man the posted form did not have (someone
    else added him) starts from the saved record too."""
    choices = selectors.record_choices(session)
    if session.state == "recorded":
        initial = {
            "facilitators": choices["facilitators_present"],
            "topics": choices["topics_covered"],
        }
    else:
        initial = {"facilitators": choices["group_facilitators"], "topics": []}
    session_form = SessionRecordForm(
        data,
        initial={**initial, "version": session.version, "notes": session.notes},
        facilitator_choices=choices["facilitator_choices"],
        topic_choices=choices["topic_choices"],
    )
    rows = [
        AttendanceRowForm(
            None if merging and f"m{man.pk}-status" not in data else data,
            prefix=f"m{man.pk}",
            participant=man,
            saved=attendances.get(man.pk),
            initial=AttendanceRowForm.initial_for(attendances.get(man.pk)),
        )
        for man in men
    ]
    return session_form, rows, choices["coordinators"]


def _alert_message(alerts, codes):
    men = ", ".join(codes[alert.participant_id] for alert in alerts)
    return ngettext(
        "A safety alert was raised for %(men)s: the site's coordinators are being emailed.",
        "Safety alerts were raised for %(men)s: the site's coordinators are being emailed.",
        len(alerts),
    ) % {"men": men}


def _unknown_men(data, men):
    """Ids of men posted in the form who are not on this session's roster."""
    known = {f"m{man.pk}-status" for man in men}
    return [key for key in data if key.endswith("-status") and key not in known]


def session_record(request, pk):
    session = get_session_for_user(request.user, pk)
    try:
        check_recordable(session)
    except RecordingError as error:
        messages.error(request, str(error))
        return redirect(session)
    men, attendances = selectors.men_of_session(session)
    status = 200
    if request.method == "POST":
        session_form, rows, coordinators = _forms(session, men, attendances, request.POST)
        unknown = _unknown_men(request.POST, men)
        valid = session_form.is_valid() & all([row.is_valid() for row in rows])
        if unknown:
            messages.error(request, _("The form named a man who is not on this session's roster."))
            valid = False
        if valid:
            try:
                change = record_session(
                    session=session,
                    by=request.user,
                    expected_version=session_form.cleaned_data["version"],
                    rows=[row.to_row() for row in rows],
                    codes={man.pk: man.code for man in men},
                    facilitator_ids=session_form.cleaned_data["facilitators"],
                    topic_ids=session_form.cleaned_data["topics"],
                    notes=session_form.cleaned_data["notes"].strip(),
                )
            except StaleSession as error:
                # Nothing he typed is lost: his entries stay in the form, now based on the
                # version saved meanwhile, with the saved values beside what differs.
                messages.error(request, str(error))
                session.refresh_from_db()
                men, attendances = selectors.men_of_session(session)
                data = request.POST.copy()
                data["version"] = str(session.version)
                session_form, rows, coordinators = _forms(
                    session, men, attendances, data, merging=True
                )
                for row in rows:
                    row.mark_conflicts()
                status = 409
            else:
                messages.success(request, _("Session saved."))
                if change.alerts:
                    codes = {man.pk: man.code for man in men}
                    messages.warning(request, _alert_message(change.alerts, codes))
                return redirect(session)
        elif not unknown:
            messages.error(request, _("Nothing was saved: correct the marked fields."))
            status = 400
        else:
            status = 400
    else:
        session_form, rows, coordinators = _forms(session, men, attendances)
        # Every man's check-in is on the page (offline copies fetched count too).
        record_many(
            action=AuditEvent.Action.VIEW,
            object_type="group_sessions.groupsession",
            participant_ids=[man.pk for man in men],
            detail=f"record {session.pk}",
            request=request,
        )
    return render(
        request,
        "sessions/session_record.html",
        {
            "session": session,
            "session_form": session_form,
            "rows": rows,
            "walk_in_form": WalkInForm(),
            "coordinators": coordinators,
        },
        status=status,
    )


@require_POST
def walk_in_add(request, pk):
    session = get_session_for_user(request.user, pk)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Give at least the newcomer's first name, and confirm he signed the consent form."),
        )
        return redirect("sessions:record", pk=session.pk)
    try:
        check_recordable(session)
        participant = register_walk_in(
            group=session.group,
            day=session.date,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            by=request.user,
        )
    except (RecordingError, EnrolmentError) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(code)s was added to the roster.") % {"code": participant.code},
        )
    return redirect("sessions:record", pk=session.pk)
