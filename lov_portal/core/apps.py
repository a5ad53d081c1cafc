from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lov_portal.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.apps import apps
        from django.conf import settings

        from . import pdf  # noqa: F401  (registers the seal's deployment check)
        from .text import install_admin_text_policy, install_model_text_policy

        local = set(settings.LOCAL_APPS)
        labels = {config.label for config in apps.get_app_configs() if config.name in local}
        install_model_text_policy(labels)
        install_admin_text_policy(labels)
