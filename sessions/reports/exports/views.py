"""Downloads of the report tables, the year's attendance, and the anonymised statistics.

Coordinators (and admins) only; anyone else gets 404. A file is never computed on other
filters than those asked for: a filter that is not valid (another site's id, a reversed or
absurd period) refuses the download with 400 and a message, while the anonymised page, like
the dashboard, shows the error and falls back to the default filters. Every download is an
EXPORT in the audit log; viewing the anonymised page is a VIEW."""

import functools
import io
import json

from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from participants.models import Participant
from programmes import access

from .. import panels
from ..scope import scope_for
from . import writers
from .anonymise import anonymised_tables
from .streaming import ExportRefused, attendance_groups, refusal_messages, write_attendance_csv
from .subject_access import everything_about

# The panels by the slug of their table (tests check it matches what each panel returns).
PANEL_BY_SLUG = {
    "men-reached": panels.men_reached,
    "attendance-by-month": panels.attendance_by_month,
    "attendance-by-group": panels.attendance_by_group,
    "retention": panels.retention,
    "referral-sources": panels.referral_sources,
    "check-ins": panels.check_ins_by_month,
    "no-recent-violence": panels.men_without_recent_violence,
    "enrolment-outcomes": panels.enrolment_outcomes,
    "fidelity": panels.fidelity,
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FILTERS = ("site", "programme", "group")


def coordinators_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.is_coordinator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def export_query(form, scope):
    """The query string of the filters a scope was actually built from (invalid ones left
    out, the period spelt out): a link with it always downloads what the page shows."""
    query = QueryDict(mutable=True)
    cleaned = getattr(form, "cleaned_data", {})
    for name in FILTERS:
        if cleaned.get(name) and name not in form.errors:
            query[name] = str(cleaned[name].pk)
    query["date_from"] = scope.date_from.isoformat()
    query["date_to"] = scope.date_to.isoformat()
    return query.urlencode()


def _period(scope):
    return f"{scope.date_from:%Y-%m-%d}_{scope.date_to:%Y-%m-%d}"


def _sites(scope):
    return [site.name for site in scope.sites]


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _refused(request, messages):
    return render(
        request,
        "sessions/reports/anonymised/refused.html",
        {"messages_list": messages},
        status=400,
    )


def _audit(user, action, object_type, fmt, period, groups):
    """`groups`: how many groups the report covered (`len(scope.group_ids)` for a scope)."""
    record(
        user=user,
        action=action,
        object_type=object_type,
        detail=f"fmt={fmt} period={period} groups={groups}",
    )


@coordinators_only
@require_GET
def table_export(request, slug, fmt):
    panel = PANEL_BY_SLUG.get(slug)
    if panel is None or fmt not in CONTENT_TYPES:
        raise Http404
    form, scope = scope_for(request.user, request.GET)
    if form.errors:
        return _refused(request, refusal_messages(form))
    table = panel(scope)
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    if fmt == "csv":
        writers.write_csv(response, [table])
    else:
        response.write(
            writers.xlsx_bytes(
                table, date_from=scope.date_from, date_to=scope.date_to, sites=_sites(scope)
            )
        )
    period = _period(scope)
    groups = len(scope.group_ids)
    _audit(request.user, AuditEvent.Action.EXPORT, f"report:{slug}", fmt, period, groups)
    return _attachment(response, f"{slug}_{period}.{fmt}")


@coordinators_only
@require_GET
def attendance_export(request, year):
    try:
        groups = attendance_groups(request.user, year, request.GET)
    except ExportRefused as refused:
        return _refused(request, refused.messages)
    response = StreamingHttpResponse(
        write_attendance_csv(groups, year), content_type=CONTENT_TYPES["csv"]
    )
    _audit(request.user, AuditEvent.Action.EXPORT, "report:attendance", "csv", year, groups.count())
    return _attachment(response, f"attendance_{year}.csv")


def _preamble(scope, sites):
    return [
        [_("Anonymised statistics")],
        [_("Period"), scope.date_from.isoformat(), scope.date_to.isoformat()],
        [_("Sites"), ", ".join(sites)],
        [
            _(
                "Counts below 5 are shown as <5, and the other counts are rounded to the "
                "nearest 5, to protect identities."
            )
        ],
        [_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
        [],
    ]


@coordinators_only
@require_GET
def anonymised(request):
    form, scope = scope_for(request.user, request.GET)
    tables = anonymised_tables(scope)
    period = _period(scope)
    groups = len(scope.group_ids)
    _audit(request.user, AuditEvent.Action.VIEW, "report:anonymised", "html", period, groups)
    return render(
        request,
        "sessions/reports/anonymised.html",
        {
            "form": form,
            "scope": scope,
            "sites": _sites(scope),
            "tables": [(table, table.cells()) for table in tables],
            "generated": timezone.localtime(),
            "export_query": export_query(form, scope),
        },
    )


@coordinators_only
@require_GET
def anonymised_csv(request):
    form, scope = scope_for(request.user, request.GET)
    if form.errors:
        return _refused(request, refusal_messages(form))
    buffer = io.StringIO()
    writers.write_csv(
        buffer, anonymised_tables(scope), preamble=_preamble(scope, _sites(scope)), titles=True
    )
    period = _period(scope)
    groups = len(scope.group_ids)
    _audit(request.user, AuditEvent.Action.EXPORT, "report:anonymised", "csv", period, groups)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["csv"])
    return _attachment(response, f"anonymised-statistics_{period}.csv")


@coordinators_only
@require_GET
def subject_access(request, pk):
    """Everything held about one man of the coordinator's sites, as a JSON download: his
    answer to a subject-access request. Audited as an export."""
    man = get_object_or_404(Participant.objects.coordinated_by(request.user), pk=pk)
    content = json.dumps(everything_about(man), ensure_ascii=False, indent=1, default=str)
    record(
        user=request.user,
        action=AuditEvent.Action.EXPORT,
        obj=man,
        participant_id=man.pk,
        detail="subject access json",
    )
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    return _attachment(response, f"subject-access_{man.code}.json")
