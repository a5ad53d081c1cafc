"""The report's Celery wiring (lov_portal/reports/tasks.py)."""

from __future__ import annotations

from pathlib import Path

import pyphen
import pytest
from celery.signals import worker_init, worker_process_init

from lov_portal.reports import services, tasks


@pytest.mark.parametrize("signal", [worker_init, worker_process_init])
def test_a_starting_worker_warms_up_the_pdf_engine(signal, monkeypatch):
    # The receivers are looked up rather than the signal sent: sending it would also run
    # Celery's own Django fix-ups for a starting worker inside the test.
    assert tasks.warm_up_pdf_engine in signal._live_receivers(sender=None)
    calls = []
    monkeypatch.setattr(services, "pdf_engine_warm_up", lambda: calls.append("warm"))
    tasks.warm_up_pdf_engine(sender=None)
    assert calls == ["warm"]


def test_the_warm_up_loads_the_hyphenation_dictionaries_and_renders():
    pyphen.hdcache.clear()
    services.pdf_engine_warm_up()
    loaded = {Path(str(path)).name for path in pyphen.hdcache}
    assert any(name.startswith("hyph_sv") for name in loaded), loaded
    assert any(name.startswith("hyph_en") for name in loaded), loaded
