import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_q.models import Task
from django_q.tasks import async_task

from gendes.audit.models import AuditEvent
from participants.models import FollowUp, PartnerContact, PartnerContactEntry
from programmes.models import Topic
from sessions.messaging.schedules import set_up as set_up_schedules
from sessions.models import Attendance, CheckIn, GroupSession, SafetyAlert
from tests import factories
from tests.helpers import count_queries, queries_with_1_and_3

pytestmark = pytest.mark.django_db


def a_session():
    session = factories.GroupSessionFactory(recorded_by=factories.UserFactory())
    factories.AttendanceFactory(session=session)
    factories.AttendanceFactory(session=session, status="unexcused", violence="")
    return session


def a_check_in():
    return factories.AttendanceFactory(
        violence="yes", violence_physical=True, violence_verbal=True, safety_flag=True
    )


def an_alert():
    attendance = a_check_in()
    return SafetyAlert.objects.create(
        session=attendance.session,
        participant=attendance.participant,
        physical=True,
        raised_by=factories.UserFactory(),
    )


def an_acknowledged_alert():
    alert = an_alert()
    alert.acknowledged_by = factories.UserFactory()
    alert.acknowledged_at = timezone.now()
    alert.save()
    return alert


ROWS = {
    "group_sessions_groupsession": a_session,
    "group_sessions_attendance": a_check_in,
    "group_sessions_checkin": a_check_in,
    "group_sessions_safetyalert": an_acknowledged_alert,
}


@pytest.mark.parametrize("name", ROWS)
def test_changelist_queries_do_not_grow_with_rows(root, name):
    one, three = queries_with_1_and_3(root, reverse(f"admin:{name}_changelist"), ROWS[name])
    assert one == three
    assert three <= 11  # the audit event of what is shown included


def test_session_change_page_queries_do_not_grow_with_attendance(root):
    session = factories.GroupSessionFactory()
    topic = Topic.objects.create(programme=session.group.programme, title="La retirada")
    session.topics.add(topic)
    session.facilitators.add(factories.facilitator_of(session.group))
    factories.AttendanceFactory(session=session, violence="yes", violence_physical=True)
    url = reverse("admin:group_sessions_groupsession_change", args=[session.pk])
    root.get(url)
    one = count_queries(root, url)
    for _ in range(7):
        factories.AttendanceFactory(session=session, reflection="Me retiré a tiempo.")
        factories.AttendanceFactory(session=session, status="excused", violence="")
    fifteen = count_queries(root, url)
    assert session.attendances.count() == 15
    assert one == fifteen
    assert fifteen <= 12


def test_session_page_offers_only_its_programmes_topics(cast, login_as):
    mine = Topic.objects.create(programme=cast.group_a.programme, title="La retirada")
    other = factories.ProgrammeFactory(name="California 52 semanas")
    Topic.objects.create(programme=other, title="Celos")
    url = reverse("admin:group_sessions_groupsession_change", args=[cast.session_a.pk])
    form = login_as(cast.admin).get(url).context["adminform"].form
    assert list(form.fields["topics"].queryset) == [mine]


def test_session_attendance_inline_shows_the_check_in(cast, login_as):
    attendance = factories.AttendanceFactory(
        session=cast.session_a, participant=cast.man_a, violence="yes", violence_verbal=True
    )
    url = reverse("admin:group_sessions_groupsession_change", args=[cast.session_a.pk])
    client = login_as(cast.admin)
    response = client.get(url)
    assert (
        '<input type="checkbox" name="attendances-0-violence_verbal" '
        'id="id_attendances-0-violence_verbal" checked>'
    ) in response.text
    assert (
        f'href="/admin/participants/participant/{cast.man_a.pk}/change/">SA-0001' in response.text
    )
    # The row's man is changed on the row's own page, which the row links to.
    row_page = reverse("admin:group_sessions_attendance_change", args=[attendance.pk])
    assert f'href="{row_page}" class="inlinechangelink"' in response.text
    assert f'<option value="{cast.man_a.pk}" selected>SA-0001</option>' in client.get(row_page).text


# Check-ins


def test_check_in_list_shows_only_men_who_were_there(cast, login_as):
    present = factories.AttendanceFactory(session=cast.session_a, participant=cast.man_a)
    late = factories.AttendanceFactory(session=cast.session_b, participant=cast.man_b)
    late.status = "late"
    late.save()
    factories.AttendanceFactory(session=cast.session_b, status="excused", violence="")
    response = login_as(cast.admin).get(reverse("admin:group_sessions_checkin_changelist"))
    shown = list(response.context["cl"].result_list)
    assert sorted(row.pk for row in shown) == sorted([present.pk, late.pk])
    assert Attendance.objects.count() == 3


def test_check_in_list_filters_by_violence_and_safety_flag(cast, login_as):
    a_check_in()
    calm = factories.AttendanceFactory(violence="no")
    client = login_as(cast.admin)
    url = reverse("admin:group_sessions_checkin_changelist")
    flagged = client.get(url, {"safety_flag__exact": "1"}).context["cl"].result_list
    assert [row.safety_flag for row in flagged] == [True]
    said_no = client.get(url, {"violence__exact": "no"}).context["cl"].result_list
    assert [row.pk for row in said_no] == [calm.pk]


def test_check_in_list_names_the_kinds_of_violence(cast, login_as):
    a_check_in()
    url = reverse("admin:group_sessions_checkin_changelist")
    response = login_as(cast.admin).get(url, headers={"accept-language": "en"})
    assert '<td class="field-violence_kinds">Verbal, Physical</td>' in response.text


def test_check_in_form_offers_only_attended_statuses(cast, login_as):
    attendance = factories.AttendanceFactory(session=cast.session_a, participant=cast.man_a)
    url = reverse("admin:group_sessions_checkin_change", args=[attendance.pk])
    form = login_as(cast.admin).get(url).context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["present", "late"]


# Safety alerts


def test_alert_list_puts_open_alerts_first(cast, login_as):
    acknowledged_new = an_acknowledged_alert()
    open_old = an_alert()
    SafetyAlert.objects.filter(pk=open_old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    open_new = an_alert()
    response = login_as(cast.admin).get(reverse("admin:group_sessions_safetyalert_changelist"))
    shown = [alert.pk for alert in response.context["cl"].result_list]
    assert shown == [open_new.pk, open_old.pk, acknowledged_new.pk]


def test_acknowledge_action_acknowledges_only_open_alerts_as_the_admin(cast, login_as):
    earlier = an_acknowledged_alert()
    before = (earlier.acknowledged_by, earlier.acknowledged_at)
    first, second = an_alert(), an_alert()
    url = reverse("admin:group_sessions_safetyalert_changelist")
    response = login_as(cast.admin).post(
        url,
        {"action": "acknowledge", "_selected_action": [earlier.pk, first.pk, second.pk]},
    )
    assert response.status_code == 302
    for alert in [first, second]:
        alert.refresh_from_db()
        assert alert.acknowledged_by == cast.admin
        assert timezone.now() - alert.acknowledged_at < datetime.timedelta(minutes=1)
    earlier.refresh_from_db()
    assert (earlier.acknowledged_by, earlier.acknowledged_at) == before
    assert SafetyAlert.objects.open().count() == 0


def test_acknowledge_action_leaves_unselected_alerts_open(cast, login_as):
    chosen, other = an_alert(), an_alert()
    url = reverse("admin:group_sessions_safetyalert_changelist")
    login_as(cast.admin).post(url, {"action": "acknowledge", "_selected_action": [chosen.pk]})
    assert list(SafetyAlert.objects.open()) == [other]


def test_acknowledge_action_needs_the_change_permission(cast, login_as):
    viewer = factories.UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_safetyalert"))
    alert = an_alert()
    url = reverse("admin:group_sessions_safetyalert_changelist")
    login_as(viewer).post(url, {"action": "acknowledge", "_selected_action": [alert.pk]})
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


# Every admin page


@pytest.fixture
def every_kind_of_row(cast):
    """At least one row of each registered model, so that change pages can be opened too."""
    attendance = factories.AttendanceFactory(session=cast.session_a, participant=cast.man_a)
    SafetyAlert.objects.create(
        session=cast.session_a, participant=cast.man_a, flagged=True, raised_by=cast.facilitator
    )
    Topic.objects.create(programme=cast.group_a.programme, title="La retirada")
    factories.ReferralFactory(participant=cast.man_a)
    FollowUp.objects.create(
        participant=cast.man_a,
        contacted_on=datetime.date(2026, 3, 4),
        channel="phone",
        outcome="no_answer",
        created_by=cast.coordinator,
    )
    contact = PartnerContact.objects.create(participant=cast.man_a)
    PartnerContactEntry.objects.create(
        partner_contact=contact, contacted_on=datetime.date(2026, 3, 4), created_by=cast.partner
    )
    AuditEvent.objects.create(user=cast.admin, username="root", action="view")
    AuthGroup.objects.create(name="Coordinación")
    # The lockout's records (django-axes): an attempt, its failure and a login.
    AccessAttempt.objects.create(
        username="coord_a", ip_address="203.0.113.7", failures_since_start=1
    )
    AccessFailureLog.objects.create(username="coord_a", ip_address="203.0.113.7")
    AccessLog.objects.create(username="coord_a", ip_address="203.0.113.7")
    # The task engine's own records: a schedule, a task that ran, one that failed, one queued.
    set_up_schedules()
    for success in (True, False):
        Task.objects.create(
            id=f"task-{success}",
            name=f"t{success}",
            func="math.floor",
            started=timezone.now(),
            stopped=timezone.now(),
            success=success,
        )
    async_task("math.floor", 1.5)
    from sessions.reports.progress.services import issue_report

    issue_report(participant=cast.man_a, by=cast.coordinator)
    return attendance


def test_superuser_opens_every_admin_list_add_and_change_page(cast, login_as, every_kind_of_row):
    client = login_as(cast.admin)
    request = RequestFactory().get("/admin/")
    request.user = cast.admin
    assert CheckIn in admin.site._registry and GroupSession in admin.site._registry
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, name
        add = client.get(reverse(f"{name}_add")).status_code
        assert add == (200 if model_admin.has_add_permission(request) else 403), name
        obj = model_admin.get_queryset(request).first()
        assert obj is not None, name
        assert client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200, name


def a_partner_contact():
    return PartnerContact.objects.create(participant=factories.ParticipantFactory())


AUTOCOMPLETES = {
    # field with an autocomplete: a maker of the rows it offers
    ("group_sessions", "attendance", "session"): a_session,
    ("group_sessions", "attendance", "participant"): factories.ParticipantFactory,
    ("group_sessions", "groupsession", "group"): factories.GroupFactory,
    ("group_sessions", "groupsession", "facilitators"): factories.UserFactory,
    ("participants", "partnercontactentry", "partner_contact"): lambda: (
        PartnerContact.objects.create(participant=factories.ParticipantFactory())
    ),
}


@pytest.mark.parametrize("source", AUTOCOMPLETES)
def test_autocomplete_queries_do_not_grow_with_results(root, source):
    app_label, model_name, field_name = source
    url = reverse("admin:autocomplete") + (
        f"?app_label={app_label}&model_name={model_name}&field_name={field_name}"
    )
    AUTOCOMPLETES[source]()
    root.get(url)
    one = count_queries(root, url)
    AUTOCOMPLETES[source]()
    AUTOCOMPLETES[source]()
    three = count_queries(root, url)
    assert len(root.get(url).json()["results"]) >= 3
    assert one == three
    assert three <= 6
