import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programmes.models import Group, Site

from .enums import (
    ContactChannel,
    ExitStatus,
    FollowUpOutcome,
    ParticipantStatus,
    ReferralSource,
)
from .querysets import EnrolmentQuerySet, ParticipantQuerySet, PartnerContactQuerySet


class Participant(models.Model):
    """A man in the programme. Everywhere but his own page he is shown by his code."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="participants", verbose_name=_("home site")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_contact_times = models.CharField(
        _("preferred contact times"), max_length=200, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.REFERRED,
    )
    intake_date = models.DateField(_("intake date"), null=True, blank=True)
    intake_notes = models.TextField(_("intake notes"), blank=True)
    consent_date = models.DateField(_("consent date"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When his name, contact details and free texts were erased (his counts stay).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ParticipantStatus.values), name="participant_valid_status"
            ),
            # Consent is a date and the version of the text he agreed to, or neither.
            models.CheckConstraint(
                condition=Q(consent_date__isnull=True, consent_version="")
                | (Q(consent_date__isnull=False) & ~Q(consent_version="")),
                name="participant_consent_complete",
            ),
            # "Not in the future" needs today's date, which a CHECK may not use; forms check it.
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__gte=datetime.date(1900, 1, 1)),
                name="participant_birth_date_plausible",
            ),
        ]
        indexes = [
            models.Index(fields=["site", "status"], name="participant_site_status"),
            models.Index(fields=["last_name", "first_name"], name="participant_name"),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("participants:detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class Referral(models.Model):
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("participant"),
    )
    source_type = models.CharField(_("source"), max_length=20, choices=ReferralSource.choices)
    institution = models.CharField(_("referring institution"), max_length=200, blank=True)
    reference_number = models.CharField(_("reference number"), max_length=100, blank=True)
    referred_on = models.DateField(_("referral date"))
    reports_requested = models.BooleanField(
        _("progress reports go back to the referrer"), default=False
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_type__in=ReferralSource.values), name="referral_valid_source"
            ),
        ]
        indexes = [models.Index(fields=["source_type", "referred_on"], name="referral_by_source")]

    def __str__(self):
        return f"{self.participant} · {self.get_source_type_display()} · {self.referred_on}"


class Enrolment(models.Model):
    """A man in a group from a start date to an end date (open while it has none)."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("participant"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("group")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    exit_status = models.CharField(
        _("exit status"), max_length=20, choices=ExitStatus.choices, blank=True
    )
    exit_reason = models.TextField(_("exit reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(end_date__isnull=True),
                name="enrolment_one_open_per_participant",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="enrolment_end_not_before_start",
            ),
            # Open: no exit status. Closed: a valid one.
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, exit_status="")
                | Q(end_date__isnull=False, exit_status__in=ExitStatus.values),
                name="enrolment_exit_status_matches_end",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "start_date", "end_date"], name="enrolment_roster"),
        ]

    def __str__(self):
        return f"{self.participant} · {self.group}"

    @property
    def is_open(self):
        return self.end_date is None


class FollowUp(models.Model):
    """A coordinator's outreach to a man at risk of dropping out."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("participant"),
    )
    contacted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=ContactChannel.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=FollowUpOutcome.choices)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up contact")
        verbose_name_plural = _("follow-up contacts")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["participant", "-contacted_on"], name="followup_latest")]

    def __str__(self):
        return f"{self.participant} · {self.contacted_on}"


class PartnerContact(models.Model):
    """Segregated: kept by partner-support workers, never shown in the man's file or to
    facilitators."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="partner_contacts",
        verbose_name=_("participant"),
    )
    safe_channel = models.CharField(_("safe contact channel"), max_length=200, blank=True)
    safe_times = models.CharField(_("safe times to contact"), max_length=200, blank=True)
    consent_to_contact = models.BooleanField(_("consents to be contacted"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PartnerContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["participant__code"]

    def __str__(self):
        return f"{self.participant}"


class PartnerContactEntry(models.Model):
    partner_contact = models.ForeignKey(
        PartnerContact,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("partner contact"),
    )
    contacted_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner contact entry")
        verbose_name_plural = _("partner contact entries")
        ordering = ["-contacted_on", "-id"]

    def __str__(self):
        return f"{self.partner_contact} · {self.contacted_on}"
