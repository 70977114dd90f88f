from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from programmes import access

from ...views.lookups import get_group_for_user
from ..panels import all_panels, attendance_by_group, attendance_by_month
from ..scope import scope_for

FILTERS = ("site", "programme", "group")
DATE_FIELDS = ("date_from", "date_to")


def _url(name, **kwargs):
    """A URL of a report built by others, or None while it does not exist yet."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def _problems(form, fields=None):
    """The form's errors as (field label or None, message), for the message at the top."""
    problems = []
    for name, errors in form.errors.items():
        if fields is not None and name not in fields and name != "__all__":
            continue
        label = form.fields[name].label if name in form.fields else None
        problems.extend((label, error) for error in errors)
    return problems


def _querystring(form, scope):
    """The filters that were applied, so that an export gives the figures on the page."""
    cleaned = getattr(form, "cleaned_data", {})
    params = {name: cleaned[name].pk for name in FILTERS if cleaned.get(name)}
    params["date_from"] = scope.date_from.isoformat()
    params["date_to"] = scope.date_to.isoformat()
    return urlencode(params)


def _with_exports(tables, querystring):
    panels = []
    for table in tables:
        csv = _url("exports:table", slug=table.slug, fmt="csv")
        xlsx = _url("exports:table", slug=table.slug, fmt="xlsx")
        panels.append(
            {
                "table": table,
                "csv": csv and f"{csv}?{querystring}",
                "xlsx": xlsx and f"{xlsx}?{querystring}",
            }
        )
    return panels


def dashboard(request):
    """The participation dashboard of the sites the user coordinates."""
    if not access.is_coordinator(request.user):
        raise Http404
    form, scope = scope_for(request.user, request.GET)
    querystring = _querystring(form, scope)
    anonymised = _url("exports:anonymised")
    _viewed(request, "report:dashboard", scope)
    return render(
        request,
        "sessions/reports/dashboard.html",
        {
            "form": form,
            "problems": _problems(form),
            "scope": scope,
            "sites": scope.sites,
            "panels": _with_exports(all_panels(scope), querystring),
            "querystring": querystring,
            "anonymised_url": anonymised and f"{anonymised}?{querystring}",
            "progress_url": _url("progress:due"),
        },
    )


def _viewed(request, object_type, scope):
    """A report is a view of the men's data it counts: audited with its period."""
    record(
        action=AuditEvent.Action.VIEW,
        object_type=object_type,
        detail=f"period={scope.date_from}_{scope.date_to} groups={len(scope.group_ids)}",
        request=request,
    )


def group_figures(request, pk):
    """One group's attendance figures: for its facilitators, who do not see the site
    dashboard, and for its site's coordinators. Only the period filter applies."""
    group = get_group_for_user(request.user, pk)
    form, scope = scope_for(request.user, request.GET)
    scope = scope.of_group(group)
    tables = [attendance_by_month(scope), attendance_by_group(scope)]
    _viewed(request, "report:group_figures", scope)
    return render(
        request,
        "sessions/reports/dashboard.html",
        {
            "group": group,
            "form": form,
            "problems": _problems(form, DATE_FIELDS),
            "scope": scope,
            "panels": [{"table": table} for table in tables],
        },
    )
