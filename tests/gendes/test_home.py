"""The role-aware home page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=7)


def test_facilitator_sees_his_groups_and_this_weeks_sessions(cast, login_as):
    cast.session_a.date = timezone.localdate()
    cast.session_a.save()
    html = login_as(cast.facilitator).get(reverse("home")).content.decode()
    assert "Martes A" in html
    assert cast.session_a.get_absolute_url() in html
    assert "Jueves B" not in html


def test_coordinator_sees_his_sites_groups_and_open_alerts(cast, login_as):
    from sessions.models import SafetyAlert

    SafetyAlert.objects.create(session=cast.session_a, participant=cast.man_a, physical=True)
    SafetyAlert.objects.create(session=cast.session_b, participant=cast.man_b, physical=True)
    html = login_as(cast.coordinator).get(reverse("home")).content.decode()
    assert "Martes A" in html and "Jueves B" not in html
    assert "SA-0001" in html and "SB-0001" not in html


def test_partner_support_worker_sees_partner_contacts_not_groups(cast, login_as):
    from participants.models import PartnerContact

    PartnerContact.objects.create(participant=cast.man_a, consent_to_contact=True)
    PartnerContact.objects.create(participant=cast.man_b, consent_to_contact=True)
    response = login_as(cast.partner).get(reverse("home"))
    html = response.content.decode()
    assert [c.participant.code for c in response.context["partner_contacts"]] == ["SA-0001"]
    assert "Martes A" not in html


def test_admin_gets_a_link_to_the_admin_site(cast, login_as):
    html = login_as(cast.admin).get(reverse("home")).content.decode()
    assert reverse("admin:index") in html


def test_user_without_role_is_told_to_ask_for_one(db, login_as):
    user = factories.UserFactory()
    response = login_as(user).get(reverse("home"))
    assert response.context["has_role"] is False


def _count_home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries)


def _add_groups(user, site, count):
    for _ in range(count):
        group = factories.GroupFactory(site=site)
        factories.facilitator_of(group, user)
        factories.GroupSessionFactory(group=group, date=timezone.localdate())
        # One unrecorded past session per group, for the "not recorded yet" list.
        factories.GroupSessionFactory(group=group, date=timezone.localdate() - WEEK)
        factories.EnrolmentFactory(group=group, participant__site=site)


def test_facilitator_home_makes_the_same_queries_for_1_and_10_groups(db, login_as):
    site = factories.SiteFactory()
    one, ten = factories.UserFactory(), factories.UserFactory()
    _add_groups(one, site, 1)
    _add_groups(ten, site, 10)
    # The sixth query is the list of sessions not recorded yet.
    assert _count_home_queries(login_as(one)) == _count_home_queries(login_as(ten)) == 6


def test_coordinator_home_makes_the_same_queries_for_1_and_3_groups(db, login_as):
    site_one, site_three = factories.SiteFactory(), factories.SiteFactory()
    for site, count in ((site_one, 1), (site_three, 3)):
        for _ in range(count):
            group = factories.GroupFactory(site=site)
            factories.EnrolmentFactory(group=group)
            factories.GroupSessionFactory(group=group, date=timezone.localdate() - WEEK)
    one = factories.coordinator_of(site_one)
    three = factories.coordinator_of(site_three)
    # The sixth query is the sites' sessions not recorded yet; the seventh, his second
    # factor (django-otp reads the device the login was verified with).
    assert _count_home_queries(login_as(one)) == _count_home_queries(login_as(three)) == 7


@pytest.mark.parametrize(
    "who,shown,hidden",
    [
        (
            "coordinator",
            ["reports:dashboard", "participants:at_risk", "participants:list"],
            ["partner:list"],
        ),
        (
            "facilitator",
            ["participants:list", "sessions:my_week"],
            ["reports:dashboard", "partner:list"],
        ),
        ("partner", ["partner:list"], ["participants:list", "reports:dashboard"]),
    ],
)
def test_the_menu_offers_each_role_its_pages_only(cast, login_as, who, shown, hidden):
    html = login_as(getattr(cast, who)).get(reverse("home")).content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    for name in shown:
        assert f'href="{reverse(name)}"' in nav, name
    for name in hidden:
        assert f'href="{reverse(name)}"' not in nav, name


def test_unrecorded_past_sessions_are_listed_with_the_days_since(cast, login_as, english):
    today = cast.site_a.today()
    GroupSession = type(cast.session_a)
    GroupSession.objects.all().delete()
    late = factories.GroupSessionFactory(group=cast.group_a, date=today - WEEK)
    factories.GroupSessionFactory(group=cast.group_a, date=today - 2 * WEEK, state="cancelled")
    factories.GroupSessionFactory(group=cast.group_b, date=today - WEEK)  # not his group
    factories.GroupSessionFactory(group=cast.group_a, date=today + WEEK)  # still to come
    response = login_as(cast.facilitator).get(reverse("home"))
    assert [(s.pk, s.days_since) for s in response.context["to_record"]] == [(late.pk, 7)]
    assert "7 days ago" in response.content.decode()
    coordinator = login_as(cast.coordinator).get(reverse("home"))
    assert [s.pk for s in coordinator.context["site_unrecorded"]] == [late.pk]
    assert "Unrecorded sessions at my sites" in coordinator.content.decode()


def test_partner_support_worker_sees_alerts_and_endings_of_her_men_without_texts(
    cast, login_as, english
):
    from participants.models import PartnerContact
    from sessions.models import SafetyAlert

    today = cast.site_a.today()
    contact = PartnerContact.objects.create(participant=cast.man_a, consent_to_contact=True)
    PartnerContact.objects.create(participant=cast.man_b, consent_to_contact=True)
    cast.session_a.date = today - WEEK
    cast.session_a.save()
    factories.AttendanceFactory(
        session=cast.session_a,
        participant=cast.man_a,
        violence="yes",
        violence_physical=True,
        reflection="La empujé en la cocina",
    )
    SafetyAlert.objects.create(session=cast.session_a, participant=cast.man_a, physical=True)
    SafetyAlert.objects.create(session=cast.session_b, participant=cast.man_b, sexual=True)
    enrolment = cast.man_a.enrolments.get()
    enrolment.end_date, enrolment.exit_status = today, "dropped_out"
    enrolment.save()
    response = login_as(cast.partner).get(reverse("home"))
    assert response.context["partner_notices"] == [
        {"date": today, "code": "SA-0001", "contact_id": contact.pk, "what": "Dropped out"},
        {
            "date": today - WEEK,
            "code": "SA-0001",
            "contact_id": contact.pk,
            "what": "Safety alert: Physical violence reported",
        },
    ]
    html = response.content.decode()
    assert "La empujé" not in html and "SB-0001" not in html
