"""Session 23 attack pass (attacker's role) on branch s23-pylogic, which folded duplicated
security-relevant code with the intent of changing no behaviour: BankID's collect and the
pending order in the session (signing, identification, step-up), `sign_and_tell` and the
once-only signature, `user_deactivate`, `organisation_locked`, the review and invitation views
passing `**form.cleaned_data`, the MFA audit receiver, the trigger table and the tlog proofs.

Every attack here was refused both on main and on the branch, so each stays as a regression
test. What got through would be marked `xfail(strict=True, reason="finding: ...")` as in
tests/security/test_attack_s22.py.
"""

from __future__ import annotations

import hashlib
import inspect

import pytest
from allauth.mfa import signals as mfa_signals
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from agreements import bankid as signing_bankid
from agreements import services as agreement_services
from agreements.models import BankIDEvidence, Signature
from lov_portal.accounts import bankid
from lov_portal.accounts.models import BankIDLink
from lov_portal.accounts.services import bankid_link, bankid_unlink
from lov_portal.audit.models import AuditEvent
from lov_portal.bankid.simulator import SimulatorCA
from lov_portal.core import triggers
from organisations import services as organisation_services
from organisations.forms import InvitationForm, ReviewForm
from organisations.models import (
    ApplicationDocument,
    ApplicationReview,
    Invitation,
    MembershipRole,
    OrganisationStatus,
)
from organisations.services import documents as document_services
from organisations.services import review as review_services
from tests.accounts.factories import UserFactory
from tests.accounts.test_security import verified
from tests.agreements.factories import enable_mfa, reauthenticate
from tests.agreements.test_bankid_signing import BANKID_DATA
from tests.organisations.factories import (
    MembershipFactory,
    OrganisationApplicationFactory,
    OrganisationFactory,
)
from tests.organisations.test_documents import _ask_for, _pdf, _stored_files
from tests.permissions import admin_saves_user, make_staff_with_mfa
from tests.security.test_attack_s22 import (
    HX,
    OTHER_PNO,
    PNO,
    _device,
    _logged_in,
    _session_key,
    cached_sessions,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.django_db

UNVERIFIED = "kunde inte kontrolleras"


# --- Helpers ------------------------------------------------------------------------------------


def _acc(name: str) -> str:
    return reverse(f"accounts:{name}")


def _agr(name: str, organisation) -> str:
    return reverse(f"agreements:{name}", args=[organisation.slug])


@pytest.fixture
def signatory(lov):
    """A signatory (with MFA) of an organisation, whose own BankID is linked to the account."""
    membership = MembershipFactory(
        role=MembershipRole.SIGNATORY, user__email="firmatecknare@attack23.example.se"
    )
    enable_mfa(membership.user)
    bankid_link(user=membership.user, personal_number=PNO, name="Per Persson")
    return membership


def _sign_start(client, membership) -> dict:
    client.force_login(membership.user)
    response = client.post(_agr("sign_bankid_start", membership.organisation), BANKID_DATA)
    assert response.status_code == 302, response.content.decode()[:500]
    return dict(client.session[signing_bankid.SESSION_KEY])


def _step_up_start(client, user) -> dict:
    client.force_login(user)
    assert client.post(_acc("bankid_step_up_start"))["Location"] == _acc("bankid_order")
    return dict(client.session[bankid.SESSION_KEY])


def _put(client, key: str, value: dict) -> None:
    session = client.session
    session[key] = value
    session.save()


def _auth_order(order_ref: str, user, purpose: str) -> dict:
    """A pending identification order as accounts.bankid keeps it, for `order_ref`."""
    return {
        "order_ref": order_ref,
        "auto_start_token": "x",
        "qr_start_token": "x",
        "qr_start_secret": "x",
        "started_at": 0.0,
        "purpose": purpose,
        "user_id": user.pk,
        "next_url": "",
    }


def _bankid_reauthenticated(client) -> bool:
    methods = client.session.get("account_authentication_methods", [])
    return any(m.get("method") == bankid.AUTH_METHOD for m in methods)


def _sign_collect(client, organisation):
    return client.post(_agr("sign_bankid_collect", organisation), **HX)


# === 1. BankID: one flow's order in the other, twice, for another organisation, unverified ======


@pytest.mark.parametrize("purpose", [bankid.STEP_UP, bankid.LINK])
def test_a_completed_signing_order_neither_steps_up_nor_links(
    client, signatory, simulator, purpose
):
    user = signatory.user
    if purpose == bankid.LINK:
        bankid_unlink(user=user)
    linked = AuditEvent.objects.filter(action="account.bankid_linked").count()
    order = _sign_start(client, signatory)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    # The signing order's reference, moved to the identification's place in the session.
    _put(client, bankid.SESSION_KEY, _auth_order(order["order_ref"], user, purpose))
    page = client.post(_acc("bankid_collect"), **HX).content.decode()
    assert UNVERIFIED in page
    assert not _bankid_reauthenticated(client)
    assert BankIDLink.objects.filter(user=user).exists() == (purpose == bankid.STEP_UP)
    assert AuditEvent.objects.filter(action="account.bankid_linked").count() == linked
    assert not Signature.objects.exists()


def test_a_completed_identification_order_does_not_sign(client, signatory, simulator):
    organisation = signatory.organisation
    auth = _step_up_start(client, signatory.user)
    simulator.approve(auth["order_ref"], personal_number=PNO, name="Per Persson")
    sign = _sign_start(client, signatory)
    # The step-up's completed order, put in the signing order's place.
    _put(client, signing_bankid.SESSION_KEY, {**sign, "order_ref": auth["order_ref"]})
    page = _sign_collect(client, organisation).content.decode()
    assert UNVERIFIED in page
    assert not Signature.objects.exists() and not BankIDEvidence.objects.exists()
    assert not AuditEvent.objects.filter(action="signature.signed").exists()
    # ... and, being used up by the signing page's collect, it no longer steps anyone up.
    _put(client, bankid.SESSION_KEY, auth)
    client.post(_acc("bankid_collect"), **HX)
    assert not Signature.objects.exists()


@pytest.mark.parametrize("past_the_first_check", [False, True])
def test_a_signing_order_collected_twice_signs_once_and_never_answers_500(
    client, signatory, simulator, monkeypatch, past_the_first_check
):
    """Two collects of one completed order in flight (each read the session before the other
    saved it): the second either meets the signature or, having passed the check before the
    first committed, loses on the unique constraint, and is told the organisation signed."""
    organisation = signatory.organisation
    order = _sign_start(client, signatory)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    assert _sign_collect(client, organisation).status_code == 204
    assert signing_bankid.SESSION_KEY not in client.session
    if past_the_first_check:
        monkeypatch.setattr("agreements.services.signing._refuse_if_signed", lambda **kwargs: None)
    _put(client, signing_bankid.SESSION_KEY, order)
    again = _sign_collect(client, organisation)
    assert again.status_code == 204
    assert Signature.objects.count() == 1 and BankIDEvidence.objects.count() == 1
    assert AuditEvent.objects.filter(action="signature.signed").count() == 1
    texts = [str(m) for m in get_messages(again.wsgi_request)]
    assert any("redan undertecknat" in text for text in texts), texts
    # With nothing left in the session, a third collect finds nothing.
    third = _sign_collect(client, organisation).content.decode()
    assert "Det finns ingen pågående underskrift." in third


def test_the_once_only_create_turns_a_lost_race_into_already_signed(signatory, monkeypatch):
    organisation = signatory.organisation
    version = organisation_version()
    fields = {
        "organisation": organisation,
        "version": version,
        "signer": signatory.user,
        "signer_name": "Per Persson",
        "signer_title": "Ordförande",
        "authority_basis": "firmatecknare",
    }
    agreement_services.signature_sign(**fields)
    monkeypatch.setattr("agreements.services.signing._refuse_if_signed", lambda **kwargs: None)
    with pytest.raises(agreement_services.AlreadySignedError):
        agreement_services.signature_sign(**fields)
    # The connection is still usable and only the first signature and its audit row exist.
    assert Signature.objects.count() == 1
    assert AuditEvent.objects.filter(action="signature.signed").count() == 1


def organisation_version():
    from agreements.selectors import agreement_current_version, agreement_get

    return agreement_current_version(agreement=agreement_get())


def test_an_order_for_one_organisation_signs_for_no_other(client, signatory, simulator):
    first = signatory.organisation
    second = OrganisationFactory()
    MembershipFactory(user=signatory.user, organisation=second, role=MembershipRole.SIGNATORY)
    order = _sign_start(client, signatory)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    page = _sign_collect(client, second).content.decode()
    assert "Det finns ingen pågående underskrift." in page
    # The order relabelled for the second organisation: BankID signed the first one's text.
    _put(client, signing_bankid.SESSION_KEY, {**order, "organisation": second.slug})
    page = _sign_collect(client, second).content.decode()
    assert UNVERIFIED in page
    assert not Signature.objects.exists()
    # The order was used up: the first organisation's own page finds nothing either.
    assert "Det finns ingen pågående underskrift." in _sign_collect(client, first).content.decode()


def test_a_signatory_who_lost_the_right_mid_order_signs_nothing(client, signatory, simulator):
    order = _sign_start(client, signatory)
    signatory.role = MembershipRole.MEMBER
    signatory.save()
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    assert _sign_collect(client, signatory.organisation).status_code == 403
    assert not Signature.objects.exists()


@pytest.mark.parametrize("flow", ["sign", "link", "step_up"])
def test_an_answer_not_from_the_trusted_ca_records_nothing(
    client, signatory, simulator, settings, flow
):
    """lov_portal.bankid.verify runs before anything is recorded, in every flow."""
    user = signatory.user
    if flow == "sign":
        order = _sign_start(client, signatory)
    elif flow == "step_up":
        order = _step_up_start(client, user)
    else:
        bankid_unlink(user=user)
        client.force_login(user)
        reauthenticate(client, user)
        assert client.post(_acc("bankid_link_start"))["Location"] == _acc("bankid_order")
        order = dict(client.session[bankid.SESSION_KEY])
    linked = AuditEvent.objects.filter(action="account.bankid_linked").count()
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    settings.LOV_BANKID_SIGNATURE_CA = SimulatorCA.generate().certificate_pem().decode()
    url = _agr("sign_bankid_collect", signatory.organisation) if flow == "sign" else None
    page = client.post(url or _acc("bankid_collect"), **HX).content.decode()
    assert UNVERIFIED in page
    assert not Signature.objects.exists()
    assert not _bankid_reauthenticated(client)
    assert BankIDLink.objects.filter(user=user).exists() == (flow != "link")
    assert not AuditEvent.objects.filter(action="signature.signed").exists()
    assert AuditEvent.objects.filter(action="account.bankid_linked").count() == linked


def test_the_step_up_is_refused_once_the_bankid_is_unlinked_during_the_order(
    client, signatory, simulator
):
    user = signatory.user
    order = _step_up_start(client, user)
    bankid_unlink(user=user)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    page = client.post(_acc("bankid_collect"), **HX).content.decode()
    assert "inte det som är kopplat" in page
    assert not _bankid_reauthenticated(client)
    refused = AuditEvent.objects.filter(action="account.bankid_refused", object_id=str(user.pk))
    assert refused.count() == 1


def test_another_persons_bankid_on_the_step_up_is_audited_with_its_code(
    client, signatory, simulator
):
    user = signatory.user
    order = _step_up_start(client, user)
    simulator.approve(order["order_ref"], personal_number=OTHER_PNO, name="Testa Testsson")
    client.post(_acc("bankid_collect"), **HX)
    assert not _bankid_reauthenticated(client)
    (event,) = AuditEvent.objects.filter(action="account.bankid_refused")
    assert event.object_id == str(user.pk)
    assert event.action == "account.bankid_refused"
    assert PNO not in str(event.data) and OTHER_PNO not in str(event.data)


@pytest.mark.parametrize("flow", ["sign", "step_up"])
def test_a_pending_order_does_not_outlive_logout_or_pass_to_the_next_user(
    client, signatory, simulator, flow
):
    organisation = signatory.organisation
    if flow == "sign":
        order = _sign_start(client, signatory)
    else:
        order = _step_up_start(client, signatory.user)
    simulator.approve(order["order_ref"], personal_number=PNO, name="Per Persson")
    # Another signatory of the same organisation logs in on the same browser.
    other = MembershipFactory(
        role=MembershipRole.SIGNATORY,
        organisation=organisation,
        user__email="nasta@attack23.example.se",
    )
    enable_mfa(other.user)
    bankid_link(user=other.user, personal_number=OTHER_PNO, name="Nils Nästa")
    client.force_login(other.user)
    assert signing_bankid.SESSION_KEY not in client.session
    assert bankid.SESSION_KEY not in client.session
    sign_page = _sign_collect(client, organisation).content.decode()
    assert "Det finns ingen pågående underskrift." in sign_page
    auth_page = client.post(_acc("bankid_collect"), **HX).content.decode()
    assert "Det finns ingen pågående legitimering." in auth_page
    # Even put back by hand, the identification is the first user's (user_id, signed text).
    if flow == "step_up":
        _put(client, bankid.SESSION_KEY, order)
        page = client.post(_acc("bankid_collect"), **HX).content.decode()
        assert "Det finns ingen pågående legitimering." in page
    assert not _bankid_reauthenticated(client)
    # Logging out and in again as the first user: the order is gone too.
    client.logout()
    client.force_login(signatory.user)
    assert signing_bankid.SESSION_KEY not in client.session
    assert bankid.SESSION_KEY not in client.session
    assert not Signature.objects.exists()


# === 2. Deactivation =============================================================================


@pytest.mark.usefixtures("cached_sessions")
def test_deactivating_in_the_admin_ends_cached_sessions_and_reactivating_revives_none(client):
    user = verified(UserFactory(email="admin-cache@attack23.example.se", full_name="Ada"))
    device = _device(user)
    key = _session_key(device)
    admin_saves_user(client, user, full_name="Ada Avstängd")
    assert not user.is_active and user.full_name == "Ada Avstängd"
    assert not _logged_in(device)
    admin_saves_user(Client(), user, full_name="Ada Åter", is_active="on")
    assert user.is_active
    replay = Client()
    from django.conf import settings

    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not _logged_in(replay)


@pytest.mark.usefixtures("cached_sessions")
def test_a_refused_admin_form_deactivates_nobody_and_ends_no_session(client):
    user = verified(UserFactory(email="admin-fel@attack23.example.se", full_name="Ada"))
    device = _device(user)
    staff = make_staff_with_mfa(email="kansli-fel@attack23.example.se")
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {"email": "inte en adress", "preferred_language": "sv"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_active
    assert _logged_in(device)


@pytest.mark.usefixtures("cached_sessions")
def test_an_erased_account_keeps_no_session_and_its_bankid_order_dies(simulator, settings):
    from lov_portal.privacy.services import account_anonymise

    user = verified(UserFactory(email="radera-order@attack23.example.se"))
    bankid_link(user=user, personal_number=PNO, name="Rut Raderad")
    device = _device(user)
    order = _step_up_start(device, user)
    account_anonymise(user=user)
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    simulator.approve(order["order_ref"], personal_number=PNO, name="Rut Raderad")
    response = device.post(_acc("bankid_collect"), **HX)
    assert response.status_code in (302, 401, 403), response.status_code
    assert not _logged_in(device)


# === 3. Files and the organisation's lock ========================================================


@pytest.fixture
def audit_fails(monkeypatch):
    """The audit record (the last step inside the transaction) fails."""

    def boom(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(review_services, "audit_record", boom)
    monkeypatch.setattr(document_services, "audit_record", boom)


def test_a_failed_upload_leaves_no_file_and_no_row(applying, audit_fails):
    application, admin, _member = applying
    with pytest.raises(RuntimeError):
        organisation_services.application_document_add(
            application=application, kind="statutes", upload=_pdf(), uploaded_by=admin
        )
    assert _stored_files() == []
    assert not ApplicationDocument.objects.exists()


def _reply_with_statutes(application, admin):
    return organisation_services.application_reply(
        application=application,
        author=admin,
        message="Här är stadgarna.",
        upload=_pdf(),
        kind="statutes",
    )


def test_a_failed_reply_leaves_no_file_no_row_and_the_status_as_it_was(applying, monkeypatch):
    application, admin, _member = applying
    _ask_for(application, "statutes")
    monkeypatch.setattr(
        review_services, "audit_record", lambda **kw: (_ for _ in ()).throw(RuntimeError("x"))
    )
    with pytest.raises(RuntimeError):
        _reply_with_statutes(application, admin)
    assert _stored_files() == []
    assert not ApplicationDocument.objects.exists()
    application.organisation.refresh_from_db()
    assert application.organisation.status == OrganisationStatus.INFO_REQUESTED
    assert not ApplicationReview.objects.filter(action="applicant_reply").exists()


def test_a_reply_whose_receiver_fails_leaves_no_file(applying):
    from organisations import signals

    application, admin, _member = applying
    _ask_for(application, "statutes")

    def receiver(**kwargs):
        raise RuntimeError("receiver down")

    signals.application_replied.connect(receiver, weak=False, dispatch_uid="attack23")
    try:
        with pytest.raises(RuntimeError):
            _reply_with_statutes(application, admin)
    finally:
        signals.application_replied.disconnect(dispatch_uid="attack23")
    assert _stored_files() == []
    assert not ApplicationDocument.objects.exists()


# === 4. **form.cleaned_data into the services ====================================================


def _keywords(function) -> set[str]:
    return {
        name
        for name, parameter in inspect.signature(function).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }


def test_the_forms_passed_whole_carry_only_what_the_service_may_take_from_the_user():
    review = set(ReviewForm().fields)
    assert review == {"action", "reason", "requested_document"}
    assert review <= _keywords(review_services.application_review) - {"application", "reviewer"}
    invitation = set(InvitationForm(prefix="invite").fields)
    assert invitation == {"email", "role"}
    from organisations.services import membership

    assert invitation <= _keywords(membership.invitation_create) - {"organisation", "invited_by"}


def test_extra_fields_posted_to_the_review_change_nothing_else(client):
    application = OrganisationApplicationFactory()
    other = OrganisationApplicationFactory()
    someone = UserFactory(email="nagon@attack23.example.se")
    staff = make_staff_with_mfa(email="granskare@attack23.example.se")
    client.force_login(staff)
    response = client.post(
        reverse("organisations:review_detail", args=[application.pk]),
        {
            "action": "approve",
            "reason": "",
            "requested_document": "",
            "reviewer": someone.pk,
            "application": other.pk,
            "organisation": other.organisation.pk,
            "status": "rejected",
            "author": someone.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    (review,) = ApplicationReview.objects.all()
    assert review.application_id == application.pk and review.author_id == staff.pk
    other.organisation.refresh_from_db()
    assert other.organisation.status == OrganisationStatus.APPLIED
    application.organisation.refresh_from_db()
    assert application.organisation.status == OrganisationStatus.APPROVED


def test_extra_fields_posted_with_an_invitation_change_nothing_else(client):
    admin = MembershipFactory(role=MembershipRole.ADMIN, user__email="adm@attack23.example.se")
    elsewhere = OrganisationFactory()
    someone = UserFactory(email="annan@attack23.example.se")
    client.force_login(admin.user)
    response = client.post(
        reverse("organisations:members", args=[admin.organisation.slug]),
        {
            "invite-email": "ny@attack23.example.se",
            "invite-role": MembershipRole.MEMBER,
            "invite-organisation": elsewhere.pk,
            "invite-invited_by": someone.pk,
            "invite-token": "kand-token",
            "invite-expires_at": "2100-01-01T00:00:00Z",
            "organisation": elsewhere.pk,
            "invited_by": someone.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    (invitation,) = Invitation.objects.all()
    assert invitation.organisation_id == admin.organisation_id
    assert invitation.invited_by_id == admin.user_id
    assert invitation.token != "kand-token" and invitation.expires_at.year < 2100
    assert invitation.role == MembershipRole.MEMBER


# === 5. The database's protections, the MFA audit codes, the proofs ==============================

# sha256 over every protection's table, kind, trigger name, PostgreSQL function body and SQLite
# triggers, as lov_portal.core.triggers generates them on main (ae163d1).
MAIN_TRIGGERS_SHA256 = "f74d9cefa48e3339e787a5cf852a2e9697edca0fbba00e7b12ae78fdb6290b8d"


def test_the_protections_are_generated_exactly_as_on_main():
    digest = hashlib.sha256()
    for protection in triggers.protections():
        digest.update(
            f"{protection.table}|{protection.kind}|{protection.name}\n"
            f"{triggers.pg_function_body(protection)}\n".encode()
        )
        for name, sql in sorted(triggers.sqlite_triggers(protection).items()):
            digest.update(f"{name}\n{sql}\n".encode())
    assert digest.hexdigest() == MAIN_TRIGGERS_SHA256


def test_every_protected_table_has_its_row_trigger_enabled_in_the_database():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's catalogue")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname, t.tgtype, t.tgenabled FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
        )
        found = {(table, name): (kind, enabled) for table, name, kind, enabled in cursor}
    for protection in triggers.protections():
        # 27 = ROW | BEFORE | DELETE | UPDATE; "O" = enabled.
        assert found.get((protection.table, protection.name)) == (27, "O"), protection.table
    assert triggers.problems() == []


@pytest.mark.parametrize(
    ("signal", "code"),
    [
        (mfa_signals.authenticator_added, "account.mfa_added"),
        (mfa_signals.authenticator_removed, "account.mfa_removed"),
        (mfa_signals.authenticator_reset, "account.mfa_reset"),
        (mfa_signals.authentication_failed, "account.mfa_failed"),
    ],
)
def test_each_mfa_signal_is_audited_once_with_its_own_code(signal, code):
    user = UserFactory(email=f"{code}@attack23.example.se")

    class Authenticator:
        type = "totp"

    request = RequestFactory().post("/")
    request.user = user
    signal.send(sender=object, request=request, user=user, authenticator=Authenticator())
    events = AuditEvent.objects.filter(action__startswith="account.mfa")
    assert [(e.action, e.data) for e in events] == [(code, {"type": "totp"})]


def test_authenticator_used_is_not_audited_as_a_failure():
    user = UserFactory(email="used@attack23.example.se")
    mfa_signals.authenticator_used.send(
        sender=object, request=None, user=user, authenticator=None, reauthenticated=False
    )
    assert not AuditEvent.objects.filter(action__startswith="account.mfa").exists()


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("inclusion", ""),
        ("inclusion", "?index=-1&size=1"),
        ("inclusion", "?index=0&size=0"),
        ("inclusion", "?index=a&size=1"),
        ("consistency", "?from=0&to=1"),
        ("consistency", "?from=1"),
        ("consistency", "?from=1&to=-1"),
    ],
)
def test_a_proof_with_a_missing_or_out_of_range_number_is_a_400(client, lov, name, query):
    response = client.get(reverse(f"tlog:{name}") + query)
    assert response.status_code == 400, (name, query, response.status_code)
