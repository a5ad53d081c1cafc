from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log cannot be written, changed or deleted through the admin."""

    list_display = ["created_at", "action", "actor", "object_type", "object_repr", "ip_address"]
    list_filter = ["action"]
    search_fields = ["action", "actor__email", "object_repr"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
