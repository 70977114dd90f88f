"""A coordinator moves a man along his path: intake, enrolment, closing, transfer. A form
that fails validation shows the man's page again with what was typed and the errors."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions.services.completion import end_enrolment

from .. import services
from .detail import manage_forms, render_participant
from .lookups import get_managed_participant, get_open_enrolment


def _bound(request, participant, name, open_enrolment=None):
    return manage_forms(request.user, participant, open_enrolment, request.POST, name)[
        f"{name}_form"
    ]


def _invalid(request, participant, name):
    messages.error(request, _("Nothing was saved: correct the marked fields."))
    return render_participant(request, participant, data=request.POST, bound=name, status=400)


@require_POST
def intake_edit(request, pk):
    participant = get_managed_participant(request.user, pk)
    form = _bound(request, participant, "intake")
    if not form.is_valid():
        return _invalid(request, participant, "intake")
    services.record_intake(
        participant=participant,
        intake_date=form.cleaned_data["intake_date"],
        consent_date=form.cleaned_data["consent_date"],
        consent_version=form.cleaned_data["consent_version"].strip(),
        notes=form.cleaned_data["notes"].strip(),
        by=request.user,
    )
    messages.success(request, _("Intake saved."))
    return redirect(participant)


@require_POST
def enrolment_new(request, pk):
    participant = get_managed_participant(request.user, pk)
    form = _bound(request, participant, "enrol")
    if not form.is_valid():
        return _invalid(request, participant, "enrol")
    try:
        enrolment = services.enrol(
            participant=participant,
            group=form.cleaned_data["group"],
            start_date=form.cleaned_data["start_date"],
            by=request.user,
        )
    except services.EnrolmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(code)s is enrolled in %(group)s.")
            % {"code": participant.code, "group": enrolment.group.name},
        )
    return redirect(participant)


@require_POST
def enrolment_close(request, pk, enrolment_pk):
    participant = get_managed_participant(request.user, pk)
    enrolment = get_open_enrolment(participant, enrolment_pk)
    form = _bound(request, participant, "close", enrolment)
    if not form.is_valid():
        return _invalid(request, participant, "close")
    data = form.cleaned_data
    try:
        end_enrolment(
            enrolment=enrolment,
            exit_status=data["exit_status"],
            end_date=data["end_date"],
            reason=data["reason"],
            by=request.user,
        )
    except services.EnrolmentError as error:
        messages.error(request, str(error))
        return render_participant(
            request, participant, data=request.POST, bound="close", status=400
        )
    messages.success(request, _("Enrolment closed."))
    return redirect(participant)


@require_POST
def enrolment_transfer(request, pk, enrolment_pk):
    participant = get_managed_participant(request.user, pk)
    enrolment = get_open_enrolment(participant, enrolment_pk)
    form = _bound(request, participant, "transfer", enrolment)
    if not form.is_valid():
        return _invalid(request, participant, "transfer")
    try:
        new = services.transfer(
            enrolment=enrolment,
            to_group=form.cleaned_data["to_group"],
            date=form.cleaned_data["date"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except services.EnrolmentError as error:
        messages.error(request, str(error))
        return render_participant(
            request, participant, data=request.POST, bound="transfer", status=400
        )
    messages.success(request, _("Transferred to %(group)s.") % {"group": new.group.name})
    return redirect(participant)
