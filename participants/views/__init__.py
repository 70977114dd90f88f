from .audit_trail import audit_trail
from .detail import participant_detail
from .enrolments import enrolment_close, enrolment_new, enrolment_transfer, intake_edit
from .followups import follow_up_new
from .lists import at_risk_list, participant_list
from .referrals import referral_new

__all__ = [
    "at_risk_list",
    "audit_trail",
    "enrolment_close",
    "enrolment_new",
    "enrolment_transfer",
    "follow_up_new",
    "intake_edit",
    "participant_detail",
    "participant_list",
    "referral_new",
]
