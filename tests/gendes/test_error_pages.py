"""The error pages (400, 403, 404, 500, and the CSRF failure) in the app's layout and the
user's language, with DEBUG off as in production, and nothing of the request in them: no
traceback, no reason, no path."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

SECRET = "secret reason SA-0001"

# status: (English heading, the path that answers it)
PAGES = {
    400: ("Bad request", "/test-errors/400/"),
    403: ("Access denied", "/test-errors/403/"),
    404: ("Page not found", "/participants/987654/"),
    500: ("Server error", "/test-errors/500/"),
}


@pytest.fixture(autouse=True)
def failing_views(settings):
    settings.ROOT_URLCONF = "tests.gendes.error_urls"
    assert settings.DEBUG is False


def signed_in(user, language):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def assert_in_layout_and_silent(response, status, language):
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert 'href="/static/vendor/bootstrap/css/bootstrap.min.css"' in html
    assert '<a class="navbar-brand" href="/">GENDES</a>' in html
    assert SECRET not in html and "Traceback" not in html
    path = PAGES[status][1]
    assert path not in html  # not in the page, nor in the language switcher's "next"
    return html


@pytest.mark.parametrize("status", sorted(PAGES))
def test_error_page_in_english_shows_its_heading_and_the_way_home(cast, status):
    heading, path = PAGES[status]
    response = signed_in(cast.facilitator, "en").get(path)
    html = assert_in_layout_and_silent(response, status, "en")
    assert f'<h1 class="h3">{heading}</h1>' in html
    assert f"<title>{heading} · GENDES</title>" in html
    assert '<a href="/">Back to the home page</a>' in html


@pytest.mark.parametrize("status", sorted(PAGES))
def test_error_page_in_spanish_for_a_spanish_speaking_user(cast, status):
    response = signed_in(cast.facilitator, "es").get(PAGES[status][1])
    html = assert_in_layout_and_silent(response, status, "es")
    assert '<a href="/">Volver al inicio</a>' in html


@pytest.mark.parametrize("status", [400, 403, 404])
def test_error_pages_with_the_request_keep_the_menu_and_a_language_switcher_home(cast, status):
    html = signed_in(cast.facilitator, "en").get(PAGES[status][1]).content.decode()
    assert f'href="{reverse("sessions:my_week")}"' in html  # his menu
    assert '<input name="next" type="hidden" value="/">' in html


def test_the_500_page_renders_without_any_request_context():
    with translation.override("en"):
        html = render_to_string("500.html")
    assert '<h1 class="h3">Server error</h1>' in html
    assert "Log out" not in html and "csrfmiddlewaretoken" not in html
    with translation.override("es"):
        assert '<html lang="es">' in render_to_string("500.html")


def test_the_500_page_offers_no_menu_and_no_language_form(cast):
    html = signed_in(cast.facilitator, "en").get(PAGES[500][1]).content.decode()
    assert "navbar-nav" not in html
    assert 'action="/i18n/setlang/"' not in html


def test_an_anonymous_visitor_gets_the_login_redirect_not_the_404(client):
    response = client.get(PAGES[404][1])
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PAGES[404][1]}"


def test_a_request_for_an_unknown_host_gets_the_400_page(client, english):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert '<h1 class="h3">Bad request</h1>' in response.content.decode()
    assert "evil.example" not in response.content.decode()


def test_a_form_sent_without_its_csrf_token_gets_the_apps_403_page(cast):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(cast.facilitator)
    response = client.post(reverse("sessions:record", args=[cast.session_a.pk]), {})
    html = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="h3">The form was not sent</h1>' in html
    assert "CSRF" not in html and "Referer" not in html


def test_a_database_out_of_reach_answers_503_try_again_in_the_layout(cast):
    response = signed_in(cast.facilitator, "en").get("/test-errors/503/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Try again in a moment" in html and "Nothing was half-saved" in html
    assert SECRET not in html and "OperationalError" not in html
    assert 'href="/static/vendor/bootstrap/css/bootstrap.min.css"' in html


def test_any_other_failure_is_still_the_500_page(cast):
    response = signed_in(cast.facilitator, "en").get(PAGES[500][1])
    assert response.status_code == 500 and "Server error" in response.content.decode()
