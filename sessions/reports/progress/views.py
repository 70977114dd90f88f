"""Progress reports to referrers and completion certificates: coordinators of the man's site
and admins only (everyone else gets 404)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from participants.models import Participant
from programmes import access

from ...models import ProgressReport
from . import pdf, selectors, services
from .forms import MarkSentForm

PAGE_SIZE = 25


def _get_managed_participant(user, pk):
    return get_object_or_404(Participant.objects.coordinated_by(user).select_related("site"), pk=pk)


def _get_managed_report(user, report_pk):
    return get_object_or_404(
        ProgressReport.objects.filter(
            participant__in=Participant.objects.coordinated_by(user)
        ).select_related("participant", "participant__site", "referral", "created_by", "sent_by"),
        pk=report_pk,
    )


def _wants_pdf(request):
    return request.GET.get("format") == "pdf"


def _pdf_response(request, template_name, context, *, paper, filename, participant_id, obj):
    if not pdf.available():
        raise Http404(_("PDF downloads are not available on this server."))
    content = pdf.render_pdf(template_name, context, request=request, paper=paper)
    record(
        user=request.user,
        action=AuditEvent.Action.EXPORT,
        obj=obj,
        participant_id=participant_id,
        detail="pdf",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _pdf_or_view(
    request, *, pdf_template, context, paper, filename, obj, participant_id, detail=""
):
    """A document's PDF when `?format=pdf` asks for it (audited as an export), else None after
    auditing the view of its page."""
    if _wants_pdf(request):
        return _pdf_response(
            request,
            pdf_template,
            context,
            paper=paper,
            filename=filename,
            participant_id=participant_id,
            obj=obj,
        )
    record(
        user=request.user,
        action=AuditEvent.Action.VIEW,
        obj=obj,
        participant_id=participant_id,
        detail=detail,
    )
    return None


def _unavailable(request, participant, message):
    return render(
        request,
        "sessions/reports/progress/unavailable.html",
        {"participant": participant, "message": message},
        status=404,
    )


# /reports/progress/


@require_GET
def due_list(request):
    """The men whose referrers want periodic reports, the soonest due first."""
    if not access.is_coordinator(request.user):
        raise Http404
    page = Paginator(selectors.reports_due(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for enrolment in page.object_list:
        today = selectors.local_today(enrolment.group.site)
        enrolment.due_status = selectors.due_status(enrolment.due_on, today)
    return render(
        request,
        "sessions/reports/progress/due_list.html",
        {"page": page, "querystring": "", "due_soon_days": selectors.DUE_SOON_DAYS},
    )


# /reports/progress/participants/<pk>/


@require_GET
def report(request, pk):
    participant = _get_managed_participant(request.user, pk)
    document = selectors.current_report(participant, user=request.user)
    if document is None:
        return _unavailable(
            request, participant, _("He has no enrolment yet: there is nothing to report.")
        )
    context = {"doc": document, "participant": participant, "pdf_available": pdf.available()}
    response = _pdf_or_view(
        request,
        pdf_template="sessions/reports/progress/report_pdf.html",
        context=context,
        paper=document.paper,
        filename=f"progress-{participant.code}-{document.period_end:%Y-%m-%d}.pdf",
        obj=participant,
        participant_id=participant.pk,
        detail="progress report",
    )
    if response:
        return response
    context["issued"] = selectors.issued_reports(participant)
    return render(request, "sessions/reports/progress/report.html", context)


@require_POST
def issue(request, pk):
    participant = _get_managed_participant(request.user, pk)
    try:
        issued, created = services.issue_report(participant=participant, by=request.user)
    except services.ProgressReportError as error:
        messages.error(request, str(error))
        return redirect("progress:report", participant.pk)
    if created:
        messages.success(request, _("Report issued: its figures will not change any more."))
    else:
        messages.info(request, _("This report was already issued with the same figures."))
    return redirect(issued)


@require_GET
def certificate(request, pk):
    participant = _get_managed_participant(request.user, pk)
    context = selectors.certificate(participant, user=request.user)
    if context is None:
        return _unavailable(
            request,
            participant,
            _("A completion certificate is issued once he has completed the programme."),
        )
    context["pdf_available"] = pdf.available()
    response = _pdf_or_view(
        request,
        pdf_template="sessions/reports/progress/certificate_pdf.html",
        context=context,
        paper=context["paper"],
        filename=f"certificate-{participant.code}.pdf",
        obj=context["enrolment"],
        participant_id=participant.pk,
        detail="completion certificate",
    )
    if response:
        return response
    return render(request, "sessions/reports/progress/certificate.html", context)


# /reports/progress/<report_pk>/


@require_GET
def issued(request, report_pk):
    report = _get_managed_report(request.user, report_pk)
    document = selectors.issued_document(report)
    context = {
        "doc": document,
        "participant": report.participant,
        "report": report,
        "pdf_available": pdf.available(),
    }
    response = _pdf_or_view(
        request,
        pdf_template="sessions/reports/progress/report_pdf.html",
        context=context,
        paper=document.paper,
        filename=f"progress-{report.participant.code}-{report.period_end:%Y-%m-%d}.pdf",
        obj=report,
        participant_id=report.participant_id,
    )
    if response:
        return response
    if not report.is_sent:
        context["sent_form"] = MarkSentForm(
            site=report.participant.site,
            initial={"sent_on": selectors.local_today(report.participant.site)},
        )
    return render(request, "sessions/reports/progress/issued.html", context)


@require_POST
def mark_sent(request, report_pk):
    report = _get_managed_report(request.user, report_pk)
    form = MarkSentForm(request.POST, site=report.participant.site)
    if not form.is_valid():
        for error in form.errors.get("sent_on", []):
            messages.error(request, f"{form.fields['sent_on'].label}: {error}")
        return redirect(report)
    try:
        services.mark_sent(report=report, sent_on=form.cleaned_data["sent_on"], by=request.user)
    except services.ProgressReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Marked sent."))
    return redirect(report)
