from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lov_portal.accounts"
    label = "accounts"
    verbose_name = _("Konton")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_times_start

        user_logged_in.connect(session_times_start, dispatch_uid="accounts_session_times")
