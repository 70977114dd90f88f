"""One definition of a man's standing (`standing.with_standing`), read by every page: his
page, the participant list, the at-risk list and his progress report show the same figures in
the cases that once needed copies kept in agreement: a programme change, a transfer, a closed
enrolment and no enrolment."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participants import services as participant_services
from programmes.models import Programme
from sessions.reports.progress.selectors import current_report
from tests import factories
from tests.helpers import search_participants

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

START = datetime.date(2026, 6, 2)  # a Tuesday


def programme(name, required=25):
    return Programme.objects.create(name=name, required_sessions=required, session_minutes=150)


@pytest.fixture
def setting(cast):
    cast.first = programme("Primero")
    cast.second = programme("Segundo")
    cast.old_group = factories.GroupFactory(site=cast.site_a, programme=cast.first, name="Uno")
    cast.new_group = factories.GroupFactory(site=cast.site_a, programme=cast.second, name="Dos")
    cast.same_group = factories.GroupFactory(site=cast.site_a, programme=cast.first, name="Tres")
    return cast


def transferred(cast, code, before, to_group, after):
    """A man of `cast.old_group` with a session a week per status of `before`, then
    transferred to `to_group`, with one per status of `after` there."""
    man = factories.ParticipantFactory(site=cast.site_a, code=code, status="active")
    enrolment = factories.EnrolmentFactory(participant=man, group=cast.old_group, start_date=START)
    factories.weekly_attendance(man, cast.old_group, before, START)
    moved = START + datetime.timedelta(weeks=len(before))
    participant_services.transfer(
        enrolment=enrolment, to_group=to_group, date=moved, reason="horario", by=cast.admin
    )
    factories.weekly_attendance(man, to_group, after, moved)
    return man


def changed_programme(cast):
    """Five sessions in one programme, then transferred to another: two present, one late,
    one unexcused there (a newcomer's absence there)."""
    return transferred(
        cast, "SA-0101", ["present"] * 5, cast.new_group, ["present", "late", "unexcused"]
    )


def transferred_in_programme(cast):
    """Three sessions, transferred to another group of the same programme, two present and
    two unexcused there: all count, and the last two are in a row."""
    after = ["present", "present", "unexcused", "unexcused"]
    return transferred(cast, "SA-0102", ["present"] * 3, cast.same_group, after)


def closed_enrolment(cast):
    """Six sessions, then dropped out: his closed enrolment is the one that counts (his
    status keeps him off the at-risk list)."""
    man = factories.ParticipantFactory(site=cast.site_a, code="SA-0103", status="dropped_out")
    enrolment = factories.EnrolmentFactory(participant=man, group=cast.old_group, start_date=START)
    factories.weekly_attendance(
        man, cast.old_group, ["present"] * 4 + ["excused", "present"], START
    )
    enrolment.end_date, enrolment.exit_status = START + datetime.timedelta(weeks=6), "dropped_out"
    enrolment.save()
    return man


def never_enrolled(cast):
    """Referred 20 days ago, not enrolled yet."""
    man = factories.ParticipantFactory(site=cast.site_a, code="SA-0104", status="referred")
    factories.ReferralFactory(
        participant=man, referred_on=timezone.localdate() - datetime.timedelta(days=20)
    )
    return man


# case: (attended, late, excused, unexcused, consecutive absences, standing, at risk)
CASES = {
    changed_programme: (2, 1, 0, 1, 1, "at_risk", True),
    transferred_in_programme: (5, 0, 0, 2, 2, "at_risk", True),
    closed_enrolment: (5, 0, 1, 0, 0, "on_track", False),
    never_enrolled: (0, 0, 0, 0, 0, "not_enrolled", True),
}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_every_page_reads_the_one_definition(setting, login_as, case):
    man = case(setting)
    attended, late, excused, unexcused, consecutive, code, at_risk = CASES[case]
    client = login_as(setting.coordinator)

    page = client.get(reverse("participants:detail", args=[man.pk])).context
    summary = page["summary"]
    assert (
        summary["attended"],
        summary["late"],
        summary["excused"],
        summary["unexcused"],
        summary["consecutive_absences"],
        page["standing"].code,
    ) == (attended, late, excused, unexcused, consecutive, code)

    listed = search_participants(client, man.code).context["page"]
    assert [(m.code, m.standing.code, m.attended_count) for m in listed.object_list] == [
        (man.code, code, attended)
    ]

    risky = client.get(reverse("participants:at_risk")).context["page"].object_list
    assert (man.code in [m.code for m in risky]) is at_risk

    report = current_report(man, user=setting.coordinator)
    if code == "not_enrolled":
        assert report is None
    else:
        assert (report.attended, report.excused, report.unexcused) == (
            attended,
            excused,
            unexcused,
        )
        assert (report.consecutive_absences, report.standing) == (consecutive, code)
