"""The permission vocabulary every app uses: the shared predicates, one way to ask, one view
decorator and one view mixin, all on `rules` (issue 17; docs/decisions.md).

Each app names its permissions in its own `rules.py` from these predicates and its own (a
group member, an organisation's signatory); the views and services ask through `has_perm` /
`require`, never `user.has_perm`.

One answer to superusers: none of their own. `User.has_perm` says yes to an active superuser
for every permission, so a superuser who is not a checker could approve minutes, and one who
does not belong to an organisation could sign for it. Here the rule alone decides; staff pages
are open to superusers because `createsuperuser` makes them staff, and the admin site keeps
Django's own checks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]

is_authenticated = rules.is_authenticated


@rules.predicate
def is_staff(user: object) -> bool:
    """The portal's staff (kansliet): logged in, active and marked staff."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
    )


def has_perm(user: object, perm: str, obj: object = None) -> bool:
    """Whether the named rule lets `user` do `perm` (on `obj`), without a superuser bypass."""
    return rules.has_perm(perm, user, obj)


def require(request: HttpRequest, perm: str, obj: object = None) -> None:
    """403 unless the request's user has `perm` (on `obj`)."""
    if not has_perm(request.user, perm, obj):
        raise PermissionDenied


def permission_required(
    perm: str, obj: Callable[..., object] | None = None
) -> Callable[[View], View]:
    """View decorator: 403 unless the user has `perm` on `obj(request, *args, **kwargs)` (or
    on nothing). It answers everyone alike, anonymous visitors too; put a decorator that sends
    them to log in (`staff_required`, `mfa_required`, `login_required`) outside it."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            target = obj(request, *args, **kwargs) if obj is not None else None
            require(request, perm, target)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class PermissionRequiredMixin:
    """For class-based views: 403 unless the user has `permission_required` on
    `get_permission_object()` (None by default). The same answer as `permission_required`."""

    permission_required: str = ""

    def get_permission_object(self) -> object:
        return None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.permission_required:
            raise PermissionDenied  # a view that forgot to name its permission is closed
        require(request, self.permission_required, self.get_permission_object())
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
