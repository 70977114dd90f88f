"""Issuing a progress report (its figures frozen) and marking it sent to the referrer."""

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gendes.audit.log import record
from gendes.audit.models import AuditEvent

from ...models import ProgressReport
from . import selectors


class ProgressReportError(ValueError):
    """A report that cannot be issued or marked sent; the message says why (translated)."""


def issue_report(*, participant, by):
    """Freeze his current report as an issued ProgressReport. Issuing the same figures twice
    (a double click) answers the report already issued."""
    document = selectors.current_report(participant, user=by)
    if document is None:
        raise ProgressReportError(_("He has no enrolment yet: there is nothing to report."))
    if document.referral is None:
        raise ProgressReportError(_("He has no referral to send a report to."))
    frozen = document.frozen_fields()
    with transaction.atomic():
        reasons = frozen.pop("standing_reasons")
        unsent = ProgressReport.objects.filter(
            participant=participant, referral=document.referral, sent_on__isnull=True, **frozen
        )
        same = next((r for r in unsent if r.standing_reasons == reasons), None)
        if same is not None:
            return same, False
        report = ProgressReport.objects.create(
            participant=participant,
            referral=document.referral,
            created_by=by,
            standing_reasons=reasons,
            **frozen,
        )
        record(
            user=by,
            action=AuditEvent.Action.CREATE,
            obj=report,
            participant_id=participant.pk,
            detail=f"{report.period_start:%Y-%m-%d}..{report.period_end:%Y-%m-%d}",
        )
    return report, True


def mark_sent(*, report, sent_on, by):
    """Record the day the report went to the referrer (once; the date is checked by the
    form: not in the future)."""
    if report.sent_on is not None:
        raise ProgressReportError(
            _("This report was already marked sent on %(date)s.")
            % {"date": date_format(report.sent_on)}
        )
    if sent_on < report.period_end:
        raise ProgressReportError(_("A report cannot be sent before the day it was issued."))
    with transaction.atomic():
        updated = ProgressReport.objects.filter(pk=report.pk, sent_on__isnull=True).update(
            sent_on=sent_on, sent_by=by
        )
        if not updated:
            raise ProgressReportError(_("This report was already marked sent."))
        record(
            user=by,
            action=AuditEvent.Action.CHANGE,
            obj=report,
            participant_id=report.participant_id,
            detail=f"sent_on={sent_on:%Y-%m-%d}",
        )
    report.sent_on, report.sent_by = sent_on, by
    return report
