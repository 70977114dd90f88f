"""The app's URLs plus views that fail on purpose, to draw the error pages (test_error_pages)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from gendes.urls import urlpatterns as app_urlpatterns


def refused(request):
    raise PermissionDenied("secret reason SA-0001")


def suspicious(request):
    raise SuspiciousOperation("secret reason SA-0001")


def broken(request):
    raise RuntimeError("secret reason SA-0001")


urlpatterns = [
    path("test-errors/403/", refused),
    path("test-errors/400/", suspicious),
    path("test-errors/500/", broken),
    *app_urlpatterns,
]
