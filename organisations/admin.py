from django.contrib import admin

from .models import (
    ApplicationReview,
    Invitation,
    Membership,
    MembershipRequest,
    Municipality,
    Organisation,
    OrganisationApplication,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province", "county"]
    list_filter = ["county", "province"]
    search_fields = ["name", "code"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number", "legal_form", "side", "status", "created_at"]
    list_filter = ["status", "side", "legal_form", "whole_county", "municipalities"]
    search_fields = ["name", "organisation_number", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["municipalities"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


class ApplicationReviewInline(admin.TabularInline):
    model = ApplicationReview
    extra = 0
    can_delete = False
    readonly_fields = ["action", "reason", "author", "created_at"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(OrganisationApplication)
class OrganisationApplicationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "applicant", "contact_role", "submitted_at", "decided_at"]
    list_select_related = ["organisation", "applicant"]
    search_fields = ["organisation__name", "organisation__organisation_number", "applicant__email"]
    raw_id_fields = ["organisation", "applicant"]
    inlines = [ApplicationReviewInline]


@admin.register(MembershipRequest)
class MembershipRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["organisation", "user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    list_select_related = ["organisation"]
    search_fields = ["email", "organisation__name"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]
    exclude = ["token"]
