"""A simulator the portal's views talk to: served on 127.0.0.1 with a test clock, and the
settings pointed at it and its CA (shared by the signing, linking, step-up and browser tests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lov_portal.bankid.simulator import Simulator
from tests.bankid.conftest import Clock, serve


def serve_for_the_portal(simulator: Simulator, settings) -> Iterator[Simulator]:
    """Serve the simulator and point the portal's settings at it while the test runs."""
    server, thread, port = serve(simulator)
    settings.LOV_BANKID_URL = f"http://127.0.0.1:{port}/rp/v6.0/"
    settings.LOV_SIGNING_METHODS = ["bankid", "password"]
    settings.LOV_BANKID_SIGNATURE_CA = simulator.ca.certificate_pem().decode()
    yield simulator
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def simulator(clock, settings):
    yield from serve_for_the_portal(Simulator(clock=clock), settings)
