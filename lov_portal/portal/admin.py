from django.contrib import admin

from .models import AccessibilityReport


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page_url", "email", "handled_at"]
    list_filter = ["handled_at"]
    search_fields = ["description", "page_url", "email", "name"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "description", "page_url", "name", "email", "language"]
    fields = [*readonly_fields, "handled_at", "staff_note"]

    def has_add_permission(self, request: object) -> bool:
        return False
