from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lov_portal.core"
    label = "core"
    verbose_name = "Core"
