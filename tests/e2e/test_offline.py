"""A record saved on a phone without a connection is kept there and reaches the server when
the connection returns (the service worker and static/js/offline.js), at phone size."""

import re

import pytest
from playwright.sync_api import expect

from sessions.models import Attendance
from tests.e2e.conftest import PHONE_VIEWPORT
from tests.e2e.helpers import log_in
from tests.e2e.test_record_session import attendance_of, record_path, row_of

pytestmark = pytest.mark.e2e

KEPT = "Saved on this phone, not yet sent."
ALERT = "Alert NOT sent yet: phone the coordinator."
SENT = "A record saved on this phone has reached the server."


def go_offline_with_the_week_kept(page, site_url, r):
    page.set_viewport_size(PHONE_VIEWPORT)
    log_in(page, site_url, r.facilitator, next_path="/week/")
    # The week keeps his record pages on the phone; the worker controls the pages from the
    # next one on, as after a browser's first visit.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    expect(page.locator("body[data-offline-ready=yes]")).to_have_count(1, timeout=15000)
    page.context.set_offline(True)


def test_record_offline_then_it_reaches_the_server_by_itself(page, site_url, recording):
    r = recording
    go_offline_with_the_week_kept(page, site_url, r)

    page.goto(f"{site_url}{record_path(r.session)}")  # from the phone's copy
    page.get_by_text("Unexcused absence", exact=True).first.wait_for()
    attendance_of(page, "SA-004").get_by_text("Unexcused absence", exact=True).click()
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_role("status").filter(has_text=KEPT)).to_be_visible()
    assert not Attendance.objects.exists()
    # What he marked is still in the form.
    expect(
        attendance_of(page, "SA-004").get_by_label("Unexcused absence", exact=True)
    ).to_be_checked()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page).to_have_url(re.compile(rf"/sessions/{r.session.pk}/$"), timeout=15000)
    expect(page.get_by_role("status").filter(has_text=SENT)).to_be_visible()
    saved = {a.participant.code: a.status for a in Attendance.objects.select_related("participant")}
    assert len(saved) == 15 and saved["SA-004"] == "unexcused" and saved["SA-001"] == "present"


def test_an_offline_record_that_raises_an_alert_says_it_is_not_sent(page, site_url, recording):
    r = recording
    go_offline_with_the_week_kept(page, site_url, r)
    page.goto(f"{site_url}{record_path(r.session)}")
    row = row_of(page, "SA-005")
    row.get_by_text("Check-in", exact=True).click()
    row.get_by_label("Yes", exact=True).check()
    row.get_by_label("Physical", exact=True).check()
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_role("status").filter(has_text=ALERT)).to_be_visible()
    assert not Attendance.objects.exists()


def test_logging_out_with_a_record_not_sent_asks_first(page, site_url, recording):
    r = recording
    go_offline_with_the_week_kept(page, site_url, r)
    page.goto(f"{site_url}{record_path(r.session)}")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text=KEPT)).to_be_visible()
    # Back online, but the server does not take the record yet (a weak connection).
    page.route(
        re.compile(rf"/sessions/{r.session.pk}/record/$"),
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.context.set_offline(False)

    expect(page.locator("body[data-logout-guard=on]")).to_have_count(1)
    page.get_by_role("button", name="Menu").click()  # the phone's folded menu
    page.get_by_role("button", name=re.compile("Log out")).click()
    dialog = page.get_by_role("dialog", name="Records on this phone not sent yet")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Discard them").click()
    expect(page).to_have_url(re.compile("/accounts/login/"), timeout=15000)
    left = page.evaluate(
        """() => new Promise(done => {
            const open = indexedDB.open("gendes-offline", 1);
            open.onsuccess = () => {
                const all = open.result.transaction("records").objectStore("records").getAll();
                all.onsuccess = () => done(all.result.length);
            };
        })"""
    )
    assert left == 0
    assert not Attendance.objects.exists()
    assert page.evaluate("caches.keys()") == []  # the kept pages went with the logout


def test_a_record_kept_over_a_session_expiry_is_sent_after_the_next_login(
    page, site_url, recording
):
    r = recording
    go_offline_with_the_week_kept(page, site_url, r)
    page.goto(f"{site_url}{record_path(r.session)}")
    attendance_of(page, "SA-002").get_by_text("Unexcused absence", exact=True).click()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status").filter(has_text=KEPT)).to_be_visible()

    page.context.clear_cookies()  # his login expired meanwhile
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(1000)
    assert not Attendance.objects.exists()  # not sent without a login, and still kept

    log_in(page, site_url, r.facilitator, next_path="/")
    expect(page.get_by_role("status").filter(has_text=SENT)).to_be_visible(timeout=15000)
    saved = {a.participant.code: a.status for a in Attendance.objects.select_related("participant")}
    assert saved["SA-002"] == "unexcused" and len(saved) == 15
