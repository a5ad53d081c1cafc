import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements.selectors import agreement_get
from lov_portal.portal.demo import DEMO_DOMAIN, DEMO_LOGINS, DEMO_PASSWORD, demo_create, demo_exists


class Command(BaseCommand):
    help = "Create fictitious demo data (organisations, signatures, updates, a group, meetings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if demo data is already there"
        )

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run with DJANGO_ENV=production.")
        agreement = agreement_get()
        if agreement is None:
            raise CommandError("Load the agreement first: python manage.py load_lov")
        if demo_exists():
            if not options["if_empty"]:
                raise CommandError("Demo data is already there (use a fresh database).")
            self.stdout.write("Demo data is already there.")
        else:
            started = time.perf_counter()
            result = demo_create(
                agreement=agreement, organisations=options["organisations"], seed=options["seed"]
            )
            elapsed = time.perf_counter() - started
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo data: {result.organisations} organisations, {result.signatures} "
                    f"signatures, {result.updates} status updates, {result.meetings} meetings "
                    f"in {elapsed:.1f} s."
                )
            )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for local, name, role in DEMO_LOGINS:
            self.stdout.write(f"  {local + '@' + DEMO_DOMAIN:<38} {name} – {role}")
        self.stdout.write("")
