"""Facilitators record a session: the record page driven by a person in Chromium.

Most tests run in English (the language cookie, as the switcher sets it) so that they do not
depend on the wording of the Spanish catalogue; `test_recording_in_spanish` runs in the site's
default language with the labels of that catalogue.

The interaction counts are the product's promise on a phone: everyone starts present with no
violence, so a quiet session is one tap per absent man plus Save."""

import re

import pytest
from playwright.sync_api import expect

from sessions.models import Attendance, GroupSession, SafetyAlert, SessionChange
from tests import factories
from tests.e2e.conftest import MEN, PHONE_VIEWPORT
from tests.e2e.helpers import Person, log_in, spanish
from tests.helpers import run_queued_tasks

pytestmark = pytest.mark.e2e

CONFLICT = "Someone else saved this session while you were editing it."


def record_path(session):
    return f"/sessions/{session.pk}/record/"


def session_path(session):
    return f"/sessions/{session.pk}/"


def attendance_of(page, code, label="Attendance of %(code)s"):
    """The attendance buttons of one man (a radio group named after his code)."""
    return page.get_by_role("radiogroup", name=label % {"code": code})


def row_of(page, code):
    """One man's fieldset (its legend is "<code> · <first name>")."""
    return page.get_by_role("group", name=re.compile(rf"^{re.escape(code)} · "))


def open_record_page(page, site_url, r, *, language="en"):
    log_in(page, site_url, r.facilitator, language=language, next_path=record_path(r.session))
    expect(page.get_by_role("radiogroup")).to_have_count(MEN)


def state_of_session(page):
    return page.locator("dt", has_text="State").locator("xpath=following-sibling::dd[1]")


def test_recording_a_full_session_on_a_phone(page, site_url, recording, browser_problems, tmp_path):
    r = recording
    page.set_viewport_size(PHONE_VIEWPORT)
    open_record_page(page, site_url, r)
    # Everyone starts present, with "no violence".
    for man in r.men:
        expect(attendance_of(page, man.code).get_by_label("Present", exact=True)).to_be_checked()
    page.screenshot(path=tmp_path / "record-phone-top.png")
    page.screenshot(path=tmp_path / "record-phone-full.png", full_page=True)

    person = Person()
    for code in ("SA-004", "SA-009"):
        person.tap(attendance_of(page, code).get_by_text("Unexcused absence", exact=True))
        expect(
            attendance_of(page, code).get_by_label("Unexcused absence", exact=True)
        ).to_be_checked()
    row = row_of(page, "SA-007")
    person.tap(row.get_by_text("Check-in", exact=True))  # opens his <details>
    person.tap(row.get_by_label("Yes", exact=True))
    person.tap(row.get_by_label("Verbal", exact=True))
    person.type(row.get_by_label("Reflection"), "Le grité a mi pareja; usé la retirada tarde.")
    page.screenshot(path=tmp_path / "record-phone-check-in.png")
    person.tap(page.get_by_role("button", name="Save session"))

    # 2 taps for the absences + 4 for the check-in (open, Yes, Verbal, reflection) + 1 Save.
    assert person.interactions == 7
    expect(page).to_have_url(f"{site_url}{session_path(r.session)}")
    expect(page.get_by_role("status")).to_contain_text("Session saved.")
    expect(page.get_by_role("row", name=re.compile("SA-004"))).to_contain_text("Unexcused absence")
    expect(page.get_by_role("row", name=re.compile("SA-007"))).to_contain_text("Verbal")

    saved = {a.participant.code: a for a in Attendance.objects.select_related("participant")}
    assert len(saved) == MEN
    assert {code for code, a in saved.items() if a.status == "unexcused"} == {"SA-004", "SA-009"}
    check_in = saved["SA-007"]
    assert (check_in.status, check_in.violence) == ("present", "yes")
    assert check_in.violence_verbal and not check_in.violence_physical
    assert check_in.reflection == "Le grité a mi pareja; usé la retirada tarde."
    assert not SafetyAlert.objects.exists()  # verbal violence alone raises no alert
    assert browser_problems == []


def test_a_quiet_session_takes_one_tap_per_absent_man_and_save(page, site_url, recording, tmp_path):
    r = recording
    page.set_viewport_size(PHONE_VIEWPORT)
    open_record_page(page, site_url, r)

    person = Person()
    person.tap(attendance_of(page, "SA-012").get_by_text("Unexcused absence", exact=True))
    person.tap(page.get_by_role("button", name="Save session"))

    assert person.interactions == 2  # one tap for the absent man + Save
    expect(page).to_have_url(f"{site_url}{session_path(r.session)}")
    expect(state_of_session(page)).to_have_text("Recorded")
    page.screenshot(path=tmp_path / "session-phone.png", full_page=True)

    rows = Attendance.objects.filter(session=r.session)
    assert rows.count() == MEN
    assert sorted(rows.values_list("participant__code", "status", "violence")) == [
        (man.code, "unexcused", "") if man.code == "SA-012" else (man.code, "present", "no")
        for man in r.men
    ]
    r.session.refresh_from_db()
    assert (r.session.state, r.session.recorded_by) == ("recorded", r.facilitator)
    assert list(r.session.facilitators.all()) == [r.facilitator]


def test_correcting_a_recorded_session_keeps_its_history(page, site_url, recording):
    r = recording
    open_record_page(page, site_url, r)
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status")).to_contain_text("Session saved.")

    page.get_by_role("link", name="Correct the record").click()
    expect(page).to_have_url(f"{site_url}{record_path(r.session)}")
    expect(page.get_by_text("Correcting a recorded session")).to_be_visible()
    attendance_of(page, "SA-002").get_by_text("Late", exact=True).click()
    page.get_by_role("button", name="Save session").click()

    expect(page).to_have_url(f"{site_url}{session_path(r.session)}")
    expect(page.get_by_role("row", name=re.compile("SA-002"))).to_contain_text("Late")
    history = page.get_by_role("region", name="History of this record")
    latest = history.get_by_role("listitem").first
    expect(latest).to_contain_text("Lucía Ramírez")
    expect(latest).to_contain_text("correction")
    expect(latest.get_by_role("listitem")).to_have_text(["SA-002: attendance: Present → Late"])

    correction = SessionChange.objects.get(session=r.session, is_correction=True)
    assert correction.changed_by == r.facilitator
    assert correction.changes == [
        {"who": "SA-002", "field": "status", "old": "present", "new": "late"}
    ]
    assert SessionChange.objects.filter(session=r.session).count() == 2
    assert Attendance.objects.get(participant__code="SA-002").status == "late"


def test_a_safety_alert_reaches_the_coordinator(
    page, browser, browser_context_args, site_url, recording, mailoutbox
):
    r = recording
    coordinator = factories.coordinator_of(
        r.group.site,
        factories.UserFactory(username="marta", first_name="Marta", email="marta@example.org"),
    )
    open_record_page(page, site_url, r)
    row = row_of(page, "SA-005")
    row.get_by_text("Check-in", exact=True).click()
    row.get_by_label("Yes", exact=True).check()
    row.get_by_label("Physical", exact=True).check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("status")).to_contain_text("Session saved.")

    context = browser.new_context(**browser_context_args)
    try:
        home = context.new_page()
        log_in(home, site_url, coordinator)
        alerts = home.get_by_role("region", name="Safety alerts to acknowledge")
        expect(alerts).to_be_visible()
        expect(alerts).to_contain_text("Physical violence reported")
        expect(alerts.get_by_role("link", name="SA-005")).to_be_visible()
        # The alerts come first on the page: nothing but the greeting above them.
        assert home.locator("main section").first.get_attribute("aria-labelledby") == (
            "alerts-heading"
        )
        alerts.get_by_label("What was done").fill("Llamé a la coordinadora de pareja")
        home.get_by_role("button", name="Acknowledge alert about SA-005").click()
        expect(home.get_by_role("status")).to_contain_text("Alert about SA-005 acknowledged.")
        expect(alerts).to_have_count(0)
    finally:
        context.close()

    alert = SafetyAlert.objects.get()
    assert (alert.participant.code, alert.reasons) == ("SA-005", ["physical"])
    assert alert.acknowledgement_note == "Llamé a la coordinadora de pareja"
    assert alert.acknowledged_by == coordinator
    assert alert.acknowledged_at is not None
    # The save queued her email for the task engine; a worker sends it (here this process,
    # as the live server runs in a thread of it: the email lands in this outbox).
    assert mailoutbox == []
    assert run_queued_tasks() == 1
    assert [message.to for message in mailoutbox] == [["marta@example.org"]]
    assert r.group.name in mailoutbox[0].subject
    # The email names the group and date only; the man and his check-in stay behind the login.
    assert "SA-005" not in mailoutbox[0].subject + mailoutbox[0].body


def test_the_second_of_two_simultaneous_saves_merges_without_retyping(
    page, browser, browser_context_args, site_url, recording
):
    r = recording
    pedro = factories.facilitator_of(
        r.group, factories.UserFactory(username="pedro", first_name="Pedro")
    )
    open_record_page(page, site_url, r)  # Lucía
    context = browser.new_context(**browser_context_args)
    try:
        other = context.new_page()
        log_in(other, site_url, pedro, next_path=record_path(r.session))
        expect(other.get_by_role("radiogroup")).to_have_count(MEN)

        attendance_of(page, "SA-003").get_by_text("Late", exact=True).click()
        page.get_by_role("button", name="Save session").click()
        expect(page.get_by_role("status")).to_contain_text("Session saved.")

        attendance_of(other, "SA-003").get_by_text("Excused absence", exact=True).click()
        with other.expect_response(
            lambda response: response.request.method == "POST"
        ) as response_info:
            other.get_by_role("button", name="Save session").click()
        assert response_info.value.status == 409
        expect(other.get_by_role("status")).to_contain_text(CONFLICT)
        expect(other).to_have_url(f"{site_url}{record_path(r.session)}")
        # His own entry is still there, Lucía's beside it; he chooses hers for SA-003.
        row = other.get_by_role("group", name=re.compile(r"^SA-003 · "))
        expect(
            attendance_of(other, "SA-003").get_by_label("Excused absence", exact=True)
        ).to_be_checked()
        expect(row).to_contain_text("Saved by someone else: Late")
        assert Attendance.objects.get(participant__code="SA-003").status == "late"
        row.get_by_label("Take the saved version").check()
        attendance_of(other, "SA-004").get_by_text("Late", exact=True).click()
        other.get_by_role("button", name="Save session").click()
        expect(other.get_by_role("status")).to_contain_text("Session saved.")
    finally:
        context.close()

    saved = dict(Attendance.objects.values_list("participant__code", "status"))
    assert (saved["SA-003"], saved["SA-004"]) == ("late", "late")
    assert GroupSession.objects.get(pk=r.session.pk).version == 2
    assert SessionChange.objects.filter(session=r.session).count() == 2


def test_the_record_page_has_no_serious_accessibility_problems_on_a_phone(
    page, site_url, recording, run_axe, browser_problems
):
    page.set_viewport_size(PHONE_VIEWPORT)
    open_record_page(page, site_url, recording)
    # With one check-in open too: a closed <details> hides its fields from axe.
    row_of(page, "SA-001").get_by_text("Check-in", exact=True).click()
    expect(row_of(page, "SA-001").get_by_label("Reflection")).to_be_visible()

    violations = [v for v in run_axe() if v["impact"] in ("serious", "critical")]
    assert violations == [], [
        (v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"]])
        for v in violations
    ]
    assert browser_problems == []


def test_the_record_page_works_without_javascript(
    browser, browser_context_args, site_url, recording
):
    r = recording
    context = browser.new_context(
        **browser_context_args, java_script_enabled=False, viewport=PHONE_VIEWPORT
    )
    try:
        page = context.new_page()
        open_record_page(page, site_url, r)
        # The buttons are labels of real (visually hidden) radio inputs.
        attendance_of(page, "SA-010").get_by_text("Excused absence", exact=True).click()
        expect(
            attendance_of(page, "SA-010").get_by_label("Excused absence", exact=True)
        ).to_be_checked()
        row = row_of(page, "SA-011")
        row.get_by_text("Check-in", exact=True).click()  # <details> opens without scripts
        row.get_by_label("Declined to say", exact=True).check()
        page.get_by_role("button", name="Save session").click()
        expect(page).to_have_url(f"{site_url}{session_path(r.session)}")
        expect(state_of_session(page)).to_have_text("Recorded")
    finally:
        context.close()

    saved = dict(Attendance.objects.values_list("participant__code", "status"))
    assert saved["SA-010"] == "excused"
    assert Attendance.objects.get(participant__code="SA-011").violence == "declined"
    assert list(saved.values()).count("present") == MEN - 1


def test_recording_in_spanish(page, site_url, recording):
    """The site's default language, with the labels of the Spanish catalogue."""
    labels = [
        "Attendance of %(code)s",
        "Unexcused absence",
        "Save session",
        "Session saved.",
        "Recorded",
    ]
    untranslated = [label for label in labels if spanish(label) == label]
    assert untranslated == [], f"not in locale/es/LC_MESSAGES/django.po yet: {untranslated}"
    r = recording
    page.set_viewport_size(PHONE_VIEWPORT)
    open_record_page(page, site_url, r, language="es")
    expect(page.locator("html")).to_have_attribute("lang", "es")

    attendance = attendance_of(page, "SA-006", spanish("Attendance of %(code)s"))
    attendance.get_by_text(spanish("Unexcused absence"), exact=True).click()
    page.get_by_role("button", name=spanish("Save session")).click()

    expect(page).to_have_url(f"{site_url}{session_path(r.session)}")
    expect(page.get_by_role("status")).to_contain_text(spanish("Session saved."))
    expect(page.get_by_role("row", name=re.compile("SA-006"))).to_contain_text(
        spanish("Unexcused absence")
    )
    assert Attendance.objects.get(participant__code="SA-006").status == "unexcused"


def test_the_save_button_stays_on_top_of_the_rows_scrolling_under_it(page, site_url, recording):
    """The Save button sticks to the bottom of a phone's screen; the rows scroll under it.

    A selected attendance button (Bootstrap gives `.btn-check:checked + .btn` in a `.btn-group`
    `z-index: 1`) must not be painted over it, nor take the tap meant for Save."""
    page.set_viewport_size(PHONE_VIEWPORT)
    open_record_page(page, site_url, recording)
    save = page.get_by_role("button", name="Save session")
    present = attendance_of(page, "SA-010").get_by_text("Present", exact=True)
    tapped = page.evaluate(
        """([label, save]) => {
            const middle = (box) => box.top + box.height / 2;
            window.scrollBy({top: middle(label.getBoundingClientRect())
                - middle(save.getBoundingClientRect()), behavior: "instant"});
            const box = label.getBoundingClientRect();
            const hit = document.elementFromPoint(box.left + box.width / 2, middle(box));
            return save.contains(hit) ? "Save" : hit.outerHTML;
        }""",
        [present.element_handle(), save.element_handle()],
    )
    assert tapped == "Save"
