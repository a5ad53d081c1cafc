"""Reinstall the frozen-record triggers: `python manage.py install_triggers [--database ALIAS]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from lov_portal.core import triggers


class Command(BaseCommand):
    help = "Creates (or replaces) the database triggers that refuse changes to frozen records."
    # The database check would refuse to run exactly when this command is needed.
    requires_system_checks = []

    def add_arguments(self, parser: object) -> None:
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: object, **options: object) -> None:
        count = triggers.install(options["database"])
        remaining = triggers.problems(options["database"])
        for problem in remaining:
            self.stderr.write(problem)
        self.stdout.write(f"Triggers installed on {count} tables.")
