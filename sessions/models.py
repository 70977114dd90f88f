import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import Participant
from programmes.models import Group, Topic

from .enums import AlertReason, AttendanceStatus, SessionState, Violence, ViolenceKind
from .querysets import AttendanceQuerySet, GroupSessionQuerySet, SafetyAlertQuerySet


class GroupSession(models.Model):
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("group")
    )
    date = models.DateField(_("date"))
    # Wall-clock time at the group's site: a weekly group meets at 18:00 local all year round.
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=150)
    state = models.CharField(
        _("state"), max_length=12, choices=SessionState.choices, default=SessionState.SCHEDULED
    )
    is_extra = models.BooleanField(_("extra session"), default=False)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitators present"),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="sessions", verbose_name=_("topics covered")
    )
    notes = models.TextField(_("notes"), blank=True)
    cancellation_reason = models.CharField(_("cancellation reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    # Optimistic locking: every save of the record page bumps it.
    version = models.PositiveIntegerField(_("version"), default=0)
    objects = GroupSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "date", "start_time"], name="session_unique_slot"
            ),
            models.CheckConstraint(
                condition=Q(state__in=SessionState.values), name="session_valid_state"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="session_duration_positive"
            ),
            models.CheckConstraint(
                condition=~Q(state=SessionState.RECORDED) | Q(recorded_at__isnull=False),
                name="session_recorded_has_timestamp",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "date"], name="session_by_group_date"),
            models.Index(fields=["date", "state"], name="session_by_date_state"),
        ]

    def __str__(self):
        return f"{self.group} · {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("sessions:detail", args=[self.pk])

    @property
    def starts_at(self):
        """The aware start datetime in the site's time zone."""
        return datetime.datetime.combine(self.date, self.start_time, tzinfo=self.group.site.tzinfo)

    @property
    def is_overdue(self):
        """Started in the past and still not recorded (nor cancelled)."""
        return self.state == SessionState.SCHEDULED and self.starts_at < timezone.now()


NO_CHECK_IN = Q(
    violence="",
    reflection="",
    asked_support=False,
    used_retreat=False,
    safety_flag=False,
) & Q(**{kind.field_name: False for kind in ViolenceKind})


class Attendance(models.Model):
    """A man's attendance at a session and, when he was there, his circle check-in.

    The check-in lives on this row so that PostgreSQL itself refuses a check-in for a man who
    was absent (the `attendance_check_in_only_when_present` constraint)."""

    session = models.ForeignKey(
        GroupSession,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("session"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("participant"),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    violence = models.CharField(
        _("violence since the last session"), max_length=10, choices=Violence.choices, blank=True
    )
    violence_emotional = models.BooleanField(ViolenceKind.EMOTIONAL.label, default=False)
    violence_verbal = models.BooleanField(ViolenceKind.VERBAL.label, default=False)
    violence_physical = models.BooleanField(ViolenceKind.PHYSICAL.label, default=False)
    violence_sexual = models.BooleanField(ViolenceKind.SEXUAL.label, default=False)
    violence_economic = models.BooleanField(ViolenceKind.ECONOMIC.label, default=False)
    violence_patrimonial = models.BooleanField(ViolenceKind.PATRIMONIAL.label, default=False)
    violence_digital = models.BooleanField(ViolenceKind.DIGITAL.label, default=False)
    reflection = models.TextField(_("reflection"), max_length=2000, blank=True)
    asked_support = models.BooleanField(_("asked for support"), default=False)
    used_retreat = models.BooleanField(_("used the retreat"), default=False)
    safety_flag = models.BooleanField(_("safety concern"), default=False)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "participant__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="attendance_one_per_man_per_session"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_valid_status"
            ),
            models.CheckConstraint(
                condition=Q(violence__in=Violence.values), name="attendance_valid_violence"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.attended()) | NO_CHECK_IN,
                name="attendance_check_in_only_when_present",
            ),
            models.CheckConstraint(
                condition=Q(violence=Violence.YES)
                | Q(**{kind.field_name: False for kind in ViolenceKind}),
                name="attendance_kinds_only_when_violence",
            ),
        ]
        indexes = [
            models.Index(fields=["participant", "session"], name="attendance_by_participant"),
        ]

    def __str__(self):
        return f"{self.participant} · {self.session}"

    @property
    def attended(self):
        return self.status in AttendanceStatus.attended()

    @property
    def kinds(self):
        return [kind for kind in ViolenceKind if getattr(self, kind.field_name)]


class CheckIn(Attendance):
    """The check-ins (attendance rows of men who were there), as their own admin list."""

    class Meta:
        proxy = True
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")


class SafetyAlert(models.Model):
    """Raised by a check-in with physical or sexual violence, or a facilitator's flag: one
    alert per man and session, listing its reasons. It stays on the coordinators' home page
    until one of them acknowledges it, saying what was done."""

    session = models.ForeignKey(
        GroupSession, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("participant")
    )
    physical = models.BooleanField(AlertReason.PHYSICAL.label, default=False)
    sexual = models.BooleanField(AlertReason.SEXUAL.label, default=False)
    flagged = models.BooleanField(AlertReason.FLAG.label, default=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("raised by"),
    )
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledgement_note = models.TextField(_("what was done"), blank=True)
    # How many escalation steps were taken while it stayed open (sessions/messaging/).
    escalations = models.PositiveSmallIntegerField(_("escalation steps"), default=0, db_default=0)

    objects = SafetyAlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety alert")
        verbose_name_plural = _("safety alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="alert_once_per_man_and_session"
            ),
            models.CheckConstraint(
                condition=Q(physical=True) | Q(sexual=True) | Q(flagged=True),
                name="alert_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="alert_acknowledged_by_and_at",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=F("created_at")),
                name="alert_acknowledged_after_raised",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(acknowledged_at__isnull=True),
                name="alert_open",
            ),
        ]

    def __str__(self):
        return f"{self.participant} · {self.reasons_display()}"

    REASON_FIELDS = {
        AlertReason.PHYSICAL: "physical",
        AlertReason.SEXUAL: "sexual",
        AlertReason.FLAG: "flagged",
    }

    @property
    def reasons(self):
        return [reason for reason, field in self.REASON_FIELDS.items() if getattr(self, field)]

    def reasons_display(self):
        return ", ".join(str(reason.label) for reason in self.reasons)


class SessionChange(models.Model):
    """One save of a session's record: who, when, and what changed (a correction keeps the
    values it replaced), shown on the session page."""

    session = models.ForeignKey(
        GroupSession, on_delete=models.PROTECT, related_name="changes", verbose_name=_("session")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"))
    is_correction = models.BooleanField(_("correction"), default=False)
    # [{"who": "CDMX-0001" or "", "field": "status", "old": "present", "new": "late"}, ...]
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        verbose_name = _("session change")
        verbose_name_plural = _("session changes")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "version"], name="session_change_version"),
        ]

    def __str__(self):
        return f"{self.session} · v{self.version}"


class ProgressReport(models.Model):
    """A progress report issued to the referrer of a man. The figures are copied when it is
    issued: a report is a document, and one sent never changes afterwards."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("participant"),
    )
    referral = models.ForeignKey(
        "participants.Referral",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("referral"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent by"),
    )
    # The frozen figures (those of his programme, as they stood when it was issued).
    programme_name = models.CharField(_("programme"), max_length=120)
    group_name = models.CharField(_("group"), max_length=120)
    attended = models.PositiveSmallIntegerField(_("sessions attended"))
    required = models.PositiveSmallIntegerField(_("required sessions"))
    excused = models.PositiveSmallIntegerField(_("excused absences"))
    unexcused = models.PositiveSmallIntegerField(_("unexcused absences"))
    allowed_excused = models.PositiveSmallIntegerField(
        _("allowed excused absences"), null=True, blank=True
    )
    allowed_unexcused = models.PositiveSmallIntegerField(
        _("allowed unexcused absences"), null=True, blank=True
    )
    consecutive_absences = models.PositiveSmallIntegerField(_("consecutive absences"))
    period_attended = models.PositiveSmallIntegerField(_("sessions attended in the period"))
    period_excused = models.PositiveSmallIntegerField(_("excused absences in the period"))
    period_unexcused = models.PositiveSmallIntegerField(_("unexcused absences in the period"))
    first_session_on = models.DateField(_("first session attended"), null=True, blank=True)
    last_session_on = models.DateField(_("last session attended"), null=True, blank=True)
    standing = models.CharField(_("standing"), max_length=20)
    standing_reasons = models.JSONField(_("standing reasons"), default=list, blank=True)
    signatory = models.CharField(_("signed by"), max_length=300)
    place = models.CharField(_("place"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="progress_report_period_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True, sent_by__isnull=True)
                | Q(sent_on__isnull=False, sent_by__isnull=False),
                name="progress_report_sent_on_and_by",
            ),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(sent_on__gte=F("period_end")),
                name="progress_report_sent_after_period",
            ),
        ]
        indexes = [
            # The due list: a man's latest sent report.
            models.Index(
                fields=["participant", "-period_end"],
                condition=Q(sent_on__isnull=False),
                name="progress_report_last_sent",
            ),
        ]

    def __str__(self):
        return f"{self.participant} · {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("progress:issued", args=[self.pk])

    @property
    def is_sent(self):
        return self.sent_on is not None


class StandingCounts(models.Model):
    """A man's standing counts, read from a database view (migration 0007 defines it): in
    the programme of the enrolment that counts, his open one, else the latest. Read through
    `sessions.standing.with_standing`; nothing writes it."""

    participant = models.OneToOneField(
        Participant,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        related_name="standing_counts",
    )
    enrolment = models.ForeignKey(
        "participants.Enrolment", on_delete=models.DO_NOTHING, null=True, related_name="+"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.DO_NOTHING, null=True, related_name="+"
    )
    recorded_count = models.IntegerField()
    attended_count = models.IntegerField()
    late_count = models.IntegerField()
    excused_count = models.IntegerField()
    unexcused_count = models.IntegerField()
    consecutive_absences = models.IntegerField()
    first_sessions_absences = models.IntegerField()
    last_attended_on = models.DateField(null=True)
    first_referred_on = models.DateField(null=True)
    last_follow_up_on = models.DateField(null=True)

    class Meta:
        managed = False
        db_table = "group_sessions_standing"

    def __str__(self):
        return f"{self.participant_id}: {self.attended_count}"


class Delivery(models.Model):
    """One message to one recipient, and what became of it. The task that sends it does
    nothing if it was already sent, so a retried task never sends it twice."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        ALERT = "alert", _("Safety alert")
        ESCALATION = "escalation", _("Escalated safety alert")

    channel = models.CharField(_("channel"), max_length=10, default="email")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    recipient = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    alert = models.ForeignKey(
        SafetyAlert,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        verbose_name=_("safety alert"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self):
        return f"{self.kind} → {self.recipient}: {self.state}"
