"""A coordinator moves a man along his path: intake, enrolment, closing, transfer."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions.services.completion import complete_enrolment

from .. import services
from ..enums import ExitStatus
from ..forms import CloseEnrolmentForm, EnrolForm, IntakeForm, TransferForm
from .lookups import get_managed_participant, get_open_enrolment, groups_for_enrolment


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
def intake_edit(request, pk):
    participant = get_managed_participant(request.user, pk)
    form = IntakeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(participant)
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
    form = EnrolForm(request.POST, groups=groups_for_enrolment(request.user, participant))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(participant)
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
    form = CloseEnrolmentForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(participant)
    data = form.cleaned_data
    try:
        if data["exit_status"] == ExitStatus.COMPLETED:
            complete_enrolment(
                enrolment=enrolment,
                end_date=data["end_date"],
                by=request.user,
                override_reason=data["reason"],
            )
        else:
            services.close_enrolment(
                enrolment=enrolment,
                exit_status=data["exit_status"],
                end_date=data["end_date"],
                reason=data["reason"],
                by=request.user,
            )
    except services.EnrolmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Enrolment closed."))
    return redirect(participant)


@require_POST
def enrolment_transfer(request, pk, enrolment_pk):
    participant = get_managed_participant(request.user, pk)
    enrolment = get_open_enrolment(participant, enrolment_pk)
    form = TransferForm(request.POST, groups=groups_for_enrolment(request.user, participant))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(participant)
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
    else:
        messages.success(request, _("Transferred to %(group)s.") % {"group": new.group.name})
    return redirect(participant)
