"""No 500 on any input: hostile path segments and POST bodies, generated, for three roles.

tests/security/test_odd_query_strings.py covers query strings. This module covers the rest of
a request a visitor controls, generated so that a new view or form is covered without a new
test:

- path segments: every URL pattern (through the URL resolver, tests/urlwalk.py) is reversed
  with each of its parameters set to hostile values its converter accepts (a NUL byte, "²",
  overlong, negative, markup; for `<int:…>` zero and a number beyond any column);
- POST bodies: every URL pattern is posted a body in which every field of every form of the
  portal (found by walking the Form classes of the project's modules) and the parameters
  views read by hand (`next`, `commitment`) carry a hostile value.

Each is requested as an anonymous visitor, an organisation member and staff. A 4xx, a
redirect or a page with form errors are all fine; a 500 is not. To keep the run short (about
a minute on two cores) each pattern gets a sample of the values, rotated by role, not the
full cross product. Run against PostgreSQL in CI: it refuses NUL bytes and numbers beyond
bigint, where SQLite silently accepts them.
"""

from __future__ import annotations

import copy
import zlib
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation

from lov_portal.portal.demo import demo_create
from tests.conftest import _built_once_per_module
from tests.formwalk import project_form_classes
from tests.permissions import ANONYMOUS, MEMBER, STAFF
from tests.urlwalk import SAMPLE_UUID, Endpoint, all_endpoints

pytestmark = pytest.mark.django_db

HOSTILE = {
    "nul": "a\x00b",
    "superscript": "²",
    "overlong": "x" * 3000,
    "negative": "-1",
    "markup": "<script>alert(1)</script>'\"%",
    "crlf": "a\r\nBcc: evil@example.com",
    "relative": "foo",  # a `next` that is no local URL
}
HOSTILE_INTS = {"zero": "0", "huge": "9" * 40}
ROLES = (ANONYMOUS, MEMBER, STAFF)
# Fields views read from request.POST themselves, outside any form.
HAND_READ_FIELDS = ("next", "commitment", "confirm", "target", "part", "action", "language")
SKIPPED_MODULES = ("django.contrib.staticfiles.", "django.views.static", "debug_toolbar.")
# allauth's own views and django-ninja's are third-party code with their own tests; the
# admin's login is ours to keep safe (its `next`), the rest of the admin is sampled.
THIRD_PARTY = ("allauth.", "ninja.")


def _endpoints() -> list[Endpoint]:
    return [e for e in all_endpoints(languages=["sv"]) if not e.module.startswith(SKIPPED_MODULES)]


def _parameters(name: str) -> dict[str, str]:
    """Each parameter of the named pattern and its converter's class name."""
    resolver = get_resolver()
    *namespaces, view = name.split(":")
    for namespace in namespaces:
        _prefix, resolver = resolver.namespace_dict[namespace]
    for possibilities, _pattern, _defaults, converters in resolver.reverse_dict.getlist(view):
        for _format, parameters in possibilities:
            return {p: type(converters.get(p)).__name__ for p in parameters}
    return {}


def _valid(converter: str) -> str:
    return {"IntConverter": "1", "UUIDConverter": str(SAMPLE_UUID)}.get(converter, "exempel")


def _hostile_for(converter: str) -> dict[str, str]:
    if converter == "IntConverter":
        return HOSTILE_INTS
    if converter == "UUIDConverter":
        return {}
    return HOSTILE


def _sample(values: dict[str, str], key: str, role: str) -> list[tuple[str, str]]:
    """Half of the values (rounded up) for each role, starting at a stable hash of `key` (a
    pattern), the member's and staff's halves complementary: every pattern gets every value
    from a logged-in role, without every role trying every value everywhere."""
    items = sorted(values.items())
    count = (len(items) + 1) // 2
    offset = {MEMBER: 0, STAFF: count, ANONYMOUS: count // 2}[role]
    start = zlib.crc32(key.encode()) + offset
    return [items[(start + n) % len(items)] for n in range(min(count, len(items)))]


def hostile_paths(role: str) -> list[tuple[str, str]]:
    """(label, path) for every named pattern with parameters, hostile value by value."""
    paths = []
    with translation.override("sv"):
        for endpoint in _endpoints():
            if not endpoint.name:
                continue
            if endpoint.namespace.startswith("admin") and role != STAFF:
                continue
            parameters = _parameters(endpoint.name)
            for parameter, converter in parameters.items():
                values = _hostile_for(converter)
                if endpoint.namespace.startswith("admin"):  # Django's own views: a sample
                    values = dict(_sample(values, endpoint.name + parameter, role)[:1])
                for label, value in _sample(values, endpoint.name + parameter, role):
                    kwargs = {p: _valid(c) for p, c in parameters.items()}
                    kwargs[parameter] = value
                    try:
                        path = reverse(endpoint.name, kwargs=kwargs)
                    except NoReverseMatch:
                        continue  # the converter refuses it: the resolver answers 404
                    paths.append((f"{endpoint.name} {parameter}={label}", path))
    return paths


def form_field_names() -> list[str]:
    names: set[str] = set(HAND_READ_FIELDS)
    for form_class in project_form_classes():
        for name, field in form_class.base_fields.items():
            if not isinstance(field, forms.FileField):
                names.add(name)
    return sorted(names)


def hostile_bodies(role: str, fields: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, path, body) for every URL pattern, with every form field set hostile."""
    bodies = []
    for endpoint in _endpoints():
        if endpoint.namespace.startswith("admin") or endpoint.module.startswith(THIRD_PARTY):
            continue
        for label, value in _sample(HOSTILE, endpoint.path, role):
            bodies.append(
                (f"{endpoint.name} POST {label}", endpoint.path, dict.fromkeys(fields, value))
            )
    return bodies


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data (meetings with minutes, commitments with updates, signatories) with LÖV,
    built once for the module in a transaction rolled back at its end (`module_lov`'s way):
    the primary keys of the member (the demo's organisation admin) and of staff (with MFA)."""

    def build() -> dict[str, int | None]:
        from allauth.mfa.models import Authenticator

        from agreements.models import Agreement
        from lov_portal.accounts.models import User
        from lov_portal.portal.demo import DEMO_DOMAIN
        from lov_portal.portal.lov_source import load_source
        from lov_portal.portal.services import lov_load

        lov_load(parsed=load_source())
        demo_create(agreement=Agreement.objects.get(slug="lov"), organisations=3)
        staff = User.objects.get(email=f"personal@{DEMO_DOMAIN}")
        Authenticator.objects.create(
            user=staff, type=Authenticator.Type.TOTP, data={"secret": "test"}
        )
        member = User.objects.get(email=f"foreningsadmin@{DEMO_DOMAIN}")
        assert member.memberships.exists()
        return {ANONYMOUS: None, MEMBER: member.pk, STAFF: staff.pk}

    yield from _built_once_per_module(django_db_blocker, tmp_path_factory, build)


@pytest.fixture
def world(_module_world, db: None):
    """The module's demo data, its organisation admin as the member and its staff member as
    staff, read afresh for each test (what one test writes is rolled back before the next)."""
    from lov_portal.accounts.models import User

    return {
        role: None if pk is None else User.objects.get(pk=pk) for role, pk in _module_world.items()
    }


def _login(client, world, role: str) -> None:
    client.logout()
    if world[role] is not None:
        client.force_login(world[role])


class _FreshSession:
    """Each request of a walk starts from the state the role has right after logging in: the
    same cookies and the same session data (anonymous: no cookies). Logging out and in again
    before every request made half of a walk's time, so it is done only when a request changed
    the session (its key or its data); cookies a response only added or changed (CSRF,
    messages) are put back as they were after the login."""

    def __init__(self, client, world, role: str) -> None:
        self.client, self.world, self.role = client, world, role
        self.cookies: SimpleCookie | None = None
        self.session: dict[str, Any] = {}

    def _session_now(self) -> dict[str, Any] | None:
        """The session's data, or None when the session cookie is not the one of the login."""
        name = settings.SESSION_COOKIE_NAME
        now, then = self.client.cookies.get(name), self.cookies.get(name)
        if (now and now.value) != (then and then.value):
            return None
        # `client.session` would make a session when there is none: read it only if there is.
        return dict(self.client.session.items()) if then else {}

    def __call__(self) -> None:
        if self.cookies is not None and self._session_now() == self.session:
            self.client.cookies = copy.deepcopy(self.cookies)
            return
        _login(self.client, self.world, self.role)
        self.cookies = copy.deepcopy(self.client.cookies)
        self.session = self._session_now()


def _server_errors(client, world, role, requests) -> list[str]:
    errors = []
    fresh_session = _FreshSession(client, world, role)
    for label, method, path, body in requests:
        fresh_session()
        response = getattr(client, method)(path, data=body) if body else client.get(path)
        if response.status_code >= 500:
            errors.append(
                f"{role}: {method.upper()} {path[:120]!r} ({label}): {response.status_code}"
            )
    return errors


@pytest.mark.parametrize("role", ROLES)
def test_no_path_segment_answers_with_a_server_error(client, world, role):
    requests = [(label, "get", path, None) for label, path in hostile_paths(role)]
    assert len(requests) > 50
    errors = _server_errors(client, world, role, requests)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("role", ROLES)
def test_no_post_body_answers_with_a_server_error(client, world, role):
    fields = form_field_names()
    requests = [(label, "post", path, body) for label, path, body in hostile_bodies(role, fields)]
    assert len(requests) > 100
    errors = _server_errors(client, world, role, requests)
    assert not errors, "\n".join(errors)


def test_the_generators_find_the_forms_and_the_patterns():
    names = {f"{c.__module__}.{c.__qualname__}" for c in project_form_classes()}
    assert {
        "organisations.forms.OrganisationDetailsForm",
        "meetings.forms.MeetingForm",
        "commitments.forms.StatusUpdateForm",
        "organisations.forms.ApplicationDocumentForm",
    } <= names
    fields = form_field_names()
    assert {"name", "title", "narrative", "organisation_number", "next"} <= set(fields)
    labels = {label for role in ROLES for label, _path in hostile_paths(role)}
    for name in (
        "meetings:minutes_pdf pk",
        "agreements:verify code",
        "admin:",
        "organisations:documents slug",
        "organisations:document_download pk",
    ):
        assert any(label.startswith(name) for label in labels), name


# The server errors issue 15 found by hand, each kept as a named case.
REPORTED = [
    (ANONYMOUS, "get", "/moten/{meeting}/protokoll/pdf/?revision=%C2%B2", None),
    (ANONYMOUS, "get", "/moten/{meeting}/protokoll/utskrift/?revision=%C2%B2", None),
    (ANONYMOUS, "get", "/verifiera/%00/", None),
    (ANONYMOUS, "get", "/moten/kalender/%00.ics", None),
    (MEMBER, "get", "/organisationer/inbjudan/%00/", None),
    (MEMBER, "post", "/ataganden/uppdatering/", {"commitment": "²"}),
    (MEMBER, "post", "/ataganden/uppdatering/", {"commitment": "{commitment}", "next": "foo"}),
    (STAFF, "get", "/admin/login/?next=foo", None),
]


@pytest.mark.parametrize(("role", "method", "path", "body"), REPORTED)
def test_the_reported_server_errors_are_gone(client, world, role, method, path, body):
    from commitments.models import Commitment
    from meetings.models import Minutes

    minutes = Minutes.objects.filter(published_revision__isnull=False).first()
    commitment = next(
        c for c in Commitment.objects.all() if world[MEMBER].has_perm("commitments.post_update", c)
    )
    path = path.format(meeting=minutes.meeting_id)
    if body:
        body = {k: v.format(commitment=commitment.pk) for k, v in body.items()}
    _login(client, world, role)
    response = client.post(path, body) if method == "post" else client.get(path)
    assert response.status_code < 500
