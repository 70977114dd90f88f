"""The record page: one small form per man, and one for the session itself."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendes.forms import JINJA2_RENDERER, date_input

from .enums import AttendanceStatus, Violence, ViolenceKind
from .services.recording import ROW_FIELDS, Row

REFLECTION_MAX = 2000
NOTES_MAX = 5000
CHECKBOX = {"class": "form-check-input"}


# Each choice field is drawn whole, each option followed by its label, by one template of
# its widget (in sessions/jinja2/): one render per field, not one per choice.
class StatusButtons(forms.RadioSelect):
    template_name = "sessions/widgets/buttons.html"


class InlineRadios(forms.RadioSelect):
    template_name = "sessions/widgets/inline_checks.html"


class InlineCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "sessions/widgets/inline_checks.html"


class Checkboxes(forms.CheckboxSelectMultiple):
    template_name = "sessions/widgets/checks.html"


class AttendanceRowForm(forms.Form):
    """One man's attendance and check-in. Everyone starts present with "no violence", so a
    quiet session is one tap per absent man plus Save."""

    default_renderer = JINJA2_RENDERER  # a 20-man session is some 340 inputs
    template_name = "sessions/record_row.html"  # in sessions/jinja2/

    status = forms.ChoiceField(
        label=_("Attendance"),
        choices=AttendanceStatus.choices,
        initial=AttendanceStatus.PRESENT,
        widget=StatusButtons(attrs={"class": "btn-check"}),
    )
    violence = forms.ChoiceField(
        label=_("Violence since the last session"),
        choices=[c for c in Violence.choices if c[0]],
        initial=Violence.NO,
        widget=InlineRadios(attrs={"class": "form-check-input"}),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"),
        choices=ViolenceKind.choices,
        required=False,
        widget=InlineCheckboxes(attrs={"class": "form-check-input"}),
    )
    reflection = forms.CharField(
        label=_("Reflection"),
        max_length=REFLECTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    asked_support = forms.BooleanField(
        label=_("Asked for support"), required=False, widget=forms.CheckboxInput(attrs=CHECKBOX)
    )
    used_retreat = forms.BooleanField(
        label=_("Used the retreat"), required=False, widget=forms.CheckboxInput(attrs=CHECKBOX)
    )
    safety_flag = forms.BooleanField(
        label=_("Safety concern: alert the coordinator"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKBOX),
    )

    # Only on a conflict: keep what he typed, or take the version someone else saved.
    keep = forms.ChoiceField(
        label=_("For this man"),
        choices=[("mine", _("Keep my entries")), ("theirs", _("Take the saved version"))],
        initial="mine",
        required=False,
        widget=InlineRadios(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, participant, saved=None, **kwargs):
        """`saved` is his attendance as the database holds it now (None if not recorded)."""
        self.participant = participant
        self.saved = saved
        self.theirs = {}
        super().__init__(*args, **kwargs)

    def mark_conflicts(self):
        """After someone else saved first: beside each field where the saved version differs
        from what he typed, the saved value in words (`theirs`), so he can choose per man."""
        if self.saved is None or not self.is_valid():
            return
        mine = self.to_row().values()
        saved = self.saved
        attended = AttendanceStatus.attended()
        fields = ROW_FIELDS
        if mine["status"] not in attended or saved.status not in attended:
            fields = ["status"]  # an absence has no check-in to compare
        differing = {f for f in fields if mine[f] != getattr(saved, f)}
        words = {
            "status": saved.get_status_display(),
            "violence": saved.get_violence_display() or "—",
            "reflection": saved.reflection or "—",
            **{
                name: _("ticked") if getattr(saved, name) else _("not ticked")
                for name in ("asked_support", "used_retreat", "safety_flag")
            },
        }
        self.theirs = {name: str(text) for name, text in words.items() if name in differing}
        if differing & {kind.field_name for kind in ViolenceKind}:
            self.theirs["kinds"] = ", ".join(str(kind.label) for kind in saved.kinds) or "—"

    def get_context(self):
        """The row's sentences, translated here: the renderer's Jinja2 has no i18n tags."""
        code = self.participant.code
        return {
            **super().get_context(),
            "text": {
                "attendance_of": _("Attendance of %(code)s") % {"code": code},
                "check_in": _("Check-in"),
                "violence_reported": _("violence reported"),
                "which_kinds": _("Which kinds"),
                "will_save": _("Will be saved:"),
                "theirs": _("Saved by someone else:"),
                "conflict": _(
                    "Someone else saved a different check-in for %(code)s. Your entries are "
                    "below, theirs beside each field that differs."
                )
                % {"code": code},
                "absent_with_answers": _(
                    "He is marked absent: his check-in answers will not be saved. Mark him "
                    "present, or clear his check-in."
                ),
            },
        }

    def will_save(self):
        """What Save will store for him, in words: the collapsed row shows it, so that the
        "present, no violence" default is never invisible."""
        status = self["status"].value()
        parts = [str(AttendanceStatus(status).label) if status in AttendanceStatus.values else ""]
        if status in AttendanceStatus.attended():
            violence = self["violence"].value() or Violence.NO
            if violence == Violence.NO:
                parts.append(_("no violence"))
            elif violence == Violence.YES:
                kinds = [
                    str(ViolenceKind(k).label)
                    for k in self["kinds"].value() or []
                    if k in ViolenceKind.values
                ]
                parts.append(f"{_('violence:')} {', '.join(kinds) or '?'}")
            elif violence in Violence.values:
                parts.append(str(Violence(violence).label))
            if self["safety_flag"].value():
                parts.append(_("safety concern"))
        else:
            parts.append(_("no check-in"))
        return " · ".join(str(part) for part in parts if part)

    def shows_absent_warning(self):
        status = self["status"].value()
        if status in AttendanceStatus.attended() or status not in AttendanceStatus.values:
            return False
        return bool(
            self["violence"].value() in (Violence.YES, Violence.DECLINED)
            or self["kinds"].value()
            or self["reflection"].value()
            or any(self[name].value() for name in ("asked_support", "used_retreat", "safety_flag"))
        )

    def check_boxes(self):
        return [self[name] for name in ("asked_support", "used_retreat", "safety_flag")]

    def reports_violence(self):
        return self["violence"].value() == Violence.YES

    def check_in_is_open(self):
        """His check-in starts unfolded when there is something in it to see."""
        return bool(
            self.errors
            or self.theirs
            or self["violence"].value() in (Violence.YES, Violence.DECLINED)
            or self["reflection"].value()
            or self["safety_flag"].value()
        )

    def clean(self):
        cleaned = super().clean()
        attended = cleaned.get("status") in AttendanceStatus.attended()
        if attended and cleaned.get("kinds") and cleaned.get("violence") != Violence.YES:
            self.add_error(
                "violence",
                _('You marked kinds of violence: choose "Yes" or clear the kinds.'),
            )
        elif not self.errors:
            # The service refuses what would be lost or ambiguous; say it on his row.
            problem = self.to_row().problem()
            if problem:
                field = "status" if not attended else "kinds"
                self.add_error(field, problem % {"code": self.participant.code})
        return cleaned

    def to_row(self):
        data = self.cleaned_data
        if data.get("keep") == "theirs" and self.saved is not None:
            return self.row_of(self.participant.pk, self.saved)
        return Row(
            participant_id=self.participant.pk,
            status=data["status"],
            violence=data.get("violence") or Violence.NO,
            kinds=[ViolenceKind(k) for k in data.get("kinds", [])],
            reflection=data.get("reflection", "").strip(),
            asked_support=data.get("asked_support", False),
            used_retreat=data.get("used_retreat", False),
            safety_flag=data.get("safety_flag", False),
        )

    @staticmethod
    def row_of(participant_id, attendance):
        """The row that saves `attendance` again as it is."""
        return Row(
            participant_id=participant_id,
            status=attendance.status,
            violence=attendance.violence or Violence.NO,
            kinds=list(attendance.kinds),
            reflection=attendance.reflection,
            asked_support=attendance.asked_support,
            used_retreat=attendance.used_retreat,
            safety_flag=attendance.safety_flag,
        )

    @classmethod
    def initial_for(cls, attendance):
        if attendance is None:
            return {}
        return {
            "status": attendance.status,
            "violence": attendance.violence or Violence.NO,
            "kinds": [k.value for k in attendance.kinds],
            "reflection": attendance.reflection,
            "asked_support": attendance.asked_support,
            "used_retreat": attendance.used_retreat,
            "safety_flag": attendance.safety_flag,
        }


class SessionRecordForm(forms.Form):
    default_renderer = JINJA2_RENDERER  # its choice widgets' templates are Jinja2 ones

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    facilitators = forms.TypedMultipleChoiceField(
        label=_("Facilitators who ran it"),
        coerce=int,
        required=False,
        widget=Checkboxes(attrs=CHECKBOX),
    )
    topics = forms.TypedMultipleChoiceField(
        label=_("Topics covered"),
        coerce=int,
        required=False,
        widget=Checkboxes(attrs=CHECKBOX),
    )
    notes = forms.CharField(
        label=_("Session notes"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, facilitator_choices, topic_choices, **kwargs):
        """The choices are (pk, label) pairs the page has read once (selectors.record_choices):
        a ModelMultipleChoiceField would query to draw them and again to validate."""
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].choices = facilitator_choices
        self.fields["topics"].choices = topic_choices


class WalkInForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    # No one joins a group before consenting (the consent-first rule of enrolments).
    consented = forms.BooleanField(label=_("He read and signed the consent form today"))


class CancelSessionForm(forms.Form):
    reason = forms.CharField(label=_("Reason (e.g. public holiday)"), max_length=200)


class ExtraSessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=date_input())
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class AcknowledgeAlertForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=2000,
        error_messages={"required": _("Write what was done before acknowledging the alert.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
