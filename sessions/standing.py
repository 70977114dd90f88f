"""A man's standing against his programme's completion rules, and who is at risk of dropping
out. The one place this logic lives: `with_standing` annotates the counts, defined once in a
database view (`models.StandingCounts`), on a Participant queryset; `classify` and
`at_risk_reasons` turn them into a standing with its reasons, and `at_risk_q` filters an
annotated queryset by the same rules."""

import dataclasses
import datetime

from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from participants.models import Participant

NEWCOMER_SESSIONS = 4
CONSECUTIVE_AT_RISK = 2
REFERRAL_NOT_SEEN_DAYS = 14


class Standing:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OUT_OF_COMPLIANCE = "out_of_compliance"
    READY_TO_COMPLETE = "ready"
    NOT_ENROLLED = "not_enrolled"

    LABELS = {
        ON_TRACK: gettext_lazy("On track"),
        AT_RISK: gettext_lazy("At risk"),
        OUT_OF_COMPLIANCE: gettext_lazy("Out of compliance"),
        READY_TO_COMPLETE: gettext_lazy("Ready to complete"),
        NOT_ENROLLED: gettext_lazy("Not enrolled"),
    }


# What `with_standing` annotates on a man, read from the `StandingCounts` view.
COUNTS = [
    "recorded_count",
    "attended_count",
    "late_count",
    "excused_count",
    "unexcused_count",
    "consecutive_absences",
    "first_sessions_absences",
    "last_attended_on",
    "first_referred_on",
    "last_follow_up_on",
]


def with_standing(participants):
    """Annotate a Participant queryset with the counts that decide his standing, from the
    `StandingCounts` view (the one definition; see its migration): the enrolment that counts and
    its programme (`standing_enrolment_id`, `standing_programme_id`) and the `COUNTS`."""
    return participants.annotate(
        standing_enrolment_id=F("standing_counts__enrolment_id"),
        standing_programme_id=F("standing_counts__programme_id"),
        **{name: F(f"standing_counts__{name}") for name in COUNTS},
    )


def of_men(ids, participants=None):
    """`with_standing` for the men of `ids` (of `participants`, all men by default). The ids
    go to the view's own column: the database then counts just these men, where a filter on
    the men themselves would have it count everyone first."""
    men = Participant.objects.all() if participants is None else participants
    return with_standing(men.filter(standing_counts__participant_id__in=list(ids)))


@dataclasses.dataclass
class StandingResult:
    code: str
    reasons: list
    # The annotated man it was decided from (his counts, for the pages that show them).
    counts: object = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def label(self):
        return Standing.LABELS[self.code]


def classify(man, programme, today):
    """The standing of a man annotated by `with_standing`, against `programme`'s rules."""
    result = _decide(man, programme, today)
    result.counts = man
    return result


def _decide(man, programme, today):
    if man.standing_enrolment_id is None or programme is None:
        return StandingResult(Standing.NOT_ENROLLED, [])
    out = []
    unexcused, allowed_unexcused = man.unexcused_count, programme.allowed_unexcused_absences
    if allowed_unexcused is not None and unexcused > allowed_unexcused:
        out.append(
            ngettext(
                "%(count)d unexcused absence, more than the %(allowed)d allowed",
                "%(count)d unexcused absences, more than the %(allowed)d allowed",
                unexcused,
            )
            % {"count": unexcused, "allowed": allowed_unexcused}
        )
    excused, allowed_excused = man.excused_count, programme.allowed_excused_absences
    if allowed_excused is not None and excused > allowed_excused:
        out.append(
            ngettext(
                "%(count)d excused absence, more than the %(allowed)d allowed",
                "%(count)d excused absences, more than the %(allowed)d allowed",
                excused,
            )
            % {"count": excused, "allowed": allowed_excused}
        )
    limit = programme.max_consecutive_absences
    if limit is not None and man.consecutive_absences >= limit:
        out.append(
            ngettext(
                "%(count)d consecutive absence: the programme ends an enrolment at %(allowed)d",
                "%(count)d consecutive absences: the programme ends an enrolment at %(allowed)d",
                man.consecutive_absences,
            )
            % {"count": man.consecutive_absences, "allowed": limit}
        )
    if out:
        return StandingResult(Standing.OUT_OF_COMPLIANCE, out)
    if man.attended_count >= programme.required_sessions:
        return StandingResult(
            Standing.READY_TO_COMPLETE,
            [
                _("%(count)d of %(required)d sessions attended")
                % {"count": man.attended_count, "required": programme.required_sessions}
            ],
        )
    risks = at_risk_reasons(man, today)
    if allowed_unexcused and unexcused == allowed_unexcused:
        risks.append(
            _("reached the %(allowed)d unexcused absences allowed") % {"allowed": unexcused}
        )
    if allowed_excused and excused == allowed_excused:
        risks.append(_("reached the %(allowed)d excused absences allowed") % {"allowed": excused})
    if risks:
        return StandingResult(Standing.AT_RISK, risks)
    return StandingResult(
        Standing.ON_TRACK,
        [
            _("%(count)d of %(required)d sessions attended")
            % {"count": man.attended_count, "required": programme.required_sessions}
        ],
    )


def at_risk_reasons(man, today):
    """Why a man annotated by `with_standing` is at risk of dropping out (empty: he is not)."""
    reasons = []
    if man.consecutive_absences >= CONSECUTIVE_AT_RISK:
        reasons.append(
            ngettext(
                "%(count)d consecutive absence",
                "%(count)d consecutive absences",
                man.consecutive_absences,
            )
            % {"count": man.consecutive_absences}
        )
    if man.recorded_count <= 2 * NEWCOMER_SESSIONS and man.first_sessions_absences:
        reasons.append(
            _("a newcomer who missed %(count)d of his first %(first)d sessions")
            % {"count": man.first_sessions_absences, "first": NEWCOMER_SESSIONS}
        )
    if (
        man.attended_count == 0
        and man.first_referred_on is not None
        and (today - man.first_referred_on).days > REFERRAL_NOT_SEEN_DAYS
    ):
        reasons.append(
            _("referred %(days)d days ago and not seen yet")
            % {"days": (today - man.first_referred_on).days}
        )
    return reasons


def at_risk_q(today):
    """The men at risk of dropping out, by the same three rules as `at_risk_reasons`, as a
    filter on a queryset annotated by `with_standing`: two consecutive absences now, a
    newcomer (at most 8 sessions) who missed one of his first 4, or referred over 14 days ago
    and not seen yet in the programme of his enrolment."""
    cutoff = today - datetime.timedelta(days=REFERRAL_NOT_SEEN_DAYS)
    return (
        Q(consecutive_absences__gte=CONSECUTIVE_AT_RISK)
        | Q(recorded_count__lte=2 * NEWCOMER_SESSIONS, first_sessions_absences__gt=0)
        | Q(attended_count=0, first_referred_on__lt=cutoff)
    )


def standings(men, today, *, programmes=None):
    """Classify a list of annotated men: one query for their programmes, none when
    `programmes` ({id: Programme}) holds them all."""
    from programmes.models import Programme

    wanted = {m.standing_programme_id for m in men} - {None}
    if programmes is None or not wanted <= programmes.keys():
        programmes = Programme.objects.in_bulk(wanted)
    return {m.pk: classify(m, programmes.get(m.standing_programme_id), today) for m in men}
