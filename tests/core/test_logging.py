"""Quiet, useful logs (issue 15): a 403 or a bad Host header is one line without a traceback;
a real error keeps its traceback."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory


def _lines(record: logging.LogRecord) -> list[str]:
    return logging.Formatter().format(record).splitlines()


@pytest.mark.django_db
def test_a_permission_denial_is_logged_as_one_line(client, caplog, lov):
    client.force_login(UserFactory())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(reverse("commitments:update_post"), {"status": "x"})
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None
    assert _lines(record) == [
        "Forbidden (Permission denied): /ataganden/uppdatering/ [PermissionDenied]"
    ]


@pytest.mark.django_db
def test_a_disallowed_host_is_logged_as_one_line(client, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.get("/", HTTP_HOST="evil.example\nX-Injected: 1")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name.startswith("django.security")]
    assert len(records) == 1
    lines = _lines(records[0])
    assert len(lines) == 1
    assert "Invalid HTTP_HOST header" in lines[0] and "Traceback" not in lines[0]


def test_a_real_error_keeps_its_traceback(caplog):
    logger = logging.getLogger("django.request")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        try:
            raise RuntimeError("a bug")
        except RuntimeError:
            logger.error("Internal Server Error: %s", "/x/", exc_info=True)
    (record,) = caplog.records
    assert record.exc_info is not None
    text = "\n".join(_lines(record))
    assert "Traceback" in text and "RuntimeError: a bug" in text


def test_the_console_handler_filters_too():
    handler = next(h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler)
    assert any(type(f).__name__ == "ExpectedRefusals" for f in handler.filters)
