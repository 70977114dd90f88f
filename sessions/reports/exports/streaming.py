"""Every attendance row of a year as CSV, written while the database is read: memory stays
constant whatever the number of rows. A coordinator's working export: participant codes, never
names, and never the check-in reflections (free text about violence stays in the app)."""

import csv
import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programmes.models import Group

from ...enums import AttendanceStatus, Violence, ViolenceKind
from ...models import Attendance
from ..scope import EARLIEST_YEAR, ReportFilterForm
from .writers import BOM, safe_text

CHUNK_SIZE = 2000
# Rows written before the buffer is handed to the response.
FLUSH_EVERY = 500


class ExportRefused(Exception):
    """The request cannot be answered with a file; `messages` say why, for the user."""

    def __init__(self, messages):
        super().__init__("; ".join(str(message) for message in messages))
        self.messages = [str(message) for message in messages]


class AttendanceFilterForm(ReportFilterForm):
    """The report filters without the period: the year is in the URL."""

    date_from = None
    date_to = None


def year_range():
    return EARLIEST_YEAR, timezone.localdate().year + 1


def attendance_groups(user, year, filters=None):
    """The groups whose attendance `user` may export for `year`, narrowed by `filters` (a dict
    or QueryDict with optional site, programme and group ids). Raises ExportRefused for a year
    out of range or a filter that is not valid (another site's id included)."""
    first, last = year_range()
    if not first <= year <= last:
        raise ExportRefused(
            [_("Choose a year between %(first)d and %(last)d.") % {"first": first, "last": last}]
        )
    form = AttendanceFilterForm(filters or None, user=user)
    if form.is_bound and not form.is_valid():
        raise ExportRefused(refusal_messages(form))
    groups = Group.objects.coordinated_by(user)
    cleaned = form.cleaned_data if form.is_bound else {}
    if cleaned.get("site"):
        groups = groups.filter(site=cleaned["site"])
    if cleaned.get("programme"):
        groups = groups.filter(programme=cleaned["programme"])
    if cleaned.get("group"):
        groups = groups.filter(pk=cleaned["group"].pk)
    return groups


def refusal_messages(form):
    """A form's errors as sentences naming the filter."""
    messages = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            messages.append(f"{label}: {error}" if label else str(error))
    return messages


HEADER = [
    gettext_lazy("Session date"),
    gettext_lazy("Site"),
    gettext_lazy("Group"),
    gettext_lazy("Participant code"),
    gettext_lazy("Attendance"),
    gettext_lazy("Violence since the last session"),
    gettext_lazy("Kinds of violence"),
    gettext_lazy("Asked for support"),
    gettext_lazy("Used the retreat"),
    gettext_lazy("Safety concern"),
]
KIND_FIELDS = [kind.field_name for kind in ViolenceKind]
FIELDS = [
    "session__date",
    "session__group__site__name",
    "session__group__name",
    "participant__code",
    "status",
    "violence",
    *KIND_FIELDS,
    "asked_support",
    "used_retreat",
    "safety_flag",
]
ORDER = [
    "session__date",
    "session__group__site__name",
    "session__group__name",
    "participant__code",
    "pk",
]


def attendance_rows(groups, year):
    """The rows as tuples of FIELDS, in date, site, group and code order (a lazy queryset)."""
    return (
        Attendance.objects.filter(
            session__group__in=groups,
            session__date__gte=datetime.date(year, 1, 1),
            session__date__lte=datetime.date(year, 12, 31),
        )
        .order_by(*ORDER)
        .values_list(*FIELDS)
    )


def _line_maker():
    """A function turning a row of FIELDS into the CSV cells. The labels are translated here,
    once, in the language of the request (the lines are written after the view returns)."""
    statuses = {value: str(label) for value, label in AttendanceStatus.choices}
    violence = {value: str(label) for value, label in Violence.choices}
    kinds = [str(kind.label) for kind in ViolenceKind]
    yes, no = _("Yes"), _("No")
    attended = set(AttendanceStatus.attended())
    kind_count = len(KIND_FIELDS)

    def cells(row):
        date, site, group, code, status, said, *rest = row
        flags, (asked, retreat, safety) = rest[:kind_count], rest[kind_count:]
        line = [date.isoformat(), safe_text(site), safe_text(group), safe_text(code)]
        line.append(statuses.get(status, status))
        if status not in attended:  # no check-in for an absent man
            return line + ["", "", "", "", ""]
        named = [label for label, flag in zip(kinds, flags, strict=True) if flag]
        return line + [
            violence.get(said, said),
            "; ".join(named),
            yes if asked else no,
            yes if retreat else no,
            yes if safety else no,
        ]

    return cells


def write_attendance_csv(groups, year):
    """An iterator of UTF-8 chunks: the BOM and header, then the rows, read from the database
    CHUNK_SIZE at a time and handed on every FLUSH_EVERY rows."""
    header = [str(label) for label in HEADER]
    cells = _line_maker()
    rows = attendance_rows(groups, year)

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write(BOM)
        writer.writerow(header)
        for count, row in enumerate(rows.iterator(chunk_size=CHUNK_SIZE), start=1):
            writer.writerow(cells(row))
            if count % FLUSH_EVERY == 0:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode()

    return chunks()


def stream_attendance_csv(user, year, filters=None):
    """Every attendance row of `year` that `user` may see, as an iterator of CSV bytes
    (constant memory). Raises ExportRefused for a bad year or filter. For the benchmark:

        for chunk in stream_attendance_csv(user, 2026, {}): ...
    """
    return write_attendance_csv(attendance_groups(user, year, filters), year)
