"""A man's subject-access export: everything held about him, as JSON (Django's serializer).

Never his partner's contact records: they are her data, and handing him her safe contact
times would endanger her."""

import json

from django.core import serializers

from participants.models import Enrolment, FollowUp, Referral
from sessions.models import Attendance, ProgressReport, SafetyAlert

# What is held about him, each read in one query. PartnerContact is left out on purpose.
HELD = {
    "referrals": lambda man: Referral.objects.filter(participant=man),
    "enrolments": lambda man: Enrolment.objects.filter(participant=man),
    "attendance_and_check_ins": lambda man: Attendance.objects.filter(participant=man),
    "safety_alerts": lambda man: SafetyAlert.objects.filter(participant=man),
    "follow_ups": lambda man: FollowUp.objects.filter(participant=man),
    "progress_reports": lambda man: ProgressReport.objects.filter(participant=man),
}


def _rows(queryset):
    return json.loads(serializers.serialize("json", queryset))


def everything_about(man):
    """A dict ready for json.dumps: his record, then each kind of row about him."""
    return {
        "participant": _rows([man])[0],
        **{name: _rows(read(man)) for name, read in HELD.items()},
    }
