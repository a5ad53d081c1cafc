from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lov_portal.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import pdf  # noqa: F401  (registers the seal's deployment check)
