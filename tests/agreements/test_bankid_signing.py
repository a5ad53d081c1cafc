"""Signing the agreement with BankID through the views, against the simulator."""

from __future__ import annotations

import base64
import json

import pytest
from django.urls import reverse

from agreements import bankid
from agreements.evidence import register_check
from agreements.models import BankIDEvidence, Signature, SignatureMethod
from organisations.models import MembershipRole
from tests.agreements.factories import SIGN_DATA, enable_mfa, reauthenticate
from tests.organisations.factories import MembershipFactory

PNO = "198507099805"
BANKID_DATA = {
    "bankid-signer_title": "Ordförande",
    "bankid-authority_basis": "firmatecknare",
    "bankid-authority_reference": "",
    "bankid-confirm": "on",
}
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signatory(lov):
    membership = MembershipFactory(role=MembershipRole.SIGNATORY, user__email="per@example.se")
    enable_mfa(membership.user)
    return membership


def url(name, organisation):
    return reverse(f"agreements:{name}", args=[organisation.slug])


def start(client, signatory):
    client.force_login(signatory.user)
    response = client.post(url("sign_bankid_start", signatory.organisation), BANKID_DATA)
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == url("sign_bankid", signatory.organisation)
    (order,) = signatory_orders(client)  # the session holds exactly one order
    return order


def signatory_orders(client):
    data = client.session.get(bankid.SESSION_KEY)
    return [data] if data else []


def test_the_signing_page_offers_bankid_when_configured(client, signatory, simulator, settings):
    client.force_login(signatory.user)
    page = client.get(url("sign", signatory.organisation)).content.decode()
    assert "Skriv under med BankID" in page
    assert url("sign_bankid_start", signatory.organisation) in page
    assert 'name="signer_name"' in page  # the password method too
    settings.LOV_BANKID_URL = ""
    page = client.get(url("sign", signatory.organisation)).content.decode()
    assert "Skriv under med BankID" not in page
    assert (
        client.post(url("sign_bankid_start", signatory.organisation), BANKID_DATA).status_code
        == 404
    )


def test_with_bankid_only_the_password_form_is_gone_and_its_post_refused(
    client, signatory, simulator, settings
):
    settings.LOV_SIGNING_METHODS = ["bankid"]
    client.force_login(signatory.user)
    reauthenticate(client, signatory.user)
    page = client.get(url("sign", signatory.organisation)).content.decode()
    assert 'name="signer_name"' not in page
    assert client.post(url("sign", signatory.organisation), SIGN_DATA).status_code == 403
    assert not Signature.objects.exists()


def test_a_signature_with_bankid_from_qr_code_to_the_evidence_log(
    client, signatory, simulator, clock, django_capture_on_commit_callbacks
):
    organisation = signatory.organisation
    order = start(client, signatory)
    # What the app shows and what the signature covers.
    method, body = simulator.requests[-1]
    assert method == "sign"
    shown = base64.b64decode(body["userVisibleData"]).decode()
    assert organisation.name in shown.replace("\\", "")
    assert organisation.organisation_number.replace("-", "\\-") in shown
    assert "version" in shown
    hidden = json.loads(base64.b64decode(body["userNonVisibleData"]))
    assert hidden["organisation_number"] == organisation.organisation_number
    assert (
        hidden["text_sha256"]
        == Signature._meta.apps.get_model("agreements", "AgreementVersion")
        .objects.get(is_current=True)
        .text_sha256
    )

    page = client.get(url("sign_bankid", organisation)).content.decode()
    assert "<svg " in page and "bankid:///?autostarttoken=" in page
    assert order["qr_start_secret"] not in page  # the secret stays on the server
    assert 'hx-trigger="every 2s"' in page and 'hx-trigger="every 1s"' in page
    assert "<script>" not in page and 'style="' not in page
    qr = client.get(url("sign_bankid_qr", organisation))
    assert qr.status_code == 200 and qr.content.startswith(b"<svg ")

    pending = client.post(url("sign_bankid_collect", organisation), **HX).content.decode()
    assert "Starta BankID-appen." in pending
    simulator.scan(order["order_ref"])
    pending = client.post(url("sign_bankid_collect", organisation), **HX).content.decode()
    assert "Skriv in din säkerhetskod i BankID-appen" in pending
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url("sign_bankid_collect", organisation), **HX)
    assert done.status_code == 204
    assert done["HX-Redirect"] == url("organisation_signature", organisation)

    signature = Signature.objects.get()
    assert signature.method == SignatureMethod.BANKID
    assert signature.signer_name == "Per Persson"  # BankID's name, not a typed one
    assert signature.signer == signatory.user
    assert signature.signer_title == "Ordförande"
    record = BankIDEvidence.objects.get(signature=signature)
    completion = json.loads(record.completion_data)
    assert completion["user"]["personalNumber"] == PNO
    assert completion["signature"] and completion["ocspResponse"]
    assert record.order_ref == order["order_ref"]
    # The public entry names the method and nothing of the person.
    entry = json.loads(signature.log_entry.data)
    assert entry["method"] == "bankid"
    assert PNO not in signature.log_entry.data and "Per Persson" not in signature.log_entry.data
    digests = json.loads(signature.log_entry.private.digests)
    assert "bankid_evidence" in digests
    assert register_check(signature.agreement_version.agreement).ok
    # The session forgot the order; the QR code stops.
    assert bankid.SESSION_KEY not in client.session
    assert client.get(url("sign_bankid_qr", organisation)).status_code == 286
    # The receipt and the verify page state the method.
    from django.core import mail

    (receipt,) = mail.outbox
    assert "Metod: BankID" in receipt.body
    verify = client.get(reverse("agreements:verify", args=[signature.receipt_code]))
    assert "<dt>Metod</dt><dd>BankID</dd>" in verify.content.decode()
    # Public pages never show the personal identity number or BankID's data.
    for public in (
        reverse("agreements:verify", args=[signature.receipt_code]),
        reverse("agreements:profile", args=[organisation.slug]),
        reverse("register_json"),
    ):
        content = client.get(public).content.decode()
        assert PNO not in content and completion["ocspResponse"] not in content


def test_a_changed_bankid_record_is_found_by_the_register_check(client, signatory, simulator):
    order = start(client, signatory)
    simulator.approve(order["order_ref"], personal_number=PNO)
    client.post(url("sign_bankid_collect", signatory.organisation), **HX)
    signature = Signature.objects.get()
    from tests.evidence import forced

    with forced():
        BankIDEvidence.objects.filter(signature=signature).update(
            completion_data=BankIDEvidence.objects.get().completion_data.replace(PNO, "1" * 12)
        )
    check = register_check(signature.agreement_version.agreement)
    assert any("bankid_evidence differs" in problem for problem in check.problems)


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        ("userCancel", "Åtgärden avbruten."),
        ("startFailed", "Misslyckades att läsa av QR-koden."),
        ("certificateErr", "Det BankID du försöker använda är för gammalt eller spärrat."),
        ("expiredTransaction", "BankID-appen svarar inte."),
    ],
)
def test_a_failed_order_shows_bankids_message_and_stops(
    client, signatory, simulator, clock, outcome, message
):
    order = start(client, signatory)
    if outcome == "expiredTransaction":
        clock.now += 180
    else:
        simulator.refuse(order["order_ref"], outcome)
    page = client.post(url("sign_bankid_collect", signatory.organisation), **HX).content.decode()
    assert message in page
    assert "hx-trigger" not in page  # polling stops
    assert "Försök igen" in page
    assert not Signature.objects.exists()
    assert bankid.SESSION_KEY not in client.session


def test_without_javascript_the_button_collects_and_redirects(client, signatory, simulator):
    order = start(client, signatory)
    response = client.post(url("sign_bankid_collect", signatory.organisation))
    assert response["Location"] == url("sign_bankid", signatory.organisation)
    simulator.approve(order["order_ref"])
    response = client.post(url("sign_bankid_collect", signatory.organisation))
    assert response["Location"] == url("organisation_signature", signatory.organisation)
    assert Signature.objects.get().signer_name == "Testa Testsson"


def test_cancel_cancels_the_order_at_bankid(client, signatory, simulator):
    order = start(client, signatory)
    response = client.post(url("sign_bankid_cancel", signatory.organisation))
    assert response["Location"] == url("sign", signatory.organisation)
    assert order["order_ref"] not in simulator.orders
    assert bankid.SESSION_KEY not in client.session


def test_bankid_errors_are_shown_with_their_message(client, signatory, simulator):
    client.force_login(signatory.user)
    simulator.fail_next("maintenance")
    response = client.post(
        url("sign_bankid_start", signatory.organisation), BANKID_DATA, follow=True
    )
    assert "Internt tekniskt fel. Försök igen." in response.content.decode()
    order = start(client, signatory)
    simulator.fail_next("internalError")
    page = client.post(url("sign_bankid_collect", signatory.organisation), **HX).content.decode()
    assert "Internt tekniskt fel. Försök igen." in page
    assert order["order_ref"] in simulator.orders  # BankID still has it; we stopped asking


def test_a_completed_order_that_signed_other_data_is_refused(client, signatory, simulator):
    order = start(client, signatory)
    session = client.session
    session[bankid.SESSION_KEY] = {**order, "non_visible": '{"text_sha256":"other"}'}
    session.save()
    simulator.approve(order["order_ref"])
    page = client.post(url("sign_bankid_collect", signatory.organisation), **HX).content.decode()
    assert "BankID:s svar kunde inte kontrolleras, så inget har sparats." in page
    assert not Signature.objects.exists()


def test_the_form_is_checked_before_an_order_is_started(client, signatory, simulator):
    client.force_login(signatory.user)
    response = client.post(
        url("sign_bankid_start", signatory.organisation), {**BANKID_DATA, "bankid-confirm": ""}
    )
    assert response.status_code == 200
    assert "Kryssa i rutan" in response.content.decode()
    assert simulator.requests == []


@pytest.mark.parametrize("view", ["sign_bankid_start", "sign_bankid_collect", "sign_bankid_cancel"])
def test_someone_who_may_not_sign_gets_403(client, lov, simulator, view):
    member = MembershipFactory(role=MembershipRole.MEMBER)
    enable_mfa(member.user)
    client.force_login(member.user)
    assert client.post(url(view, member.organisation), BANKID_DATA).status_code == 403
    assert client.get(url("sign_bankid_qr", member.organisation)).status_code == 403
    assert client.get(url("sign_bankid", member.organisation)).status_code == 403


def test_another_organisations_order_is_not_collected(client, signatory, simulator):
    start(client, signatory)
    other = MembershipFactory(role=MembershipRole.SIGNATORY, user=signatory.user)
    response = client.post(url("sign_bankid_collect", other.organisation), **HX)
    assert "Det finns ingen pågående underskrift." in response.content.decode()


def test_a_poll_of_a_pending_order_costs_few_queries(
    client, signatory, simulator, django_assert_max_num_queries
):
    start(client, signatory)
    client.post(url("sign_bankid_collect", signatory.organisation), **HX)  # warm caches
    # Polled every two seconds by every signer waiting for their app: session, user, the
    # organisation and the permission's membership, nothing more.
    with django_assert_max_num_queries(4):
        client.post(url("sign_bankid_collect", signatory.organisation), **HX)
    with django_assert_max_num_queries(4):
        client.get(url("sign_bankid_qr", signatory.organisation))


def test_the_disclosure_bundle_proves_bankids_answer_against_the_public_entry(
    client, signatory, simulator
):
    import hashlib
    import io

    from django.core.management import call_command

    order = start(client, signatory)
    simulator.approve(order["order_ref"], personal_number=PNO)
    client.post(url("sign_bankid_collect", signatory.organisation), **HX)
    signature = Signature.objects.get()
    out = io.StringIO()
    call_command("bankid_disclose", signature.receipt_code.lower(), stdout=out)
    bundle = json.loads(out.getvalue())
    # What the recipient recomputes, with nothing but the bundle.
    completion = bundle["completion_data"]
    assert json.loads(completion)["user"]["personalNumber"] == PNO
    value = hashlib.sha256(completion.encode()).hexdigest()
    assert value == bundle["value"]
    salted = hashlib.sha256(bytes.fromhex(bundle["salt"]) + value.encode()).hexdigest()
    assert salted == bundle["digests"]["bankid_evidence"]
    canonical = json.dumps(bundle["digests"], sort_keys=True, separators=(",", ":"))
    entry = json.loads(bundle["entry"]["data"])
    assert hashlib.sha256(canonical.encode()).hexdigest() == entry["private_sha256"]
    assert entry["method"] == "bankid"


def test_only_a_bankid_signature_can_be_disclosed(signature):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a logged BankID signature"):
        call_command("bankid_disclose", signature.receipt_code)
    with pytest.raises(CommandError, match="No signature"):
        call_command("bankid_disclose", "FINNS-INTE")


@pytest.mark.parametrize("problem", ["another CA", "revoked", "tampered"])
def test_a_signature_that_does_not_verify_is_not_recorded(
    client, signatory, simulator, settings, caplog, problem
):
    from lov_portal.bankid.simulator import SimulatorCA

    order = start(client, signatory)
    if problem == "another CA":
        settings.LOV_BANKID_SIGNATURE_CA = SimulatorCA.generate().certificate_pem().decode()
    elif problem == "revoked":
        simulator.ca = SimulatorCA.generate()
        settings.LOV_BANKID_SIGNATURE_CA = simulator.ca.certificate_pem().decode()
        simulator.ca.revoke(simulator.ca.person(PNO, "Per Persson")[1])
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    if problem == "tampered":
        completion = simulator.orders[order["order_ref"]].completion_data
        xml = base64.b64decode(completion["signature"]).decode()
        completion["signature"] = base64.b64encode(
            xml.replace("<uauth>pin</uauth>", "<uauth>none</uauth>").encode()
        ).decode()
    with caplog.at_level("WARNING", logger="agreements.views_bankid"):
        page = client.post(url("sign_bankid_collect", signatory.organisation), **HX)
    assert "BankID:s svar kunde inte kontrolleras, så inget har sparats." in page.content.decode()
    assert not Signature.objects.exists() and not BankIDEvidence.objects.exists()
    assert any("BankID signature refused" in r.getMessage() for r in caplog.records)
    assert PNO not in caplog.text


# --- Whose BankID may sign ----------------------------------------------------------------------

OTHER_PNO = "199001019802"
OTHER_BANKID = "Underskriften gjordes med ett annat BankID än det som är kopplat till ditt konto."


@pytest.fixture
def linked(signatory):
    """The signatory's own BankID (PNO, Per Persson) is linked to the account."""
    from lov_portal.accounts.services import bankid_link

    bankid_link(user=signatory.user, personal_number=PNO, name="Per Persson")
    return signatory


def test_a_linked_signatory_is_told_only_their_own_bankid_signs_and_signs_with_it(
    client, linked, simulator
):
    organisation = linked.organisation
    client.force_login(linked.user)
    page = client.get(url("sign", organisation)).content.decode()
    assert "bara skriva under med det BankID som är kopplat till ditt konto" in page
    assert "Per Persson" in page
    order = start(client, linked)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    done = client.post(url("sign_bankid_collect", organisation), **HX)
    assert done.status_code == 204
    assert done["HX-Redirect"] == url("organisation_signature", organisation)
    signature = Signature.objects.get()
    assert signature.signer == linked.user and signature.signer_name == "Per Persson"
    assert BankIDEvidence.objects.filter(signature=signature).exists()


@pytest.mark.parametrize("htmx", [True, False])
def test_a_linked_signatory_cannot_sign_with_another_persons_bankid(
    client, linked, simulator, caplog, htmx
):
    """The QR code scanned by someone else: the signature would be theirs, in the name of the
    signatory's organisation. Nothing is recorded, the order is forgotten, the signatory is
    told why, and the refusal is logged and audited without either personal number."""
    from django.contrib.messages import get_messages

    from lov_portal.audit.models import AuditEvent

    organisation = linked.organisation
    order = start(client, linked)
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="Nils Nästa")
    with caplog.at_level("WARNING", logger="agreements.views_bankid"):
        response = client.post(url("sign_bankid_collect", organisation), **(HX if htmx else {}))
    if htmx:
        shown = response.content.decode()
        assert "hx-trigger" not in shown  # polling stops
    else:
        assert response["Location"] == url("sign", organisation)
        shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert OTHER_BANKID in shown
    assert "Ingenting har sparats." in shown
    assert "Nils Nästa" not in shown
    assert not Signature.objects.exists() and not BankIDEvidence.objects.exists()
    assert not AuditEvent.objects.filter(action="signature.signed").exists()
    assert bankid.SESSION_KEY not in client.session
    assert client.get(url("sign_bankid_qr", organisation)).status_code == 286
    (event,) = AuditEvent.objects.filter(action="signature.bankid_refused")
    assert event.actor == linked.user
    assert event.object_id == str(organisation.pk)
    assert event.data["order_ref"] == order["order_ref"]
    assert PNO not in str(event.data) and OTHER_PNO not in str(event.data)
    assert any("another person's BankID" in r.getMessage() for r in caplog.records)
    assert PNO not in caplog.text and OTHER_PNO not in caplog.text
    # A second collect finds no order; the person starts again with their own BankID.
    again = client.post(url("sign_bankid_collect", organisation), **HX).content.decode()
    assert "Det finns ingen pågående underskrift." in again
    order = start(client, linked)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    assert client.post(url("sign_bankid_collect", organisation), **HX).status_code == 204
    assert Signature.objects.get().signer_name == "Per Persson"


def test_an_unlinked_signatory_is_told_the_bankid_holder_signs_and_any_bankid_signs(
    client, signatory, simulator
):
    from django.contrib.messages import get_messages

    organisation = signatory.organisation
    client.force_login(signatory.user)
    page = client.get(url("sign", organisation)).content.decode()
    assert "i namnet på den person vars BankID används" in page
    assert reverse("accounts:bankid") in page  # where to link one's own BankID
    order = start(client, signatory)
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="Nils Nästa")
    done = client.post(url("sign_bankid_collect", organisation), **HX)
    assert done.status_code == 204
    assert Signature.objects.get().signer_name == "Nils Nästa"
    thanks = " ".join(str(m) for m in get_messages(done.wsgi_request))
    assert "Nils Nästa har undertecknat överenskommelsen" in thanks
    assert organisation.name in thanks
