"""One `client_ip` (lov_portal.core.http) for evidence, audit and every rate limit.

Issue 15: the audit log kept its own copy that trusted the leftmost X-Forwarded-For (so any
client chose the IP recorded for staff logins), the accessibility-report limit keyed on the raw
REMOTE_ADDR, and five wrong passwords for someone else's e-mail locked the real person out.
Each test forges X-Forwarded-For; the signature's evidence is tested in
tests/agreements/test_signing.py::test_the_signature_stores_the_client_ip_behind_trusted_proxies.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from lov_portal.audit.services import audit_record
from tests.accounts.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "korrekt-hast-batteri"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_no_module_but_core_http_reads_the_address_headers():
    pattern = re.compile(r"REMOTE_ADDR|X_FORWARDED_FOR|X-Forwarded-For", re.IGNORECASE)
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "var/")) or "/migrations/" in relative:
            continue
        if relative in ("lov_portal/core/http.py", "lov_portal/settings.py"):
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert offenders == []


@pytest.mark.django_db
def test_the_audit_log_records_the_connecting_address_not_a_forged_header(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().post(
        "/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7"
    )
    event = audit_record(actor=None, action="test", request=request)
    assert event.ip_address == "192.0.2.7"


@pytest.mark.django_db
def test_the_audit_log_behind_one_proxy_takes_the_address_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4"
    )
    assert audit_record(actor=None, action="test", request=request).ip_address == "198.51.100.4"


def _three_reports(client, monkeypatch, headers) -> list[int]:
    """Post three accessibility reports, the n-th with `headers(n)`, under a limit of two per
    hour and address: the statuses say which the limit counted as one client."""
    monkeypatch.setattr("lov_portal.portal.views.REPORTS_PER_HOUR_AND_ADDRESS", 2)
    data = {"description": "Knappen går inte att nå med tangentbordet.", "page_url": "/"}
    return [client.post("/tillganglighet/", data, **headers(n)).status_code for n in range(3)]


@pytest.mark.django_db
def test_the_accessibility_report_limit_ignores_forged_forwarded_for(
    client, mailoutbox, monkeypatch, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    statuses = _three_reports(
        client, monkeypatch, lambda n: {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
    )
    assert statuses == [302, 302, 429]


def test_allauth_uses_the_same_client_ip(settings, rf):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.post("/", REMOTE_ADDR="192.0.2.8", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert get_adapter(request).get_client_ip(request) == "192.0.2.8"
    settings.TRUSTED_PROXY_COUNT = 1
    assert get_adapter(request).get_client_ip(request) == "6.6.6.6"


def _login(client, email, password, address, forged=None):
    extra = {"REMOTE_ADDR": address}
    if forged:
        extra["HTTP_X_FORWARDED_FOR"] = forged
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


@pytest.mark.django_db
def test_a_stranger_cannot_lock_a_person_out_by_failing_on_their_email(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    person = UserFactory()
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    for attempt in range(8):
        response = _login(
            client, person.email, "fel-losenord", "203.0.113.66", f"192.0.2.{attempt}"
        )
        assert response.status_code == 200
    # The stranger is locked out (per account and address; forging the header does not help) ...
    assert "För många" in response.content.decode() or "Too many" in response.content.decode()
    # ... the person, from their own address, is not.
    assert _login(client, person.email, PASSWORD, "192.0.2.50").status_code == 302


@pytest.mark.django_db
def test_failed_logins_are_also_limited_per_address_across_accounts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    people = [UserFactory() for _ in range(11)]
    pages = [
        _login(client, p.email, "fel-losenord", "203.0.113.66", "192.0.2.1").content.decode()
        for p in people
    ]
    assert not any("För många" in page for page in pages[:10])
    assert "För många" in pages[10]


@pytest.mark.django_db
def test_behind_a_proxy_the_report_limit_counts_each_client_not_the_proxy(
    client, mailoutbox, monkeypatch, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    statuses = _three_reports(
        client,
        monkeypatch,
        lambda n: {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": f"6.6.6.6, 198.51.100.{n}"},
    )
    assert statuses == [302, 302, 302]
