"""The record page: GET, POST, corrections, conflicts and bad input."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gendes.audit.models import AuditEvent
from sessions.models import Attendance, GroupSession, SafetyAlert, SessionChange
from tests import factories
from tests.helpers import run_queued_tasks

pytestmark = pytest.mark.django_db


def roster(cast, count):
    """`count` men enrolled in group A (the cast's man_a is the first)."""
    men = [cast.man_a]
    for n in range(2, count + 1):
        man = factories.ParticipantFactory(site=cast.site_a, code=f"SA-{n:04d}")
        factories.EnrolmentFactory(participant=man, group=cast.group_a)
        men.append(man)
    return men


def quiet_post(session, men, **overrides):
    """What the browser posts for a quiet session: everyone present, no violence."""
    data = {"version": str(session.version), "notes": ""}
    for man in men:
        data[f"m{man.pk}-status"] = "present"
        data[f"m{man.pk}-violence"] = "no"
    data.update(overrides)
    return data


def test_get_lists_every_man_enrolled_on_the_date_present_by_default(cast, login_as):
    men = roster(cast, 3)
    response = login_as(cast.facilitator).get(reverse("sessions:record", args=[cast.session_a.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.participant.code for row in rows] == ["SA-0001", "SA-0002", "SA-0003"]
    assert all(row["status"].value() == "present" for row in rows)
    assert all(row["violence"].value() == "no" for row in rows)
    assert len(men) == 3


def test_quiet_session_saves_every_man_present_and_records_the_session(cast, login_as):
    men = roster(cast, 3)
    session = cast.session_a
    data = quiet_post(session, men, **{f"m{men[1].pk}-status": "unexcused"})
    data["facilitators"] = [str(cast.facilitator.pk)]
    response = login_as(cast.facilitator).post(reverse("sessions:record", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.state, session.version, session.recorded_by) == (
        "recorded",
        1,
        cast.facilitator,
    )
    saved = {a.participant.code: (a.status, a.violence) for a in session.attendances.all()}
    assert saved == {
        "SA-0001": ("present", "no"),
        "SA-0002": ("unexcused", ""),
        "SA-0003": ("present", "no"),
    }
    assert list(session.facilitators.all()) == [cast.facilitator]
    change = SessionChange.objects.get(session=session)
    assert (change.version, change.is_correction, change.changes) == (1, False, [])


def test_correction_keeps_who_changed_what(cast, login_as):
    men = roster(cast, 2)
    session = cast.session_a
    client = login_as(cast.facilitator)
    client.post(reverse("sessions:record", args=[session.pk]), quiet_post(session, men))
    session.refresh_from_db()
    coordinator = login_as(cast.coordinator)
    coordinator.post(
        reverse("sessions:record", args=[session.pk]),
        quiet_post(session, men, **{f"m{men[1].pk}-status": "late"}),
    )
    correction = SessionChange.objects.get(session=session, version=2)
    assert correction.changed_by == cast.coordinator
    assert correction.is_correction is True
    assert correction.changes == [
        {"who": "SA-0002", "field": "status", "old": "present", "new": "late"}
    ]
    page = client.get(
        reverse("sessions:detail", args=[session.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "SA-0002: attendance: Present → Late" in page


def test_a_stale_save_keeps_his_entries_and_shows_the_saved_values_beside(cast, login_as, english):
    men = roster(cast, 3)
    session = cast.session_a
    url = reverse("sessions:record", args=[session.pk])
    stale = quiet_post(
        session,
        men,
        **{f"m{men[0].pk}-status": "excused", f"m{men[1].pk}-reflection": "Usé la retirada"},
    )
    login_as(cast.coordinator).post(
        url, quiet_post(session, men, **{f"m{men[0].pk}-status": "late"})
    )
    response = login_as(cast.facilitator).post(url, stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Nothing was saved, and your entries are still in the form" in html
    assert Attendance.objects.get(session=session, participant=men[0]).status == "late"
    rows = response.context["rows"]
    assert [row["status"].value() for row in rows] == ["excused", "present", "present"]
    assert rows[1]["reflection"].value() == "Usé la retirada"
    assert [row.theirs for row in rows] == [{"status": "Late"}, {"reflection": "—"}, {}]
    assert "Saved by someone else: <strong>Late</strong>" in html
    assert response.context["session_form"]["version"].value() == "1"
    assert GroupSession.objects.get(pk=session.pk).version == 1


@pytest.mark.parametrize(("choice", "status"), [("mine", "excused"), ("theirs", "late")])
def test_he_chooses_per_man_and_saves_again(cast, login_as, choice, status):
    men = roster(cast, 2)
    session = cast.session_a
    url = reverse("sessions:record", args=[session.pk])
    login_as(cast.coordinator).post(
        url, quiet_post(session, men, **{f"m{men[0].pk}-status": "late"})
    )
    merged = quiet_post(
        session, men, **{f"m{men[0].pk}-status": "excused", f"m{men[0].pk}-keep": choice}
    )
    merged["version"] = "1"
    assert login_as(cast.facilitator).post(url, merged).status_code == 302
    assert Attendance.objects.get(session=session, participant=men[0]).status == status
    assert GroupSession.objects.get(pk=session.pk).version == 2


def test_physical_violence_raises_an_alert_and_emails_the_coordinator(cast, login_as):
    men = roster(cast, 2)
    cast.coordinator.email = "coord@example.org"
    cast.coordinator.save()
    data = quiet_post(
        cast.session_a,
        men,
        **{f"m{men[1].pk}-violence": "yes", f"m{men[1].pk}-kinds": ["physical", "verbal"]},
    )
    login_as(cast.facilitator).post(reverse("sessions:record", args=[cast.session_a.pk]), data)
    assert mail.outbox == []  # queued in the save's transaction, sent by the task engine
    assert run_queued_tasks() == 1
    alert = SafetyAlert.objects.get()
    assert (alert.participant, alert.reasons, alert.raised_by) == (
        men[1],
        ["physical"],
        cast.facilitator,
    )
    assert [m.to for m in mail.outbox] == [["coord@example.org"]]
    assert "SA-0002" not in mail.outbox[0].body  # no names or codes in an inbox
    home = login_as(cast.coordinator).get(reverse("home"))
    assert list(home.context["alerts"]) == [alert]


def test_kinds_without_yes_are_refused_and_nothing_is_saved(cast, login_as):
    men = roster(cast, 2)
    data = quiet_post(cast.session_a, men, **{f"m{men[1].pk}-kinds": ["verbal"]})
    response = login_as(cast.facilitator).post(
        reverse("sessions:record", args=[cast.session_a.pk]), data
    )
    assert response.status_code == 400
    assert Attendance.objects.count() == 0
    assert GroupSession.objects.get(pk=cast.session_a.pk).state == "scheduled"


@pytest.mark.parametrize(
    "bad",
    [
        {"status": "asleep"},
        {"violence": "maybe"},
        {"kinds": ["telepathic"]},
        {"reflection": "x" * 10_000},
    ],
)
def test_invalid_values_change_nothing(cast, login_as, bad):
    men = roster(cast, 2)
    data = quiet_post(cast.session_a, men)
    for key, value in bad.items():
        data[f"m{men[1].pk}-{key}"] = value
    data[f"m{men[1].pk}-violence"] = data.get(f"m{men[1].pk}-violence", "no")
    if "kinds" in bad:
        data[f"m{men[1].pk}-violence"] = "yes"
    response = login_as(cast.facilitator).post(
        reverse("sessions:record", args=[cast.session_a.pk]), data
    )
    assert response.status_code == 400
    assert Attendance.objects.count() == 0


def test_a_man_not_on_the_roster_is_refused(cast, login_as):
    men = roster(cast, 2)
    data = quiet_post(cast.session_a, men)
    data[f"m{cast.man_b.pk}-status"] = "present"
    response = login_as(cast.facilitator).post(
        reverse("sessions:record", args=[cast.session_a.pk]), data
    )
    assert response.status_code == 400
    assert Attendance.objects.count() == 0


def test_outsider_and_partner_get_404_and_nothing_changes(cast, login_as):
    men = roster(cast, 1)
    url = reverse("sessions:record", args=[cast.session_a.pk])
    for user in (cast.outsider, cast.partner):
        assert login_as(user).get(url).status_code == 404
        assert login_as(user).post(url, quiet_post(cast.session_a, men)).status_code == 404
    assert Attendance.objects.count() == 0


def test_future_session_cannot_be_recorded(cast, login_as):
    cast.session_a.date = datetime.date.today() + datetime.timedelta(days=30)
    cast.session_a.save()
    response = login_as(cast.facilitator).post(
        reverse("sessions:record", args=[cast.session_a.pk]),
        quiet_post(cast.session_a, [cast.man_a]),
    )
    assert response.status_code == 302
    assert Attendance.objects.count() == 0


def test_walk_in_is_added_when_the_group_allows_it(cast, login_as):
    url = reverse("sessions:walk_in_add", args=[cast.session_a.pk])
    client = login_as(cast.facilitator)
    client.post(url, {"first_name": "Mario"})
    assert cast.group_a.enrolments.count() == 1
    cast.group_a.allows_walk_ins = True
    cast.group_a.save()
    client.post(url, {"first_name": "Mario", "last_name": "López", "consented": "on"})
    enrolment = cast.group_a.enrolments.get(participant__first_name="Mario")
    assert (enrolment.participant.code, enrolment.start_date) == ("SA-0002", cast.session_a.date)


def _record_queries(client, session, men):
    url = reverse("sessions:record", args=[session.pk])
    with CaptureQueriesContext(connection) as get_queries:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as post_queries:
        assert client.post(url, quiet_post(session, men)).status_code == 302
    return len(get_queries), len(post_queries)


def test_record_page_makes_the_same_queries_for_1_and_15_men(db, login_as):
    counts = []
    for size in (1, 15):
        group = factories.GroupFactory()
        user = factories.facilitator_of(group)
        men = []
        for _ in range(size):
            enrolment = factories.EnrolmentFactory(group=group, participant__site=group.site)
            men.append(enrolment.participant)
        session = factories.GroupSessionFactory(group=group)
        counts.append(_record_queries(login_as(user), session, men))
    # It reads the session's facilitators and its topics one query each; the POST reads
    # the user's roles for the second-factor rule (a GET reads them for its menu anyway).
    # The GET writes one audit event per man whose check-in it shows, in one INSERT.
    assert counts[0] == counts[1] == (8, 15)


def test_every_choice_on_the_record_page_has_its_own_label(cast, login_as):
    men = roster(cast, 2)
    page = (
        login_as(cast.facilitator)
        .get(reverse("sessions:record", args=[cast.session_a.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    ids = re.findall(r'<input type="(?:radio|checkbox)"[^>]* id="([^"]+)"', page)
    labelled = set(re.findall(r'<label class="[^"]*" for="([^"]+)"', page))
    pk = men[1].pk
    assert f"id_m{pk}-status_3" in ids and f"id_m{pk}-kinds_6" in ids
    assert "id_facilitators_0" in ids
    assert [i for i in ids if i not in labelled] == []
    assert (
        f'<label class="btn btn-outline-dark btn-status" for="id_m{pk}-status_1">Late</label>'
        in (page)
    )
    assert f'aria-label="Attendance of {men[1].code}"' in page


def test_the_save_message_says_an_alert_was_raised(cast, login_as, english):
    men = roster(cast, 2)
    data = quiet_post(cast.session_a, men, **{f"m{men[1].pk}-safety_flag": "on"})
    response = login_as(cast.facilitator).post(
        reverse("sessions:record", args=[cast.session_a.pk]), data, follow=True
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [
        "Session saved.",
        "A safety alert was raised for SA-0002: the site's coordinators are being emailed.",
    ]


@pytest.mark.parametrize(
    "answers",
    [
        {"violence": "yes", "kinds": ["sexual"]},
        {"reflection": "Le grité"},
        {"safety_flag": "on"},
        {"violence": "declined"},
    ],
)
def test_answers_under_an_absent_man_are_refused_on_his_row(cast, login_as, english, answers):
    men = roster(cast, 2)
    row = {f"m{men[1].pk}-{name}": value for name, value in answers.items()}
    data = quiet_post(cast.session_a, men, **{f"m{men[1].pk}-status": "unexcused", **row})
    response = login_as(cast.facilitator).post(
        reverse("sessions:record", args=[cast.session_a.pk]), data
    )
    assert response.status_code == 400
    assert "SA-0002 is marked absent but has check-in answers" in response.content.decode()
    assert (Attendance.objects.count(), SafetyAlert.objects.count()) == (0, 0)
    assert GroupSession.objects.get(pk=cast.session_a.pk).version == 0


def test_yes_needs_a_kind_or_declined(cast, login_as, english):
    men = roster(cast, 2)
    data = quiet_post(cast.session_a, men, **{f"m{men[1].pk}-violence": "yes"})
    url = reverse("sessions:record", args=[cast.session_a.pk])
    response = login_as(cast.facilitator).post(url, data)
    assert response.status_code == 400
    assert "tick at least one kind of violence" in response.content.decode()
    assert Attendance.objects.count() == 0
    data[f"m{men[1].pk}-violence"] = "declined"
    assert login_as(cast.facilitator).post(url, data).status_code == 302
    assert Attendance.objects.get(participant=men[1]).violence == "declined"


def test_each_collapsed_row_says_what_will_be_saved(cast, login_as, english):
    men = roster(cast, 2)
    factories.AttendanceFactory(
        session=cast.session_a,
        participant=men[1],
        status="late",
        violence="yes",
        violence_verbal=True,
        safety_flag=True,
    )
    html = (
        login_as(cast.facilitator)
        .get(reverse("sessions:record", args=[cast.session_a.pk]))
        .content.decode()
    )
    saved = re.findall(r'<span class="will-save">([^<]*)</span>', html)
    assert saved == ["Present · no violence", "Late · violence: Verbal · safety concern"]


def test_the_record_page_is_a_view_of_every_man_s_check_in_in_the_audit_trail(cast, login_as):
    men = roster(cast, 3)
    login_as(cast.facilitator).get(reverse("sessions:record", args=[cast.session_a.pk]))
    events = AuditEvent.objects.filter(action="view", detail=f"record {cast.session_a.pk}")
    assert sorted(events.values_list("participant_id", flat=True)) == sorted(m.pk for m in men)
    assert {e.user for e in events} == {cast.facilitator}
