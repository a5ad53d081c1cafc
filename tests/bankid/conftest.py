"""A BankID simulator served on 127.0.0.1 (ports 8190-8199) for the adapter's tests."""

from __future__ import annotations

import threading

import pytest

from lov_portal.bankid.simulator import Simulator, make_server


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def serve(simulator: Simulator, **tls: str):
    for port in range(8190, 8200):
        try:
            server = make_server(simulator, port=port, **tls)
        except OSError:
            continue
        break
    else:  # pragma: no cover
        pytest.skip("no free port in 8190-8199")
    # shutdown() waits for serve_forever's next poll: 0.05 s instead of the default 0.5 s
    # (every test that serves the simulator stops it).
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    return server, thread, port


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def simulator(clock: Clock) -> Simulator:
    return Simulator(clock=clock, order_ttl=180)


@pytest.fixture
def bankid_url(simulator: Simulator):
    server, thread, port = serve(simulator)
    yield f"http://127.0.0.1:{port}/rp/v6.0/"
    server.shutdown()
    server.server_close()
    thread.join(5)
