from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: an audit log that can be edited proves nothing."""

    list_display = [
        "created_at",
        "username",
        "action",
        "object_type",
        "object_id",
        "participant_id",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id", "detail"]
    date_hierarchy = "created_at"
    list_select_related = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
