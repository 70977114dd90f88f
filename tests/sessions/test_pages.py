"""The group page, a man's page, the week, and the coordinator's schedule changes."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gendes.audit.models import AuditEvent
from sessions.models import GroupSession, SafetyAlert
from tests import factories
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def _group_with(men_count, sessions_count=3):
    group = factories.GroupFactory()
    user = factories.facilitator_of(group)
    men = [
        factories.EnrolmentFactory(group=group, participant__site=group.site).participant
        for _ in range(men_count)
    ]
    for n in range(sessions_count):
        session = factories.GroupSessionFactory(
            group=group,
            date=datetime.date(2026, 3, 3) + datetime.timedelta(weeks=n),
            state="recorded",
            recorded_at=timezone.now(),
        )
        for man in men:
            factories.AttendanceFactory(session=session, participant=man)
    return group, user, men


def test_group_page_shows_each_mans_last_sessions_and_topics(cast, login_as):
    from programmes.models import Topic

    topic = Topic.objects.create(programme=cast.group_a.programme, title="La retirada")
    session = cast.session_a
    session.state, session.recorded_at = "recorded", timezone.now()
    session.save()
    session.topics.add(topic)
    factories.AttendanceFactory(
        session=session, participant=cast.man_a, status="unexcused", violence=""
    )
    response = login_as(cast.facilitator).get(
        reverse("sessions:group_detail", args=[cast.group_a.pk])
    )
    enrolment, marks = response.context["roster_rows"][0]
    assert enrolment.participant == cast.man_a
    assert [(symbol, str(label), status) for symbol, label, status in marks] == [
        ("U", "Falta injustificada", "unexcused")
    ]
    assert [(t.title, t.times) for t in response.context["topics"]] == [("La retirada", 1)]


def test_group_page_makes_the_same_queries_for_1_and_15_men(db, login_as):
    group_one, user_one, _ = _group_with(1)
    group_many, user_many, _ = _group_with(15)
    one = count_queries(login_as(user_one), reverse("sessions:group_detail", args=[group_one.pk]))
    many = count_queries(
        login_as(user_many), reverse("sessions:group_detail", args=[group_many.pk])
    )
    # The eleventh writes the audit events of the roster shown, one INSERT.
    assert one == many == 11


def test_a_coordinators_group_page_makes_the_same_queries_for_1_and_15_men(db, login_as):
    counts = []
    for men in (1, 15):
        group, _facilitator, _men = _group_with(men)
        coordinator = factories.coordinator_of(group.site)
        counts.append(
            count_queries(login_as(coordinator), reverse("sessions:group_detail", args=[group.pk]))
        )
    # As the facilitator's: whether he may manage the group comes from the roles the
    # navigation bar reads anyway.
    assert counts == [12, 12]  # the roster's audit events included


def test_only_the_sites_coordinator_or_an_admin_may_manage_its_groups_and_sessions(cast, login_as):
    # The coordinator of site A also facilitates B's group: he sees it, but does not manage it.
    factories.facilitator_of(cast.group_b, cast.coordinator)
    cases = [
        (cast.coordinator, cast.group_a, cast.session_a, True),
        (cast.coordinator, cast.group_b, cast.session_b, False),
        (cast.facilitator, cast.group_a, cast.session_a, False),
        (cast.admin, cast.group_b, cast.session_b, True),
    ]
    for user, group, session, manages in cases:
        client = login_as(user)
        group_page = client.get(reverse("sessions:group_detail", args=[group.pk]))
        session_page = client.get(reverse("sessions:detail", args=[session.pk]))
        assert (group_page.context["can_manage"], session_page.context["can_manage"]) == (
            manages,
            manages,
        ), user.username
        cancel = reverse("sessions:cancel", args=[session.pk])
        assert (cancel in session_page.content.decode()) == manages, user.username


def test_participant_page_counts_and_timeline(cast, login_as):
    dates = [datetime.date(2026, 4, 7) + datetime.timedelta(weeks=n) for n in range(4)]
    statuses = ["present", "excused", "unexcused", "unexcused"]
    for day, status in zip(dates, statuses, strict=True):
        session = factories.GroupSessionFactory(group=cast.group_a, date=day)
        factories.AttendanceFactory(
            session=session,
            participant=cast.man_a,
            status=status,
            violence="yes" if status == "present" else "",
            violence_verbal=status == "present",
        )
    response = login_as(cast.facilitator).get(reverse("participants:detail", args=[cast.man_a.pk]))
    summary = response.context["summary"]
    assert (summary["attended"], summary["excused"], summary["unexcused"]) == (1, 1, 2)
    assert summary["consecutive_absences"] == 3
    today = timezone.localdate()
    assert summary["weeks_since_violence"] == (today - dates[0]).days // 7
    assert [a.session.date for a in response.context["attendances"]] == dates[::-1]


def test_participant_page_makes_the_same_queries_for_1_and_15_sessions(db, login_as):
    _, user_one, men_one = _group_with(1, sessions_count=1)
    _, user_many, men_many = _group_with(1, sessions_count=15)
    one = count_queries(login_as(user_one), reverse("participants:detail", args=[men_one[0].pk]))
    many = count_queries(login_as(user_many), reverse("participants:detail", args=[men_many[0].pk]))
    # A facilitator coordinates no site: the lookup among the men he manages needs no query.
    # His standing is read from its view in a query of its own, his alerts in one more.
    assert one == many == 10


def test_week_page_lists_this_weeks_generated_sessions_and_writes_none(cast, login_as):
    today = timezone.localdate()
    cast.group_a.weekdays = str(today.weekday())
    cast.group_a.start_date = today - datetime.timedelta(days=60)
    cast.group_a.save()
    client = login_as(cast.facilitator)
    assert list(client.get(reverse("sessions:my_week")).context["sessions"]) == []
    call_command("generate_sessions", stdout=io.StringIO())
    before = GroupSession.objects.count()
    response = client.get(reverse("sessions:my_week"))
    assert [s.date for s in response.context["sessions"]] == [today]
    assert GroupSession.objects.count() == before
    assert GroupSession.objects.filter(group=cast.group_a, date__gt=today).count() == 4


@pytest.mark.parametrize("week", ["garbage", "0001-01-01", "2026-13-45", "9" * 500])
def test_week_page_answers_a_bad_week_with_this_week_and_a_message(cast, login_as, week):
    response = login_as(cast.facilitator).get(reverse("sessions:my_week"), {"week": week})
    assert response.status_code == 200
    assert response.context["monday"] <= timezone.localdate() <= response.context["sunday"]
    assert len(list(response.context["messages"])) == 1


def test_coordinator_cancels_and_restores_a_session(cast, login_as):
    client = login_as(cast.coordinator)
    client.post(reverse("sessions:cancel", args=[cast.session_a.pk]), {"reason": "Día festivo"})
    cast.session_a.refresh_from_db()
    assert (cast.session_a.state, cast.session_a.cancellation_reason) == (
        "cancelled",
        "Día festivo",
    )
    client.post(reverse("sessions:restore", args=[cast.session_a.pk]))
    cast.session_a.refresh_from_db()
    assert cast.session_a.state == "scheduled"


def test_facilitators_cannot_cancel_or_add_sessions(cast, login_as):
    client = login_as(cast.facilitator)
    cancel = client.post(reverse("sessions:cancel", args=[cast.session_a.pk]), {"reason": "x"})
    extra = client.post(
        reverse("sessions:extra_session_add", args=[cast.group_a.pk]),
        {"date": "2026-03-20", "start_time": "10:00"},
    )
    assert (cancel.status_code, extra.status_code) == (404, 404)
    cast.session_a.refresh_from_db()
    assert cast.session_a.state == "scheduled"
    assert GroupSession.objects.filter(is_extra=True).count() == 0


def test_coordinator_adds_an_extra_session_and_bad_input_changes_nothing(cast, login_as):
    client = login_as(cast.coordinator)
    url = reverse("sessions:extra_session_add", args=[cast.group_a.pk])
    for bad in ({"date": "2026-02-30", "start_time": "10:00"}, {"date": "x", "start_time": "y"}):
        assert client.post(url, bad).status_code == 302
    assert GroupSession.objects.filter(is_extra=True).count() == 0
    client.post(url, {"date": "2026-03-20", "start_time": "10:00"})
    extra = GroupSession.objects.get(is_extra=True)
    assert (extra.date, extra.start_time) == (datetime.date(2026, 3, 20), datetime.time(10))


def test_only_the_sites_coordinator_acknowledges_an_alert(cast, login_as):
    alert = SafetyAlert.objects.create(session=cast.session_a, participant=cast.man_a, flagged=True)
    url = reverse("sessions:alert_acknowledge", args=[alert.pk])
    for outsider in (cast.outsider, cast.facilitator, cast.partner):
        assert login_as(outsider).post(url).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    login_as(cast.coordinator).post(url, {"note": "Hablé con él"})
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement_note) == (cast.coordinator, "Hablé con él")
    assert list(login_as(cast.coordinator).get(reverse("home")).context["alerts"]) == []


@pytest.mark.parametrize(
    "name,kind",
    [
        ("sessions:detail", "session"),
        ("sessions:record", "session"),
        ("sessions:group_detail", "group"),
    ],
)
def test_outsider_gets_404_on_every_session_page(cast, login_as, name, kind):
    obj = cast.session_a if kind == "session" else cast.group_a
    assert login_as(cast.outsider).get(reverse(name, args=[obj.pk])).status_code == 404


@pytest.mark.parametrize("name", ["sessions:walk_in_add", "sessions:cancel", "sessions:restore"])
def test_outsider_posts_get_404(cast, login_as, name):
    cast.group_a.allows_walk_ins = True
    cast.group_a.save()
    response = login_as(cast.outsider).post(
        reverse(name, args=[cast.session_a.pk]), {"first_name": "X", "reason": "x"}
    )
    assert response.status_code == 404
    assert cast.group_a.enrolments.count() == 1
    cast.session_a.refresh_from_db()
    assert cast.session_a.state == "scheduled"


def test_state_changes_refuse_get(cast, login_as):
    client = login_as(cast.coordinator)
    assert client.get(reverse("sessions:cancel", args=[cast.session_a.pk])).status_code == 405


def test_coordinator_lets_facilitators_take_walk_ins_and_stops_it(cast, login_as):

    url = reverse("sessions:group_walk_ins", args=[cast.group_a.pk])
    client = login_as(cast.coordinator)
    client.post(url, {"allow": "1"})
    cast.group_a.refresh_from_db()
    assert cast.group_a.allows_walk_ins is True
    client.post(url, {"allow": "0"})
    cast.group_a.refresh_from_db()
    assert cast.group_a.allows_walk_ins is False
    assert AuditEvent.objects.filter(object_type="programmes.group", action="change").count() == 2


def test_facilitators_and_outsiders_cannot_change_walk_ins(cast, login_as):
    url = reverse("sessions:group_walk_ins", args=[cast.group_a.pk])
    for user in (cast.facilitator, cast.outsider, cast.partner):
        assert login_as(user).post(url, {"allow": "1"}).status_code == 404
    assert login_as(cast.coordinator).get(url).status_code == 405
    cast.group_a.refresh_from_db()
    assert cast.group_a.allows_walk_ins is False


@pytest.mark.usefixtures("english")
def test_the_timeline_lists_each_session_with_its_check_in_escaped(cast, login_as):
    day = datetime.date(2026, 4, 7)
    attended = factories.GroupSessionFactory(group=cast.group_a, date=day)
    missed = factories.GroupSessionFactory(
        group=cast.group_a, date=day + datetime.timedelta(weeks=1)
    )
    factories.AttendanceFactory(
        session=attended,
        participant=cast.man_a,
        violence="yes",
        violence_verbal=True,
        violence_physical=True,
        used_retreat=True,
        safety_flag=True,
        reflection="<b>Me enojé</b>",
    )
    factories.AttendanceFactory(
        session=missed, participant=cast.man_a, status="excused", violence=""
    )
    html = (
        login_as(cast.coordinator)
        .get(reverse("participants:detail", args=[cast.man_a.pk]))
        .content.decode()
    )
    timeline = html[html.index('<ol class="list-unstyled timeline">') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert timeline.count("<li ") == 2
    assert timeline.index(reverse("sessions:detail", args=[missed.pk])) < timeline.index(
        reverse("sessions:detail", args=[attended.pk])
    )
    assert "Excused absence" in timeline
    assert "Violence since the last session: Yes (Verbal, Physical) · used the retreat" in timeline
    assert '<strong class="text-danger">Safety concern</strong>' in timeline
    assert "&lt;b&gt;Me enojé&lt;/b&gt;" in timeline and "<b>Me enojé" not in timeline
