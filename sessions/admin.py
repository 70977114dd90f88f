from django.contrib import admin, messages
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gendes.audit.admin_mixins import AuditedAdminMixin
from gendes.audit.log import record_rows
from gendes.audit.models import AuditEvent
from participants.models import Participant
from programmes.admin_forms import COMPACT_TEXT
from programmes.models import Group, Topic

from .enums import AttendanceStatus
from .models import Attendance, CheckIn, GroupSession, ProgressReport, SafetyAlert
from .services.anonymise import anonymise
from .services.recording import CHECK_IN_FIELDS


@admin.display(description=_("kinds of violence"))
def violence_kinds(obj):
    return ", ".join(str(kind.label) for kind in obj.kinds)


# Sessions, with their attendance and check-ins


class AttendanceInline(admin.TabularInline):
    """A session's rows, each man shown as a link: Django's raw-id or autocomplete widget
    would look each row's man up again. Rows are added by the record page or in the
    attendance list."""

    model = Attendance
    fields = ["participant", "status", *CHECK_IN_FIELDS]
    readonly_fields = ["participant"]
    formfield_overrides = COMPACT_TEXT
    show_change_link = True
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # The row's label is "participant · session", and the session's is its group's name.
        return super().get_queryset(request).select_related("participant", "session__group")


@admin.register(GroupSession)
class GroupSessionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    audit_participant_field = None  # a session: its roster is shown, no one man
    list_display = [
        "date",
        "start_time",
        "group",
        "site",
        "state",
        "is_extra",
        "attended_count",
        "recorded_by",
    ]
    list_filter = ["state", "is_extra", "group__site", "group"]
    search_fields = ["group__name", "group__site__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["group", "facilitators", "recorded_by"]
    filter_horizontal = ["topics"]
    readonly_fields = ["version"]
    fieldsets = [
        (
            None,
            {"fields": ["group", "date", "start_time", "duration_minutes", "state", "is_extra"]},
        ),
        (_("What happened"), {"fields": ["facilitators", "topics", "notes"]}),
        (
            _("Record"),
            {"fields": ["cancellation_reason", "recorded_by", "recorded_at", "version"]},
        ),
    ]
    inlines = [AttendanceInline]

    def get_queryset(self, request):
        attended = Q(attendances__status__in=AttendanceStatus.attended())
        return (
            super()
            .get_queryset(request)
            .select_related("group__site", "recorded_by")
            .annotate(attended_count=Count("attendances", filter=attended))
            # A GROUP BY drops the model's default ordering; the autocomplete paginates.
            .order_by(*GroupSession._meta.ordering)
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "topics" in form.base_fields:
            # Only the curriculum of this group's programme.
            form.base_fields["topics"].queryset = Topic.objects.for_programme(
                obj.group.programme_id
            )
        return form

    def save_model(self, request, obj, form, change):
        if change:
            # The record page uses the version to refuse a save over someone else's.
            obj.version += 1
        super().save_model(request, obj, form, change)

    @admin.display(
        description=Group._meta.get_field("site").verbose_name, ordering="group__site__name"
    )
    def site(self, obj):
        return obj.group.site

    @admin.display(description=_("attended"), ordering="attended_count")
    def attended_count(self, obj):
        return obj.attended_count


@admin.register(Attendance)
class AttendanceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["participant", "session", "status", "violence", "safety_flag"]
    list_filter = ["status", "violence", "safety_flag", "session__group__site"]
    search_fields = ["participant__code", "session__group__name"]
    autocomplete_fields = ["session", "participant"]
    fieldsets = [
        (None, {"fields": ["session", "participant", "status"]}),
        (capfirst(CheckIn._meta.verbose_name), {"fields": CHECK_IN_FIELDS}),
    ]

    def get_queryset(self, request):
        # The changelist ignores list_select_related once the queryset selects anything.
        return super().get_queryset(request).select_related("participant", "session__group")


@admin.register(CheckIn)
class CheckInAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The attendance rows of men who were there, i.e. the circle check-ins."""

    list_display = [
        "participant",
        "session",
        "status",
        "violence",
        violence_kinds,
        "safety_flag",
        "asked_support",
        "used_retreat",
    ]
    list_filter = ["violence", "safety_flag", "session__group__site"]
    search_fields = ["participant__code", "session__group__name"]
    autocomplete_fields = ["session", "participant"]
    fieldsets = AttendanceAdmin.fieldsets

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status__in=AttendanceStatus.attended())
            .select_related("participant", "session__group")
        )

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            kwargs["choices"] = [
                (status.value, status.label) for status in AttendanceStatus.attended()
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


# Safety alerts


class AlertStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("acknowledged", _("Acknowledged"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(acknowledged_at__isnull=True)
        if self.value() == "acknowledged":
            return queryset.filter(acknowledged_at__isnull=False)
        return queryset


@admin.register(SafetyAlert)
class SafetyAlertAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "is_open",
        "participant",
        "session",
        "physical",
        "sexual",
        "flagged",
        "raised_by",
        "acknowledged_by",
        "acknowledged_at",
    ]
    list_select_related = ["participant", "session__group", "raised_by", "acknowledged_by"]
    list_filter = [AlertStateFilter, "physical", "sexual", "flagged", "session__group__site"]
    search_fields = ["participant__code", "session__group__name"]
    date_hierarchy = "created_at"
    # Open alerts first (no acknowledgement time), then the latest.
    ordering = [F("acknowledged_at").desc(nulls_first=True), "-created_at"]
    autocomplete_fields = ["session", "participant", "acknowledged_by"]
    readonly_fields = ["raised_by", "created_at"]
    actions = ["acknowledge"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.raised_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("open"), boolean=True, ordering="acknowledged_at")
    def is_open(self, obj):
        return obj.acknowledged_at is None

    @admin.action(description=_("Acknowledge the selected open alerts"), permissions=["change"])
    def acknowledge(self, request, queryset):
        alerts = list(queryset.open())
        count = queryset.filter(pk__in=[a.pk for a in alerts]).update(
            acknowledged_by=request.user, acknowledged_at=timezone.now()
        )
        record_rows(
            action=AuditEvent.Action.ACKNOWLEDGE,
            rows=[(alert, alert.participant_id) for alert in alerts],
            detail="admin",
            request=request,
        )
        self.message_user(
            request,
            ngettext("%(count)d alert acknowledged.", "%(count)d alerts acknowledged.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ProgressReport)
class ProgressReportAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Issued reports are documents: their figures are read-only here; only the sending can
    be recorded."""

    list_display = ["participant", "period_start", "period_end", "created_at", "sent_on"]
    list_select_related = ["participant"]
    list_filter = ["participant__site"]
    search_fields = ["participant__code"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        editable = {"sent_on", "sent_by"}
        return [f.name for f in self.model._meta.fields if f.name not in editable]

    def has_add_permission(self, request):
        return False


# Anonymising a man erases texts of both apps (his check-ins' reflections too), so the action
# is defined here, in the upper app, and offered on the men's admin list.
@admin.action(description=_("Anonymise (erase names, contact details and free texts)"))
def anonymise_men(modeladmin, request, queryset):
    done = sum(anonymise(man, by=request.user, request=request) for man in queryset)
    modeladmin.message_user(
        request,
        ngettext("%(count)d man anonymised.", "%(count)d men anonymised.", done) % {"count": done},
        messages.SUCCESS,
    )


_men_admin = admin.site.get_model_admin(Participant)
_men_admin.actions = [*(_men_admin.actions or []), anonymise_men]
