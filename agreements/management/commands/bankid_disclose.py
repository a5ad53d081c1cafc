"""Disclose a BankID signature's evidence: `python manage.py bankid_disclose RECEIPT_CODE`.

Prints a JSON bundle (agreements.evidence.bankid_disclosure) that lets its recipient check
BankID's answer against the public log without trusting the portal. It contains the signer's
personal identity number: hand it only to whoever has the right to it.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements.evidence import bankid_disclosure
from agreements.models import Signature


class Command(BaseCommand):
    help = "Print the disclosure bundle of a BankID signature (contains personal data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("receipt_code")

    def handle(self, *args: object, **options: object) -> None:
        signature = (
            Signature.objects.select_related("log_entry__private", "bankid_evidence")
            .filter(receipt_code=options["receipt_code"].strip().upper())
            .first()
        )
        if signature is None:
            raise CommandError("No signature has that receipt code.")
        try:
            bundle = bankid_disclosure(signature)
        except ValueError as error:
            raise CommandError(f"Cannot disclose: {error}.") from None
        self.stdout.write(json.dumps(bundle, ensure_ascii=False, indent=2))
