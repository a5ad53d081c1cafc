"""allauth's MFA set-up, keeping where the person was going.

allauth's TOTP activation ends on the recovery-codes page and forgets `next`. These two views
remember a safe local `next` from the activation page in the session and offer it as the way
on from the recovery-codes page, which the person must see once anyway (docs/decisions.md).
"""

from __future__ import annotations

from allauth.mfa.recovery_codes.views import ViewRecoveryCodesView
from allauth.mfa.totp.views import ActivateTOTPView
from django.http import HttpRequest, HttpResponse

from lov_portal.core.http import safe_next

NEXT_SESSION_KEY = "lov_next"


class ActivateTOTPKeepingNext(ActivateTOTPView):
    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        next_url = safe_next(request, request.GET.get("next"), "")
        if next_url:
            request.session[NEXT_SESSION_KEY] = next_url
        return super().get(request, *args, **kwargs)


class RecoveryCodesWithNext(ViewRecoveryCodesView):
    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        context["next_url"] = safe_next(
            self.request, self.request.session.get(NEXT_SESSION_KEY), ""
        )
        return context


activate_totp = ActivateTOTPKeepingNext.as_view()
view_recovery_codes = RecoveryCodesWithNext.as_view()
