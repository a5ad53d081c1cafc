import pytest
from django.test import RequestFactory

from lov_portal.core.http import client_ip


def _request(remote="10.0.0.9", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(xff="203.0.113.7")) == "10.0.0.9"


@pytest.mark.parametrize(
    ("count", "xff", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # The client forged the first entry; our one proxy appended the real address.
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_right_entry_is_the_client(settings, count, xff, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(xff=xff)) == expected


@pytest.mark.parametrize("xff", [None, "", "203.0.113.7", "not-an-ip, 10.0.0.2"])
def test_a_header_that_does_not_match_the_proxies_falls_back_to_remote_addr(settings, xff):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(xff=xff)) == "10.0.0.9"


def test_an_invalid_remote_addr_gives_none(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(remote="garbage")) is None


# --- where to go next: one check for every `next` (accounts, admin, status updates) ---------


@pytest.mark.parametrize(
    "value",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "javascript:x",
        "foo",
        "",
        None,
        ["/moten/"],  # whatever a session or a form may hold that is not a string
        42,
    ],
)
def test_safe_next_refuses_anything_but_a_local_path(value):
    from lov_portal.core.http import safe_next

    assert safe_next(RequestFactory().get("/"), value, "/reserv/") == "/reserv/"


@pytest.mark.parametrize("value", ["/moten/", "/organisationer/granskning/?status=applied"])
def test_safe_next_keeps_a_local_path(value):
    from lov_portal.core.http import safe_next

    assert safe_next(RequestFactory().get("/"), value, "") == value


def test_with_next_quotes_the_query_string_of_next():
    from lov_portal.core.http import with_next

    assert with_next("/a/", "/b/?x=1&y=2") == "/a/?next=/b/%3Fx%3D1%26y%3D2"
