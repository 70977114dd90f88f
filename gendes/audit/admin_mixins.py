"""Django admin views and changes of the men's data written to the audit trail.

A ModelAdmin of a model holding a man's data takes `AuditedAdminMixin`; `audit_participant`
says which man a row is about. A list writes one event per row shown, in one INSERT; a change
names the fields changed, never their values (the log must not become a copy of the file)."""

from .log import record, record_rows
from .models import AuditEvent


class AuditedAdminMixin:
    # The attribute holding the man's id on a row; Participant's admin says "pk".
    audit_participant_field = "participant_id"

    def audit_participant(self, obj):
        field = self.audit_participant_field
        return getattr(obj, field, None) if field else None

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            rows = list(changelist.result_list)  # the page's rows, read once for the page
            record_rows(
                action=AuditEvent.Action.VIEW,
                rows=[(obj, self.audit_participant(obj)) for obj in rows],
                detail="admin list",
                request=request,
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original")
        if request.method == "GET" and obj is not None:
            record(
                action=AuditEvent.Action.VIEW,
                obj=obj,
                participant_id=self.audit_participant(obj),
                detail="admin",
                request=request,
            )
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record(
            action=AuditEvent.Action.CHANGE if change else AuditEvent.Action.CREATE,
            obj=obj,
            participant_id=self.audit_participant(obj),
            detail=", ".join(form.changed_data),
            request=request,
        )

    def delete_model(self, request, obj):
        self._audit_deleted(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._audit_deleted(request, list(queryset))
        super().delete_queryset(request, queryset)

    def _audit_deleted(self, request, objects):
        record_rows(
            action=AuditEvent.Action.DELETE,
            rows=[(obj, self.audit_participant(obj)) for obj in objects],
            detail="admin",
            request=request,
        )
