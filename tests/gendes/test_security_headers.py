"""Security headers on real pages, and markup that a strict Content-Security-Policy allows."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Collects what `script-src 'self'` / `style-src 'self'` would block: inline scripts,
    <style> elements, style="" attributes and on*="" event-handler attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> element")
        if "style" in names:
            self.found.append(f"style= on <{tag}>")
        self.found += [f"{name}= on <{tag}>" for name in names if name.startswith("on")]


def inline_code_in(response):
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser.found


@pytest.fixture
def home(cast, login_as):
    response = login_as(cast.facilitator).get(reverse("home"))
    assert response.status_code == 200
    return response


def test_home_page_sends_a_strict_content_security_policy(home):
    policy = home.headers["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_home_page_sends_the_other_security_headers(home):
    assert home.headers["X-Frame-Options"] == "DENY"
    assert home.headers["X-Content-Type-Options"] == "nosniff"
    assert home.headers["Referrer-Policy"] == "same-origin"
    assert home.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_home_page_has_no_inline_script_or_style(home, cast):
    assert cast.group_a.name in home.content.decode()  # the full page, with his groups
    assert inline_code_in(home) == []


def test_login_page_has_no_inline_script_or_style_and_sends_csp():
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert inline_code_in(response) == []


def test_inline_code_finder_finds_what_the_policy_blocks():
    parser = InlineCode()
    parser.feed(
        '<script src="/static/a.js"></script><script>alert(1)</script>'
        '<p style="color: red" onclick="x()">a</p><style>p {}</style>'
    )
    assert parser.found == [
        "<script> without src",
        "style= on <p>",
        "onclick= on <p>",
        "<style> element",
    ]


# --- Permissions-Policy: the browser features the app never uses are denied -----------------

DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "hid"]


def permissions_policy(response):
    """The Permissions-Policy header as {feature: allowlist}."""
    header = response.headers["Permissions-Policy"]
    pairs = (part.strip().split("=", 1) for part in header.split(","))
    return {feature: allowlist for feature, allowlist in pairs}


def test_home_page_denies_every_browser_feature_the_app_does_not_use(home):
    policy = permissions_policy(home)
    for feature in DENIED_FEATURES:
        assert policy[feature] == "()", feature
    # Nothing is allowed anywhere: every feature named has an empty allowlist.
    assert set(policy.values()) == {"()"}
    assert len(policy) == 23


def test_login_page_sends_the_same_permissions_policy(home):
    response = Client().get(reverse("login"))
    assert response.headers["Permissions-Policy"] == home.headers["Permissions-Policy"]


# --- Cache-Control: what a signed-in user sees is never stored ------------------------------

NEVER_STORED = "max-age=0, no-cache, no-store, must-revalidate, private"


def signed_in_pages(cast):
    return [
        ("facilitator", reverse("home")),
        ("facilitator", reverse("participants:list")),
        ("facilitator", reverse("participants:detail", args=[cast.man_a.pk])),
        ("facilitator", reverse("sessions:group_detail", args=[cast.group_a.pk])),
        ("facilitator", reverse("sessions:detail", args=[cast.session_a.pk])),
        ("facilitator", reverse("sessions:record", args=[cast.session_a.pk])),
        ("coordinator", reverse("reports:dashboard")),
        ("coordinator", reverse("participants:at_risk")),
        ("partner", reverse("partner:list")),
        ("admin", "/admin/"),
    ]


def test_every_signed_in_page_is_sent_with_no_store(cast, login_as):
    for who, url in signed_in_pages(cast):
        response = login_as(getattr(cast, who)).get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == NEVER_STORED, url
        assert "Expires" in response.headers, url


def test_a_signed_in_users_404_and_redirects_are_not_stored_either(cast, login_as):
    client = login_as(cast.facilitator)
    missing = client.get(reverse("participants:detail", args=[cast.man_b.pk]))
    assert missing.status_code == 404
    assert missing.headers["Cache-Control"] == NEVER_STORED
    moved = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert moved.status_code == 302
    assert moved.headers["Cache-Control"] == NEVER_STORED


def test_public_pages_for_anonymous_visitors_keep_normal_caching(client):
    # Django's own login view is never_cache (its CSRF token); the others are left alone.
    response = client.get(reverse("password_reset_done"))
    assert response.status_code == 200
    assert "Cache-Control" not in response.headers
    assert "Permissions-Policy" in response.headers


def test_static_files_are_cached_normally_even_for_a_signed_in_user(cast, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()  # a new client loads the middleware with these settings
    client.force_login(cast.facilitator)
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers["Cache-Control"]
    assert response.headers["Cache-Control"].startswith("max-age=")
