from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendes.audit.log import record_many
from gendes.audit.models import AuditEvent
from programmes import access

from .. import selectors
from ..forms import CancelSessionForm
from ..services.recording import RecordingError, check_recordable
from ..services.schedule import ScheduleError, cancel_session, restore_session
from .lookups import get_managed_session_for_user, get_session_for_user


def session_detail(request, pk):
    session = get_session_for_user(request.user, pk)
    try:
        check_recordable(session)
        recordable = True
    except RecordingError:
        recordable = False
    attendances = list(
        session.attendances.select_related("participant").order_by("participant__code")
    )
    record_many(
        action=AuditEvent.Action.VIEW,
        object_type="group_sessions.groupsession",
        participant_ids=[a.participant_id for a in attendances],
        detail=f"session {session.pk}",
        request=request,
    )
    return render(
        request,
        "sessions/session_detail.html",
        {
            "session": session,
            "attendances": attendances,
            "facilitators": session.facilitators.all(),
            "topics": session.topics.all(),
            "changes": selectors.session_changes(session),
            "alerts": selectors.alerts_of_session(session),
            "recordable": recordable,
            "can_manage": access.coordinates_site(request.user, session.group.site_id),
            "cancel_form": CancelSessionForm(),
        },
    )


@require_POST
def session_cancel(request, pk):
    session = get_managed_session_for_user(request.user, pk)
    form = CancelSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling the session."))
        return redirect(session)
    try:
        cancel_session(session=session, reason=form.cleaned_data["reason"])
    except ScheduleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Session cancelled."))
    return redirect(session)


@require_POST
def session_restore(request, pk):
    session = get_managed_session_for_user(request.user, pk)
    restore_session(session=session)
    messages.success(request, _("Session restored to the schedule."))
    return redirect(session)
