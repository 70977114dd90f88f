"""A facilitator sees only what happened in the groups he runs: after a transfer, the man's
page shows each facilitator the check-ins (and the enrolment) of his own group only, while
the coordinators of the site and admins see all of it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participants import services
from participants.models import Enrolment
from tests import factories

pytestmark = pytest.mark.django_db

BEFORE = "Reflexión en Martes A, antes del cambio"
AFTER = "Reflexión en el grupo nuevo, después del cambio"


def checked_in(group, man, day, reflection, **answers):
    session = factories.GroupSessionFactory(
        group=group, date=day, state="recorded", recorded_at=timezone.now()
    )
    factories.AttendanceFactory(session=session, participant=man, reflection=reflection, **answers)
    return session


def moved(cast, to_group):
    """man_a checked in at Martes A, then transferred to `to_group` and checked in there
    (reporting physical violence). Another site's group (which the service refuses) is
    entered as an admin would, closing one enrolment and opening the other."""
    before = checked_in(cast.group_a, cast.man_a, datetime.date(2026, 1, 6), BEFORE)
    enrolment = Enrolment.objects.get(participant=cast.man_a)
    day = datetime.date(2026, 2, 1)
    if to_group.site_id == cast.site_a.pk:
        services.transfer(
            enrolment=enrolment, to_group=to_group, date=day, reason="", by=cast.admin
        )
    else:
        Enrolment.objects.filter(pk=enrolment.pk).update(end_date=day, exit_status="transferred")
        factories.EnrolmentFactory(participant=cast.man_a, group=to_group, start_date=day)
    after = checked_in(
        to_group,
        cast.man_a,
        datetime.date(2026, 2, 5),
        AFTER,
        violence="yes",
        violence_physical=True,
    )
    return before, after


@pytest.fixture
def same_site(cast):
    """The man moved to another group of his site, "Jueves A", run by another facilitator."""
    jueves = factories.GroupFactory(site=cast.site_a, name="Jueves A")
    other = factories.facilitator_of(jueves, factories.UserFactory(username="fac_a2"))
    before, after = moved(cast, jueves)
    return jueves, other, before, after


def his_page(client, cast):
    response = client.get(reverse("participants:detail", args=[cast.man_a.pk]))
    assert response.status_code == 200
    return response


def shown(response):
    """The sessions of the timeline, the groups of the enrolments, and the page's text."""
    return (
        [a.session.pk for a in response.context["attendances"]],
        [e.group.name for e in response.context["enrolments"]],
        response.content.decode(),
    )


def test_former_facilitator_sees_only_his_groups_check_ins_after_a_transfer(
    cast, login_as, same_site
):
    jueves, _other, before, after = same_site
    sessions, groups, html = shown(his_page(login_as(cast.facilitator), cast))
    assert sessions == [before.pk]
    assert groups == ["Martes A"]
    assert BEFORE in html
    assert AFTER not in html
    assert reverse("sessions:detail", args=[after.pk]) not in html
    assert jueves.get_absolute_url() not in html
    # The violence reported in the other group is not his to see either.
    summary = his_page(login_as(cast.facilitator), cast).context["summary"]
    assert summary["weeks_since_violence"] is None


def test_new_facilitator_sees_only_what_happened_in_his_group(cast, login_as, same_site):
    _jueves, other, before, after = same_site
    sessions, groups, html = shown(his_page(login_as(other), cast))
    assert sessions == [after.pk]
    assert groups == ["Jueves A"]
    assert AFTER in html and BEFORE not in html
    assert reverse("sessions:detail", args=[before.pk]) not in html


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_coordinator_of_the_site_and_admin_see_both_groups(cast, login_as, same_site, who):
    _jueves, _other, before, after = same_site
    sessions, groups, html = shown(his_page(login_as(getattr(cast, who)), cast))
    assert sessions == [after.pk, before.pk]
    assert groups == ["Jueves A", "Martes A"]  # newest first
    assert BEFORE in html and AFTER in html


def test_facilitator_of_the_other_site_sees_only_his_group_after_a_move_there(cast, login_as):
    before, after = moved(cast, cast.group_b)
    sessions, groups, html = shown(his_page(login_as(cast.outsider), cast))
    assert (sessions, groups) == ([after.pk], ["Jueves B"])
    assert BEFORE not in html
    sessions, groups, html = shown(his_page(login_as(cast.facilitator), cast))
    assert (sessions, groups) == ([before.pk], ["Martes A"])
    assert AFTER not in html


def test_the_standing_counts_stay_those_of_his_whole_programme(cast, login_as, same_site):
    # The figures that decide his standing count every session of his programme, for all
    # who see him: only the check-ins themselves are kept to their group.
    for who in (cast.facilitator, cast.coordinator):
        assert his_page(login_as(who), cast).context["summary"]["attended"] == 2
