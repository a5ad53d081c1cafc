from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankidConfig(AppConfig):
    name = "lov_portal.bankid"
    label = "bankid"
    verbose_name = _("BankID")
