"""The app's URLs plus views that fail on purpose, to draw the error pages (test_error_pages)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.urls import path

from gendes.urls import handler500  # noqa: F401  (the app's, as in production)
from gendes.urls import urlpatterns as app_urlpatterns


def refused(request):
    raise PermissionDenied("secret reason SA-0001")


def suspicious(request):
    raise SuspiciousOperation("secret reason SA-0001")


def database_down(request):
    raise OperationalError("could not connect to server: secret reason SA-0001")


def broken(request):
    raise RuntimeError("secret reason SA-0001")


urlpatterns = [
    path("test-errors/403/", refused),
    path("test-errors/400/", suspicious),
    path("test-errors/500/", broken),
    path("test-errors/503/", database_down),
    *app_urlpatterns,
]
