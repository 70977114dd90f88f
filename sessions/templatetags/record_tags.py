"""The record page's rows, rendered in Python.

A 20-man session has some 340 inputs; rendering each through Django's widget templates cost
over 100 ms a page (measured by `manage.py bench`). This builds the same markup with
format_html and, for the ~17 inputs of each man, plain f-strings over values escaped with
the standard library (labels escaped once per language): every value is escaped, labels stay
translated, names and ids are the form's."""

from html import escape

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

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
            "fields": {name: str(fields[name].label) for name in fields},
            "check_in": gettext("Check-in"),
            "reported": gettext("violence reported"),
            "kinds": gettext("Which kinds"),
            "attendance_of": gettext("Attendance of %(code)s"),
        }
        _LABELS[language] = labels
    return labels


def _errors(row, name, css="text-danger small"):
    return format_html_join(
        "", '<div class="{}">{}</div>', ((css, e) for e in row.errors.get(name, []))
    )


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
    status = str(row["status"].value() or "")
    violence = str(row["violence"].value() or "")
    kinds = {escape(str(k)) for k in (row["kinds"].value() or [])}
    reflection = row["reflection"].value() or ""
    flags = {name: bool(row[name].value()) for name in CHECKBOXES}
    is_open = bool(row.errors) or violence in (Violence.YES, Violence.DECLINED) or reflection
    is_open = is_open or flags["safety_flag"]
    reflection_name = row.add_prefix("reflection")
    boxes = format_html_join(
        "",
        '<div class="form-check"><input type="checkbox" name="{}" class="form-check-input" '
        'id="id_{}"{}><label class="form-check-label{}" for="id_{}">{}</label></div>',
        (
            (
                row.add_prefix(name),
                row.add_prefix(name),
                _checked(flags[name]),
                " fw-semibold" if name == "safety_flag" else "",
                row.add_prefix(name),
                labels["fields"][name],
            )
            for name in CHECKBOXES
        ),
    )
    return format_html(
        '<fieldset class="card mb-2 record-row" id="row-{pk}">'
        '<legend class="card-header h6 mb-0 w-100">{code} · {first}</legend>'
        '<div class="card-body py-2">{non_field}'
        '<div class="btn-group flex-wrap w-100 mb-2" role="radiogroup" aria-label="{aria}">'
        "{status}</div>{status_errors}"
        "<details{open}><summary>{check_in}{reported}</summary>"
        '<fieldset class="mt-2"><legend class="form-label small fw-semibold">{violence_label}'
        "</legend>{violence}{violence_errors}</fieldset>"
        '<fieldset class="mt-2"><legend class="form-label small fw-semibold">{kinds_label}'
        "</legend>{kinds}</fieldset>"
        '<div class="mt-2"><label class="form-label small fw-semibold" for="id_{rname}">'
        "{reflection_label}</label>"
        '<textarea name="{rname}" id="id_{rname}" rows="2" maxlength="2000" '
        'class="form-control{invalid}">{reflection}</textarea>{reflection_errors}</div>'
        '<div class="mt-2">{boxes}</div></details></div></fieldset>',
        pk=man.pk,
        code=man.code,
        first=man.first_name,
        non_field=format_html(
            '<div class="alert alert-danger py-1">{}</div>', row.non_field_errors()
        )
        if row.non_field_errors()
        else "",
        aria=labels["attendance_of"] % {"code": man.code},
        status=_choices(
            row,
            "status",
            {escape(status)},
            "radio",
            ("", ""),
            "btn-check",
            "btn btn-outline-dark btn-status",
        ),
        status_errors=_errors(row, "status"),
        open=mark_safe(" open") if is_open else "",
        check_in=labels["check_in"],
        reported=format_html(" · <strong>{}</strong>", labels["reported"])
        if violence == Violence.YES
        else "",
        violence_label=labels["fields"]["violence"],
        violence=_choices(
            row,
            "violence",
            {escape(violence)},
            "radio",
            INLINE,
            "form-check-input",
            "form-check-label",
        ),
        violence_errors=_errors(row, "violence"),
        kinds_label=labels["kinds"],
        kinds=_choices(
            row,
            "kinds",
            kinds,
            "checkbox",
            INLINE,
            "form-check-input",
            "form-check-label",
        ),
        rname=reflection_name,
        reflection_label=labels["fields"]["reflection"],
        invalid=" is-invalid" if "reflection" in row.errors else "",
        reflection=reflection,
        reflection_errors=_errors(row, "reflection", "invalid-feedback"),
        boxes=boxes,
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
