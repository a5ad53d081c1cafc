from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The public site that composes the domain apps: home, agreement page, loaders."""

    name = "lov_portal.portal"
    label = "portal"
    verbose_name = _("Portalen")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects cache invalidation)
