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
        from django.core import checks
        from django.db.models.signals import post_migrate

        from . import triggers

        checks.register(triggers.check_triggers, checks.Tags.database)
        # After every migrate: models added since, or tables SQLite rebuilt, get their triggers.
        post_migrate.connect(
            triggers.reinstall_after_migrate, sender=self, dispatch_uid="lov_frozen_triggers"
        )
