"""Audit events for logins, failed logins and logouts (Django's auth signals)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from gendes.middleware import mark


@receiver(user_logged_in)
def start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark(request.session)  # saved with the login


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    record(user=user, action=AuditEvent.Action.LOGIN, obj=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(user=user, action=AuditEvent.Action.LOGOUT, obj=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django hides the password in `credentials`; only the username typed is kept.
    username = (credentials or {}).get("username") or ""
    record(
        user=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="auth.user",
        username=username,
        request=request,
    )
