from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The annual follow-up report (uppföljningsrapport) as a PDF, rendered in the background."""

    name = "lov_portal.reports"
    label = "reports"
    verbose_name = _("Uppföljningsrapporter")
