"""allauth's sign-up, remembering the language the person signed up in."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.http import HttpRequest
from django.utils import translation

from lov_portal.core.text import InputPolicyMixin

from .services import language_of


class SignupForm(InputPolicyMixin, AllauthSignupForm):
    def custom_signup(self, request: HttpRequest, user: object) -> None:
        # E-mails go out in this language until the person picks another on the account page.
        user.preferred_language = language_of(translation.get_language())
        user.save(update_fields=["preferred_language"])
