from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """Reminders sent by e-mail exactly once, and each user's choice of which to receive."""

    name = "lov_portal.reminders"
    label = "reminders"
    verbose_name = _("Påminnelser")

    def ready(self) -> None:
        # Registers the reminder kinds (the rule functions) in the registry.
        from . import kinds, notices  # noqa: F401
