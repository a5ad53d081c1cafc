"""Access decorators for views.

- `mfa_required`: the user must be logged in and have MFA set up; otherwise they are sent to
  log in, or to allauth's page for setting up an authenticator app. Use it on the signing views
  (signatories must have MFA). Staff need no decorator for MFA: `StaffMFAMiddleware` demands it
  of them on every page but the account pages.
- `staff_required`: logged in, staff (403 otherwise) and MFA set up.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .next import with_next

View = Callable[..., HttpResponse]


def user_has_mfa(user: object) -> bool:
    """Whether the user has an authenticator; asked once per request (cached on the user)."""
    cached = user.__dict__.get("_lov_has_mfa")
    if cached is None:
        cached = user.__dict__["_lov_has_mfa"] = is_mfa_enabled(user)
    return cached


def mfa_setup_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(with_next(reverse("mfa_activate_totp"), request.get_full_path()))


def mfa_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_has_mfa(request.user):
            return mfa_setup_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view: View) -> View:
    checked = mfa_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated and not request.user.is_staff:
            raise PermissionDenied
        return checked(request, *args, **kwargs)

    return wrapper
