from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from gendes.audit.admin_mixins import AuditedAdminMixin
from programmes.admin_forms import COMPACT_TEXT, ChoicesReadOnceMixin

from .models import (
    Enrolment,
    FollowUp,
    Participant,
    PartnerContact,
    PartnerContactEntry,
    Referral,
)

# Participants, with their referrals and enrolments


class ReferralInline(admin.TabularInline):
    model = Referral
    formfield_overrides = COMPACT_TEXT
    fields = [
        "referred_on",
        "source_type",
        "institution",
        "reference_number",
        "reports_requested",
        "notes",
    ]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant")


class EnrolmentInline(ChoicesReadOnceMixin, admin.TabularInline):
    model = Enrolment
    fields = ["group", "start_date", "end_date", "exit_status", "exit_reason"]
    formfield_overrides = COMPACT_TEXT
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant", "group")


@admin.register(Participant)
class ParticipantAdmin(AuditedAdminMixin, admin.ModelAdmin):
    # The list shows codes only: names and contact details stay on the man's own page.
    list_display = ["code", "site", "status", "current_group", "intake_date", "consent_date"]
    list_select_related = ["site"]
    list_filter = ["status", "site"]
    search_fields = ["code", "first_name", "last_name"]
    date_hierarchy = "intake_date"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["code", "site", "status"]}),
        (
            _("Identity and contact"),
            {
                "fields": [
                    "first_name",
                    "last_name",
                    "birth_date",
                    "phone",
                    "email",
                    "preferred_contact_times",
                ]
            },
        ),
        (
            _("Intake and consent"),
            {"fields": ["intake_date", "intake_notes", "consent_date", "consent_version"]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [ReferralInline, EnrolmentInline]

    def get_queryset(self, request):
        open_enrolments = Enrolment.objects.open().select_related("group")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("enrolments", open_enrolments, to_attr="open_enrolments"))
        )

    @admin.display(description=Enrolment._meta.get_field("group").verbose_name)
    def current_group(self, obj):
        return ", ".join(e.group.name for e in obj.open_enrolments)

    audit_participant_field = "pk"


@admin.register(Referral)
class ReferralAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "participant",
        "referred_on",
        "source_type",
        "institution",
        "reference_number",
        "reports_requested",
    ]
    list_select_related = ["participant"]
    list_filter = ["source_type", "reports_requested", "participant__site"]
    search_fields = ["participant__code", "institution", "reference_number"]
    date_hierarchy = "referred_on"
    autocomplete_fields = ["participant"]
    readonly_fields = ["created_at"]


class OpenEnrolmentFilter(admin.SimpleListFilter):
    title = _("open")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("Open")), ("no", _("Closed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(end_date__isnull=True)
        if self.value() == "no":
            return queryset.filter(end_date__isnull=False)
        return queryset


@admin.register(Enrolment)
class EnrolmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["participant", "group", "start_date", "end_date", "exit_status"]
    list_select_related = ["participant", "group"]
    list_filter = [OpenEnrolmentFilter, "exit_status", "group__site", "group"]
    search_fields = ["participant__code", "group__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["participant", "group"]
    readonly_fields = ["created_at"]


@admin.register(FollowUp)
class FollowUpAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["participant", "contacted_on", "channel", "outcome", "created_by"]
    list_select_related = ["participant", "created_by"]
    list_filter = ["channel", "outcome", "participant__site"]
    search_fields = ["participant__code", "next_step"]
    date_hierarchy = "contacted_on"
    autocomplete_fields = ["participant"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# Partner contacts: segregated from the men's files, so not an inline of the participant.


class PartnerContactEntryInline(admin.TabularInline):
    model = PartnerContactEntry
    formfield_overrides = COMPACT_TEXT
    fields = ["contacted_on", "notes", "created_by"]
    readonly_fields = ["created_by"]
    extra = 1

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("partner_contact__participant", "created_by")
        )


@admin.register(PartnerContact)
class PartnerContactAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["participant", "site", "consent_to_contact", "created_at"]
    list_filter = ["consent_to_contact", "participant__site"]
    search_fields = ["participant__code"]
    autocomplete_fields = ["participant"]
    readonly_fields = ["created_at"]
    inlines = [PartnerContactEntryInline]

    def get_queryset(self, request):
        # Also labels the autocomplete of the entries' admin (a contact is named by its man).
        return super().get_queryset(request).select_related("participant__site")

    @admin.display(
        description=Participant._meta.get_field("site").verbose_name,
        ordering="participant__site__name",
    )
    def site(self, obj):
        return obj.participant.site

    def save_formset(self, request, form, formset, change):
        for entry in formset.save(commit=False):
            if entry.pk is None:
                entry.created_by = request.user
            entry.save()
        for entry in formset.deleted_objects:
            entry.delete()
        formset.save_m2m()


@admin.register(PartnerContactEntry)
class PartnerContactEntryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    def audit_participant(self, obj):
        return obj.partner_contact.participant_id

    list_display = ["partner_contact", "contacted_on", "created_by"]
    list_select_related = ["partner_contact__participant", "created_by"]
    list_filter = ["partner_contact__participant__site"]
    search_fields = ["partner_contact__participant__code"]
    date_hierarchy = "contacted_on"
    autocomplete_fields = ["partner_contact"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
