"""The record page's rows, and the other long tables of the sessions pages (the group page's
attendance grid, the tables of sessions), rendered in Python.

A 20-man session has some 340 inputs; rendering each through Django's widget templates cost
over 100 ms a page (measured by `manage.py bench`). This builds the same markup with plain
f-strings over values escaped with the standard library (labels escaped once per language;
format_html, whose every argument goes through a lazy-aware escape, only for error lists):
every value is escaped, labels stay translated, names and ids are the form's. The grid (20
men by 8 sessions) and the tables of sessions cost a few milliseconds a page in template
loops; they are built the same way."""

from html import escape

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from sessions.enums import Violence

register = template.Library()

CHECKBOXES = ("asked_support", "used_retreat", "safety_flag")
INLINE = ('<div class="form-check form-check-inline">', "</div>")

# Translated labels, resolved once per language instead of once per man (a lazy label costs
# a gettext call each time it is rendered; a 20-man page renders ~400 of them).
_LABELS = {}


def _translated(row):
    language = get_language()
    labels = _LABELS.get(language)
    if labels is None:
        fields = row.fields
        labels = {
            # Escaped once here: the inputs are assembled with f-strings below.
            "choices": {
                name: [
                    (escape(str(value)), escape(str(label)))
                    for value, label in fields[name].choices
                ]
                for name in ("status", "violence", "kinds")
            },
            "fields": {name: escape(str(fields[name].label)) for name in fields},
            "check_in": escape(gettext("Check-in")),
            "reported": escape(gettext("violence reported")),
            "kinds": escape(gettext("Which kinds")),
            "attendance_of": gettext("Attendance of %(code)s"),  # escaped once filled in
        }
        _LABELS[language] = labels
    return labels


def _errors(row, name, css="text-danger small"):
    if name not in row.errors:
        return ""
    return format_html_join("", '<div class="{}">{}</div>', ((css, e) for e in row.errors[name]))


def _checked(flag):
    return mark_safe(" checked") if flag else ""


def _choices(row, name, selected, input_type, wrap, input_class, label_class):
    """One input and its label per choice; `selected` holds escaped values, `wrap` is an
    f-string-ready opening and closing pair ("", "") or ('<div ...>', "</div>")."""
    choices = _translated(row)["choices"][name]
    prefix_name = escape(row.add_prefix(name))
    extra = " required" if row.fields[name].required else ""
    extra += ' aria-invalid="true"' if name in row.errors else ""
    opening, closing = wrap
    parts = []
    for index, (value, label) in enumerate(choices):
        input_id = f"id_{prefix_name}_{index}"
        checked = " checked" if value in selected else ""
        parts.append(
            f'{opening}<input type="{input_type}" name="{prefix_name}" value="{value}" '
            f'class="{input_class}" id="{input_id}"{extra}{checked}>'
            f'<label class="{label_class}" for="{input_id}">{label}</label>{closing}'
        )
    return mark_safe("".join(parts))


@register.filter
def record_row(row):
    """The fieldset of one man (an AttendanceRowForm) on the record page."""
    man = row.participant
    labels = _translated(row)
    fields = labels["fields"]
    errors = row.errors
    status = str(row["status"].value() or "")
    violence = str(row["violence"].value() or "")
    kinds = {escape(str(k)) for k in (row["kinds"].value() or [])}
    reflection = row["reflection"].value() or ""
    flags = {name: bool(row[name].value()) for name in CHECKBOXES}
    is_open = bool(errors) or violence in (Violence.YES, Violence.DECLINED) or reflection
    is_open = is_open or flags["safety_flag"]
    boxes = []
    for name in CHECKBOXES:
        input_name = escape(row.add_prefix(name))
        checked = " checked" if flags[name] else ""
        strong = " fw-semibold" if name == "safety_flag" else ""
        boxes.append(
            f'<div class="form-check"><input type="checkbox" name="{input_name}" '
            f'class="form-check-input" id="id_{input_name}"{checked}><label '
            f'class="form-check-label{strong}" for="id_{input_name}">{fields[name]}</label></div>'
        )
    non_field = row.non_field_errors()
    non_field = (
        format_html('<div class="alert alert-danger py-1">{}</div>', non_field) if non_field else ""
    )
    status_choices = _choices(
        row,
        "status",
        {escape(status)},
        "radio",
        ("", ""),
        "btn-check",
        "btn btn-outline-dark btn-status",
    )
    violence_choices = _choices(
        row, "violence", {escape(violence)}, "radio", INLINE, "form-check-input", "form-check-label"
    )
    kinds_choices = _choices(
        row, "kinds", kinds, "checkbox", INLINE, "form-check-input", "form-check-label"
    )
    code = escape(str(man.code))
    aria = escape(labels["attendance_of"] % {"code": man.code})
    open_ = " open" if is_open else ""
    reported = f" · <strong>{labels['reported']}</strong>" if violence == Violence.YES else ""
    rname = escape(row.add_prefix("reflection"))
    invalid = " is-invalid" if "reflection" in errors else ""
    # Every value above is escaped (or markup built from escaped values).
    return mark_safe(
        f'<fieldset class="card mb-2 record-row" id="row-{escape(str(man.pk))}">'
        f'<legend class="card-header h6 mb-0 w-100">{code} · {escape(str(man.first_name))}</legend>'
        f'<div class="card-body py-2">{non_field}'
        f'<div class="btn-group flex-wrap w-100 mb-2" role="radiogroup" aria-label="{aria}">'
        f"{status_choices}</div>{_errors(row, 'status')}"
        f"<details{open_}><summary>{labels['check_in']}{reported}</summary>"
        '<fieldset class="mt-2"><legend class="form-label small fw-semibold">'
        f"{fields['violence']}</legend>{violence_choices}{_errors(row, 'violence')}</fieldset>"
        '<fieldset class="mt-2"><legend class="form-label small fw-semibold">'
        f"{labels['kinds']}</legend>{kinds_choices}</fieldset>"
        f'<div class="mt-2"><label class="form-label small fw-semibold" for="id_{rname}">'
        f"{fields['reflection']}</label>"
        f'<textarea name="{rname}" id="id_{rname}" rows="2" maxlength="2000" '
        f'class="form-control{invalid}">{escape(str(reflection))}</textarea>'
        f"{_errors(row, 'reflection', 'invalid-feedback')}</div>"
        f'<div class="mt-2">{"".join(boxes)}</div></details></div></fieldset>'
    )


@register.filter
def checkbox_list(field):
    """A multiple-choice bound field as Bootstrap checkboxes (same markup as the widget's,
    without a template per checkbox)."""
    selected = {str(v) for v in (field.value() or [])}
    name = field.html_name
    return format_html_join(
        "",
        '<div class="form-check"><input type="checkbox" name="{}" value="{}" '
        'class="form-check-input" id="id_{}_{}"{}><label class="form-check-label" '
        'for="id_{}_{}">{}</label></div>',
        (
            (name, value, name, index, _checked(str(value) in selected), name, index, label)
            for index, (value, label) in enumerate(field.field.choices)
        ),
    )


@register.filter
def grid_rows(roster_rows):
    """The rows of the group page's attendance grid from (enrolment, marks) pairs
    (selectors.attendance_grid): each man's code (a link to his page) and first name, then a
    cell per session whose symbol screen readers skip and whose label they say instead."""
    cells = {}  # each mark's cell, built once (a grid has at most five kinds of marks)
    rows = []
    for enrolment, marks in roster_rows:
        man = enrolment.participant
        parts = []
        for symbol, label, status in marks:
            cell = cells.get((symbol, status))
            if cell is None:
                css = ' class="text-danger fw-bold"' if status == "unexcused" else ""
                cell = cells[(symbol, status)] = (
                    f'<td{css}><span aria-hidden="true">{escape(str(symbol))}</span>'
                    f'<span class="visually-hidden">{escape(str(label))}</span></td>'
                )
            parts.append(cell)
        rows.append(
            f'<tr><th scope="row"><a href="{escape(man.get_absolute_url())}">'
            f"{escape(str(man.code))}</a> {escape(str(man.first_name))}</th>"
            f"{''.join(parts)}</tr>"
        )
    return mark_safe("\n".join(rows))


@register.filter
def session_rows(sessions):
    """The rows of includes/session_table.html: the date (a link to the session), the time
    (with the site's time zone for screen readers), the group, and the state or, when the
    session is overdue, a badge and a link to record it."""
    overdue = None
    states = {}  # each state's label, translated once
    rows = []
    for session in sessions:
        if session.is_overdue:
            if overdue is None:
                overdue = escape(gettext("Not recorded")), escape(gettext("Record"))
            url = escape(reverse("sessions:record", args=[session.pk]))
            state = (
                f'<span class="badge text-bg-warning state-unrecorded">{overdue[0]}</span> '
                f'<a href="{url}">{overdue[1]}</a>'
            )
        else:
            state = states.get(session.state)
            if state is None:
                state = states[session.state] = escape(str(session.get_state_display()))
        group = session.group
        rows.append(
            f'<tr><th scope="row"><a href="{escape(session.get_absolute_url())}">'
            f"{escape(date_filter(session.date, 'D j M'))}</a></th>"
            f"<td>{escape(time_filter(session.start_time, 'H:i'))} "
            f'<span class="visually-hidden">({escape(str(group.site.time_zone))})</span></td>'
            f"<td>{escape(str(group.name))}</td><td>{state}</td></tr>"
        )
    return mark_safe("\n".join(rows))


@register.filter
def topic_items(topics):
    """The items of the group page's list of topics covered (selectors.topics_covered): the
    title, how many times and when last."""
    items = []
    for topic in topics:
        times = ngettext(
            "%(counter)s time, last %(last)s", "%(counter)s times, last %(last)s", topic.times
        ) % {
            "counter": escape(localize(topic.times)),
            "last": escape(date_filter(topic.last, "DATE_FORMAT")),
        }
        items.append(
            f'<li>{escape(str(topic.title))} <span class="text-body-secondary small">'
            f"({times})</span></li>"
        )
    return mark_safe("".join(items))
