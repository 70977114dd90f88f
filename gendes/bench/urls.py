"""The bench's URLconf: every project URL plus a bare page, applied only while the bench runs
(`override_settings(ROOT_URLCONF="gendes.bench.urls")`); production URLs never have it."""

from django.shortcuts import render
from django.urls import path

from gendes.urls import urlpatterns as project_urlpatterns

BARE_URL = "/__bench__/bare/"


def bare_view(request):
    """base.html with nothing in it: what every page costs before doing any work of its own
    (middleware, session, user, navbar)."""
    return render(request, "bench/bare.html")


urlpatterns = [path(BARE_URL.strip("/") + "/", bare_view, name="bench_bare"), *project_urlpatterns]
