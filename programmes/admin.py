from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from gendes.audit.log import record
from gendes.audit.models import AuditEvent

from .admin_forms import COMPACT_TEXT, ChoicesReadOnceMixin, GroupAdminForm
from .models import Group, Programme, Site, StaffRole, Topic

User = get_user_model()


# Staff roles: on the site page, on the user page and as their own list.


class SiteStaffRoleInline(admin.TabularInline):
    """A site's roles, each user shown as a link: Django's raw-id or autocomplete widget would
    look each row's user up again. Roles are added on the user's page or in their own list."""

    model = StaffRole
    fields = ["user", "role"]
    readonly_fields = ["user"]
    show_change_link = True
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "site")


class UserStaffRoleInline(ChoicesReadOnceMixin, admin.TabularInline):
    model = StaffRole
    fields = ["site", "role"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "site")


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "site"]
    list_select_related = ["user", "site"]
    list_filter = ["role", "site"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "site__name",
    ]
    autocomplete_fields = ["user"]


@admin.action(description=_("Reset the second factor (lost phone)"))
def reset_second_factor(modeladmin, request, queryset):
    for user in queryset:
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record(action=AuditEvent.Action.DEVICE_RESET, obj=user, request=request)
    count = len(queryset)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d user will set up a second factor at the next login.",
            "%(count)d users will set up a second factor at the next login.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, where an admin also sets the user's roles per site and resets a
    lost second factor."""

    inlines = [*DjangoUserAdmin.inlines, UserStaffRoleInline]
    actions = [reset_second_factor]


# Sites


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "country", "region", "city", "time_zone", "active"]
    list_filter = ["active", "country"]
    search_fields = ["name", "code", "region", "city"]
    inlines = [SiteStaffRoleInline]


# Programmes and their curriculum


class TopicInline(admin.TabularInline):
    model = Topic
    formfield_overrides = COMPACT_TEXT
    fields = ["order", "title", "description"]
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "required_sessions",
        "session_minutes",
        "allowed_excused_absences",
        "allowed_unexcused_absences",
        "max_consecutive_absences",
        "report_interval_days",
        "topic_count",
        "active",
    ]
    list_filter = ["active"]
    search_fields = ["name", "description"]
    fieldsets = [
        (None, {"fields": ["name", "description", "active"]}),
        (
            _("Completion rules"),
            {
                "fields": [
                    "required_sessions",
                    "session_minutes",
                    "allowed_excused_absences",
                    "allowed_unexcused_absences",
                    "max_consecutive_absences",
                    "report_interval_days",
                ]
            },
        ),
    ]
    inlines = [TopicInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(topic_count=Count("topics"))

    @admin.display(description=Topic._meta.verbose_name_plural, ordering="topic_count")
    def topic_count(self, obj):
        return obj.topic_count


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "order"]
    list_select_related = ["programme"]
    list_filter = ["programme"]
    search_fields = ["title", "description", "programme__name"]


# Groups


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    form = GroupAdminForm
    list_display = [
        "name",
        "site",
        "programme",
        "weekdays_display",
        "start_time",
        "capacity",
        "is_open",
        "facilitator_names",
        "active",
    ]
    list_select_related = ["site", "programme"]
    list_filter = ["active", "is_open", "site", "programme"]
    search_fields = ["name", "site__name", "programme__name"]
    autocomplete_fields = ["facilitators"]
    fieldsets = [
        (None, {"fields": ["name", "programme", "site", "facilitators", "active"]}),
        (
            _("Schedule"),
            {
                "fields": [
                    "weekdays",
                    "start_time",
                    "start_date",
                    "end_date",
                    "capacity",
                    "is_open",
                    "allows_walk_ins",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("facilitators")

    @admin.display(description=Group._meta.get_field("weekdays").verbose_name)
    def weekdays_display(self, obj):
        return obj.get_weekdays_display()

    @admin.display(description=Group._meta.get_field("facilitators").verbose_name)
    def facilitator_names(self, obj):
        # Reads the prefetched list; .order_by() here would query once per row.
        return ", ".join(sorted(user.get_username() for user in obj.facilitators.all()))
