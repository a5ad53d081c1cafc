from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lov_portal.audit"
    label = "audit"
    verbose_name = _("Granskningslogg")

    def ready(self) -> None:
        from django.contrib import admin

        from . import signals  # noqa: F401 - connects the receivers
        from .admin_actions import audited_delete_selected

        # The site-wide "delete selected" action, replaced by one that is audited.
        admin.site.add_action(audited_delete_selected, "delete_selected")
