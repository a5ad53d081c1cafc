from __future__ import annotations

import datetime
import functools
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from agreements.models import Signature, SignatureKind, Withdrawal
from agreements.services import signature_create
from lov_portal.core.choices import PartySide
from organisations.models import LegalForm, MembershipRole, OrganisationStatus
from tests.accounts.factories import UserFactory
from tests.agreements.factories import SIGN_DATA, enable_mfa, reauthenticate
from tests.concurrency import run_at_once
from tests.evidence import forced
from tests.organisations.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def signatory(lov):
    membership = MembershipFactory(role=MembershipRole.SIGNATORY, user__email="per@example.se")
    enable_mfa(membership.user)
    return membership


def _sign_url(organisation):
    return reverse("agreements:sign", args=[organisation.slug])


def test_signatory_signs_the_current_version_with_a_full_evidence_record(
    client, signatory, django_capture_on_commit_callbacks, eager_tasks
):
    organisation = signatory.organisation
    client.force_login(signatory.user)
    reauthenticate(client, signatory.user)
    page = client.get(_sign_url(organisation))
    version = lov_version()
    assert version.text[:40] in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _sign_url(organisation), SIGN_DATA, HTTP_USER_AGENT="Testwebbläsare/1.0"
        )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.organisation_number == organisation.organisation_number
    assert signature.text_sha256 == version.text_sha256
    assert signature.signer == signatory.user
    assert signature.signer_name == "Per Firmatecknare"
    assert signature.signer_title == "Ordförande"
    assert signature.authority_reference == "Styrelsemöte 2026-03-12, § 7"
    assert "genom beslut enligt organisationens stadgar" in signature.consent_text
    assert signature.ip_address == "127.0.0.1"
    assert signature.user_agent == "Testwebbläsare/1.0"
    assert len(signature.receipt_code) == 20
    # The receipt: e-mail with a PDF naming the receipt code and the text's hash.
    assert mail.outbox[-1].to == ["per@example.se"]
    _name, content, mimetype = mail.outbox[-1].attachments[0]
    assert mimetype == "application/pdf"
    from pypdf import PdfReader

    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert signature.receipt_code in pdf_text
    assert signature.text_sha256[:16] in pdf_text.replace("\n", "")


def lov_version():
    from agreements.models import AgreementVersion

    return AgreementVersion.objects.get(agreement__slug="lov", is_current=True)


def test_signing_asks_for_the_password_again_and_then_completes(client, signatory):
    client.force_login(signatory.user)
    response = client.post(_sign_url(signatory.organisation), SIGN_DATA)
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert not Signature.objects.exists()
    response = client.post(response["Location"], {"password": "korrekt-hast-batteri"})
    assert Signature.objects.filter(organisation=signatory.organisation).count() == 1


def test_double_submit_gives_exactly_one_signature(client, signatory):
    client.force_login(signatory.user)
    reauthenticate(client, signatory.user)
    client.post(_sign_url(signatory.organisation), SIGN_DATA)
    response = client.post(_sign_url(signatory.organisation), SIGN_DATA, follow=True)
    assert Signature.objects.count() == 1
    assert "redan undertecknat" in response.content.decode()


def test_two_signatures_of_the_same_round_are_refused_by_the_database(signatory):
    from django.db import IntegrityError, transaction

    version = lov_version()
    organisation = signatory.organisation
    signature_create(organisation=organisation, version=version, signer_name="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        # signature_create computes the same round again: the constraint must refuse it.
        signature_create(organisation=organisation, version=version, signer_name="B")
    assert Signature.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_representatives_signing_at_once_give_one_signature(lov):
    from agreements.services import AlreadySignedError, signature_sign

    organisation = OrganisationFactory()
    users = [
        MembershipFactory(organisation=organisation, role=MembershipRole.SIGNATORY).user
        for _ in range(2)
    ]
    version = lov_version()

    def attempt(user) -> str:
        try:
            signature_sign(
                organisation=organisation,
                version=version,
                signer=user,
                signer_name=user.full_name,
                signer_title="Ordförande",
                authority_basis="firmatecknare",
            )
        except AlreadySignedError:
            return "refused"
        return "signed"

    outcomes = run_at_once(*(functools.partial(attempt, user) for user in users))
    assert sorted(outcomes) == ["refused", "signed"]
    assert Signature.objects.filter(organisation=organisation).count() == 1


def test_missing_authority_confirmation_keeps_what_was_typed(client, signatory):
    client.force_login(signatory.user)
    reauthenticate(client, signatory.user)
    data = {**SIGN_DATA}
    del data["confirm"]
    response = client.post(_sign_url(signatory.organisation), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kryssa i rutan för att bekräfta att du är behörig" in content
    assert 'value="Per Firmatecknare"' in content
    assert not Signature.objects.exists()


def test_organisation_that_is_not_approved_cannot_sign(client, lov):
    membership = MembershipFactory(
        role=MembershipRole.ADMIN, organisation__status=OrganisationStatus.APPLIED
    )
    client.force_login(membership.user)
    assert client.get(_sign_url(membership.organisation)).status_code == 403


def test_receipt_verification_shows_a_valid_current_receipt(client, signatory):
    signature = signature_create(
        organisation=signatory.organisation, version=lov_version(), signer_name="Per"
    )
    response = client.get(reverse("agreements:verify", args=[signature.receipt_code]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kvittot är giltigt" in content
    assert signatory.organisation.name in content
    assert "Per" not in content.split("<main", 1)[1].split("Kontrollera ett kvitto", 1)[1]


def test_unknown_receipt_code_gets_a_swedish_message_and_keeps_the_code(client, lov):
    response = client.get(reverse("agreements:verify_lookup"), {"code": "FELKOD<>123"})
    assert response.status_code == 404
    content = response.content.decode()
    assert "Det finns inget kvitto med den koden" in content
    assert 'value="FELKOD&lt;&gt;123"' in content
    response = client.get(reverse("agreements:verify", args=["OKAND"]))
    assert response.status_code == 404


def test_withdrawn_receipt_is_shown_as_no_longer_current(client, signatory):
    signature = signature_create(
        organisation=signatory.organisation, version=lov_version(), signer_name="Per"
    )
    Withdrawal.objects.create(signature=signature, withdrawn_at=signature.signed_at)
    content = client.get(reverse("agreements:verify", args=[signature.receipt_code])).content
    assert "lämnade överenskommelsen" in content.decode()


def test_verify_register_reports_an_intact_chain(signatory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the checkpoint is signed on commit
        for n in range(3):
            signature_create(
                organisation=OrganisationFactory(), version=lov_version(), signer_name=f"P{n}"
            )
    out = io.StringIO()
    call_command("verify_register", stdout=out)
    # The published version and the three signatures, all in a signed checkpoint.
    assert "the register is intact: 4 entries, checkpoint 4 valid" in out.getvalue()


def test_verify_register_reports_the_first_tampered_record(signatory):
    signatures = [
        signature_create(
            organisation=OrganisationFactory(), version=lov_version(), signer_name=f"P{n}"
        )
        for n in range(4)
    ]
    with forced():
        Signature.objects.filter(pk=signatures[1].pk).update(signer_name="Någon annan")
        Signature.objects.filter(pk=signatures[2].pk).update(signer_name="Också ändrad")
    with pytest.raises(CommandError, match=f"signer_name differs .*signature {signatures[1].pk} "):
        call_command("verify_register")


def test_staff_register_the_regions_decision(client, lov):
    region = OrganisationFactory(
        name="Region Västernorrland", side=PartySide.PUBLIC, legal_form=LegalForm.PUBLIC_BODY
    )
    client.force_login(UserFactory(staff=True))
    response = client.post(
        reverse("agreements:region_decision"),
        {
            "organisation": region.pk,
            "decision_body": "Regionfullmäktige",
            "decision_date": "2026-04-23",
            "decision_reference": "§ 142",
        },
    )
    assert response.status_code == 302
    signature = Signature.objects.get(organisation=region)
    assert signature.kind == SignatureKind.DECISION
    assert signature.decision_date == datetime.date(2026, 4, 23)
    assert signature.decision_reference == "§ 142"


def test_withdrawal_needs_confirmation_and_keeps_the_history(client, lov):
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    enable_mfa(admin.user)
    signature = signature_create(
        organisation=admin.organisation, version=lov_version(), signer_name="Per"
    )
    client.force_login(admin.user)
    reauthenticate(client, admin.user)
    url = reverse("agreements:withdraw", args=[admin.organisation.slug])
    response = client.post(url, {"reason": "Föreningen upphör."})
    assert response.status_code == 200
    assert "Kryssa i rutan för att bekräfta utträdet" in response.content.decode()
    assert "Föreningen upphör." in response.content.decode()
    assert not Withdrawal.objects.exists()
    response = client.post(url, {"reason": "Föreningen upphör.", "confirm": "on"})
    assert response.status_code == 302
    withdrawal = Withdrawal.objects.get()
    assert withdrawal.signature == signature
    assert withdrawal.reason == "Föreningen upphör."
    assert Signature.objects.filter(pk=signature.pk).exists()
    status = client.get(
        reverse("agreements:organisation_signature", args=[admin.organisation.slug])
    )
    assert "Föreningen upphör." in status.content.decode()


def _withdraw_url(organisation):
    return reverse("agreements:withdraw", args=[organisation.slug])


WITHDRAW_DATA = {"reason": "Föreningen upphör.", "confirm": "on"}


def test_withdrawal_without_a_second_factor_is_sent_to_set_one_up_first(client, lov):
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    signature_create(organisation=admin.organisation, version=lov_version(), signer_name="Per")
    client.force_login(admin.user)
    response = client.get(_withdraw_url(admin.organisation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    reauthenticate(client, admin.user)
    response = client.post(_withdraw_url(admin.organisation), WITHDRAW_DATA)
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert not Withdrawal.objects.exists()
    enable_mfa(admin.user)
    assert client.get(_withdraw_url(admin.organisation)).status_code == 200


def test_withdrawal_asks_for_the_password_again_and_then_completes(client, lov):
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    enable_mfa(admin.user)
    signature_create(organisation=admin.organisation, version=lov_version(), signer_name="Per")
    client.force_login(admin.user)
    response = client.post(_withdraw_url(admin.organisation), WITHDRAW_DATA)
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert not Withdrawal.objects.exists()
    client.post(response["Location"], {"password": "korrekt-hast-batteri"})
    assert Withdrawal.objects.get().reason == "Föreningen upphör."


def test_a_member_with_mfa_and_fresh_login_still_cannot_withdraw(client, lov):
    member = MembershipFactory(role=MembershipRole.SIGNATORY)
    enable_mfa(member.user)
    signature_create(organisation=member.organisation, version=lov_version(), signer_name="Per")
    client.force_login(member.user)
    reauthenticate(client, member.user)
    assert client.post(_withdraw_url(member.organisation), WITHDRAW_DATA).status_code == 403
    assert not Withdrawal.objects.exists()


def test_signing_and_withdrawal_use_one_step_up_decorator_and_no_copy_of_it():
    import importlib
    import inspect
    import pkgutil

    from agreements import views

    # Every module of the views package (split by sub-domain, issue 17).
    source = "".join(
        inspect.getsource(importlib.import_module(f"agreements.views.{info.name}"))
        for info in pkgutil.iter_modules(views.__path__)
    )
    assert source.count("@signatory_step_up") == 2
    assert "reauthentication_required" not in source
    assert "is_mfa_enabled" not in source


def test_after_withdrawal_the_organisation_can_sign_again(client, lov):
    admin = MembershipFactory(role=MembershipRole.ADMIN)
    first = signature_create(
        organisation=admin.organisation, version=lov_version(), signer_name="A"
    )
    Withdrawal.objects.create(signature=first, withdrawn_at=first.signed_at)
    second = signature_create(
        organisation=admin.organisation, version=lov_version(), signer_name="B"
    )
    assert (first.round, second.round) == (0, 1)


def test_signature_of_an_earlier_version_asks_to_confirm_the_current_one(client, lov):
    from agreements.services import agreement_version_create

    admin = MembershipFactory(role=MembershipRole.ADMIN)
    signature_create(organisation=admin.organisation, version=lov_version(), signer_name="A")
    agreement_version_create(agreement=lov, number=2, text=lov_version().text + "\nTillägg.")
    client.force_login(admin.user)
    content = client.get(
        reverse("agreements:organisation_signature", args=[admin.organisation.slug])
    ).content.decode()
    assert "Organisationen har undertecknat version 1" in content
    assert "Underteckna version 2" in content


# --- Permissions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "anonymous",
            {"status": 302, "sign": 302, "withdraw": 302, "decision": 302, "verify": 200},
        ),
        ("member", {"status": 200, "sign": 403, "withdraw": 403, "decision": 403, "verify": 200}),
        (
            "signatory",
            {"status": 200, "sign": 200, "withdraw": 403, "decision": 403, "verify": 200},
        ),
        ("admin", {"status": 200, "sign": 200, "withdraw": 200, "decision": 403, "verify": 200}),
        ("other", {"status": 403, "sign": 403, "withdraw": 403, "decision": 403, "verify": 200}),
        ("staff", {"status": 200, "sign": 403, "withdraw": 403, "decision": 200, "verify": 200}),
    ],
)
def test_permissions_of_the_signing_pages(client, lov, who, expected):
    organisation = OrganisationFactory()
    role = {"member": MembershipRole.MEMBER, "signatory": MembershipRole.SIGNATORY}.get(
        who, MembershipRole.ADMIN
    )
    if who in {"member", "signatory", "admin"}:
        user = MembershipFactory(organisation=organisation, role=role).user
        enable_mfa(user)
        client.force_login(user)
    elif who == "other":
        client.force_login(MembershipFactory(role=MembershipRole.ADMIN).user)
    elif who == "staff":
        client.force_login(UserFactory(staff=True, is_superuser=True))
    verify_code = signature_create(
        organisation=OrganisationFactory(), version=lov_version(), signer_name="X"
    ).receipt_code
    urls = {
        "status": reverse("agreements:organisation_signature", args=[organisation.slug]),
        "sign": _sign_url(organisation),
        "withdraw": reverse("agreements:withdraw", args=[organisation.slug]),
        "decision": reverse("agreements:region_decision"),
        "verify": reverse("agreements:verify", args=[verify_code]),
    }
    got = {name: client.get(url).status_code for name, url in urls.items()}
    assert got == expected


def test_signatory_without_mfa_is_sent_to_set_it_up_first(client, lov):
    membership = MembershipFactory(role=MembershipRole.SIGNATORY)
    client.force_login(membership.user)
    response = client.get(_sign_url(membership.organisation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    reauthenticate(client, membership.user)
    client.post(_sign_url(membership.organisation), SIGN_DATA)
    assert not Signature.objects.exists()
    enable_mfa(membership.user)
    assert client.get(_sign_url(membership.organisation)).status_code == 200


def test_member_without_signatory_role_cannot_post_a_signature(client, lov):
    membership = MembershipFactory(role=MembershipRole.MEMBER)
    client.force_login(membership.user)
    reauthenticate(client, membership.user)
    assert client.post(_sign_url(membership.organisation), SIGN_DATA).status_code == 403
    assert not Signature.objects.exists()


@pytest.mark.parametrize(("count", "expected"), [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_the_signature_stores_the_client_ip_behind_trusted_proxies(
    client, signatory, settings, count, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    organisation = signatory.organisation
    client.force_login(signatory.user)
    reauthenticate(client, signatory.user)
    response = client.post(
        _sign_url(organisation),
        SIGN_DATA,
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )
    assert response.status_code == 302
    assert Signature.objects.get().ip_address == expected
