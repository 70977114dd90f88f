from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    RECORDED = "recorded", _("Recorded")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused absence")
    UNEXCUSED = "unexcused", _("Unexcused absence")

    @classmethod
    def attended(cls):
        return [cls.PRESENT, cls.LATE]


class Violence(models.TextChoices):
    NOT_RECORDED = "", _("Not recorded")
    NO = "no", _("No")
    YES = "yes", _("Yes")
    DECLINED = "declined", _("Declined to say")


class ViolenceKind(models.TextChoices):
    """Each value is the suffix of a boolean field `violence_<value>` on Attendance."""

    EMOTIONAL = "emotional", _("Emotional / psychological")
    VERBAL = "verbal", _("Verbal")
    PHYSICAL = "physical", _("Physical")
    SEXUAL = "sexual", _("Sexual")
    ECONOMIC = "economic", _("Economic")
    PATRIMONIAL = "patrimonial", _("Patrimonial")
    DIGITAL = "digital", _("Digital")

    @property
    def field_name(self):
        return f"violence_{self.value}"


class AlertReason(models.TextChoices):
    PHYSICAL = "physical", _("Physical violence reported")
    SEXUAL = "sexual", _("Sexual violence reported")
    FLAG = "flag", _("Flagged by a facilitator")
