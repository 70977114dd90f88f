import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import StaffRoleKind, Weekday
from .querysets import GroupQuerySet, SiteQuerySet, TopicQuerySet


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def validate_weekdays(value):
    parts = [p for p in value.split(",") if p != ""]
    if not parts or any(p not in {str(d) for d in Weekday.values} for p in parts):
        raise ValidationError(_("Choose at least one valid weekday."))


class Site(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    # The prefix of the pseudonymous codes of the men of this site (e.g. CDMX-0042).
    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,8}$", _("Two to eight capital letters."))],
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        help_text=_("ISO 3166-1 alpha-2 code, e.g. MX, PA, UY, US."),
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters."))],
    )
    region = models.CharField(_("state or region"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/Mexico_City",
        validators=[validate_time_zone],
    )
    active = models.BooleanField(_("active"), default=True)
    # An unacknowledged safety alert is escalated after this many of the site's working
    # hours (to the site's coordinators again, then to the admins, as long again each time).
    escalation_hours = models.PositiveSmallIntegerField(
        _("escalate an alert after (working hours)"), default=4, db_default=4
    )
    workday_start = models.TimeField(
        _("working day starts"), default=datetime.time(9, 0), db_default=datetime.time(9, 0)
    )
    workday_end = models.TimeField(
        _("working day ends"), default=datetime.time(18, 0), db_default=datetime.time(18, 0)
    )
    # Python's weekday numbers (0 = Monday), comma-separated.
    working_days = models.CharField(
        _("working days"),
        max_length=13,
        default="0,1,2,3,4",
        db_default="0,1,2,3,4",
        validators=[RegexValidator(r"^[0-6](,[0-6])*$", _("Weekday numbers 0-6, e.g. 0,1,2,3,4."))],
    )

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self):
        """Today's date where the site is (forms and standings count days there)."""
        return timezone.localdate(timezone=self.tzinfo)


class Programme(models.Model):
    """A kind of group and its completion rules."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    required_sessions = models.PositiveSmallIntegerField(_("required sessions"))
    session_minutes = models.PositiveSmallIntegerField(_("session length (minutes)"), default=150)
    allowed_excused_absences = models.PositiveSmallIntegerField(
        _("allowed excused absences"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    allowed_unexcused_absences = models.PositiveSmallIntegerField(
        _("allowed unexcused absences"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    max_consecutive_absences = models.PositiveSmallIntegerField(
        _("consecutive absences that end an enrolment"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit."),
    )
    report_interval_days = models.PositiveSmallIntegerField(
        _("days between progress reports"),
        null=True,
        blank=True,
        help_text=_("Empty: no periodic reports."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(required_sessions__gt=0), name="programme_required_sessions_positive"
            ),
            models.CheckConstraint(
                condition=Q(session_minutes__gt=0), name="programme_session_minutes_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_consecutive_absences__isnull=True)
                | Q(max_consecutive_absences__gt=0),
                name="programme_consecutive_absences_positive",
            ),
            models.CheckConstraint(
                condition=Q(report_interval_days__isnull=True) | Q(report_interval_days__gt=0),
                name="programme_report_interval_positive",
            ),
        ]

    def __str__(self):
        return self.name


class Topic(models.Model):
    """A curriculum item of a programme, e.g. "The retreat"."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="topics", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["programme", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "title"], name="topic_unique_title"),
        ]

    def __str__(self):
        return self.title


class Group(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="groups", verbose_name=_("programme")
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="groups", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=120)
    # Comma-separated weekday numbers (0 = Monday), e.g. "1" or "1,3".
    weekdays = models.CharField(
        _("weekdays"), max_length=13, default="0", validators=[validate_weekdays]
    )
    start_time = models.TimeField(_("start time"), help_text=_("In the site's time zone."))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=20)
    is_open = models.BooleanField(
        _("open group"), default=True, help_text=_("Open groups take new men at any time.")
    )
    allows_walk_ins = models.BooleanField(
        _("walk-ins allowed"),
        default=False,
        help_text=_("Facilitators may add a newcomer to the roster during a session."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_groups",
        verbose_name=_("facilitators"),
    )
    active = models.BooleanField(_("active"), default=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["site__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="group_unique_name_per_site"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="group_end_not_before_start",
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="group_capacity_positive"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sessions:group_detail", args=[self.pk])

    @property
    def weekday_list(self):
        return [int(d) for d in self.weekdays.split(",") if d != ""]

    def get_weekdays_display(self):
        return ", ".join(str(Weekday(d).label) for d in self.weekday_list)


class StaffRole(models.Model):
    """What a user does at a site. Admins are superusers and need no role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("user"),
    )
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("site")
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRoleKind.choices)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["site__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "site", "role"], name="staffrole_unique"),
            models.CheckConstraint(
                condition=Q(role__in=StaffRoleKind.values), name="staffrole_valid_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.site}"
