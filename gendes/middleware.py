"""Responses to signed-in users are never stored: not by the browser (its history, its disk
cache on a shared office computer), nor by any proxy on the way. They show names, check-ins
and reflections. Public pages (login, password reset) and static files (served by WhiteNoise
before this runs) keep their normal caching."""

from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
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
