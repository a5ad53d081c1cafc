from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lov_portal.core.admin import ReadOnlyAdmin

from .actions import label
from .models import AuditEvent
from .selectors import audit_action_choices


class ActionFilter(admin.SimpleListFilter):
    """Filter by action, listed by their readable labels."""

    title = _("händelse")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return sorted(
            ((code, label(code)) for code in audit_action_choices()),
            key=lambda choice: choice[1].lower(),
        )

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the log cannot be written, changed or deleted through the admin."""

    list_display = [
        "created_at",
        "action_label",
        "actor",
        "object_type",
        "object_repr",
        "ip_address",
    ]
    list_filter = [ActionFilter]
    search_fields = ["action", "actor__email", "object_repr"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"

    @admin.display(description=_("händelse"), ordering="action")
    def action_label(self, obj: AuditEvent) -> str:
        return obj.action_label
