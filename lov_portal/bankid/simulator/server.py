"""The simulator over HTTP: the RP API under /rp/v6.0/, and a small page at / where the person
playing the user reads each pending order, moves it to any hint code (the app started, asked
for an ID document, a call to confirm, ...), approves it as a chosen person or makes it fail
with any failed hint code. Nothing here is real BankID."""

from __future__ import annotations

import html
import json
import re
import ssl
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from .orders import FAILED_HINTS, PENDING_HINTS, PREFIX, TEST_PERSON, SimulatedOrder, Simulator

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BankID simulator</title></head>
<body><h1>BankID simulator (RP API v6.0)</h1>
<p>Pending orders. Read the order as the BankID app would show it, move it to a hint code,
then approve or refuse. Nothing here is real BankID.</p>{orders}</body></html>"""
ORDER = """<section><h2>{method}: {ref}</h2><p>Status: {hint}</p><pre>{text}</pre>
<form method="post" action="/simulator/orders/{ref}/scan"><button>Read the QR code</button></form>
<form method="post" action="/simulator/orders/{ref}/hint">
<label>Pending hint <select name="hint">{pending}</select></label>
<button>Set the hint</button></form>
<form method="post" action="/simulator/orders/{ref}/approve">
<label>Personal number <input name="personal_number" value="{pno}"></label>
<label>Name <input name="name" value="{name}"></label>
<button>Approve (sign)</button></form>
<form method="post" action="/simulator/orders/{ref}/refuse">
<label>Failed hint <select name="hint">{failed}</select></label>
<button>Refuse</button></form>
</section>"""


def _options(codes: tuple[str, ...], current: str = "") -> str:
    return "".join(
        f'<option value="{c}"{" selected" if c == current else ""}>{c}</option>' for c in codes
    )


def render_order(order: SimulatedOrder) -> str:
    return ORDER.format(
        method=html.escape(order.method),
        ref=html.escape(order.order_ref),
        hint=html.escape(order.hint_code),
        text=html.escape(order.visible_text()),
        pending=_options(PENDING_HINTS, order.hint_code),
        failed=_options(FAILED_HINTS),
        pno=html.escape(order.personal_number or TEST_PERSON["personalNumber"]),
        name=html.escape(f"{TEST_PERSON['givenName']} {TEST_PERSON['surname']}"),
    )


def make_handler(simulator: Simulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "BankIDSimulator/6.0"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(min(length, 1_000_000))

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _api(self, method: str) -> None:
            raw = self._body() if method == "POST" else b""
            status, answer = simulator.handle(
                self.path, method, self.headers.get("Content-Type", ""), raw
            )
            self._send(status, json.dumps(answer).encode(), "application/json")

        def do_GET(self) -> None:
            if self.path.startswith(PREFIX):
                return self._api("GET")
            if self.path != "/":
                return self._send(404, b"Not found", "text/plain")
            orders = "".join(render_order(o) for o in simulator.pending_orders())
            page = PAGE.format(orders=orders or "<p>No pending orders.</p>")
            self._send(200, page.encode(), "text/html; charset=utf-8")

        def do_POST(self) -> None:
            if self.path.startswith(PREFIX):
                return self._api("POST")
            match = re.fullmatch(
                r"/simulator/orders/([\w-]+)/(scan|hint|approve|refuse)", self.path
            )
            if match is None:
                return self._send(404, b"Not found", "text/plain")
            ref, action = match.groups()
            form = parse_qs(self._body().decode("utf-8", "replace"))
            hint = form.get("hint", [""])[0]
            try:
                if action == "scan":
                    simulator.scan(ref)
                elif action == "hint":
                    simulator.hint(ref, hint)
                elif action == "approve":
                    simulator.approve(
                        ref,
                        personal_number=form.get("personal_number", [""])[0].strip(),
                        name=form.get("name", [""])[0],
                    )
                else:
                    simulator.refuse(ref, hint or "userCancel")
            except KeyError:
                return self._send(409, b"The order is no longer pending.", "text/plain")
            except ValueError as error:
                return self._send(409, str(error).encode(), "text/plain")
            self.send_response(303)
            self.send_header("Location", "/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PUT = do_DELETE = do_PATCH = lambda self: self._api(self.command)

    return Handler


def make_server(
    simulator: Simulator,
    *,
    host: str = "127.0.0.1",
    port: int = 8190,
    certfile: str = "",
    keyfile: str = "",
    client_ca: str = "",
) -> ThreadingHTTPServer:
    """An HTTP server for the simulator; HTTPS (and mutual TLS with `client_ca`) on request."""
    server = ThreadingHTTPServer((host, port), make_handler(simulator))
    server.daemon_threads = True
    if certfile:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile, keyfile or None)
        if client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    return server
