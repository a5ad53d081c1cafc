"""allauth, told to use the portal's one `client_ip`, to limit failed logins in a way that
no stranger can use to lock a person out, and to offer a linked BankID for re-authentication."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lov_portal.core.http import client_ip, safe_next, with_next


class AccountAdapter(DefaultAccountAdapter):
    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        """The confirmation link carries where the person was going when they signed up (a
        local path only), so confirming in another browser and logging in there still lands
        on it; allauth's own memory of it is the sign-up browser's session."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        if request is None:
            return url
        wanted = request.POST.get("next") or request.GET.get("next")
        next_url = safe_next(request, wanted, "")
        return with_next(url, next_url) if next_url else url

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address evidence and audit record (a forwarded-for header only from proxies we
        trust): rate limits, user sessions and e-mails all read it from here."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The `key` of ACCOUNT_RATE_LIMITS["login_failed"]: the account *and* the address.

        allauth keys it on the account alone, so five wrong passwords typed by anyone, from
        anywhere, lock the real person out on every device. Per (account, address) an attacker
        only locks themselves out; the per-address rate still bounds guessing across accounts.
        A successful password reset clears the key of the address it is done from.
        """
        account_key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account_key}:{self.get_client_ip(request)}"

    def get_reauthentication_methods(self, user: Any) -> list[dict]:
        """allauth's ways to confirm an act again, and BankID for those who linked theirs
        (lov_portal.accounts.bankid): the re-authentication pages list it as an alternative."""
        from .bankid import step_up_offered

        methods = super().get_reauthentication_methods(user)
        if step_up_offered(user):
            methods.append(
                {
                    "id": "bankid",
                    "description": _("Legitimera med BankID"),
                    "url": reverse("accounts:bankid_step_up"),
                }
            )
        return methods
