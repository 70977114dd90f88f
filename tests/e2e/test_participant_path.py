"""A man's path, driven by his coordinator in Chromium: a referral registered through the form,
his intake and enrolment, his first session on the facilitator's record page, a follow-up from
the at-risk list, completing and transferring his enrolment.

The tests run in English (the language cookie, as the switcher sets it) so that they do not
depend on the wording of the Spanish catalogue, except `test_registering_a_referral_in_spanish`,
which runs in the site's default language with the labels of that catalogue."""

import re
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participants.models import Enrolment, FollowUp, Participant, Referral
from tests import factories
from tests.e2e.conftest import PHONE_VIEWPORT
from tests.e2e.helpers import DAY, attended, log_in, most_recent, spanish

pytestmark = pytest.mark.e2e

NOT_MET = "He has not met the programme's rules"


@pytest.fixture
def path(transactional_db):
    """Site A ("SA") with two groups of the weekly programme, "Martes A" (Tuesdays, with a
    facilitator) and "Jueves A" (Thursdays), and the site's coordinator."""
    site = factories.SiteFactory(name="Sede A", code="SA")
    today = timezone.localdate(timezone=site.tzinfo)
    programme = factories.ProgrammeFactory(name="Grupo semanal GENDES", required_sessions=24)
    martes = factories.GroupFactory(
        site=site, programme=programme, name="Martes A", weekdays="1", start_date=today - 200 * DAY
    )
    jueves = factories.GroupFactory(
        site=site, programme=programme, name="Jueves A", weekdays="3", start_date=today - 200 * DAY
    )
    facilitator = factories.facilitator_of(
        martes,
        factories.UserFactory(username="lucia", first_name="Lucía", last_name="Ramírez"),
    )
    coordinator = factories.coordinator_of(
        site, factories.UserFactory(username="marta", first_name="Marta", last_name="Díaz")
    )
    return SimpleNamespace(
        site=site,
        today=today,
        programme=programme,
        martes=martes,
        jueves=jueves,
        facilitator=facilitator,
        coordinator=coordinator,
    )


def enrolled_man(group, code, first_name, *, since):
    man = factories.ParticipantFactory(site=group.site, code=code, first_name=first_name)
    factories.ReferralFactory(participant=man, referred_on=since - 7 * DAY)
    factories.EnrolmentFactory(participant=man, group=group, start_date=since)
    return man


def man_path(man):
    return f"/participants/{man.pk}/"


def detail_value(page, term):
    """The <dd> after the <dt> `term` in a man's page's details."""
    return page.locator("dt", has_text=re.compile(rf"^{re.escape(term)}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


def enrolment_item(page, group_name):
    enrolments = page.get_by_role("heading", name="Enrolments", exact=True).locator(
        "xpath=following-sibling::ul[1]"
    )
    return enrolments.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=group_name, exact=True)
    )


def labelled(scope, text):
    """The field labelled `text` (crispy marks a required field's label with "*")."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$"))


def duplicate_ids(page):
    """The ids that more than one element of the page carries."""
    return page.evaluate(
        """() => {
            const count = {};
            for (const el of document.querySelectorAll("[id]")) {
                count[el.id] = (count[el.id] || 0) + 1;
            }
            return Object.keys(count).filter((id) => count[id] > 1).sort();
        }"""
    )


def assert_no_serious_violations(violations):
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], [
        (v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"]]) for v in serious
    ]


def test_a_referral_reaches_his_first_session(
    page, browser, browser_context_args, site_url, path, browser_problems
):
    p = path
    session_day = most_recent(1, p.today)  # today or the latest Tuesday
    session = factories.GroupSessionFactory(group=p.martes, date=session_day)

    log_in(page, site_url, p.coordinator, next_path="/participants/new/")
    expect(page.get_by_role("heading", name="Register a referral")).to_be_visible()
    the_man = page.get_by_role("group", name="The man")
    expect(the_man.get_by_label("Site")).to_have_value(str(p.site.pk))  # his only site
    the_man.get_by_label("First name").fill("Ernesto")
    the_man.get_by_label("Last name").fill("Salas Vega")
    the_man.get_by_label("Birth date").fill("1985-04-12")
    the_man.get_by_label("Phone").fill("55 1234 5678")
    the_man.get_by_label("Email").fill("ernesto@example.org")
    the_man.get_by_label("Preferred contact times").fill("Tardes, después de las 17:00")
    expect(the_man.get_by_label("Code")).to_have_value("")  # empty: the next code of his site
    referral = page.get_by_role("group", name="The referral")
    referral.get_by_label("Referred by").select_option(label="Court / judicial")
    referral.get_by_label("Referring institution").fill("Juzgado Tercero de lo Familiar")
    referral.get_by_label("Reference number").fill("EXP-123/2026")
    referral.get_by_label("Referral date").fill((p.today - 3 * DAY).isoformat())
    referral.get_by_label("Progress reports go back to the referrer").check()
    referral.get_by_label("Notes").fill("Canalizado tras audiencia.")
    page.get_by_role("button", name="Register", exact=True).click()

    man = Participant.objects.get(first_name="Ernesto")
    expect(page).to_have_url(f"{site_url}{man_path(man)}")
    expect(page.get_by_role("status")).to_contain_text(
        "SA-0001 registered. Record his intake and enrol him in a group."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("SA-0001 · Ernesto")
    expect(page.get_by_role("region", name=re.compile("^Standing"))).to_contain_text("Not enrolled")
    expect(detail_value(page, "Status")).to_have_text("Referred")
    expect(page.get_by_text("Juzgado Tercero de lo Familiar")).to_contain_text(
        "progress reports requested"
    )

    intake = page.get_by_role("region", name="Intake", exact=True)
    intake.get_by_label("Intake date").fill((p.today - DAY).isoformat())
    intake.get_by_label("He gave his informed consent").check()
    intake.get_by_label("Consent date").fill((p.today - DAY).isoformat())
    intake.get_by_label("Version of the consent text").fill("2026-1")
    intake.get_by_label("Intake notes").fill("Acepta el encuadre del grupo.")
    intake.get_by_role("button", name="Save intake").click()
    expect(page.get_by_role("status")).to_contain_text("Intake saved.")
    expect(detail_value(page, "Consent")).to_contain_text("version 2026-1")

    enrol = page.get_by_role("region", name="Enrol in a group")
    enrol.get_by_label("Group").select_option(label="Martes A")
    enrol.get_by_label("First session on or after").fill(session_day.isoformat())
    enrol.get_by_role("button", name="Enrol", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("SA-0001 is enrolled in Martes A.")
    expect(enrolment_item(page, "Martes A")).to_contain_text("ongoing")
    expect(detail_value(page, "Status")).to_have_text("Active")
    expect(page.get_by_role("region", name="Close his enrolment in Martes A")).to_be_visible()
    expect(page.get_by_role("region", name="Enrol in a group")).to_have_count(0)
    assert browser_problems == []

    context = browser.new_context(**browser_context_args)
    try:
        lucia = context.new_page()
        log_in(lucia, site_url, p.facilitator, next_path=f"/sessions/{session.pk}/record/")
        expect(lucia.get_by_role("group", name="SA-0001 · Ernesto", exact=True)).to_be_visible()
        expect(lucia.get_by_role("radiogroup", name="Attendance of SA-0001")).to_be_visible()
        lucia.goto(f"{site_url}{p.martes.get_absolute_url()}")
        roster = lucia.get_by_role("region", name=re.compile(r"^Roster"))
        expect(roster.get_by_role("heading")).to_have_text("Roster (1 man)")
        expect(roster.get_by_role("row", name=re.compile("SA-0001"))).to_contain_text("Ernesto")
        # The facilitator sees his code and first name, never his contact details.
        expect(lucia.get_by_text("55 1234 5678")).to_have_count(0)
    finally:
        context.close()

    man.refresh_from_db()
    assert man.code == "SA-0001"
    assert man.status == "active"
    assert (man.consent_date, man.consent_version) == (p.today - DAY, "2026-1")
    assert man.intake_date == p.today - DAY
    enrolment = Enrolment.objects.get(participant=man)
    assert (enrolment.group, enrolment.start_date, enrolment.end_date) == (
        p.martes,
        session_day,
        None,
    )
    referral_row = Referral.objects.get(participant=man)
    assert referral_row.institution == "Juzgado Tercero de lo Familiar"
    assert (referral_row.source_type, referral_row.reference_number) == ("court", "EXP-123/2026")
    assert referral_row.referred_on == p.today - 3 * DAY
    assert referral_row.reports_requested is True


def test_logging_a_follow_up_from_the_at_risk_list(page, site_url, path, browser_problems):
    p = path
    last = most_recent(1, p.today)
    absent = enrolled_man(p.martes, "SA-0007", "Rodrigo", since=last - 60 * DAY)
    attended(absent, p.martes, ["present", "unexcused", "unexcused"], last=last)
    steady = enrolled_man(p.martes, "SA-0008", "Tomás", since=last - 60 * DAY)
    attended(steady, p.martes, ["present", "present", "present"], last=last)

    log_in(page, site_url, p.coordinator, next_path="/participants/at-risk/")
    expect(page.get_by_role("heading", name="Men at risk of dropping out")).to_be_visible()
    entry = page.get_by_role("listitem").filter(
        has=page.get_by_role("link", name="SA-0007", exact=True)
    )
    expect(entry).to_contain_text("2 consecutive absences")
    expect(entry).to_contain_text("Not contacted yet")
    expect(page.get_by_role("link", name="SA-0008", exact=True)).to_have_count(0)

    entry.get_by_role("link", name="Log a follow-up with SA-0007").click()
    expect(page).to_have_url(re.compile(rf"/participants/{absent.pk}/follow-ups/new/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a follow-up with SA-0007")
    expect(labelled(page, "Date")).to_have_value(p.today.isoformat())
    page.get_by_label("Channel").select_option(label="WhatsApp")
    page.get_by_label("Outcome").select_option(label="Reached: will return")
    page.get_by_label("Next step").fill("Recordarle la sesión del martes")
    page.get_by_label("Notes").fill("Tuvo turno doble en el trabajo dos semanas.")
    page.get_by_role("button", name="Save follow-up").click()

    expect(page).to_have_url(f"{site_url}/participants/at-risk/")
    expect(page.get_by_role("status")).to_contain_text("Follow-up saved for SA-0007.")
    entry = page.get_by_role("listitem").filter(
        has=page.get_by_role("link", name="SA-0007", exact=True)
    )
    expect(entry).to_contain_text("Last contacted on")
    expect(entry).to_contain_text("by Marta Díaz")
    expect(entry).not_to_contain_text("Not contacted yet")
    assert browser_problems == []

    follow_up = FollowUp.objects.get()
    assert follow_up.participant == absent
    assert follow_up.created_by == p.coordinator
    assert (follow_up.channel, follow_up.outcome) == ("whatsapp", "returning")
    assert follow_up.contacted_on == p.today
    assert follow_up.next_step == "Recordarle la sesión del martes"


def close_enrolment(page, group_name, *, outcome, reason=""):
    panel = page.get_by_role("region", name=f"Close his enrolment in {group_name}")
    panel.get_by_label(outcome, exact=True).check()
    if reason:
        panel.get_by_label("Reason").fill(reason)
    panel.get_by_role("button", name="Close enrolment").click()


def test_completing_an_enrolment_needs_the_rules_met_or_a_reason(page, site_url, path):
    p = path
    last = most_recent(1, p.today)
    # The weekly programme asks for 24 sessions: one attended is far from it.
    early = enrolled_man(p.martes, "SA-0011", "Luis", since=last - 30 * DAY)
    attended(early, p.martes, ["present"], last=last)

    log_in(page, site_url, p.coordinator, next_path=man_path(early))
    standing = page.get_by_role("region", name=re.compile("^Standing"))
    expect(standing).to_contain_text("On track")
    expect(standing).to_contain_text("1 of 24 sessions attended")

    close_enrolment(page, "Martes A", outcome="Completed")
    # Refused: the man's page is shown again (at the form's address) with what was chosen.
    expect(page.get_by_role("radio", name="Completed")).to_be_checked()
    error = page.get_by_role("status").locator(".alert-danger")
    expect(error).to_have_text(re.compile(rf"^{re.escape(NOT_MET)}"))
    expect(error).to_contain_text("write the reason for the exception")
    expect(enrolment_item(page, "Martes A")).to_contain_text("ongoing")
    assert Enrolment.objects.get(participant=early).end_date is None

    close_enrolment(
        page, "Martes A", outcome="Completed", reason="El juzgado dio por cumplida la medida."
    )
    expect(page.get_by_role("status")).to_contain_text("Enrolment closed.")
    expect(detail_value(page, "Status")).to_have_text("Completed")
    expect(enrolment_item(page, "Martes A")).to_contain_text(
        "Completed · Completed by exception: El juzgado dio por cumplida la medida."
    )
    expect(page.get_by_role("region", name=re.compile("^Close his enrolment"))).to_have_count(0)
    early.refresh_from_db()
    assert early.status == "completed"
    enrolment = Enrolment.objects.get(participant=early)
    assert (enrolment.exit_status, enrolment.end_date) == ("completed", p.today)
    assert enrolment.exit_reason == (
        "Completed by exception: El juzgado dio por cumplida la medida."
    )

    # A short programme of 2 sessions, and a man who attended both.
    short = factories.ProgrammeFactory(name="Taller breve", required_sessions=2)
    taller = factories.GroupFactory(
        site=p.site, programme=short, name="Taller A", weekdays="1", start_date=last - 60 * DAY
    )
    ready = enrolled_man(taller, "SA-0012", "Raúl", since=last - 30 * DAY)
    attended(ready, taller, ["present", "late"], last=last)

    page.goto(f"{site_url}{man_path(ready)}")
    standing = page.get_by_role("region", name=re.compile("^Standing"))
    expect(standing).to_contain_text("Ready to complete")
    expect(standing).to_contain_text("2 of 2 sessions attended")
    close_enrolment(page, "Taller A", outcome="Completed")
    expect(page.get_by_role("status")).to_contain_text("Enrolment closed.")
    expect(page.get_by_role("status")).not_to_contain_text(NOT_MET)
    expect(detail_value(page, "Status")).to_have_text("Completed")
    ready.refresh_from_db()
    assert ready.status == "completed"
    enrolment = Enrolment.objects.get(participant=ready)
    assert (enrolment.exit_status, enrolment.exit_reason) == ("completed", "")


def test_transferring_a_man_to_another_group(page, site_url, path, browser_problems):
    p = path
    start = p.today - 60 * DAY
    man = enrolled_man(p.martes, "SA-0021", "Andrés", since=start)
    transfer_day = p.today - 2 * DAY

    log_in(page, site_url, p.coordinator, next_path=man_path(man))
    panel = page.get_by_role("region", name="Transfer to another group")
    # Only the other groups of his site are offered.
    expect(panel.get_by_label("New group").locator("option")).to_have_text(
        ["---------", "Jueves A"]
    )
    panel.get_by_label("New group").select_option(label="Jueves A")
    panel.get_by_label("Transfer date").fill(transfer_day.isoformat())
    reason = panel.get_by_label("Reason")
    expect(reason, "the transfer form's Reason field has no label of its own").to_have_count(1)
    reason.fill("Cambió su turno de trabajo a las tardes.")
    panel.get_by_role("button", name="Transfer", exact=True).click()

    expect(page).to_have_url(f"{site_url}{man_path(man)}")
    expect(page.get_by_role("status")).to_contain_text("Transferred to Jueves A.")
    old, new = enrolment_item(page, "Martes A"), enrolment_item(page, "Jueves A")
    expect(old).to_contain_text("Transferred")
    expect(old).to_contain_text("Cambió su turno de trabajo a las tardes.")
    expect(old).not_to_contain_text("ongoing")
    expect(new).to_contain_text("ongoing")
    expect(new).not_to_contain_text("Transferred")
    expect(detail_value(page, "Status")).to_have_text("Active")
    expect(page.get_by_role("region", name="Close his enrolment in Jueves A")).to_be_visible()
    assert browser_problems == []

    man.refresh_from_db()
    assert man.status == "active"
    enrolments = {e.group.name: e for e in Enrolment.objects.filter(participant=man)}
    assert set(enrolments) == {"Martes A", "Jueves A"}
    martes, jueves = enrolments["Martes A"], enrolments["Jueves A"]
    assert (martes.start_date, martes.end_date, martes.exit_status) == (
        start,
        transfer_day,
        "transferred",
    )
    assert martes.exit_reason == "Cambió su turno de trabajo a las tardes."
    assert (jueves.start_date, jueves.end_date, jueves.exit_status) == (transfer_day, None, "")


def test_the_mans_page_and_the_referral_form_have_no_serious_accessibility_problems_on_a_phone(
    page, site_url, path, run_axe, browser_problems, tmp_path
):
    p = path
    last = most_recent(1, p.today)
    man = enrolled_man(p.martes, "SA-0031", "Joaquín", since=last - 60 * DAY)
    man.phone, man.preferred_contact_times = "55 8765 4321", "Mañanas"
    man.save()
    attended(man, p.martes, ["present", "late", "excused", "present"], last=last)
    FollowUp.objects.create(
        participant=man,
        contacted_on=p.today - 10 * DAY,
        channel="phone",
        outcome="returning",
        next_step="Confirmar el martes",
        created_by=p.coordinator,
    )
    page.set_viewport_size(PHONE_VIEWPORT)

    log_in(page, site_url, p.coordinator, next_path=man_path(man))
    expect(page.get_by_role("region", name="Close his enrolment in Martes A")).to_be_visible()
    page.screenshot(path=tmp_path / "man-page-phone.png", full_page=True)
    page.screenshot(path=tmp_path / "man-page-phone-top.png")
    page.get_by_role("region", name="Close his enrolment in Martes A").screenshot(
        path=tmp_path / "man-page-phone-close.png"
    )
    assert_no_serious_violations(run_axe())
    # axe 4.x no longer checks that ids are unique; a label's `for` finds the first one only.
    shared_ids = duplicate_ids(page)

    # Without an open enrolment the page shows the intake and enrolment forms instead.
    newcomer = factories.ParticipantFactory(
        site=p.site, code="SA-0032", first_name="Iván", status="referred"
    )
    page.goto(f"{site_url}{man_path(newcomer)}")
    expect(page.get_by_role("region", name="Enrol in a group")).to_be_visible()
    page.screenshot(path=tmp_path / "newcomer-page-phone.png", full_page=True)
    assert_no_serious_violations(run_axe())

    page.goto(f"{site_url}/participants/new/")
    expect(page.get_by_role("heading", name="Register a referral")).to_be_visible()
    assert_no_serious_violations(run_axe())
    # And with the form's errors shown.
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_label("First name")).to_have_class(re.compile("is-invalid"))
    page.screenshot(path=tmp_path / "referral-errors-phone.png", full_page=True)
    assert_no_serious_violations(run_axe())
    assert duplicate_ids(page) == []
    # The empty form answers 400: that is the only response the page may fail with.
    assert [problem for problem in browser_problems if "/participants/new/" not in problem] == []
    assert shared_ids == [], "ids used twice on the man's page (its labels point elsewhere)"


def test_registering_a_referral_in_spanish(page, site_url, path):
    """The site's default language, with the labels of the Spanish catalogue."""
    labels = [
        "Register a referral",
        "The man",
        "The referral",
        "First name",
        "Last name",
        "Referred by",
        "Government institution",
        "Referring institution",
        "Referral date",
        "Register",
        "%(code)s registered. Record his intake and enrol him in a group.",
        "Referred",
        "Status",
    ]
    untranslated = [label for label in labels if spanish(label) == label]
    assert untranslated == [], f"not in locale/es/LC_MESSAGES/django.po yet: {untranslated}"
    p = path
    factories.ParticipantFactory(site=p.site, code="SA-0041", first_name="Mario")

    log_in(page, site_url, p.coordinator, language="es", next_path="/participants/new/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name=spanish("Register a referral"))).to_be_visible()
    the_man = page.get_by_role("group", name=spanish("The man"))
    labelled(the_man, spanish("First name")).fill("Héctor")
    labelled(the_man, spanish("Last name")).fill("Núñez Ortega")
    referral = page.get_by_role("group", name=spanish("The referral"))
    referral.get_by_label(spanish("Referred by")).select_option(
        label=spanish("Government institution")
    )
    referral.get_by_label(spanish("Referring institution")).fill("DIF Ciudad de México")
    referral.get_by_label(spanish("Referral date")).fill(p.today.isoformat())
    page.get_by_role("button", name=spanish("Register"), exact=True).click()

    man = Participant.objects.get(first_name="Héctor")
    expect(page).to_have_url(f"{site_url}{man_path(man)}")
    expect(page.get_by_role("status")).to_contain_text(
        spanish("%(code)s registered. Record his intake and enrol him in a group.", code="SA-0042")
    )
    expect(detail_value(page, spanish("Status"))).to_have_text(spanish("Referred"))
    expect(page.get_by_text("DIF Ciudad de México")).to_contain_text(
        spanish("Government institution")
    )
    assert man.code == "SA-0042"  # the next code of his site
    assert man.status == "referred"
    referral_row = Referral.objects.get(participant=man)
    assert (referral_row.source_type, referral_row.institution) == (
        "government",
        "DIF Ciudad de México",
    )
