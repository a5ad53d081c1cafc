"""Every legally significant act leaves an event with a readable label (issue 14, part 7)."""

from __future__ import annotations

import ast
import datetime
import pathlib
import types

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from lov_portal.audit.actions import ACTIONS, label
from lov_portal.audit.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.meetings.conftest import draft_with_items, world  # noqa: F401 - the fixture
from tests.permissions import make_staff_with_mfa

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(settings.BASE_DIR)
SKIP = {".venv", "tests", "migrations", "node_modules", "var", "bench", ".git"}


def _literals(node: ast.expr) -> list[str] | None:
    """The codes an `action=` argument can take, or None when they cannot be read statically."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def audit_calls() -> list[tuple[str, int, list[str] | None]]:
    calls = []
    for path in sorted(ROOT.rglob("*.py")):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name != "audit_record":
                continue
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            codes = _literals(action) if action is not None else None
            calls.append((str(path.relative_to(ROOT)), node.lineno, codes))
    return calls


def test_every_audit_record_call_uses_a_literal_code_with_a_label():
    calls = audit_calls()
    assert len(calls) > 20  # the walker finds them
    unreadable = [f"{path}:{line}" for path, line, codes in calls if codes is None]
    assert not unreadable, "action= must be a string literal (or a literal if/else)"
    used = {code for _path, _line, codes in calls for code in codes}
    unlabelled = sorted(used - set(ACTIONS))
    assert not unlabelled, f"add these codes to lov_portal/audit/actions.py: {unlabelled}"
    unused = sorted(set(ACTIONS) - used)
    assert not unused, f"labels for codes nothing writes: {unused}"


def test_every_label_is_translated_and_differs_from_its_code():
    for code in ACTIONS:
        with translation.override("sv"):
            swedish = label(code)
        with translation.override("en"):
            english = label(code)
        assert swedish != code
        assert english != swedish, code


def test_an_unknown_code_is_shown_as_it_is():
    assert label("something.old") == "something.old"


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def _one(action: str) -> AuditEvent:
    events = _events(action)
    assert len(events) == 1, (action, list(AuditEvent.objects.values_list("action", flat=True)))
    return events[0]


# --- The agreement and the register -------------------------------------------------------------


def test_signing_is_logged(lov):
    from agreements.services import signature_sign
    from organisations.models import MembershipRole
    from tests.organisations.factories import MembershipFactory

    signatory = MembershipFactory(role=MembershipRole.SIGNATORY)
    signature = signature_sign(
        organisation=signatory.organisation,
        version=lov.versions.get(is_current=True),
        signer=signatory.user,
        signer_name="Per",
        signer_title="Ordförande",
        authority_basis="firmatecknare",
    )
    event = _one("signature.signed")
    assert event.actor == signatory.user
    assert event.object_id == str(signature.pk)
    assert event.data == {"organisation": signatory.organisation.name, "version": 1}


def test_a_region_decision_is_logged(lov):
    from agreements.services import region_decision_register
    from tests.organisations.factories import OrganisationFactory

    staff = UserFactory(staff=True)
    region_decision_register(
        organisation=OrganisationFactory(side="public"),
        version=lov.versions.get(is_current=True),
        decision_body="Regionfullmäktige",
        decision_date=datetime.date(2026, 4, 23),
        decision_reference="§ 142",
        registered_by=staff,
    )
    assert _one("signature.decision_registered").actor == staff


def test_a_withdrawal_is_logged_with_its_reason_for_staff(lov):
    from agreements.services import signature_create, withdrawal_create
    from tests.organisations.factories import MembershipFactory

    admin = MembershipFactory(role="admin")
    signature_create(
        organisation=admin.organisation,
        version=lov.versions.get(is_current=True),
        signer_name="A",
    )
    withdrawal_create(
        organisation=admin.organisation, agreement=lov, withdrawn_by=admin.user, reason="Upphör"
    )
    event = _one("signature.withdrawn")
    assert event.actor == admin.user
    assert event.data["reason"] == "Upphör"


def test_publishing_a_version_is_logged(lov):
    from agreements.services import agreement_version_create

    current = lov.versions.get(is_current=True)
    version = agreement_version_create(
        agreement=lov, number=current.number + 1, text=current.text + "\nTillägg."
    )
    # (Loading the agreement published version 1; this is the second.)
    event = AuditEvent.objects.get(action="agreement.version_published", object_id=version.pk)
    assert event.data == {"number": version.number, "text_sha256": version.text_sha256}
    agreement_version_create(
        agreement=lov, number=version.number + 1, text="Utkast.", make_current=False
    )
    assert _one("agreement.version_added").data["number"] == version.number + 1


# --- Organisations -----------------------------------------------------------------------------


def test_accepting_an_invitation_is_logged():
    from organisations.models import MembershipRole
    from organisations.services import invitation_accept, invitation_create
    from tests.organisations.factories import MembershipFactory

    admin = MembershipFactory(role=MembershipRole.ADMIN)
    invited = UserFactory(email="ny@example.se")
    invitation = invitation_create(
        organisation=admin.organisation,
        email="ny@example.se",
        role=MembershipRole.SIGNATORY,
        invited_by=admin.user,
    )
    invitation_accept(invitation=invitation, user=invited)
    event = _one("organisation.invitation_accepted")
    assert event.actor == invited
    assert event.data == {"role": "signatory", "invited_by": admin.user_id}


@pytest.mark.parametrize(("accept", "code"), [(True, "accepted"), (False, "declined")])
def test_deciding_a_membership_request_is_logged(accept, code):
    from organisations.services import membership_request_create, membership_request_decide
    from tests.organisations.factories import MembershipFactory

    admin = MembershipFactory(role="admin")
    asker = UserFactory()
    request = membership_request_create(organisation=admin.organisation, user=asker)
    membership_request_decide(membership_request=request, decided_by=admin.user, accept=accept)
    event = _one(f"organisation.membership_{code}")
    assert event.actor == admin.user
    assert event.data["user"] == asker.pk


def test_changing_a_role_is_logged():
    from organisations.services import membership_role_set
    from tests.organisations.factories import MembershipFactory

    admin = MembershipFactory(role="admin")
    member = MembershipFactory(organisation=admin.organisation, role="member")
    membership_role_set(membership=member, role="signatory", changed_by=admin.user)
    assert _one("organisation.role_changed").actor == admin.user


# --- Commitments --------------------------------------------------------------------------------


def test_a_status_update_is_logged_and_says_whether_it_is_internal():
    from commitments.services import status_update_create
    from tests.commitments.factories import CommitmentFactory

    staff = UserFactory(staff=True)
    commitment = CommitmentFactory()
    update = status_update_create(
        commitment=commitment,
        author=staff,
        status="stalled",
        refers_to=datetime.date(2026, 3, 1),
        is_internal=True,
    )
    event = _one("commitment.status_updated")
    assert event.actor == staff
    assert event.object_id == str(update.pk)
    assert event.data == {
        "commitment": commitment.pk,
        "status": "stalled",
        "internal": True,
        "corrects": None,
    }


def test_a_csv_import_is_logged_once_with_its_count():
    from commitments.services import status_updates_import
    from tests.commitments.factories import CommitmentFactory

    staff = UserFactory(staff=True)
    rows = [
        types.SimpleNamespace(
            commitment=CommitmentFactory(),
            status="in_progress",
            refers_to=datetime.date(2026, 3, 1),
            narrative="Från kalkylarket.",
        )
        for _ in range(2)
    ]
    status_updates_import(result=types.SimpleNamespace(ok=True, changes=rows), author=staff)
    event = _one("commitment.status_imported")
    assert event.actor == staff
    assert event.data["count"] == 2
    assert len(_events("commitment.status_updated")) == 2


# --- The group and its minutes -----------------------------------------------------------------


def test_appointing_a_member_and_ending_a_term_are_logged(world):  # noqa: F811
    from meetings.services import group_member_add, group_member_end_term

    person = UserFactory()
    member = group_member_add(
        group=world.group,
        user=person,
        side="public",
        role="deputy",
        term_start=datetime.date(2026, 1, 1),
        by=world.staff,
    )
    event = _one("group.member_appointed")
    assert event.actor == world.staff
    assert event.object_id == str(member.pk)
    assert event.data["role"] == "deputy"
    group_member_end_term(member=member, term_end=datetime.date(2026, 6, 30), by=world.staff)
    ended = _one("group.term_ended")
    assert (ended.actor, ended.data["term_end"]) == (world.staff, "2026-06-30")


def test_the_life_of_minutes_is_logged(world):  # noqa: F811
    from meetings import services

    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_return(minutes=minutes, by=world.checker, comment="Stavfel i § 2.")
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_approve(minutes=minutes, by=world.checker)
    services.minutes_approve(minutes=minutes, by=world.chair)
    services.minutes_publish(minutes=minutes, by=world.secretary)
    services.minutes_correction_start(minutes=minutes, by=world.secretary, reason="Fel datum.")
    actions = list(
        AuditEvent.objects.filter(action__startswith="minutes.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "minutes.sent",
        "minutes.returned",
        "minutes.sent",
        "minutes.approved",
        "minutes.approved",
        "minutes.published",
        "minutes.correction_started",
    ]


# --- Reports -------------------------------------------------------------------------------------


def test_ordering_and_finishing_a_report_edition_are_logged(lov):
    from lov_portal.reports.services import report_edition_create, report_edition_render

    staff = UserFactory(staff=True)
    edition = report_edition_create(year=2025, user=staff, enqueue=False)
    event = _one("report.edition_ordered")
    assert event.actor == staff
    assert event.data == {"year": 2025, "edition": 1, "language": "sv"}
    report_edition_render(edition_id=edition.pk)
    assert _one("report.edition_rendered").data == {"year": 2025, "edition": 1}


# --- The admin -----------------------------------------------------------------------------------


@pytest.fixture
def superuser(client):
    user = make_staff_with_mfa("chef@example.se")
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return user


def test_adding_changing_and_deleting_in_the_admin_are_logged(client, superuser):
    from organisations.models import Municipality

    url = reverse("admin:organisations_municipality_add")
    data = {"code": "9999", "name": "Provkommun", "province": "Medelpad", "county": "Prov län"}
    assert client.post(url, data).status_code == 302
    municipality = Municipality.objects.get(code="9999")
    added = _one("admin.addition")
    assert added.actor == superuser
    assert added.data["model"] == "organisations.municipality"
    assert added.data["object_id"] == str(municipality.pk)
    change = reverse("admin:organisations_municipality_change", args=[municipality.pk])
    assert client.post(change, {**data, "name": "Nykommun"}).status_code == 302
    assert "Nykommun" in _one("admin.change").data["object_repr"]
    delete = reverse("admin:organisations_municipality_delete", args=[municipality.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert _one("admin.deletion").data["object_id"] == str(municipality.pk)


def test_deleting_several_objects_at_once_in_the_admin_is_logged_per_object(client, superuser):
    from organisations.models import Municipality

    made = [
        Municipality.objects.create(code=f"99{n}", name=f"Kommun {n}", province="M", county="L")
        for n in range(3)
    ]
    response = client.post(
        reverse("admin:organisations_municipality_changelist"),
        {"action": "delete_selected", "_selected_action": [m.pk for m in made], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Municipality.objects.filter(code__startswith="99").exists()
    assert sorted(e.data["object_id"] for e in _events("admin.deletion")) == sorted(
        str(m.pk) for m in made
    )


# --- Accounts ------------------------------------------------------------------------------------


def test_a_failed_login_is_logged_without_the_password(client):
    user = UserFactory(email="anna@example.se")
    client.post(reverse("account_login"), {"login": user.email, "password": "fel-losenord"})
    event = _one("account.login_failed")
    assert event.actor is None
    assert event.data == {"login": "anna@example.se"}
    assert event.ip_address == "127.0.0.1"
    assert "fel-losenord" not in str(AuditEvent.objects.values_list("data", flat=True))


def test_adding_and_removing_a_second_factor_are_logged(rf):
    from allauth.mfa import signals
    from allauth.mfa.models import Authenticator

    user = UserFactory()
    authenticator = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    request = rf.post("/")
    request.user = user
    for signal in (
        signals.authenticator_added,
        signals.authenticator_reset,
        signals.authenticator_removed,
        signals.authentication_failed,
    ):
        signal.send(sender=Authenticator, request=request, user=user, authenticator=authenticator)
    for code in ("added", "reset", "removed", "failed"):
        event = _one(f"account.mfa_{code}")
        assert event.actor == user
        assert event.data == {"type": "totp"}


def test_setting_up_totp_through_allauth_is_logged(client, django_capture_on_commit_callbacks):
    """The real flow, not just the signal: allauth's TOTP activation page."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from tests.agreements.factories import reauthenticate

    user = UserFactory()
    client.force_login(user)
    reauthenticate(client, user)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    # allauth adds recovery codes with the authenticator app: two second factors.
    events = _events("account.mfa_added")
    assert {e.data["type"] for e in events} == {"totp", "recovery_codes"}
    assert {e.actor for e in events} == {user}


# --- Where staff read the log --------------------------------------------------------------------


def test_the_log_and_its_filter_show_labels_not_codes(client):
    from lov_portal.audit.services import audit_record

    staff = make_staff_with_mfa()
    audit_record(actor=staff, action="signature.signed")
    client.force_login(staff)
    html = client.get(reverse("audit:event_list")).content.decode()
    assert "<td>Underskrift</td>" in html
    assert '<option value="signature.signed">Underskrift</option>' in html
    with translation.override("en"):
        english = reverse("audit:event_list")
    assert english.startswith("/en/")
    assert "<td>Signature</td>" in client.get(english).content.decode()


def test_the_admin_list_of_events_shows_labels(client, superuser):
    from lov_portal.audit.services import audit_record

    audit_record(actor=superuser, action="minutes.approved")
    html = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "Protokoll justerat" in html
