"""A simulator the portal's views talk to: served on 127.0.0.1 with a test clock, and the
settings pointed at it (shared by the signing, linking and step-up tests)."""

from __future__ import annotations

import pytest

from lov_portal.bankid.simulator import Simulator
from tests.bankid.conftest import Clock, serve


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def simulator(clock, settings):
    simulator = Simulator(clock=clock)
    server, thread, port = serve(simulator)
    settings.LOV_BANKID_URL = f"http://127.0.0.1:{port}/rp/v6.0/"
    settings.LOV_SIGNING_METHODS = ["bankid", "password"]
    settings.LOV_BANKID_SIGNATURE_CA = simulator.ca.certificate_pem().decode()
    yield simulator
    server.shutdown()
    server.server_close()
    thread.join(5)
