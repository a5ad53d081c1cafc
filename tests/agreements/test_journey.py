"""The whole journey with Django's test client: sign up, verify, apply, approve, sign,
appear in the register, withdraw, disappear from it while the history stays."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from agreements.models import Signature, Withdrawal
from organisations.models import Organisation, OrganisationStatus
from tests.accounts.factories import UserFactory
from tests.agreements.factories import enable_mfa
from tests.organisations.factories import ELIGIBILITY_ALL, application_details

PASSWORD = "ett-langt-och-bra-losenord"


def test_an_organisation_joins_signs_appears_withdraws_and_keeps_its_history(
    lov, django_capture_on_commit_callbacks, eager_tasks
):
    person = Client()
    # Sign up and verify the e-mail address.
    response = person.post(
        reverse("account_signup"),
        {"email": "lisa@forening.example.se", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    link = re.search(r"https?://[^\s]+/konto/confirm-email/[^\s]+", mail.outbox[-1].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    response = person.post(path)
    assert response.status_code == 302
    assert person.get(reverse("organisations:mine")).status_code == 200

    # Apply in three steps.
    steps = [
        reverse("organisations:apply_step", args=[s]) for s in ("uppgifter", "kontakt", "villkor")
    ]
    assert person.post(steps[0], application_details(name="Föreningen Medvind")).status_code == 302
    assert (
        person.post(
            steps[1], {"full_name": "Lisa Lind", "contact_role": "Ordförande", "action": "next"}
        ).status_code
        == 302
    )
    assert person.post(steps[2], {**ELIGIBILITY_ALL, "action": "next"}).status_code == 302
    organisation = Organisation.objects.get(name="Föreningen Medvind")
    assert organisation.status == OrganisationStatus.APPLIED

    # Staff approve; the applicant is told by e-mail.
    staff = Client()
    staff.force_login(UserFactory(staff=True))
    queue = staff.get(reverse("organisations:review_queue")).content.decode()
    assert "Föreningen Medvind" in queue
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("organisations:review_detail", args=[organisation.application.pk]),
            {"action": "approve", "reason": ""},
        )
    assert mail.outbox[-1].to == ["lisa@forening.example.se"]
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED

    # Sign: a second factor is required first, then the password is asked for again just
    # before the signature is stored.
    sign_url = reverse("agreements:sign", args=[organisation.slug])
    assert reverse("mfa_activate_totp") in person.get(sign_url)["Location"]
    enable_mfa(organisation.memberships.get().user)
    assert person.get(sign_url).status_code == 200
    response = person.post(
        sign_url,
        {
            "signer_name": "Lisa Lind",
            "signer_title": "Ordförande",
            "authority_basis": "firmatecknare",
            "confirm": "on",
        },
    )
    assert reverse("account_reauthenticate") in response["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        person.post(response["Location"], {"password": PASSWORD})
    signature = Signature.objects.get(organisation=organisation)
    assert mail.outbox[-1].attachments[0][2] == "application/pdf"

    # In the register, and the receipt verifies.
    register = reverse("agreements:register")
    assert "Föreningen Medvind" in person.get(register).content.decode()
    anonymous = Client()
    verify = anonymous.get(reverse("agreements:verify", args=[signature.receipt_code]))
    assert "Kvittot är giltigt" in verify.content.decode()

    # Withdraw with confirmation (the password was just given when signing, so no new
    # prompt): out of the register, history kept on the profile.
    person.post(
        reverse("agreements:withdraw", args=[organisation.slug]),
        {"reason": "Vi slår ihop oss med en annan förening.", "confirm": "on"},
    )
    assert Withdrawal.objects.filter(signature=signature).exists()
    assert "Föreningen Medvind" not in anonymous.get(register).content.decode()
    profile = anonymous.get(reverse("agreements:profile", args=[organisation.slug]))
    # The withdrawal is public (that and when); the reason is not.
    assert "har lämnat överenskommelsen" in profile.content.decode()
    assert "Vi slår ihop oss med en annan förening." not in profile.content.decode()
    assert Signature.objects.filter(pk=signature.pk).exists()
