"""Session and MFA rules that apply across the portal (docs/security.md).

- `StaffMFAMiddleware`: staff without an authenticator are sent to allauth's MFA setup page
  from every page except allauth's own (login, logout, MFA setup, password, e-mail, sessions).
- `AbsoluteSessionTimeoutMiddleware`: a session ends SESSION_ABSOLUTE_AGE seconds after login,
  however active it is; activity renews the idle timeout (SESSION_COOKIE_AGE) at most once per
  SESSION_RENEW_SECONDS, so a session ends between SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS
  and SESSION_COOKIE_AGE after the last request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .decorators import mfa_setup_redirect, user_has_mfa
from .permissions import is_staff

LOGIN_TIME_KEY = "lov_login_at"
RENEWED_KEY = "lov_renewed_at"


# Views a logged-in staff member without MFA may still use: allauth's account pages, where
# they log in and out and set up the authenticator (and our two wrappers of allauth's MFA
# set-up, which keep `next`). Everything else, public pages included, waits for the
# authenticator, because so many pages show staff more than the public (internal meeting
# details, unpublished minutes, edit links) that "public" is not a safe exemption.
# allauth's packages by prefix, our MFA set-up (accounts/views.py) by its exact name: a later
# module that merely starts with that name (bankid_views, views_extra) still needs MFA.
MFA_FREE_PACKAGES = ("allauth.",)
MFA_FREE_MODULES = frozenset({"lov_portal.accounts.views"})


class StaffMFAMiddleware:
    """Staff must have MFA on every page they reach as staff, so on every page: a view added
    later is covered without a decorator. Non-staff (a group's secretary, say) are not
    affected; pages that need MFA of them use `mfa_required`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        # A superuser has every permission through `has_perm`, so counts as staff here.
        if not (is_staff(user) or (user.is_authenticated and user.is_superuser)):
            return None
        module = getattr(view_func, "__module__", "")
        if module in MFA_FREE_MODULES or module.startswith(MFA_FREE_PACKAGES):
            return None
        if not user_has_mfa(user):
            return mfa_setup_redirect(request)
        return None


class AbsoluteSessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            logged_in_at = request.session.get(LOGIN_TIME_KEY)
            if logged_in_at is None:
                request.session[LOGIN_TIME_KEY] = now
            elif now - int(logged_in_at) > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                messages.info(request, _("Du har varit inloggad länge. Logga in igen."))
                return redirect_to_login(request.get_full_path())
            renewed_at = int(request.session.get(RENEWED_KEY, 0))
            if now - renewed_at >= settings.SESSION_RENEW_SECONDS:
                # Writing the key marks the session modified: it is saved with a new expiry.
                request.session[RENEWED_KEY] = now
        return self.get_response(request)


def session_times_start(
    sender: object, request: HttpRequest, user: object, **kwargs: object
) -> None:
    """Stamp the login and renewal times when the session is created at login, so the first
    page after login does not have to save the session again."""
    if getattr(request, "session", None) is None:
        return
    now = int(time.time())
    request.session[LOGIN_TIME_KEY] = now
    request.session[RENEWED_KEY] = now
