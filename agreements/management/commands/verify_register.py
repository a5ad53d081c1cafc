"""Check the register's hash chain: `python manage.py verify_register`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from agreements.selectors import register_verify


class Command(BaseCommand):
    help = "Checks the hash chain of the signature register and reports the first broken link."

    def handle(self, *args: object, **options: object) -> None:
        result = register_verify()
        if result.broken is not None:
            signature = result.broken
            what = (
                "its previous_hash does not match the record before it"
                if result.problem == "previous_hash"
                else "its content does not match its record_hash"
            )
            raise CommandError(
                f"Broken link at signature {signature.pk} (receipt {signature.receipt_code}, "
                f"record {result.checked} of the chain): {what}."
            )
        self.stdout.write(self.style.SUCCESS(f"The register is intact: {result.checked} records."))
