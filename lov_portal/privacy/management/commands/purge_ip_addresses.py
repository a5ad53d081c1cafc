import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from lov_portal.privacy.services import IP_ADDRESS_RETENTION_DAYS, ip_addresses_purge


class Command(BaseCommand):
    help = "Remove IP addresses from signature evidence and the audit log older than N days."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=IP_ADDRESS_RETENTION_DAYS)

    def handle(self, *args, days: int, **options) -> None:
        cutoff = timezone.now() - datetime.timedelta(days=days)
        counts = ip_addresses_purge(older_than=cutoff)
        self.stdout.write(
            f"Cleared {counts['signatures']} signatures and {counts['audit_events']} audit events."
        )
