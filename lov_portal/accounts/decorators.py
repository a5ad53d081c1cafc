"""Access decorators for views.

- `mfa_required`: the user must be logged in and have MFA set up; otherwise they are sent to
  log in, or to allauth's page for setting up an authenticator app. Use it on the signing views
  (signatories must have MFA). Staff need no decorator for MFA: `StaffMFAMiddleware` demands it
  of them on every page but the account pages.
- `staff_required`: logged in, staff (403 otherwise) and MFA set up.
- `signatory_step_up`: the acts that bind an organisation (signing, withdrawal): MFA set up
  (`LOV_SIGNING_REQUIRES_MFA`, default on) and, for a POST, a fresh re-authentication.
- `step_up_required(reason=...)`: a legally significant act (approving or returning minutes):
  a second factor set up before the form, and a fresh re-authentication before the POST,
  which is what signing asks (issue 18).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from allauth.account.decorators import reauthentication_required
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from lov_portal.core.cache import PERSON_TIMEOUT, person_key, versioned_get
from lov_portal.core.http import with_next

from .permissions import is_staff

View = Callable[..., HttpResponse]


def user_has_mfa(user: object) -> bool:
    """Whether the user has an authenticator: asked once per request (cached on the user) and
    kept per person under the content versions (read with them, RequestCacheMiddleware); any
    change to an Authenticator moves the work content version (lov_portal.portal.signals)."""
    cached = user.__dict__.get("_lov_has_mfa")
    if cached is None:
        key = "mfa:" + person_key(user)
        versions, cached = versioned_get(key)
        if cached is None:
            cached = is_mfa_enabled(user)
            cache.set(key, (versions, cached), PERSON_TIMEOUT)
        user.__dict__["_lov_has_mfa"] = cached
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
        if request.user.is_authenticated and not is_staff(request.user):
            raise PermissionDenied
        return checked(request, *args, **kwargs)

    return wrapper


def step_up_required(
    *, reason: str | Promise, mfa_setting: str | None = None
) -> Callable[[View], View]:
    """The proof an act that binds its author asks for, as signing does: the person must
    have a second factor (TOTP or a passkey) before they see the form, otherwise they are sent
    to set one up with `reason` and come back; a POST is acted on only right after a
    re-authentication (allauth asks for the password or a second-factor code, then replays
    the POST).

    Decorate the part of the view that runs after its permission check, so that someone
    without the right gets 403 rather than an invitation to set up MFA. `reason` (lazily
    translated) says why, in the person's language; `mfa_setting` names a setting that may
    switch the second factor off (re-authentication stays).
    """

    def decorator(view: View) -> View:
        reauthenticated = reauthentication_required(view, allow_get=True)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            mfa_needed = getattr(settings, mfa_setting, True) if mfa_setting else True
            if mfa_needed and not user_has_mfa(request.user):
                messages.info(request, str(reason))
                return mfa_setup_redirect(request)
            return reauthenticated(request, *args, **kwargs)

        return wrapper

    return decorator


# The acts that bind an organisation, signing and withdrawal (issue 14 part 7).
signatory_step_up = step_up_required(
    reason=gettext_lazy(
        "Den som undertecknar eller lämnar överenskommelsen för en organisation "
        "måste använda tvåstegsverifiering. Aktivera den först; sedan kan du "
        "fortsätta."
    ),
    mfa_setting="LOV_SIGNING_REQUIRES_MFA",
)
