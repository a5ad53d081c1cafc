from django.contrib import admin

from lov_portal.core.admin import ReadOnlyAdmin

from .models import (
    AgendaItem,
    Attachment,
    CooperationGroup,
    GroupMember,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesRevision,
)


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    autocomplete_fields = ["user", "organisation"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(CooperationGroup)
class CooperationGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "agreement"]
    search_fields = ["name"]
    inlines = [GroupMemberInline]


@admin.register(GroupMember)
class GroupMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "side", "role", "organisation", "term_start", "term_end"]
    list_filter = ["group", "side", "role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "group", "organisation"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "group", "kind", "starts_at", "location"]
    list_filter = ["group", "kind"]
    search_fields = ["title", "location"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    """Minutes change only through the portal's pages, so every step is recorded."""

    list_display = ["meeting", "status", "chair", "secretary"]
    list_filter = ["status"]
    list_select_related = ["meeting", "chair", "secretary"]


@admin.register(MinutesRevision)
class MinutesRevisionAdmin(ReadOnlyAdmin):
    list_display = ["minutes", "number", "kind", "created_by", "created_at"]
    list_select_related = ["minutes__meeting", "created_by"]


@admin.register(MinutesApproval)
class MinutesApprovalAdmin(ReadOnlyAdmin):
    list_display = ["revision", "user", "role", "decision", "created_at"]
    list_select_related = ["revision__minutes__meeting", "user"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "meeting", "original_name", "content_type", "size", "uploaded_at"]
    list_select_related = ["meeting"]
    exclude = ["file"]
