from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lov_portal.core.admin import ReadOnlyAdmin

from . import services
from .models import (
    Agreement,
    AgreementVersion,
    Principle,
    ReceiptDelivery,
    Signature,
    Withdrawal,
)


class PrincipleInline(admin.StackedInline):
    model = Principle
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "public_party_name", "created_at"]
    search_fields = ["name", "slug", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [PrincipleInline]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(admin.ModelAdmin):
    list_display = [
        "agreement",
        "number",
        "adopted_on",
        "effective_from",
        "review_due_on",
        "is_current",
    ]
    list_filter = ["agreement", "is_current"]
    search_fields = ["agreement__name", "text"]
    # Publishing goes through the service (the log entry, the audit event), never a checkbox.
    readonly_fields = ["is_current", "text_sha256", "published_at", "created_at"]
    actions = ["publish"]

    @admin.action(description=_("Publicera som gällande version"))
    def publish(self, request: HttpRequest, queryset: QuerySet[AgreementVersion]) -> None:
        if queryset.count() != 1:
            self.message_user(
                request, _("Välj exakt en version att publicera."), level=messages.ERROR
            )
            return
        version = queryset.get()
        try:
            services.agreement_version_publish(version=version, by=request.user)
        except services.VersionPublishError:
            self.message_user(
                request,
                _(
                    "En senare version är redan publicerad; "
                    "en äldre version blir inte gällande igen."
                ),
                level=messages.ERROR,
            )
            return
        self.message_user(request, _("Versionen är publicerad och står i registerloggen."))

    def get_readonly_fields(
        self, request: HttpRequest, obj: AgreementVersion | None = None
    ) -> list[str]:
        # A published version's wording is frozen (the database refuses it too): new text,
        # new version.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_published:
            fields = ["agreement", "number", "text", *fields]
        return fields

    def has_delete_permission(
        self, request: HttpRequest, obj: AgreementVersion | None = None
    ) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Principle)
class PrincipleAdmin(admin.ModelAdmin):
    list_display = ["name", "agreement", "order", "name_en"]
    list_filter = ["agreement"]
    search_fields = ["name", "name_en", "national_text", "regional_text"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = [
        "organisation",
        "agreement_version",
        "kind",
        "signer_name",
        "signed_at",
        "receipt_code",
    ]
    list_filter = ["kind", "agreement_version__agreement", "agreement_version"]
    search_fields = ["organisation__name", "organisation_number", "signer_name", "receipt_code"]
    date_hierarchy = "signed_at"
    list_select_related = ["organisation", "agreement_version__agreement"]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = ["signature", "withdrawn_at", "withdrawn_by"]
    search_fields = ["signature__organisation__name", "reason"]
    date_hierarchy = "withdrawn_at"
    list_select_related = ["signature__organisation", "withdrawn_by"]


@admin.register(ReceiptDelivery)
class ReceiptDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["signature", "recipient", "sent_at"]
    search_fields = ["signature__organisation__name", "recipient"]
    list_select_related = ["signature__organisation"]
