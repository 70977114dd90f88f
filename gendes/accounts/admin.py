"""Admin for logins: unlock a locked-out login (audited). The second-factor devices (their
secrets) are not shown; a lost one is reset from the user's page (programmes/admin.py)."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from gendes.audit.log import record
from gendes.audit.models import AuditEvent

# Only through the audited action below: a device's page would show its secret.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AccessAttemptAdmin):
    """Deleting a locked-out attempt unlocks that username and address; it is audited."""

    def delete_model(self, request, obj):
        self._audit_unlock(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._audit_unlock(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _audit_unlock(self, request, attempts):
        for attempt in attempts:
            record(
                action=AuditEvent.Action.UNLOCK,
                obj=attempt,
                detail=f"{attempt.username} {attempt.ip_address}"[:500],
                request=request,
            )
