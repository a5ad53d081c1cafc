"""Check the register against its public log: `python manage.py verify_register`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements.evidence import register_check
from agreements.models import Agreement


class Command(BaseCommand):
    help = (
        "Recomputes every log entry from the rows it describes, the Merkle tree and the latest "
        "signed checkpoint; with --checkpoint, checks that the log extends a checkpoint saved "
        "earlier. Exits non-zero naming the first problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--checkpoint", type=Path, help="a checkpoint saved earlier")
        parser.add_argument("--agreement", help="only this agreement (its slug)")

    def handle(self, *args: object, **options: object) -> None:
        saved = None
        if options["checkpoint"]:
            try:
                saved = options["checkpoint"].read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read the checkpoint: {error}") from None
        agreements = Agreement.objects.order_by("pk")
        if options["agreement"]:
            agreements = agreements.filter(slug=options["agreement"])
            if not agreements.exists():
                raise CommandError(f"No agreement {options['agreement']!r}.")
        problems = []
        for agreement in agreements:
            check = register_check(agreement, saved_checkpoint=saved)
            if check.ok:
                covered = (
                    f", checkpoint {check.checkpoint_size} valid"
                    if check.checkpoint_size is not None
                    else ""
                )
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{agreement.slug}: the register is intact: {check.entries} entries"
                        f"{covered}."
                    )
                )
            else:
                problems.extend(f"{agreement.slug}: {p}" for p in check.problems)
        if problems:
            for problem in problems[1:]:
                self.stderr.write(problem)
            raise CommandError(problems[0])
