"""The men's list searched in Chromium with JavaScript off: the form posts, the results come
at an opaque key, the name is in no URL the browser visited (its history), and paging and
the back button keep the search."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def list_of_men(transactional_db):
    site = factories.SiteFactory(name="Sede A", code="SA")
    group = factories.GroupFactory(site=site, name="Martes A")
    for n in range(1, 31):
        man = factories.ParticipantFactory(
            site=site, code=f"SA-{n:04d}", first_name="Luis", last_name="Zamora"
        )
        factories.EnrolmentFactory(participant=man, group=group)
    factories.ParticipantFactory(site=site, code="SA-0099", first_name="Juan", last_name="Soto")
    return factories.coordinator_of(site, factories.UserFactory(username="marta"))


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    yield context.new_page()
    context.close()


def test_searching_a_name_without_javascript_keeps_it_out_of_every_url(
    page_without_js, site_url, list_of_men
):
    page = page_without_js
    visited = []
    page.on("request", lambda request: visited.append(request.url))
    log_in(page, site_url, list_of_men, next_path="/participants/")
    page.get_by_label("Code or name").fill("Zamora")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/participants/\?search=[\w-]{16}$"))
    expect(page.get_by_role("link", name="SA-0001")).to_be_visible()
    expect(page.get_by_role("link", name="SA-0099")).to_have_count(0)
    expect(page.get_by_label("Code or name")).to_have_value("Zamora")

    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"\?search=[\w-]{16}&page=2$"))
    expect(page.get_by_role("link", name="SA-0030")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("link", name="SA-0001")).to_be_visible()
    assert [url for url in visited if "zamora" in url.lower()] == []
