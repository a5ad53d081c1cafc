"""Which views a staff member without an authenticator may reach (StaffMFAMiddleware): only
allauth's pages and our own MFA set-up module, by exact module name, not by prefix."""

import pytest
from django.test import RequestFactory

from lov_portal.accounts.middleware import StaffMFAMiddleware
from tests.accounts.factories import UserFactory


def _view_in(module: str):
    def view(request):  # pragma: no cover - never called, the middleware decides first
        raise AssertionError

    view.__module__ = module
    return view


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("module", "exempt"),
    [
        ("allauth.account.views", True),
        ("allauth.mfa.totp.views", True),
        ("lov_portal.accounts.views", True),
        # A later module whose name merely starts with the exempt one needs MFA.
        ("lov_portal.accounts.views_extra", False),
        ("lov_portal.accounts.viewsets", False),
        ("lov_portal.accounts.bankid_views", False),
        ("agreements.views.register", False),
    ],
)
def test_only_the_named_modules_are_free_of_the_mfa_demand(module, exempt):
    staff = UserFactory(is_staff=True)
    request = RequestFactory().get("/")
    request.user = staff
    request.session = {}
    middleware = StaffMFAMiddleware(lambda r: None)
    answer = middleware.process_view(request, _view_in(module), (), {})
    assert (answer is None) is exempt
