"""A facilitator logs in with the browser and lands on his home page (desktop and phone)."""

import re

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PHONE_VIEWPORT

pytestmark = pytest.mark.e2e

# Bootstrap's --bs-primary (#0d6efd): proves the vendored stylesheet was served and applied.
BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"


def spanish(message, **values):
    """The Spanish text a person sees, from the same catalogues the app uses."""
    with translation.override("es"):
        text = translation.gettext(message)
    return text % values if values else text


# The login form's labels, as AuthenticationForm builds them ("Usuario" / "Contraseña" today;
# the project's catalogue may word them differently from Django's own).
USERNAME_LABEL = "username"
PASSWORD_LABEL = "Password"


def fill_login_form(page, username, password):
    page.get_by_label(capfirst(spanish(USERNAME_LABEL))).fill(username)
    page.get_by_label(spanish(PASSWORD_LABEL)).fill(password)
    page.get_by_role("button", name=spanish("Log in"), exact=True).click()


@pytest.fixture
def facilitator(transactional_db):
    group = factories.GroupFactory(name="Grupo Martes Noche")
    user = factories.facilitator_of(
        group, factories.UserFactory(username="lucia", first_name="Lucía")
    )
    return user, group


@pytest.mark.parametrize("viewport", [None, PHONE_VIEWPORT], ids=["desktop", "phone"])
def test_facilitator_logs_in_and_sees_his_groups(
    page, site_url, facilitator, browser_problems, viewport
):
    user, group = facilitator
    if viewport:
        page.set_viewport_size(viewport)
    stylesheets = []
    page.on(
        "response",
        lambda response: (
            stylesheets.append(response.status)
            if response.url.endswith("bootstrap.min.css")
            else None
        ),
    )

    page.goto(f"{site_url}/")  # Not logged in: LoginRequiredMiddleware sends him to log in.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # The texts below really are Spanish (not English falling through a missing translation).
    assert spanish(USERNAME_LABEL) != USERNAME_LABEL and spanish("Log in") != "Log in"
    fill_login_form(page, user.username, factories.PASSWORD)

    expect(page).to_have_url(f"{site_url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        spanish("Hello, %(name)s", name="Lucía")
    )
    expect(page.get_by_role("link", name=group.name)).to_be_visible()
    assert stylesheets and set(stylesheets) <= {200, 304}, stylesheets  # 304: from cache
    assert browser_problems == []


def test_wrong_password_keeps_him_on_the_login_page(page, site_url, facilitator):
    user, _group = facilitator
    page.goto(f"{site_url}/accounts/login/")
    fill_login_form(page, user.username, "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    error = spanish(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive.",
        username=spanish("username"),
    )
    expect(page.get_by_text(error)).to_be_visible()


def test_login_page_has_no_serious_accessibility_or_csp_problems(
    page, site_url, browser_problems, run_axe
):
    page.goto(f"{site_url}/accounts/login/")
    expect(page.get_by_label(capfirst(spanish(USERNAME_LABEL)))).to_be_visible()
    # Bootstrap's stylesheet applied (colour contrast is only meaningful with it).
    colour = page.get_by_role("button", name=spanish("Log in"), exact=True).evaluate(
        "button => getComputedStyle(button).backgroundColor"
    )
    assert colour == BOOTSTRAP_PRIMARY

    violations = [v for v in run_axe() if v["impact"] in ("serious", "critical")]
    assert violations == [], [
        (v["id"], v["impact"], v["help"], [node["target"] for node in v["nodes"]])
        for v in violations
    ]
    csp = [problem for problem in browser_problems if "Content Security Policy" in problem]
    assert csp == []
    assert browser_problems == []
