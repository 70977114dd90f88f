"""Tags of a man's page."""

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sessions.enums import AttendanceStatus, Violence, ViolenceKind

register = template.Library()

SENTINEL_PK = 987654321


@register.filter
def timeline(attendances):
    """The "Attendance and check-ins" list, most recent first: the markup the template drew
    for each session (a man with years of weekly sessions has hundreds), assembled here with
    every value escaped and the labels translated once."""
    if not attendances:
        return ""
    # Every session's URL is this one with its pk: reversed once.
    url_head, _pk, url_tail = reverse("sessions:detail", args=[SENTINEL_PK]).rpartition(
        str(SENTINEL_PK)
    )
    day_format = get_format("DATE_FORMAT")
    statuses = {value: conditional_escape(label) for value, label in AttendanceStatus.choices}
    violence = {value: conditional_escape(label) for value, label in Violence.choices}
    kinds = {kind: conditional_escape(kind.label) for kind in ViolenceKind}
    # Translated outside the f-strings, where makemessages cannot see them.
    violence_label = conditional_escape(_("Violence since the last session"))
    retreat = " · " + conditional_escape(_("used the retreat"))
    support = " · " + conditional_escape(_("asked for support"))
    concern = conditional_escape(_("Safety concern"))
    concern = f' · <strong class="text-danger">{concern}</strong>'
    items = []
    for a in attendances:
        session = a.session
        day = conditional_escape(dateformat.format(session.date, day_format))
        head = (
            f'<p class="mb-0"><a href="{url_head}{session.pk}{url_tail}">'
            f"<strong>{day}</strong></a> · {conditional_escape(session.group.name)} · "
            f"{statuses.get(a.status) or conditional_escape(a.status)}</p>"
        )
        if a.attended:
            had = ", ".join(kinds[kind] for kind in a.kinds)
            check_in = (
                f'<p class="mb-0 small">{violence_label}: '
                f"{violence.get(a.violence) or conditional_escape(a.violence) or '—'}"
                f"{f' ({had})' if had else ''}"
                f"{retreat if a.used_retreat else ''}{support if a.asked_support else ''}"
                f"{concern if a.safety_flag else ''}</p>"
            )
            if a.reflection:
                check_in += (
                    f'<p class="mb-0 small fst-italic">{conditional_escape(a.reflection)}</p>'
                )
            border = "border-success"
        else:
            check_in, border = "", "border-secondary"
        items.append(f'<li class="border-start border-3 ps-3 pb-2 {border}">{head}{check_in}</li>')
    return mark_safe(f'<ol class="list-unstyled timeline">{"".join(items)}</ol>')
