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
