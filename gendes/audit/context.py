"""The request being served, so that an audit event written anywhere (a view, a service, the
admin, a signal) says from which address it came without every caller passing it down."""

from contextvars import ContextVar

from django.conf import settings
from ipware import get_client_ip

current_request = ContextVar("current_request", default=None)


def client_ip(request):
    """The client's address. Behind `TRUSTED_PROXY_COUNT` proxies it is the one the outermost
    trusted proxy saw, the Nth entry from the right of X-Forwarded-For: what a client writes
    to the left of it cannot move it. Lockout (django-axes) and the audit trail both use this.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        # python-ipware counts the proxies *in* the header, beside the one in REMOTE_ADDR.
        address, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=count - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Keeps the request in a context variable for the time of the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
