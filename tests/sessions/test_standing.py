"""Standing against the completion rules, and the at-risk rules, on the presets."""

import datetime

import pytest

from participants.models import Participant
from programmes.models import Programme
from sessions import standing
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = datetime.date(2026, 11, 28)


def california():
    return Programme.objects.get_or_create(
        name="California 52 semanas",
        defaults=dict(
            required_sessions=52,
            session_minutes=120,
            allowed_excused_absences=3,
            allowed_unexcused_absences=0,
            report_interval_days=90,
        ),
    )[0]


def mexico():
    return Programme.objects.create(
        name="Modelo público México",
        required_sessions=25,
        session_minutes=150,
        max_consecutive_absences=3,
    )


def man_with(programme, statuses, start=datetime.date(2025, 1, 7)):
    """A man enrolled in a group of `programme` with one session per week per status."""
    group = factories.GroupFactory(programme=programme)
    man = factories.ParticipantFactory(site=group.site)
    factories.EnrolmentFactory(participant=man, group=group, start_date=start)
    factories.weekly_attendance(man, group, statuses, start)
    return man


def filtered_at_risk(today=TODAY):
    """The men the at-risk list picks: the annotated queryset filtered in SQL."""
    men = standing.with_standing(Participant.objects.all()).filter(standing.at_risk_q(today))
    return set(men.values_list("pk", flat=True))


def result(man):
    annotated = standing.with_standing(Participant.objects.filter(pk=man.pk)).get()
    return standing.standings([annotated], TODAY)[man.pk], annotated


def test_counts_are_computed_in_sql(db):
    man = man_with(mexico(), ["present", "excused", "present", "unexcused", "unexcused", "late"])
    _, annotated = result(man)
    assert (
        annotated.attended_count,
        annotated.excused_count,
        annotated.unexcused_count,
        annotated.consecutive_absences,
        annotated.first_sessions_absences,
        annotated.recorded_count,
    ) == (3, 1, 2, 0, 2, 6)


def test_consecutive_absences_count_since_the_last_attended_session(db):
    man = man_with(mexico(), ["present", "unexcused", "present", "excused", "unexcused"])
    assert result(man)[1].consecutive_absences == 2


def test_consecutive_absences_when_he_never_attended(db):
    man = man_with(mexico(), ["unexcused", "unexcused"])
    assert result(man)[1].consecutive_absences == 2


def test_california_one_unexcused_absence_is_out_of_compliance(db):
    man = man_with(california(), ["present"] * 10 + ["unexcused"] + ["present"])
    outcome, _ = result(man)
    assert outcome.code == standing.Standing.OUT_OF_COMPLIANCE
    assert outcome.reasons == ["1 unexcused absence, more than the 0 allowed"]


def test_california_three_excused_absences_are_at_the_limit_four_are_out(db):
    at_limit = man_with(california(), ["present"] * 10 + ["excused", "present"] * 3)
    outcome, _ = result(at_limit)
    assert outcome.code == standing.Standing.AT_RISK
    assert outcome.reasons == ["reached the 3 excused absences allowed"]
    over = man_with(california(), ["present"] * 10 + ["excused", "present"] * 4)
    assert result(over)[0].code == standing.Standing.OUT_OF_COMPLIANCE


def test_california_52_sessions_is_ready_to_complete(db):
    man = man_with(california(), ["present"] * 50 + ["excused"] + ["present"] * 2)
    outcome, _ = result(man)
    assert (outcome.code, outcome.reasons) == (
        standing.Standing.READY_TO_COMPLETE,
        ["52 of 52 sessions attended"],
    )


def test_mexico_25_sessions_is_ready_and_24_on_track(db):
    programme = mexico()
    assert result(man_with(programme, ["present"] * 25))[0].code == "ready"
    on_track = result(man_with(programme, ["present"] * 24))[0]
    assert (on_track.code, on_track.reasons) == ("on_track", ["24 of 25 sessions attended"])


def test_mexico_three_consecutive_absences_end_the_enrolment(db):
    man = man_with(mexico(), ["present"] * 9 + ["unexcused", "excused", "unexcused"])
    outcome, _ = result(man)
    assert outcome.code == "out_of_compliance"
    assert outcome.reasons == ["3 consecutive absences: the programme ends an enrolment at 3"]


def test_two_consecutive_absences_put_a_man_at_risk(db):
    man = man_with(mexico(), ["present"] * 9 + ["unexcused", "unexcused"])
    assert result(man)[0].reasons == ["2 consecutive absences"]


def test_a_newcomer_who_missed_one_of_his_first_four_sessions_is_at_risk(db):
    man = man_with(mexico(), ["present", "unexcused", "present"])
    outcome, _ = result(man)
    assert (outcome.code, outcome.reasons) == (
        "at_risk",
        ["a newcomer who missed 1 of his first 4 sessions"],
    )


def test_absence_after_the_first_four_sessions_is_not_a_newcomer_risk(db):
    man = man_with(mexico(), ["present"] * 4 + ["unexcused", "present"])
    assert result(man)[0].code == "on_track"


def test_a_referral_not_seen_in_14_days_is_at_risk(db):
    man = factories.ParticipantFactory(status="referred")
    factories.ReferralFactory(participant=man, referred_on=TODAY - datetime.timedelta(days=20))
    annotated = standing.with_standing(Participant.objects.filter(pk=man.pk)).get()
    assert standing.at_risk_reasons(annotated, TODAY) == ["referred 20 days ago and not seen yet"]
    assert standing.classify(annotated, None, TODAY).code == "not_enrolled"


def test_the_at_risk_filter_selects_the_same_men_as_the_reasons(db):
    programme = mexico()
    risky = man_with(programme, ["present"] * 5 + ["unexcused", "unexcused"])
    newcomer = man_with(programme, ["unexcused", "present"])
    steady = man_with(programme, ["present"] * 6)
    referred = factories.ParticipantFactory(status="referred")
    factories.ReferralFactory(participant=referred, referred_on=TODAY - datetime.timedelta(days=15))
    fresh = factories.ParticipantFactory(status="referred")
    factories.ReferralFactory(participant=fresh, referred_on=TODAY - datetime.timedelta(days=3))
    selected = {
        man.pk
        for man in standing.with_standing(Participant.objects.all())
        if standing.at_risk_reasons(man, TODAY)
    }
    assert selected == {risky.pk, newcomer.pk, referred.pk}
    assert steady.pk not in selected and fresh.pk not in selected
    # The at-risk list's filter in SQL picks exactly the same men.
    assert filtered_at_risk() == selected


def test_attendance_in_another_programme_does_not_count(db):
    man = man_with(mexico(), ["present"] * 3)
    other = Programme.objects.create(name="Otro", required_sessions=10)
    other_group = factories.GroupFactory(programme=other, site=man.site)
    session = factories.GroupSessionFactory(group=other_group, date=datetime.date(2024, 1, 1))
    factories.AttendanceFactory(session=session, participant=man, status="present")
    assert result(man)[1].attended_count == 3


def test_the_at_risk_filter_agrees_with_the_reasons_in_the_corners(db):
    """Referred long ago or lately, seen or not, enrolled with no session yet, seen only in
    another programme, two sessions on one day: the filter in SQL and the per-man reasons
    pick the same men."""
    programme = mexico()
    long_ago, lately = TODAY - datetime.timedelta(days=40), TODAY - datetime.timedelta(days=3)

    def referred(man, day):
        factories.ReferralFactory(participant=man, referred_on=day)
        return man

    men = [
        referred(man_with(programme, ["present"] * 6), long_ago),  # seen: safe
        referred(man_with(programme, ["present"] * 6 + ["excused", "unexcused"]), lately),
        referred(man_with(programme, []), long_ago),  # enrolled, no session yet
        referred(man_with(programme, ["excused"]), lately),  # a newcomer's absence
        referred(man_with(programme, ["present"] * 9 + ["excused"]), long_ago),  # one only
        referred(man_with(programme, ["present"] * 9 + ["excused"]), lately),
        referred(man_with(programme, ["present", "present"] + ["excused"] * 7), lately),
    ]
    # Seen only in another programme, referred long ago: not seen in his own.
    elsewhere = referred(man_with(programme, []), long_ago)
    other = Programme.objects.create(name="Otro", required_sessions=10)
    other_group = factories.GroupFactory(programme=other)
    session = factories.GroupSessionFactory(group=other_group, date=datetime.date(2025, 3, 4))
    factories.AttendanceFactory(session=session, participant=elsewhere, status="present")
    # A second session on the day of his last one, where he was absent, then present.
    tied = referred(man_with(programme, ["present"] * 5 + ["unexcused"]), long_ago)
    last = tied.attendances.select_related("session").order_by("-session__date").first()
    extra = factories.GroupSessionFactory(
        group=last.session.group, date=last.session.date, start_time=datetime.time(20, 0)
    )
    factories.AttendanceFactory(session=extra, participant=tied, status="present")
    men += [elsewhere, tied]
    annotated = standing.with_standing(Participant.objects.all())
    by_reasons = {man.pk for man in annotated if standing.at_risk_reasons(man, TODAY)}
    set_based = filtered_at_risk()
    assert set_based == by_reasons
    assert {men[1].pk, men[2].pk, men[3].pk, elsewhere.pk} <= set_based
    assert not {men[0].pk, men[4].pk, men[5].pk} & set_based
