from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    TERMINATED = "terminated", _("Terminated")
    TRANSFERRED = "transferred", _("Transferred")


class ReferralSource(models.TextChoices):
    COURT = "court", _("Court / judicial")
    GOVERNMENT = "government", _("Government institution")
    ACADEMIC = "academic", _("Academic institution")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
    PARTNER_ULTIMATUM = "partner", _("Partner's ultimatum")
    SELF = "self", _("Self-referred")
    OTHER = "other", _("Other")


class ExitStatus(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    TERMINATED = "terminated", _("Terminated")
    TRANSFERRED = "transferred", _("Transferred")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")
    LETTER = "letter", _("Letter")


class FollowUpOutcome(models.TextChoices):
    REACHED_RETURNING = "returning", _("Reached: will return")
    REACHED_UNDECIDED = "undecided", _("Reached: undecided")
    REACHED_LEAVING = "leaving", _("Reached: does not want to continue")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_CONTACT = "wrong_contact", _("Wrong contact details")
