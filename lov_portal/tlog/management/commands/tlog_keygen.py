from django.core.management.base import BaseCommand, CommandError

from lov_portal.tlog.note import SignerKeyError, signer_generate


class Command(BaseCommand):
    help = "Generate a checkpoint signing key: prints the secret key and its public verifier key."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="the key's name, e.g. the portal's host: lov.example.se")

    def handle(self, *args: object, name: str, **options: object) -> None:
        try:
            signer = signer_generate(name)
        except SignerKeyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"LOV_LOG_SIGNING_KEY={signer.skey}\n")
        self.stdout.write(f"verifier key (publish it): {signer.vkey}\n")
