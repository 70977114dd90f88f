"""Progress reports to referrers, completion certificates and the list of reports due."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendes.audit.models import AuditEvent
from participants.models import Enrolment
from programmes.models import Programme
from sessions.models import ProgressReport
from sessions.reports.progress import pdf, selectors
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def today_at(site):
    return timezone.localdate(timezone=site.tzinfo)


def california():
    return Programme.objects.get_or_create(
        name="California 52",
        defaults=dict(
            required_sessions=52,
            session_minutes=120,
            allowed_excused_absences=3,
            allowed_unexcused_absences=0,
            report_interval_days=90,
        ),
    )[0]


def enrolled_man(site, *, started_days_ago=100, reports_requested=True, code=None, group=None):
    group = group or factories.GroupFactory(
        site=site, programme=california(), start_date=datetime.date(2024, 1, 1)
    )
    man = factories.ParticipantFactory(
        site=site,
        first_name="Marcos",
        last_name="Ruiz Soto",
        birth_date=datetime.date(1985, 4, 12),
        **({"code": code} if code else {}),
    )
    factories.ReferralFactory(
        participant=man,
        institution="Los Angeles County Superior Court",
        reference_number="BA-12345",
        referred_on=today_at(site) - datetime.timedelta(days=120),
        reports_requested=reports_requested,
    )
    factories.EnrolmentFactory(
        participant=man,
        group=group,
        start_date=today_at(site) - datetime.timedelta(days=started_days_ago),
    )
    return man, group


def attend(man, group, statuses, *, first_days_ago=70):
    """One weekly session per status, the first `first_days_ago` days ago."""
    start = today_at(group.site) - datetime.timedelta(days=first_days_ago)
    factories.weekly_attendance(man, group, statuses, start)


@pytest.fixture
def man(cast):
    """At site A in a California-like programme: 3 attended, 1 excused, 1 unexcused."""
    man, group = enrolled_man(cast.site_a, code="SA-0100")
    attend(man, group, ["present", "present", "excused", "present", "unexcused"])
    cast.coordinator.first_name, cast.coordinator.last_name = "Mariana", "Ortega"
    cast.coordinator.save()
    return man


def report_url(man):
    return reverse("progress:report", args=[man.pk])


# The report page


def test_report_page_shows_the_exact_figures(cast, login_as, man):
    response = login_as(cast.coordinator).get(report_url(man))
    assert response.status_code == 200
    doc = response.context["doc"]
    assert (doc.attended, doc.required, doc.excused, doc.unexcused) == (3, 52, 1, 1)
    assert (doc.allowed_excused, doc.allowed_unexcused, doc.consecutive_absences) == (3, 0, 1)
    assert doc.standing == "out_of_compliance"
    assert doc.standing_reasons == ["1 unexcused absence, more than the 0 allowed"]
    today = today_at(cast.site_a)
    assert doc.period_start == today - datetime.timedelta(days=100)
    assert doc.period_end == today
    assert doc.first_session_on == today - datetime.timedelta(days=70)
    assert doc.last_session_on == today - datetime.timedelta(days=70 - 3 * 7)
    html = response.content.decode()
    assert "3 / 52" in html
    assert "Out of compliance" in html
    assert "1 unexcused absence, more than the 0 allowed" in html
    assert "1 (3 allowed)" in html and "1 (0 allowed)" in html
    for text in ["Marcos Ruiz Soto", "SA-0100", "Los Angeles County Superior Court", "BA-12345"]:
        assert text in html
    assert "Mariana Ortega" in html
    assert f"{cast.site_a.city}, " in html


def test_viewing_the_report_is_audited(cast, login_as, man):
    login_as(cast.coordinator).get(report_url(man))
    event = AuditEvent.objects.get(participant_id=man.pk)
    assert (event.action, event.user, event.detail) == ("view", cast.coordinator, "progress report")


def test_period_starts_where_the_last_sent_report_ended(cast, man):
    ended = today_at(cast.site_a) - datetime.timedelta(days=10)
    ProgressReport.objects.create(
        **_frozen(man, cast.coordinator, period_end=ended, sent_on=ended, sent_by=cast.coordinator)
    )
    document = selectors.current_report(man, user=cast.coordinator)
    assert document.period_start == ended
    assert document.period_attended == 0  # his last session was 42 days ago


def test_a_man_without_enrolment_has_no_report_but_a_clear_message(cast, login_as):
    man = factories.ParticipantFactory(site=cast.site_a)
    response = login_as(cast.coordinator).get(report_url(man))
    assert response.status_code == 404
    assert "He has no enrolment yet: there is nothing to report." in response.content.decode()


# Issuing and sending


def test_issuing_freezes_the_figures(cast, login_as, man):
    client = login_as(cast.coordinator)
    response = client.post(reverse("progress:issue", args=[man.pk]))
    report = ProgressReport.objects.get(participant=man)
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:issued", args=[report.pk])
    assert (report.attended, report.required, report.excused, report.unexcused) == (3, 52, 1, 1)
    assert report.standing == "out_of_compliance"
    assert report.standing_reasons == ["1 unexcused absence, more than the 0 allowed"]
    assert (report.created_by, report.signatory, report.sent_on) == (
        cast.coordinator,
        "Mariana Ortega",
        None,
    )
    assert report.referral == man.referrals.get()
    assert AuditEvent.objects.filter(action="create", object_id=str(report.pk)).count() == 1

    # He attends two more sessions: the live report changes, the issued one does not.
    group = man.enrolments.get().group
    attend(man, group, ["present", "present"], first_days_ago=7)
    assert "5 / 52" in client.get(report_url(man)).content.decode()
    issued = client.get(reverse("progress:issued", args=[report.pk]))
    assert issued.context["doc"].attended == 3
    assert "3 / 52" in issued.content.decode()
    assert "5 / 52" not in issued.content.decode()


def test_issuing_twice_with_the_same_figures_keeps_one_report(cast, login_as, man):
    client = login_as(cast.coordinator)
    client.post(reverse("progress:issue", args=[man.pk]))
    client.post(reverse("progress:issue", args=[man.pk]))
    assert ProgressReport.objects.filter(participant=man).count() == 1


def test_issuing_needs_a_referral(cast, login_as):
    man, _ = enrolled_man(cast.site_a)
    man.referrals.all().delete()
    response = login_as(cast.coordinator).post(reverse("progress:issue", args=[man.pk]))
    assert response.status_code == 302
    assert not ProgressReport.objects.exists()


def _issue(cast, client, man):
    client.post(reverse("progress:issue", args=[man.pk]), follow=True)
    return ProgressReport.objects.get(participant=man)


def test_marking_sent_sets_the_date_and_who(cast, login_as, man):
    client = login_as(cast.coordinator)
    report = _issue(cast, client, man)
    today = today_at(cast.site_a)
    response = client.post(
        reverse("progress:mark_sent", args=[report.pk]), {"sent_on": today.isoformat()}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.sent_on, report.sent_by) == (today, cast.coordinator)
    event = AuditEvent.objects.get(action="change", object_id=str(report.pk))
    assert event.participant_id == man.pk


@pytest.mark.parametrize("value", ["future", "2026-13-45", "yesterday", "", "before issue"])
def test_marking_sent_refuses_a_bad_date(cast, login_as, man, value):
    client = login_as(cast.coordinator)
    report = _issue(cast, client, man)
    today = today_at(cast.site_a)
    value = {
        "future": (today + datetime.timedelta(days=1)).isoformat(),
        "before issue": (today - datetime.timedelta(days=1)).isoformat(),
    }.get(value, value)
    response = client.post(
        reverse("progress:mark_sent", args=[report.pk]), {"sent_on": value}, follow=True
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert (report.sent_on, report.sent_by) == (None, None)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    if value == (today + datetime.timedelta(days=1)).isoformat():
        assert messages == ["Sent on: The date cannot be in the future."]


def test_a_report_is_marked_sent_once(cast, login_as, man):
    client = login_as(cast.coordinator)
    report = _issue(cast, client, man)
    today = today_at(cast.site_a).isoformat()
    url = reverse("progress:mark_sent", args=[report.pk])
    client.post(url, {"sent_on": today}, follow=True)
    response = client.post(url, {"sent_on": today}, follow=True)
    assert "already marked sent" in [str(m) for m in response.context["messages"]][0]
    assert AuditEvent.objects.filter(action="change", object_id=str(report.pk)).count() == 1


# The list of reports due


def _due_rows(client):
    response = client.get(reverse("progress:due"))
    assert response.status_code == 200
    return {e.participant.code: e for e in response.context["page"].object_list}


def test_a_man_never_reported_after_more_than_the_interval_is_overdue(cast, login_as, man):
    rows = _due_rows(login_as(cast.coordinator))
    assert list(rows) == ["SA-0100"]
    row = rows["SA-0100"]
    today = today_at(cast.site_a)
    assert row.last_sent_on is None
    assert row.due_on == today - datetime.timedelta(days=10)
    assert row.due_status == "overdue"
    html = login_as(cast.coordinator).get(reverse("progress:due")).content.decode()
    assert "never" in html and "Overdue" in html  # in words, not only in red
    assert report_url(man) in html


def test_after_a_report_sent_up_to_today_he_is_not_due(cast, login_as, man):
    client = login_as(cast.coordinator)
    report = _issue(cast, client, man)
    today = today_at(cast.site_a)
    assert _due_rows(client)["SA-0100"].participant.unsent_reports == [report]
    client.post(reverse("progress:mark_sent", args=[report.pk]), {"sent_on": today.isoformat()})
    row = _due_rows(client)["SA-0100"]
    assert (row.last_sent_on, row.due_on, row.due_status) == (
        today,
        today + datetime.timedelta(days=90),
        "scheduled",
    )
    assert row.participant.unsent_reports == []


def test_due_list_leaves_out_men_whose_referral_wants_no_reports(cast, login_as):
    enrolled_man(cast.site_a, code="SA-0200", reports_requested=False)
    assert _due_rows(login_as(cast.coordinator)) == {}


def test_due_list_leaves_out_programmes_without_periodic_reports(cast, login_as):
    # man_a is in the default GENDES programme (no interval); give him a referral asking.
    factories.ReferralFactory(participant=cast.man_a, reports_requested=True)
    assert _due_rows(login_as(cast.coordinator)) == {}


def test_due_list_never_shows_another_sites_men(cast, login_as, man):
    enrolled_man(cast.site_b, code="SB-0100")
    assert list(_due_rows(login_as(cast.coordinator))) == ["SA-0100"]
    assert list(_due_rows(login_as(cast.admin))) == ["SA-0100", "SB-0100"]


def test_due_list_is_sorted_by_due_date(cast, login_as):
    enrolled_man(cast.site_a, code="SA-0300", started_days_ago=10)
    enrolled_man(cast.site_a, code="SA-0301", started_days_ago=200)
    enrolled_man(cast.site_a, code="SA-0302", started_days_ago=85)
    rows = _due_rows(login_as(cast.coordinator))
    assert [(code, row.due_status) for code, row in rows.items()] == [
        ("SA-0301", "overdue"),
        ("SA-0302", "due"),
        ("SA-0300", "scheduled"),
    ]


def _count_due_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("progress:due"))
    assert response.status_code == 200
    return len(queries), len(response.context["page"].object_list)


def test_due_list_makes_the_same_queries_for_1_and_3_men(cast, login_as):
    client = login_as(cast.coordinator)
    group = factories.GroupFactory(site=cast.site_a, programme=california())
    first, _ = enrolled_man(cast.site_a, group=group)
    client.post(reverse("progress:issue", args=[first.pk]))
    assert _count_due_queries(client) == (7, 1)
    for _ in range(2):
        other, _ = enrolled_man(cast.site_a, group=group)
        client.post(reverse("progress:issue", args=[other.pk]))
    assert _count_due_queries(client) == (7, 3)


# The completion certificate


def _complete(man):
    enrolment = man.enrolments.get()
    Enrolment.objects.filter(pk=enrolment.pk).update(
        end_date=today_at(man.site), exit_status="completed"
    )


def test_certificate_only_after_he_completed(cast, login_as, man):
    client = login_as(cast.coordinator)
    url = reverse("progress:certificate", args=[man.pk])
    before = client.get(url)
    assert before.status_code == 404
    assert "once he has completed the programme" in before.content.decode()
    _complete(man)
    after = client.get(url)
    assert after.status_code == 200
    html = after.content.decode()
    assert "Certificate of completion" in html
    assert "Marcos Ruiz Soto" in html and "California 52" in html
    assert "attending 3 group sessions of 120 minutes (of 52 required)" in html
    assert AuditEvent.objects.filter(
        action="view", participant_id=man.pk, detail="completion certificate"
    ).exists()


def test_a_dropped_out_man_gets_no_certificate(cast, login_as, man):
    Enrolment.objects.filter(participant=man).update(
        end_date=today_at(cast.site_a), exit_status="dropped_out"
    )
    response = login_as(cast.coordinator).get(reverse("progress:certificate", args=[man.pk]))
    assert response.status_code == 404


# PDF


def test_pdfs_are_pdf_and_audited_as_exports(cast, login_as, man):
    client = login_as(cast.coordinator)
    report = _issue(cast, client, man)
    _complete(man)
    urls = [
        report_url(man),
        reverse("progress:issued", args=[report.pk]),
        reverse("progress:certificate", args=[man.pk]),
    ]
    for url in urls:
        response = client.get(url, {"format": "pdf"})
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", participant_id=man.pk).count() == 3


def test_without_weasyprint_the_pages_still_print_and_the_pdf_link_is_hidden(
    cast, login_as, man, monkeypatch
):
    monkeypatch.setattr(pdf, "available", lambda: False)
    client = login_as(cast.coordinator)
    page = client.get(report_url(man))
    assert page.status_code == 200
    assert "?format=pdf" not in page.content.decode()
    assert client.get(report_url(man), {"format": "pdf"}).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


# Access


def _urls(man, report):
    return [
        ("get", reverse("progress:report", args=[man.pk])),
        ("get", reverse("progress:report", args=[man.pk]) + "?format=pdf"),
        ("get", reverse("progress:certificate", args=[man.pk])),
        ("post", reverse("progress:issue", args=[man.pk])),
        ("get", reverse("progress:issued", args=[report.pk])),
        ("get", reverse("progress:issued", args=[report.pk]) + "?format=pdf"),
        ("post", reverse("progress:mark_sent", args=[report.pk])),
    ]


@pytest.mark.parametrize("who", ["facilitator", "outsider", "partner"])
def test_only_coordinators_and_admins_reach_the_reports(cast, login_as, man, who):
    report = _issue(cast, login_as(cast.coordinator), man)
    _complete(man)
    client = login_as(getattr(cast, who))
    for method, url in [*_urls(man, report), ("get", reverse("progress:due"))]:
        response = getattr(client, method)(
            url, {"sent_on": "2026-01-01"} if method == "post" else {}
        )
        assert response.status_code == 404, (who, url)
    assert ProgressReport.objects.count() == 1
    assert ProgressReport.objects.get().sent_on is None


def test_another_sites_coordinator_gets_404(cast, login_as, man):
    report = _issue(cast, login_as(cast.coordinator), man)
    other = factories.coordinator_of(cast.site_b)
    for method, url in _urls(man, report):
        assert getattr(login_as(other), method)(url).status_code == 404, url


def test_admin_reaches_every_page(cast, login_as, man):
    client = login_as(cast.admin)
    assert client.get(report_url(man)).status_code == 200
    assert client.get(reverse("progress:due")).status_code == 200


def test_unknown_ids_answer_404(cast, login_as):
    client = login_as(cast.coordinator)
    for url in [
        reverse("progress:report", args=[999999]),
        reverse("progress:certificate", args=[999999]),
        reverse("progress:issued", args=[999999]),
    ]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("progress:mark_sent", args=[999999])).status_code == 404
    assert client.post(reverse("progress:issue", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(cast, client, man):
    for url in [reverse("progress:issue", args=[man.pk]), reverse("progress:due")]:
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_bad_page_number_shows_the_last_page(cast, login_as, man):
    response = login_as(cast.coordinator).get(reverse("progress:due"), {"page": "x'; --"})
    assert response.status_code == 200


def test_pages_have_no_inline_style_or_script(cast, login_as, man):
    client = login_as(cast.coordinator)
    report = _issue(cast, client, man)
    _complete(man)
    for url in [
        report_url(man),
        reverse("progress:issued", args=[report.pk]),
        reverse("progress:certificate", args=[man.pk]),
        reverse("progress:due"),
    ]:
        html = client.get(url).content.decode()
        assert " style=" not in html, url
        assert "<style" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url


# The man's page


def test_his_page_links_coordinators_to_his_reports(cast, login_as, man):
    html = login_as(cast.coordinator).get(man.get_absolute_url()).content.decode()
    assert report_url(man) in html
    assert reverse("progress:certificate", args=[man.pk]) not in html
    _complete(man)
    html = login_as(cast.coordinator).get(man.get_absolute_url()).content.decode()
    assert html.count(reverse("progress:certificate", args=[man.pk])) == 1


def test_his_page_shows_facilitators_no_reports(cast, login_as):
    html = login_as(cast.facilitator).get(cast.man_a.get_absolute_url()).content.decode()
    assert reverse("progress:report", args=[cast.man_a.pk]) not in html


def _frozen(man, by, *, period_end, **extra):
    return dict(
        participant=man,
        referral=man.referrals.get(),
        period_start=period_end - datetime.timedelta(days=90),
        period_end=period_end,
        created_by=by,
        programme_name="California 52",
        group_name="G",
        attended=0,
        required=52,
        excused=0,
        unexcused=0,
        consecutive_absences=0,
        period_attended=0,
        period_excused=0,
        period_unexcused=0,
        standing="on_track",
        signatory="X",
        **extra,
    )
