"""Every response of every URL pattern carries the security headers.

The URLs come from walking the resolver (tests/urlwalk.py), so a view added later is covered
without anyone adding it here.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.permissions import make_staff_with_mfa
from tests.urlwalk import all_endpoints

pytestmark = pytest.mark.django_db

ENDPOINTS = all_endpoints()


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response, where: str) -> None:
    csp = response.headers.get("Content-Security-Policy")
    assert csp, f"{where}: no Content-Security-Policy"
    directives = csp_directives(csp)
    assert directives.get("default-src") == ["'self'"], where
    assert directives.get("frame-ancestors") == ["'none'"], where
    for directive in ("script-src", "style-src", "default-src"):
        values = directives.get(directive, [])
        assert "'unsafe-inline'" not in values, f"{where}: {directive} {values}"
        assert "'unsafe-eval'" not in values, f"{where}: {directive} {values}"
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), where
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where


def is_redirect_to_login(response) -> bool:
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    location = response.headers.get("Location", "")
    return location.startswith((reverse("account_login"), "/en" + reverse("account_login")))


def walk(client) -> int:
    checked = 0
    for endpoint in ENDPOINTS:
        response = client.get(endpoint.path)
        if is_redirect_to_login(response):
            continue
        assert_security_headers(response, f"GET {endpoint.path} ({endpoint.route})")
        checked += 1
    return checked


def test_the_walk_reaches_every_kind_of_pattern():
    paths = {endpoint.path for endpoint in ENDPOINTS}
    names = {endpoint.name for endpoint in ENDPOINTS}
    assert "/" in paths and "/en/" in paths  # both sides of i18n_patterns
    assert "/health/" in paths  # outside i18n_patterns
    assert "account_login" in names  # through include()
    assert "admin:index" in names  # through a namespace
    assert any(endpoint.path.startswith("/admin/auth/group/1") for endpoint in ENDPOINTS) or any(
        "/admin/auth/group/exempel/" in path for path in paths
    )  # parameters filled in


def test_every_url_sends_the_security_headers_to_anonymous_visitors(client):
    assert walk(client) > 10


def test_every_url_sends_the_security_headers_to_staff(client):
    client.force_login(make_staff_with_mfa())
    assert walk(client) > 50


def test_the_header_check_catches_a_weak_policy(client):
    response = client.get("/")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self' 'unsafe-inline'"
    )
    with pytest.raises(AssertionError):
        assert_security_headers(response, "/")
