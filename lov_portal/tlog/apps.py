from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TlogConfig(AppConfig):
    name = "lov_portal.tlog"
    label = "tlog"
    verbose_name = _("Transparenslogg")

    def ready(self) -> None:
        from . import checks  # noqa: F401
