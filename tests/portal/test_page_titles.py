"""Every page's <title> names the page, then the portal ("BankID – LÖV-portalen"), and the
page's <h1> is rendered from the same title (templates/document.html, templates/base.html)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.accounts.factories import UserFactory
from tests.permissions import ROLES
from tests.security.test_permission_matrix import covered_rows
from tests.urlwalk import all_endpoints

pytestmark = pytest.mark.django_db

PORTAL = "LÖV-portalen"
SEPARATOR = " – "
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1>(.*?)</h1>", re.S)


def _title(html: str) -> str | None:
    found = TITLE.search(html)
    return found.group(1) if found else None


def _title_problem(html: str) -> str | None:
    """None when the page's title reads "<page> – LÖV-portalen", else what is wrong."""
    title = _title(html)
    if title is None:
        return None  # a fragment (htmx), not a page
    page, separator, portal = title.rpartition(SEPARATOR)
    if portal != PORTAL or not separator or not page or page != page.strip():
        return repr(title)
    return None


def _is_page(response) -> bool:
    return (
        response.status_code in {200, 404}
        and not response.streaming
        and response["Content-Type"].startswith("text/html")
    )


def test_every_page_a_visitor_reaches_names_itself_before_the_portal(client, lov):
    problems = {}
    for endpoint in all_endpoints():
        if endpoint.namespace.split(":")[0] == "admin":
            continue
        response = client.get(endpoint.path)
        if _is_page(response) and (problem := _title_problem(response.content.decode())):
            problems[endpoint.path] = problem
    assert problems == {}


def _h1_and_title(html: str) -> tuple[str, str]:
    headings = H1.findall(html)
    assert len(headings) == 1, headings
    return headings[0], _title(html).rpartition(SEPARATOR)[0]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    "url_name",
    [
        "privacy",
        "api_page",
        "meetings:meeting_list",
        "commitments:list",
        "agreements:register",
        "agreements:how_to_verify",
        "account_login",
        "account_signup",
    ],
)
def test_a_public_pages_heading_is_its_title(client, lov, url_name, language):
    with translation.override(language):
        url = reverse(url_name)
    heading, title = _h1_and_title(client.get(url).content.decode())
    assert heading == title
    assert heading


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    "url_name",
    [
        "todo",
        "organisations:mine",
        "privacy:overview",
        "privacy:details",
        "reminders:preferences",
        "accounts:bankid",
    ],
)
def test_a_logged_in_pages_heading_is_its_title(client, lov, url_name, language):
    client.force_login(UserFactory())
    with translation.override(language):
        url = reverse(url_name)
    heading, title = _h1_and_title(client.get(url).content.decode())
    assert heading == title
    assert heading


def test_the_page_not_found_has_its_title_as_heading(client, lov):
    html = client.get("/finns-inte-alls/").content.decode()
    assert _title(html) == "Sidan finns inte – LÖV-portalen"
    assert _h1_and_title(html) == ("Sidan finns inte", "Sidan finns inte")


def _render(source: str, context: dict | None = None) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    return engines["django"].from_string(source).render(context, request=request)


def test_a_page_states_its_title_once_and_gets_it_as_heading_and_in_the_title():
    source = '{% extends "base.html" %}{% block title %} {{ name }} {% endblock %}'
    html = _render(source, {"name": "Prov & <test>"})
    assert _title(html) == "Prov &amp; &lt;test&gt; – LÖV-portalen"  # escaped once
    assert H1.findall(html) == ["Prov &amp; &lt;test&gt;"]
    assert html_lib.unescape(H1.findall(html)[0]) == "Prov & <test>"


def test_a_page_without_a_title_is_titled_by_the_portal_alone():
    assert _title(_render('{% extends "base.html" %}')) == PORTAL


def test_a_page_with_its_own_heading_has_no_other():
    html = _render(
        '{% extends "base.html" %}{% block title %}Kort{% endblock %}'
        "{% block heading %}<h1>En längre rubrik</h1>{% endblock %}"
    )
    assert _title(html) == "Kort – LÖV-portalen"
    assert H1.findall(html) == ["En längre rubrik"]


# Last in the module: the permissions matrix's world is built once for the tests below and
# stays until the module ends, and the tests above load LÖV themselves (`lov`), which the
# world's agreement (slug "lov") would be in the way of.
PAGE_ROWS = [
    pytest.param(row, id=row.url_name)
    for row in covered_rows()
    if row.method == "get" and 200 in row.expected.values()
]


@pytest.mark.parametrize("row", PAGE_ROWS)
def test_every_page_of_the_permissions_tables_names_itself_before_the_portal(
    client, matrix_world, row
):
    """The row's page as each role it answers with a page (real objects, logged in), on the
    permissions matrix's world built once for the module (`matrix_world`)."""
    world = matrix_world
    with translation.override("sv"):
        url = reverse(row.url_name, kwargs=row.kwargs(world))
    problems = {}
    for role in ROLES:
        if row.expected[role] != 200:
            continue
        user = world.users[role]
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        response = client.get(url)
        if _is_page(response) and (problem := _title_problem(response.content.decode())):
            problems[role] = problem
    assert problems == {}
