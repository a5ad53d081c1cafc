from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lov_portal.reports.services import report_edition_create, report_edition_render


class Command(BaseCommand):
    help = "Render the annual follow-up report for a year as a new numbered edition (PDF)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)
        parser.add_argument("--language", choices=["sv", "en"], default="sv")

    def handle(self, *args: object, year: int, language: str, **options: object) -> None:
        edition = report_edition_create(year=year, user=None, language=language, enqueue=False)
        edition = report_edition_render(edition_id=edition.pk)
        if edition.status != "done":
            raise CommandError(edition.error)
        self.stdout.write(f"Edition {edition.edition} of {year}: {edition.file.path}")
