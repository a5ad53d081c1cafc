"""base.html's menus and footer are kept per process under exactly what they show (language, path,
the work menu's facts: lov_portal.core.templatetags.menus): each person still sees their own
work menu, the current page marked, and a change in their facts at once."""

import re

import pytest
from django.urls import reverse

from organisations.models import MembershipRole
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

REGISTER = reverse("agreements:register")
AUDIT = reverse("audit:event_list")


def work_menu(client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'<nav class="work-nav".*?</nav>', html, re.S).group(0)


def test_a_member_after_a_staff_member_sees_no_staff_links(client, lov):
    client.force_login(UserFactory(staff=True))
    assert AUDIT in work_menu(client, REGISTER)
    client.force_login(UserFactory())
    assert AUDIT not in work_menu(client, REGISTER)
    client.logout()
    assert 'class="work-nav"' not in client.get(REGISTER).content.decode()


def test_each_person_sees_their_own_count_at_once(client, lov):
    admin = UserFactory()
    membership = MembershipFactory(user=admin, role=MembershipRole.ADMIN)  # unsigned: one to do
    client.force_login(admin)
    assert 'class="count-badge">1<' in work_menu(client, REGISTER)
    client.force_login(UserFactory())
    assert "count-badge" not in work_menu(client, REGISTER)
    client.force_login(admin)
    membership.delete()
    assert "count-badge" not in work_menu(client, REGISTER)


def test_the_current_page_is_marked_on_each_path(client, lov):
    client.force_login(UserFactory())
    todo = reverse("todo")
    assert f'href="{todo}" aria-current="page"' in work_menu(client, todo)
    html = client.get(REGISTER).content.decode()
    assert f'href="{REGISTER}" aria-current="page"' in html
    assert f'href="{todo}" aria-current="page"' not in html
    assert f"?sida={REGISTER}#rapportera" in html  # the footer's link names the page


def test_each_language_has_its_own_menus(client, lov):
    client.force_login(UserFactory())
    assert ">Att göra<" in work_menu(client, REGISTER)
    assert ">To do<" in work_menu(client, "/en" + REGISTER)
