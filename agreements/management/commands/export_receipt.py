"""Write a signature's sealed receipt to a file: `python manage.py export_receipt CODE --out FILE`.

For staff answering a request for a receipt: the file is byte for byte the receipt the
signer was e-mailed and the organisation downloads (made and stored now if it never was)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements.receipts import receipt_bytes, receipt_get_or_create
from agreements.selectors import signature_by_receipt


class Command(BaseCommand):
    help = "Writes the sealed receipt PDF of the signature with the given receipt code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the receipt code (kvittokod)")
        parser.add_argument("--out", required=True, type=Path, help="the PDF file to write")

    def handle(self, *args: object, **options: object) -> None:
        signature = signature_by_receipt(code=str(options["code"]))
        if signature is None:
            raise CommandError(f"No signature has the receipt code {options['code']!r}.")
        receipt = receipt_get_or_create(signature=signature)
        out: Path = options["out"]  # type: ignore[assignment]
        out.write_bytes(receipt_bytes(receipt))
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {out} ({len(receipt.pdf)} bytes, SHA-256 {receipt.sha256}).")
        )
