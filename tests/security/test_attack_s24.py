"""Session 24 attack pass (attacker's role) on branch s24-bankidsign (decision 95): a signatory
who linked their BankID signs the agreement with BankID only with that BankID; without a link
any BankID holder may sign, in their own name.

Each attack is a regression test that passes while the protection holds. What it was checked
against (the protection broken on purpose, then put back) is in each test's docstring and in
the session's report. Two attacks got through on the branch and are fixed with these tests:
unlinking needed no fresh re-authentication, so whoever held a session could lift the
restriction (`test_unlinking_needs_a_fresh_reauthentication...`), and an expired or
not-yet-valid signer certificate put the personal identity number and name in the log
(`test_an_invalid_certificate_puts_no_personal_number_in_the_log`).
"""

from __future__ import annotations

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from agreements import bankid as signing_bankid
from agreements.models import BankIDEvidence, Signature
from lov_portal.accounts import bankid
from lov_portal.accounts.models import BankIDLink
from lov_portal.accounts.services import bankid_link
from lov_portal.audit.models import AuditEvent
from lov_portal.bankid.simulator import SimulatorCA
from lov_portal.tlog.models import LogEntry
from organisations.models import MembershipRole
from tests.agreements.factories import enable_mfa, reauthenticate
from tests.agreements.test_bankid_signing import BANKID_DATA
from tests.organisations.factories import MembershipFactory
from tests.security.test_attack_s23 import _acc, _agr

pytestmark = pytest.mark.django_db

PNO = "198507099805"  # Per Persson, the signatory
OTHER_PNO = "199001019802"  # Nils Nästa, somebody else
THIRD_PNO = "197002029807"  # Tora Tredje, linked to another account
HX = {"HTTP_HX_REQUEST": "true"}
OTHER_BANKID = "Underskriften gjordes med ett annat BankID än det som är kopplat till ditt konto."
UNVERIFIED = "kunde inte kontrolleras"
NO_ORDER = "Det finns ingen pågående underskrift."


# --- Helpers ------------------------------------------------------------------------------------


@pytest.fixture
def signatory(lov):
    """A signatory (with MFA) of an organisation, not (yet) linked."""
    membership = MembershipFactory(
        role=MembershipRole.SIGNATORY, user__email="firmatecknare@attack24.example.se"
    )
    enable_mfa(membership.user)
    return membership


@pytest.fixture
def linked(signatory):
    """The signatory, with their own BankID (PNO, Per Persson) linked."""
    bankid_link(user=signatory.user, personal_number=PNO, name="Per Persson")
    return signatory


def _sign_start(client, membership) -> dict:
    client.force_login(membership.user)
    response = client.post(_agr("sign_bankid_start", membership.organisation), BANKID_DATA)
    assert response.status_code == 302, response.content.decode()[:500]
    return dict(client.session[signing_bankid.SESSION_KEY])


def _collect(client, organisation, *, htmx: bool = True):
    return client.post(_agr("sign_bankid_collect", organisation), **(HX if htmx else {}))


def _shown(response, htmx: bool) -> str:
    """What the person reads: the status fragment (htmx) or the flashed messages (no JS)."""
    if htmx:
        return response.content.decode()
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _put(client, key: str, value: dict) -> None:
    session = client.session
    session[key] = value
    session.save()


def _nothing_signed() -> bool:
    return (
        not Signature.objects.exists()
        and not BankIDEvidence.objects.exists()
        and not AuditEvent.objects.filter(action="signature.signed").exists()
    )


# === 1. Link and unlink around the order ========================================================


@pytest.mark.parametrize("htmx", [True, False])
def test_unlinking_needs_a_fresh_reauthentication_so_a_session_alone_cannot_lift_the_restriction(
    client, linked, simulator, htmx
):
    """FOUND AND FIXED. Whoever holds a linked signatory's session (an unattended or stolen
    one) starts a sign order, lets their own BankID sign it, unlinks the account's BankID in
    another tab and collects: with no link, any BankID signs. Unlinking asked for nothing,
    while linking asks for a fresh re-authentication; since decision 95 the link is what
    restricts signing, so removing it now asks for the same. Checked: without
    `reauthentication_required` on `bankid_unlink` (the branch as it was) this test fails:
    the unlink goes through, and the collect then records Nils Nästa's signature."""
    user, organisation = linked.user, linked.organisation
    order = _sign_start(client, linked)  # logged in, no recent re-authentication
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="Nils Nästa")
    response = client.post(_acc("bankid_unlink"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert BankIDLink.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action="account.bankid_unlinked").exists()
    shown = _shown(_collect(client, organisation, htmx=htmx), htmx)
    assert OTHER_BANKID in shown
    assert _nothing_signed()


def test_the_account_holder_may_still_unlink_after_reauthenticating(client, linked, simulator):
    """The fix does not take unlinking away from the person: a fresh password (or a step-up
    with the linked BankID) and the link goes, as before."""
    user = linked.user
    client.force_login(user)
    reauthenticate(client, user)
    response = client.post(_acc("bankid_unlink"))
    assert response["Location"] == _acc("bankid")
    assert not BankIDLink.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="account.bankid_unlinked", actor=user).exists()


@pytest.mark.parametrize("htmx", [True, False])
def test_a_link_made_during_the_order_applies_to_its_completion(client, signatory, simulator, htmx):
    """The order is started unlinked (the page says any BankID signs); the person links their
    own BankID before the other person's signature is collected: the link is read when the
    order is collected, so the other BankID is refused. Checked: with
    `signed_by_account_holder` always True this test fails (Nils Nästa's signature is
    recorded)."""
    organisation = signatory.organisation
    order = _sign_start(client, signatory)
    bankid_link(user=signatory.user, personal_number=PNO, name="Per Persson")
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="Nils Nästa")
    shown = _shown(_collect(client, organisation, htmx=htmx), htmx)
    assert OTHER_BANKID in shown
    assert _nothing_signed()
    assert AuditEvent.objects.filter(action="signature.bankid_refused").count() == 1


def test_linking_someone_elses_bankid_mid_order_needs_a_fresh_reauthentication(
    client, linked, simulator
):
    """Replacing the link with the accomplice's BankID while the order is pending (so that
    the accomplice's signature matches at collect) asks for the password first: no order is
    started at BankID. Checked: without `reauthentication_required` on `bankid_link_start`
    this test fails (an auth order is started)."""
    order = _sign_start(client, linked)
    requests = len(simulator.requests)
    response = client.post(_acc("bankid_link_start"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert bankid.SESSION_KEY not in client.session
    assert len(simulator.requests) == requests
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="Nils Nästa")
    assert OTHER_BANKID in _collect(client, linked.organisation).content.decode()
    assert _nothing_signed()


# === 2. Someone else's order, and the same order again ===========================================


def test_the_order_reference_and_secret_never_reach_the_browser(client, linked, simulator):
    """Collecting an order from another session, user or organisation needs its reference in
    that session, which only the server writes: so it must never be sent. Checked: with the
    order reference added to the order page's context (`pages.order_context`) this test
    fails."""
    organisation = linked.organisation
    order = _sign_start(client, linked)
    seen = [
        client.get(_agr("sign_bankid", organisation)).content.decode(),
        client.get(_agr("sign_bankid_qr", organisation)).content.decode(),
        _collect(client, organisation).content.decode(),  # pending
    ]
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="Nils Nästa")
    refused = _collect(client, organisation)
    seen.append(refused.content.decode())
    seen.append(str(dict(refused.items())))
    for text in seen:
        assert order["order_ref"] not in text
        assert order["qr_start_secret"] not in text


def test_another_session_of_the_same_person_finds_no_order(client, linked, simulator):
    """The signatory's second browser (or anyone else logged in as them) has no order: only
    the session that started it collects it. Checked: with `order_get` reading a
    per-user cache entry instead of the session this fails."""
    organisation = linked.organisation
    order = _sign_start(client, linked)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    elsewhere = Client()
    elsewhere.force_login(linked.user)
    assert NO_ORDER in _collect(elsewhere, organisation).content.decode()
    assert elsewhere.get(_agr("sign_bankid_qr", organisation)).status_code == 286
    assert _nothing_signed()
    # The session that started it still signs.
    assert _collect(client, organisation).status_code == 204
    assert Signature.objects.get().signer_name == "Per Persson"


def test_a_refused_order_collected_again_is_refused_again(client, linked, simulator):
    """A racing second collect (it read the session before the refusal forgot the order)
    meets BankID's same answer: refused again, still nothing signed. Checked: with
    `signed_by_account_holder` always True this test fails."""
    organisation = linked.organisation
    order = _sign_start(client, linked)
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="Nils Nästa")
    assert OTHER_BANKID in _collect(client, organisation).content.decode()
    _put(client, signing_bankid.SESSION_KEY, order)
    assert OTHER_BANKID in _collect(client, organisation).content.decode()
    assert _nothing_signed()
    assert signing_bankid.SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="signature.bankid_refused").count() == 2


def test_an_order_for_another_signatory_carries_no_identity_of_its_own(client, linked, simulator):
    """The pending order in the session names no user: the link checked is the one of whoever
    collects. Another signatory of the same organisation, linked to their own BankID, given
    the first one's order (as if its reference leaked): the signature is the first one's,
    not theirs, and is refused. Checked: with `signed_by_account_holder` always True this
    test fails."""
    organisation = linked.organisation
    order = _sign_start(client, linked)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    other = MembershipFactory(
        role=MembershipRole.SIGNATORY,
        organisation=organisation,
        user__email="nils@attack24.example.se",
    )
    enable_mfa(other.user)
    bankid_link(user=other.user, personal_number=OTHER_PNO, name="Nils Nästa")
    thief = Client()
    thief.force_login(other.user)
    _put(thief, signing_bankid.SESSION_KEY, order)
    assert OTHER_BANKID in _collect(thief, organisation).content.decode()
    assert _nothing_signed()
    (event,) = AuditEvent.objects.filter(action="signature.bankid_refused")
    assert event.actor == other.user


# === 3. Forged completion data ==================================================================


@pytest.mark.parametrize("field", ["personalNumber", "name"])
def test_completion_data_naming_the_linked_person_over_anothers_signature_signs_nothing(
    client, linked, simulator, field
):
    """BankID's JSON says the linked person (number or name) but the signature is another
    person's: the number checked is the certificate's, never the JSON's. Checked: with
    verify_completion's personalNumber-vs-certificate check removed and the link checked
    against `completion_data["user"]["personalNumber"]`, the personalNumber case fails (a
    signature in Per Persson's name is recorded)."""
    organisation = linked.organisation
    order = _sign_start(client, linked)
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="Nils Nästa")
    user = simulator.orders[order["order_ref"]].completion_data["user"]
    user.update({"personalNumber": PNO} if field == "personalNumber" else {"name": "Per Persson"})
    page = _collect(client, organisation).content.decode()
    assert (UNVERIFIED if field == "personalNumber" else OTHER_BANKID) in page
    assert _nothing_signed()


def test_a_signature_over_another_organisations_text_is_not_the_linked_persons_to_give(
    client, linked, simulator
):
    """The linked person's genuine signature, but of a different text (the order's hidden
    data swapped in the session for another's): refused as unverified before the link is
    even looked at, so no refusal is audited as the other BankID. Checked: with the
    usrNonVisibleData comparison removed from verify_completion this test fails."""
    organisation = linked.organisation
    order = _sign_start(client, linked)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    _put(
        client,
        signing_bankid.SESSION_KEY,
        {**order, "non_visible": order["non_visible"].replace('"version"', '"versionX"')},
    )
    assert UNVERIFIED in _collect(client, organisation).content.decode()
    assert _nothing_signed()
    assert not AuditEvent.objects.filter(action="signature.bankid_refused").exists()


# === 4. What the refusal tells, keeps and leaks ================================================


def test_the_refusal_is_the_same_whoever_the_other_person_is(client, linked, simulator):
    """Nothing in the refusal tells the signatory who signed, or whether that person's BankID
    is linked to another account of the portal (no enumeration through the signing page).
    Checked: with the other person's name added to the refusal message this test fails."""
    organisation = linked.organisation
    third = MembershipFactory(user__email="tora@attack24.example.se")
    bankid_link(user=third.user, personal_number=THIRD_PNO, name="Tora Tredje")
    pages = []
    for pno, name in ((OTHER_PNO, "Nils Nästa"), (THIRD_PNO, "Tora Tredje")):
        order = _sign_start(client, linked)
        simulator.approve(order["order_ref"], personal_number=pno, name=name)
        pages.append(_collect(client, organisation).content.decode())
    assert pages[0] == pages[1]
    assert OTHER_BANKID in pages[0]
    for text in ("Nils", "Nästa", "Tora", "Tredje", OTHER_PNO, THIRD_PNO):
        assert text not in pages[0]
    events = AuditEvent.objects.filter(action="signature.bankid_refused")
    assert [sorted(e.data) for e in events] == [["order_ref", "organisation", "version"]] * 2
    assert _nothing_signed()


@pytest.mark.parametrize("htmx", [True, False])
def test_the_refusal_keeps_no_evidence_no_log_entry_and_no_personal_data(
    client, linked, simulator, caplog, htmx
):
    """Refused: no signature, no BankID evidence, no public log entry; the audit
    record, the log and what is shown carry neither number nor its keyed hash nor the other
    person's name. Checked: with the refusal branch removed from `_complete` this test fails
    (a signature, its evidence and a log entry are recorded)."""
    organisation = linked.organisation
    entries = LogEntry.objects.count()
    order = _sign_start(client, linked)
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="Nils Nästa")
    with caplog.at_level("DEBUG"):
        response = _collect(client, organisation, htmx=htmx)
    shown = _shown(response, htmx)
    assert OTHER_BANKID in shown
    assert _nothing_signed()
    assert LogEntry.objects.count() == entries
    (event,) = AuditEvent.objects.filter(action="signature.bankid_refused")
    secrets = (
        PNO,
        OTHER_PNO,
        bankid.personal_number_hash(PNO),
        bankid.personal_number_hash(OTHER_PNO),
        "Nils Nästa",
    )
    recorded = str(AuditEvent.objects.filter(pk=event.pk).values().get())
    for secret in secrets:
        assert secret not in shown
        assert secret not in recorded
        assert secret not in caplog.text
    page = client.get(_agr("sign", organisation)).content.decode()
    for secret in secrets:
        assert secret not in page


@pytest.mark.parametrize("flow", ["sign", "link"])
@pytest.mark.parametrize("problem", ["expired", "not yet valid"])
def test_an_invalid_certificate_puts_no_personal_number_in_the_log(
    client, signatory, simulator, settings, caplog, flow, problem
):
    """FOUND AND FIXED. A signer certificate outside its validity period is refused with the
    reason "the certificate <subject> is not valid now", and the signer's subject holds the
    personal identity number (serialNumber) and the name: both went to the warning the
    signing and the identification views log. Now the signer's certificate is named as such.
    Checked: with `_check_validity` naming the subject again (the branch as it was) this
    test fails."""
    # A CA of this test's own: the simulator's shared one must not keep the odd certificate.
    ca = simulator.ca = SimulatorCA.generate()
    settings.LOV_BANKID_SIGNATURE_CA = ca.certificate_pem().decode()
    now = datetime.datetime.now(datetime.UTC)
    valid = (
        (now - datetime.timedelta(days=800), now - datetime.timedelta(days=1))
        if problem == "expired"
        else (now + datetime.timedelta(days=1), now + datetime.timedelta(days=800))
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
                    x509.NameAttribute(NameOID.SURNAME, "Persson"),
                    x509.NameAttribute(NameOID.GIVEN_NAME, "Per"),
                    x509.NameAttribute(NameOID.SERIAL_NUMBER, PNO),
                    x509.NameAttribute(NameOID.COMMON_NAME, "Per Persson"),
                ]
            )
        )
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    ca._people[PNO] = (key, certificate)  # the simulator signs with this certificate
    user = signatory.user
    if flow == "sign":
        order = _sign_start(client, signatory)
        url = _agr("sign_bankid_collect", signatory.organisation)
    else:
        client.force_login(user)
        reauthenticate(client, user)
        assert client.post(_acc("bankid_link_start"))["Location"] == _acc("bankid_order")
        order = dict(client.session[bankid.SESSION_KEY])
        url = _acc("bankid_collect")
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    with caplog.at_level("WARNING"):
        page = client.post(url, **HX).content.decode()
    assert UNVERIFIED in page
    assert "not valid now" in caplog.text  # the reason is still logged
    assert PNO not in caplog.text
    assert "Per Persson" not in caplog.text
    assert _nothing_signed()
    assert not BankIDLink.objects.filter(user=user).exists()


def test_names_from_bankid_are_escaped_on_the_pages(client, signatory, simulator):
    """The linked name on the signing page and the BankID holder's name in the thank-you
    message come from BankID: shown as text. Checked: with `|safe` on the message in
    components/messages.html this test fails."""
    organisation = signatory.organisation
    order = _sign_start(client, signatory)
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="<b>Nils</b> Nästa")
    done = _collect(client, organisation, htmx=False)
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "&lt;b&gt;Nils&lt;/b&gt;" in page and "<b>Nils</b>" not in page
    bankid_link(user=signatory.user, personal_number=PNO, name="<i>Per</i> Persson")
    page = client.get(_agr("sign", organisation)).content.decode()
    assert "<i>Per</i>" not in page


# === 5. CSRF and methods =========================================================================


def test_the_signing_posts_need_the_csrf_token_and_collect_is_post_only(linked, simulator):
    """A page elsewhere cannot make the signatory's browser start, collect (and so sign) or
    cancel an order. Checked: with `csrf_exempt` on `sign_bankid_collect` this test fails."""
    organisation = linked.organisation
    started = Client()
    order = _sign_start(started, linked)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(linked.user)
    _put(browser, signing_bankid.SESSION_KEY, order)
    for name, data in (
        ("sign_bankid_collect", {}),
        ("sign_bankid_cancel", {}),
        ("sign_bankid_start", BANKID_DATA),
    ):
        response = browser.post(_agr(name, organisation), data, **HX)
        assert response.status_code == 403, name
    assert browser.session[signing_bankid.SESSION_KEY]["order_ref"] == order["order_ref"]
    assert browser.get(_agr("sign_bankid_collect", organisation)).status_code == 405
    assert _nothing_signed()
