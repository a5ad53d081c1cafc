from django import forms
from django.contrib import admin
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest

from lov_portal.core.uploads import generated_name

from .models import ATTACHMENT_POLICY, Action, Commitment, DevelopmentArea, StatusUpdate


class StatusUpdateInline(admin.TabularInline):
    model = StatusUpdate
    extra = 0
    fields = ["created_at", "status", "refers_to", "author", "is_internal", "narrative"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "principle",
        "responsible_side",
        "status",
        "last_update_at",
        "retired_at",
    ]
    list_filter = [
        "principle__agreement",
        "principle",
        "responsible_side",
        "status",
        "participation_level",
    ]
    search_fields = ["text", "responsible_units"]
    filter_horizontal = ["owners", "responsible_organisations"]
    readonly_fields = ["status", "last_update_at", "created_at"]
    list_select_related = ["principle"]
    inlines = [StatusUpdateInline]


class StatusUpdateAdminForm(forms.ModelForm):
    """The admin's upload goes through the same upload policy as the portal's form."""

    class Meta:
        model = StatusUpdate
        exclude: list[str] = []

    def clean_attachment(self) -> object:
        attachment = self.cleaned_data.get("attachment")
        if attachment and not isinstance(attachment, FieldFile):
            checked = ATTACHMENT_POLICY.check(attachment)
            attachment.name = generated_name(checked.extension)
        return attachment


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    """Updates are append-only: they can be added here but not changed or deleted."""

    form = StatusUpdateAdminForm

    list_display = ["commitment", "status", "refers_to", "author", "is_internal", "created_at"]
    list_filter = ["status", "is_internal", "commitment__principle"]
    search_fields = ["narrative", "commitment__text"]
    date_hierarchy = "created_at"
    list_select_related = ["commitment", "author"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "principle", "commitment", "owner", "due_date", "status", "source"]
    list_filter = ["principle", "status", "source"]
    search_fields = ["title", "description"]
    list_select_related = ["principle", "commitment", "owner"]
    raw_id_fields = ["commitment", "owner"]


@admin.register(DevelopmentArea)
class DevelopmentAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "agreement", "identified_on", "retired_at"]
    search_fields = ["name", "description"]
    filter_horizontal = ["commitments", "actions"]
