"""Forms drawn the way crispy-forms' Bootstrap 5 pack draws them, assembled in Python: the
same labels, required marks, classes, ids, errors and help texts, without a template per
field (crispy) and per choice (Django). Used by the forms of a man's page and the report
filters, whose selects have dozens to hundreds of options."""

from django import forms
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe


def date_input(css_class=""):
    """The browser's date picker, given its value as it reads it (ISO 8601): Django would
    write it in the page's language (28/11/2026), which a date input shows as empty."""
    attrs = {"type": "date", **({"class": css_class} if css_class else {})}
    return forms.DateInput(attrs=attrs, format="%Y-%m-%d")


def _attrs(attrs):
    """Django's widgets/attrs.html: ` name="value"`, a bare name for True, nothing for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _add_classes(widget, classes):
    """The classes crispy-forms' `crispy_field` puts on a widget: its kind (e.g. "dateinput"),
    then `classes`, each once."""
    kind = widget.__class__.__name__.lower()
    current = widget.attrs.get("class", "")
    if not current:
        current = kind
    elif kind not in current:
        current += f" {kind}"
    for name in classes.split():
        if name not in current.split():
            current += f" {name}"
    widget.attrs["class"] = current


def _errors(field):
    """crispy's field_errors_block.html."""
    if not field.errors:
        return ""
    items = "".join(
        f'<p id="error_{n}_{field.auto_id}"><strong>{escape(error)}</strong></p>'
        for n, error in enumerate(field.errors, start=1)
    )
    return f'<div id="{field.errors.field_id}_error" class="invalid-feedback">{items}</div>'


def _help_text(field):
    """crispy's help_text.html (the help text is the form's own, not escaped, as there)."""
    if not field.help_text:
        return ""
    helptext_id = f'id="{field.auto_id}_helptext" ' if field.auto_id else ""
    return f'<div {helptext_id}class="form-text">{field.help_text}</div>'


def _widget(field, classes):
    """The widget as Django's templates draw it (input, textarea, plain select), with
    crispy's classes; any other widget through its own template."""
    widget = field.field.widget
    _add_classes(widget, classes)
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    if type(widget) is forms.Select:
        return _select(field, widget, attrs)
    if not isinstance(widget, forms.Textarea | forms.widgets.Input):
        return str(field)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name = escape(context["name"])
    if isinstance(widget, forms.Textarea):
        value = escape(context["value"]) if context["value"] else ""
        return f'<textarea name="{name}"{_attrs(context["attrs"])}>\n{value}</textarea>'
    value = context["value"]
    value = "" if value is None else f' value="{escape(value)}"'
    return f'<input type="{context["type"]}" name="{name}"{value}{_attrs(context["attrs"])}>'


def _select(field, widget, attrs):
    """A plain select as Django's select.html draws it (the first option whose value is the
    field's is selected), its options written here rather than built as option contexts."""
    values = widget.format_value(field.value())
    options, found = [], False
    for value, label in widget.choices:
        if isinstance(label, list | tuple):  # option groups: Django's own template
            return str(field)
        value = "" if value is None else value
        selected = not found and str(value) in values
        found |= selected
        options.append(
            f'\n  <option value="{escape(value)}"{" selected" if selected else ""}>'
            f"{escape(label)}</option>"
        )
    attrs = widget.build_attrs(widget.attrs, attrs)
    name = escape(field.html_name)
    return f'<select name="{name}"{_attrs(attrs)}>{"".join(options)}\n</select>'


def _label(field, tag, css, suffix=""):
    """The label (or legend) with crispy's classes and its mark for a required field."""
    if not field.label:
        return ""
    required = field.field.required
    for_id = f'for="{field.id_for_label}" ' if field.id_for_label else ""
    css += (" requiredField" if required else "") + suffix
    mark = '<span class="asteriskField">*</span>' if required else ""
    return f'<{tag} {for_id}class="{css}">{escape(field.label)}{mark}</{tag}>'


def _choices(field):
    """A radio select: a fieldset of form-check inputs (crispy's radio_checkbox_select.html)."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(field.html_name, widget.format_value(field.value()), attrs)
    invalid = " is-invalid" if field.errors else ""
    options = [option for _group, choices, _index in groups for option in choices]
    parts = []
    for n, option in enumerate(options, start=1):
        parts.append(
            f'<div class="form-check"><input type="{option["type"]}" '
            f'class="form-check-input{invalid}" name="{escape(field.html_name)}" '
            f'value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
            f'<label for="{escape(option["attrs"].get("id", ""))}" '
            f'class="form-check-label">{escape(option["label"])}</label>'
            f"{_errors(field) if n == len(options) else ''}</div>"
        )
    described = field.aria_describedby
    described = f' aria-describedby="{described}"' if described else ""
    return (
        f"<fieldset{described}>{_label(field, 'legend', 'form-label', ' fs-6')}"
        f"<div>{''.join(parts)}</div>{_help_text(field)}</fieldset>"
    )


class BootstrapForm(forms.Form):
    """A form with `as_bootstrap`: the markup of crispy-forms' bootstrap5 pack (`|crispy`),
    the same labels, required marks, classes, ids, errors and help texts, assembled in Python.
    Crispy renders a template per field, and Django one per choice: the coordinator's forms
    of a man's page (a select of some 60 groups) took ~8 ms of it."""

    def as_bootstrap(self):
        parts = []
        if self.non_field_errors():
            items = "".join(f"<li>{escape(e)}</li>" for e in self.non_field_errors())
            parts.append(
                f'<div class="alert alert-block alert-danger"><ul class="m-0">{items}</ul></div>'
            )
        for field in self:
            parts.append(bootstrap_field(field))
        return mark_safe("".join(parts))


def bootstrap_field(field):
    """One field as crispy's `|as_crispy_field` draws it (a string of markup, escaped)."""
    widget = field.field.widget
    if field.is_hidden:
        return str(field)
    css = field.css_classes()
    css = f" {css}" if css else ""
    div_id = f"div_{field.auto_id}"
    invalid = " is-invalid" if field.errors else ""
    if isinstance(widget, forms.RadioSelect) and not isinstance(
        widget, forms.CheckboxSelectMultiple
    ):
        return f'<div id="{div_id}" class="mb-3{css}">{_choices(field)}</div>'
    if isinstance(widget, forms.CheckboxInput):
        return (
            f'<div class="mb-3"><div id="{div_id}" class="form-check{css}">'
            f"{_widget(field, 'form-check-input' + invalid)}"
            f"{_label(field, 'label', 'form-check-label')}"
            f"{_errors(field)}{_help_text(field)}</div></div>"
        )
    kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
    return (
        f'<div id="{div_id}" class="mb-3{css}">{_label(field, "label", "form-label")}'
        f"{_widget(field, kind + invalid)}{_errors(field)}{_help_text(field)}</div>"
    )
