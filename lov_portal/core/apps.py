from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lov_portal.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_migrate

        from . import triggers

        checks.register(triggers.check_triggers, checks.Tags.database)
        # After every migrate: models added since, or tables SQLite rebuilt, get their triggers.
        post_migrate.connect(
            triggers.reinstall_after_migrate, sender=self, dispatch_uid="lov_frozen_triggers"
        )
