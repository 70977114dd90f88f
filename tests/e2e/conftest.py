"""Browser tests: Playwright (sync API) driving the system Chromium against `live_server`.

Playwright's own `playwright install` cannot download a browser on these machines, so the
launch fixture points at the Chromium that the system package manager installed
(CHROMIUM_PATH, default /usr/bin/chromium). Without that binary every test in this folder is
skipped with a reason that says so.
"""

import datetime
import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from tests import factories

# The sync API runs an event loop in the main thread for the whole session; without this the
# ORM (in these tests and in every test that runs after them) raises SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent
PROJECT_DIR = E2E_DIR.parent.parent
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Otherwise Chromium keeps trying to reach hosts that these machines cannot reach.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}


def chromium_missing_reason():
    path = shutil.which(CHROMIUM_PATH)
    if path is None:
        return (
            f"Chromium not found at {CHROMIUM_PATH!r} (set CHROMIUM_PATH or install it: "
            "apt-get install -y chromium); browser tests skipped"
        )
    return None


def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder `e2e`, and skip them all when there is no Chromium.

    Skipping at collection matters: the session-scoped browser fixture would otherwise try to
    launch the missing binary and error instead of skipping."""
    reason = chromium_missing_reason()
    for item in items:
        if E2E_DIR not in Path(str(item.path)).resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        # pytest-playwright's fallback `base_url` fixture trips a pytest deprecation warning.
        item.add_marker(
            pytest.mark.filterwarnings(
                "ignore:Session-scoped fixtures defined as instance methods"
                ":pytest.PytestRemovedIn10Warning"
            )
        )
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def _plain_http_live_server_settings(django_test_environment):
    """Settings the live server's middleware reads once, when its thread starts.

    The live server speaks plain HTTP, so the production redirect to HTTPS must be off before
    it starts (the function-scoped `_test_settings` fixture comes too late for the
    session-scoped server: SecurityMiddleware reads SECURE_SSL_REDIRECT when it is built)."""
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def live_server(_plain_http_live_server_settings, live_server):
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Spanish-speaking user's browser: the site's default language is Spanish and
    # LocaleMiddleware follows Accept-Language.
    return {**browser_context_args, "locale": "es-MX"}


@pytest.fixture
def site_url(live_server):
    """The live server's root URL, without a trailing slash (the database is transactional)."""
    return live_server.url.rstrip("/")


@pytest.fixture
def browser_problems(page):
    """Console errors (CSP violations among them), uncaught page errors and failed requests,
    collected while the test runs; a test asserts the list is empty once its pages loaded.

    A failed request also logs a console error without its URL; those are replaced by the
    response, with its URL. The browser's own request for /favicon.ico is not the page's."""
    problems = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console error: {message.text}")

    def on_response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    return problems


@pytest.fixture(scope="session")
def axe_source():
    path = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        pytest.fail(f"{path} is missing: run `npm ci` (axe-core is a devDependency)")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def run_axe(page, axe_source):
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page and return its violations.

    The strict Content-Security-Policy blocks `add_script_tag`; `page.evaluate` goes through
    the DevTools protocol and is not subject to it."""

    def run():
        page.evaluate(axe_source)
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        return result["violations"]

    return run


MEN = 15


@pytest.fixture
def recording(transactional_db):
    """A group of 15 enrolled men (SA-001 … SA-015), one facilitator and a session a week ago
    that nobody recorded yet."""
    group = factories.GroupFactory(name="Grupo Martes Noche")
    day = timezone.localdate() - datetime.timedelta(days=7)
    men = [
        factories.ParticipantFactory(site=group.site, code=f"SA-{n:03d}") for n in range(1, MEN + 1)
    ]
    for man in men:
        factories.EnrolmentFactory(
            participant=man, group=group, start_date=day - datetime.timedelta(days=60)
        )
    session = factories.GroupSessionFactory(group=group, date=day)
    facilitator = factories.facilitator_of(
        group,
        factories.UserFactory(username="lucia", first_name="Lucía", last_name="Ramírez"),
    )
    return SimpleNamespace(group=group, men=men, session=session, facilitator=facilitator)
