"""What the facilitator entered reaches the database as he meant it: an absent man's answers
and a "yes" with no kind are caught before anything is saved, one incident raises one alert
that he is told about, and sessions nobody recorded are on the home pages. Phone size."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import Attendance, GroupSession, SafetyAlert
from tests import factories
from tests.e2e.conftest import MEN, PHONE_VIEWPORT
from tests.e2e.helpers import log_in
from tests.e2e.test_record_session import attendance_of, open_record_page, record_path, row_of

pytestmark = pytest.mark.e2e


def test_an_absent_man_with_answers_is_flagged_before_saving_and_refused(page, site_url, recording):
    r = recording
    page.set_viewport_size(PHONE_VIEWPORT)
    open_record_page(page, site_url, r)
    row = row_of(page, "SA-006")
    row.get_by_text("Check-in", exact=True).click()
    row.get_by_label("Yes", exact=True).check()
    row.get_by_label("Sexual", exact=True).check()
    warning = row.get_by_text("He is marked absent: his check-in answers will not be saved.")
    expect(warning).to_be_hidden()
    attendance_of(page, "SA-006").get_by_text("Unexcused absence", exact=True).click()
    expect(warning).to_be_visible()  # said on the page, before any save
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status")).to_contain_text("Nothing was saved")
    expect(row_of(page, "SA-006")).to_contain_text(
        "SA-006 is marked absent but has check-in answers"
    )
    assert (Attendance.objects.count(), SafetyAlert.objects.count()) == (0, 0)
    assert GroupSession.objects.get(pk=r.session.pk).state == "scheduled"


def test_yes_without_a_kind_is_refused_until_a_kind_is_ticked(page, site_url, recording):
    r = recording
    page.set_viewport_size(PHONE_VIEWPORT)
    open_record_page(page, site_url, r)
    row = row_of(page, "SA-002")
    row.get_by_text("Check-in", exact=True).click()
    row.get_by_label("Yes", exact=True).check()
    expect(row.locator(".will-save")).to_have_text("Present · violence: ?")
    page.get_by_role("button", name="Save session").click()
    expect(row_of(page, "SA-002")).to_contain_text("tick at least one kind of violence")
    assert not Attendance.objects.exists()
    row = row_of(page, "SA-002")
    row.get_by_label("Verbal", exact=True).check()
    expect(row.locator(".will-save")).to_have_text("Present · violence: Verbal")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status")).to_contain_text("Session saved.")
    saved = Attendance.objects.get(participant__code="SA-002")
    assert (saved.violence, saved.violence_verbal) == ("yes", True)


def test_physical_violence_and_the_flag_raise_one_alert_and_he_is_told(page, site_url, recording):
    r = recording
    page.set_viewport_size(PHONE_VIEWPORT)
    open_record_page(page, site_url, r)
    row = row_of(page, "SA-009")
    row.get_by_text("Check-in", exact=True).click()
    row.get_by_label("Yes", exact=True).check()
    row.get_by_label("Physical", exact=True).check()
    row.get_by_label("Safety concern: alert the coordinator").check()
    expect(row.locator(".will-save")).to_have_text("Present · violence: Physical · safety concern")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").first).to_contain_text("Session saved.")
    expect(page.get_by_text("A safety alert was raised for SA-009")).to_be_visible()
    alert = SafetyAlert.objects.get()
    assert (alert.participant.code, alert.physical, alert.flagged) == ("SA-009", True, True)
    region = page.get_by_role("region", name="Safety alerts of this session")
    expect(region).to_contain_text("Physical violence reported, Flagged by a facilitator")


def test_unrecorded_sessions_are_on_the_facilitators_and_coordinators_home(
    page, browser, browser_context_args, site_url, recording
):
    r = recording
    page.set_viewport_size(PHONE_VIEWPORT)
    log_in(page, site_url, r.facilitator)
    section = page.get_by_role("region", name="Sessions not recorded yet")
    expect(section).to_contain_text("Grupo Martes Noche")
    expect(section).to_contain_text("7 days ago")
    section.get_by_role("link", name="Record the session of Grupo Martes Noche").click()
    expect(page).to_have_url(re.compile(re.escape(record_path(r.session)) + "$"))
    expect(page.get_by_role("radiogroup")).to_have_count(MEN)

    coordinator = factories.coordinator_of(r.group.site, factories.UserFactory(username="marta"))
    context = browser.new_context(**browser_context_args, viewport=PHONE_VIEWPORT)
    try:
        home = context.new_page()
        log_in(home, site_url, coordinator)
        mine = home.get_by_role("region", name="Unrecorded sessions at my sites")
        expect(mine).to_contain_text(r.group.site.name)
        expect(mine).to_contain_text("7 days ago")
    finally:
        context.close()
    assert timezone.localdate() - r.session.date == datetime.timedelta(days=7)
