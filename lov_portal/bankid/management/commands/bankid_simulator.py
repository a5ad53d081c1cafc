"""`manage.py bankid_simulator --port 8190`: a local BankID RP API v6.0 for development."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lov_portal.bankid.simulator import Simulator, SimulatorCA, check_script, make_server


class Command(BaseCommand):
    help = "Serve a BankID RP API v6.0 simulator on 127.0.0.1 (see lov_portal/bankid/simulator/)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8190)
        parser.add_argument(
            "--auto-complete",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Approve every order this many seconds after it starts (for tests).",
        )
        parser.add_argument(
            "--hints",
            default="",
            metavar="CODE,CODE,...",
            help="Move every order through these hint codes, one every --hint-step seconds; "
            "the last may be 'complete' or a failed hint (e.g. noClient,started,userSign,"
            "complete).",
        )
        parser.add_argument("--hint-step", type=float, default=2.0, metavar="SECONDS")
        parser.add_argument(
            "--order-ttl", type=float, default=180.0, help="Seconds before an order expires."
        )
        parser.add_argument(
            "--ca-dir",
            default=str(Path(settings.VAR_DIR) / "bankid-simulator"),
            help="Where the simulator keeps its CA (ca.pem is what LOV_BANKID_SIGNATURE_CA "
            "names in development).",
        )
        parser.add_argument("--cert", default="", help="Serve HTTPS with this certificate (PEM).")
        parser.add_argument("--key", default="", help="The certificate's key (PEM).")
        parser.add_argument(
            "--client-ca", default="", help="Require client certificates issued by this CA."
        )

    def handle(self, *args, **options):
        try:
            script = check_script(options["hints"].split(","))
        except ValueError as error:
            raise CommandError(str(error)) from None
        ca_dir = Path(options["ca_dir"])
        simulator = Simulator(
            auto_complete=options["auto_complete"],
            order_ttl=options["order_ttl"],
            script=script,
            script_step=options["hint_step"],
            ca=SimulatorCA.load_or_generate(ca_dir),
        )
        server = make_server(
            simulator,
            port=options["port"],
            certfile=options["cert"],
            keyfile=options["key"],
            client_ca=options["client_ca"],
        )
        scheme = "https" if options["cert"] else "http"
        base = f"{scheme}://127.0.0.1:{options['port']}"
        self.stdout.write(f"BankID simulator: API {base}/rp/v6.0/, the user's page {base}/")
        self.stdout.write(f"Its CA (LOV_BANKID_SIGNATURE_CA): {ca_dir / 'ca.pem'}")
        self.stdout.write("Set LOV_BANKID_URL to the API address. Ctrl-C stops it.")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
