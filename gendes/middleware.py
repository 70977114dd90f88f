"""The project's middleware: signed-in users' pages are never stored, a login ends after a
while without requests, and roles that must use a second factor reach nothing else before
they have."""

import time

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django_otp import user_has_device

from gendes.accounts.policy import must_use_second_factor


class NoStoreForSignedInMiddleware:
    """Responses to signed-in users are never stored: not by the browser (its history, its
    disk cache on a shared office computer), nor by any proxy on the way. They show names,
    check-ins and reflections. Public pages (login, password reset) and static files (served
    by WhiteNoise before this runs) keep their normal caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Asked after the view: a page drawn for a user who has just logged in is his too.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Django's never_cache: "max-age=0, no-cache, no-store, must-revalidate, private".
            add_never_cache_headers(response)
        return response


class SecondFactorRequiredMiddleware:
    """A user whose role must use a second factor (gendes.accounts.policy) reaches only the
    pages that set one up, the language switch and logout until this login has passed it.
    Without a device he is sent to set one up; with one (a login from before the rule was
    on) he logs in again, code included."""

    OPEN = {"set_language", "logout", "login", "privacy", "service_worker"}
    OPEN_NAMESPACE = "two_factor"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if user.is_verified() or not must_use_second_factor(user):
            return None
        match = request.resolver_match
        if match and (match.url_name in self.OPEN or self.OPEN_NAMESPACE in match.namespaces):
            return None
        if user_has_device(user):
            logout(request)
            return redirect_to_login(request.path)
        return redirect("two_factor:setup")


class IdleExpiryMiddleware:
    """A login ends SESSION_COOKIE_AGE after its last request (shared computers at community
    centres). Django moves a session's expiry only when it saves it; saving it on every
    request (SESSION_SAVE_EVERY_REQUEST) would be a write per page, so it is saved at most
    once a minute, which moves the expiry to the minute just the same."""

    KEY = "_idle_since"
    EVERY = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            mark(request.session)
        return response


def mark(session, now=None):
    """Note this request on the session when the last note is a minute old (it then saves)."""
    now = int(time.time() if now is None else now)
    if now - session.get(IdleExpiryMiddleware.KEY, 0) >= IdleExpiryMiddleware.EVERY:
        session[IdleExpiryMiddleware.KEY] = now
