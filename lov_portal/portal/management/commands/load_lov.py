import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from agreements.evidence import evidence_backfill
from agreements.models import Agreement
from lov_portal.portal.lov_source import SOURCE_PATH, load_source
from lov_portal.portal.services import lov_load


class Command(BaseCommand):
    help = (
        "Load Länsöverenskommelsen Västernorrland (version 1, its six principles, every "
        "commitment and the cooperation group's mandate) from its text. Running it again "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=Path, default=SOURCE_PATH, help="the saved text")
        parser.add_argument(
            "--adopted-on", type=datetime.date.fromisoformat, help="YYYY-MM-DD, if known"
        )
        parser.add_argument(
            "--effective-from", type=datetime.date.fromisoformat, help="YYYY-MM-DD, if known"
        )

    def handle(self, *args: object, **options: object) -> None:
        parsed = load_source(options["source"])
        result = lov_load(
            parsed=parsed,
            adopted_on=options["adopted_on"],
            effective_from=options["effective_from"],
        )
        # Records made before the register had its log get their entries (idempotent).
        backfilled = sum(evidence_backfill(a) for a in Agreement.objects.order_by("pk"))
        if backfilled:
            self.stdout.write(f"Register log: appended {backfilled} earlier records.")
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if result.created:
            created = ", ".join(f"{count} {name}" for name, count in sorted(result.created.items()))
            self.stdout.write(self.style.SUCCESS(f"LÖV loaded: created {created}."))
        else:
            self.stdout.write("LÖV is already loaded; nothing changed.")
