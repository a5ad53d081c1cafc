from django.contrib import admin

from .models import CooperationGroup, GroupMember, Meeting


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    autocomplete_fields = ["user", "organisation"]


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
