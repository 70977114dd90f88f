from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendes.audit.log import record_many
from gendes.audit.models import AuditEvent
from participants import selectors as participant_selectors
from programmes import access

from .. import selectors
from ..forms import ExtraSessionForm
from ..services.schedule import ScheduleError, add_extra_session, set_walk_ins
from .lookups import get_group_for_user, get_managed_group_for_user


def group_detail(request, pk):
    group = get_group_for_user(request.user, pk)
    roster = list(participant_selectors.current_roster(group))
    men = [enrolment.participant for enrolment in roster]
    record_many(
        action=AuditEvent.Action.VIEW,
        object_type="programmes.group",
        participant_ids=[man.pk for man in men],
        detail=f"group {group.pk}",
        request=request,
    )
    sessions = list(selectors.recent_sessions(group))
    grid_sessions, grid = selectors.attendance_grid(group, men, recent=sessions)
    return render(
        request,
        "sessions/group_detail.html",
        {
            "group": group,
            "facilitators": group.facilitators.order_by("first_name", "username"),
            "roster_rows": [(e, grid[e.participant.pk]) for e in roster],
            "grid_sessions": grid_sessions,
            "sessions": sessions,
            "topics": selectors.topics_covered(group),
            # Only a coordinator of its site (or an admin) may manage a group: the roles are
            # read once for the request (the navigation bar needs them too).
            "can_manage": access.coordinates_site(request.user, group.site_id),
            "extra_form": ExtraSessionForm(),
        },
    )


@require_POST
def extra_session_add(request, pk):
    group = get_managed_group_for_user(request.user, pk)
    form = ExtraSessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid date and start time for the extra session."))
        return redirect(group)
    try:
        session = add_extra_session(
            group=group, date=form.cleaned_data["date"], start_time=form.cleaned_data["start_time"]
        )
    except ScheduleError as error:
        messages.error(request, str(error))
        return redirect(group)
    messages.success(request, _("Extra session added."))
    return redirect(session)


@require_POST
def group_walk_ins(request, pk):
    """A coordinator lets the group's facilitators add newcomers on the spot, or stops it."""
    group = get_managed_group_for_user(request.user, pk)
    allowed = request.POST.get("allow") == "1"
    set_walk_ins(group=group, allowed=allowed, by=request.user)
    if allowed:
        messages.success(request, _("Facilitators can now add a newcomer during a session."))
    else:
        messages.success(request, _("Newcomers now need the coordinator's enrolment first."))
    return redirect(group)
