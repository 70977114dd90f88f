"""Every URL pattern, and what an anonymous client gets for it: login is required
everywhere but the explicit allowlist."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Public by design: logging in, resetting a password, and switching language.
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "privacy",
    "sessions:service_worker",
}


def iter_patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from iter_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace, entry.name, prefix + str(entry.pattern)


def concrete(route):
    """A URL for a route pattern, with 1 for every parameter."""
    import re

    route = route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    route = re.sub(r"<[^>]+>", "1", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", route)
    route = re.sub(r"\([^)]*\)", "", route)
    return "/" + route.lstrip("/")


def app_routes():
    for namespace, name, route in iter_patterns():
        if namespace.startswith("admin:"):
            continue
        yield f"{namespace}{name}", concrete(route)


def test_the_url_list_is_not_empty_and_names_every_app():
    names = {name for name, _ in app_routes()}
    assert {"home", "programmes:group_list", "participants:list", "participants:detail"} <= names
    assert {"sessions:group_detail", "sessions:detail"} <= names


@pytest.mark.parametrize("name,url", sorted(app_routes()))
def test_anonymous_client_gets_login_redirect_except_for_public_pages(client, name, url):
    response = client.get(url)
    if name == "two_factor:login":  # the library's name for the app's login page
        assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    elif name in PUBLIC:
        # set_language answers a GET with a redirect to the same page; the rest render.
        assert response.status_code in (200, 302), (name, url)
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"], (name, url)
    else:
        assert response.status_code == 302, (name, url)
        assert response["Location"].startswith("/accounts/login/?next="), (name, url)


def test_anonymous_client_gets_admin_login_for_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/") or response["Location"].startswith(
        "/accounts/login/"
    )


def test_anonymous_post_changes_nothing_and_redirects(client):
    from django.contrib.auth import get_user_model

    before = get_user_model().objects.count()
    response = client.post("/accounts/password/change/", {"new_password1": "x"})
    assert response.status_code == 302
    assert get_user_model().objects.count() == before
