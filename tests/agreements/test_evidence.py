"""The threat model of docs/evidence.md, row by row: what someone with the database (triggers
bypassed) can change, and that both `verify_register` and the outsider's `tools/lov_verify.py`
(against a checkpoint saved before) find it."""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from agreements import evidence
from agreements.models import AgreementVersion, Signature, Withdrawal
from agreements.services import region_decision_register, signature_create, withdrawal_create
from lov_portal.core.choices import PartySide
from lov_portal.tlog import services as log_services
from lov_portal.tlog.keys import log_signer
from lov_portal.tlog.models import Checkpoint, Log, LogEntry, PrivateCommitment
from lov_portal.tlog.note import checkpoint_body, signer_generate
from organisations.models import LegalForm
from tests.accounts.factories import UserFactory
from tests.evidence import forced
from tests.organisations.factories import OrganisationFactory
from tools import lov_verify
from tools.lov_verify import Server, VerificationError

ROOT = Path(__file__).resolve().parents[2]


class ClientServer(Server):
    """lov_verify's fetching, through Django's test client instead of the network."""

    def __init__(self, client: object, log: str | None = None) -> None:
        self.client = client
        self.base = "/logg" + (f"/{log}" if log else "")

    def get(self, path: str, params: dict[str, int] | None = None) -> bytes:
        response = self.client.get(self.base + path, params or {})
        if response.status_code != 200:
            raise VerificationError(f"{path}: HTTP {response.status_code}")
        return response.content


@pytest.fixture
def register(lov, django_capture_on_commit_callbacks):
    """The LÖV version, the region's decision, three signatures, one withdrawal; signed."""
    version = AgreementVersion.objects.get(agreement__slug="lov", is_current=True)
    region = OrganisationFactory(
        name="Region Västernorrland", side=PartySide.PUBLIC, legal_form=LegalForm.PUBLIC_BODY
    )
    with django_capture_on_commit_callbacks(execute=True):
        decision = region_decision_register(
            organisation=region,
            version=version,
            decision_body="Regionfullmäktige",
            decision_date=datetime.date(2024, 1, 15),
            decision_reference="§ 12",
            registered_by=UserFactory(staff=True),
        )
        signatures = [
            signature_create(
                organisation=OrganisationFactory(name=f"Förening {n}"),
                version=version,
                signer_name=f"Person {n}",
                signer_title="Ordförande",
                authority_reference="Styrelsebeslut § 3",
                consent_text=f"Jag intygar {n}",
                ip_address="192.0.2.10",
                user_agent="Firefox",
            )
            for n in range(3)
        ]
        withdrawal_create(
            organisation=signatures[0].organisation,
            agreement=version.agreement,
            withdrawn_by=None,
            reason="Föreningen upphör",
        )
    saved = Checkpoint.objects.latest().note
    return {"version": version, "decision": decision, "signatures": signatures, "saved": saved}


def server_problem(saved: str | None = None) -> str | None:
    """What the database check says (None when it finds the register intact)."""
    try:
        call_command("verify_register", stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        return str(error)
    return None


def outsider_problem(client, saved: str, key: str | None = None) -> str | None:
    """What tools/lov_verify.py says against the checkpoint saved before (None: all holds)."""
    cache.clear()  # a change made in the database does not announce itself to the page cache
    vkeys = [key or log_signer().vkey]
    try:
        lov_verify.verify_log(ClientServer(client), vkeys, saved)
    except VerificationError as error:
        return str(error)
    return None


def test_an_intact_register_passes_both_checks(client, register):
    assert server_problem() is None
    assert outsider_problem(client, register["saved"]) is None
    entries = [e.data for e in LogEntry.objects.order_by("index")]
    assert [e.split('"type":"')[1].split('"')[0] for e in entries] == [
        "version",
        "signature",
        "signature",
        "signature",
        "signature",
        "withdrawal",
    ]


def test_the_log_publishes_no_personal_data(client, register):
    body = client.get("/logg/entries").content.decode()
    body += client.get("/logg/register.json").content.decode()
    for private in ("Person 0", "Ordförande", "192.0.2.10", "Firefox", "Föreningen upphör"):
        assert private not in body
    for signature in register["signatures"]:
        assert signature.receipt_code not in body
    assert "Förening 1" in body  # the organisation is public


def test_editing_a_signed_versions_text_is_detected(client, register):
    with forced():
        AgreementVersion.objects.filter(pk=register["version"].pk).update(
            text="En annan text.", text_sha256=evidence._sha256("En annan text.")
        )
    assert "version 1 no longer matches it (text_sha256)" in server_problem()
    assert "differs from the log (text_sha256)" in outsider_problem(client, register["saved"])


def test_editing_only_the_text_is_detected_by_the_outsider(client, register):
    with forced():
        AgreementVersion.objects.filter(pk=register["version"].pk).update(text="Ändrad.")
    assert "is not the text that was published" in outsider_problem(client, register["saved"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("organisation_name", "Någon annan förening"),
        ("organisation_number", "999999-9999"),
        ("text_sha256", "0" * 64),
        ("kind", "decision"),
        ("round", 7),
        ("signed_at", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)),
        ("consent_text", "Något annat"),
    ],
)
def test_changing_a_public_field_of_a_signature_is_detected(client, register, field, value):
    signature = register["signatures"][1]
    with forced():
        Signature.objects.filter(pk=signature.pk).update(**{field: value})
    if field == "organisation_number":
        # The stored number is not in the entry (the organisation's is); it must still match it.
        assert server_problem() is None or "organisation" in server_problem()
        return
    assert f"signature {signature.pk}" in server_problem()
    assert "differs from the log" in outsider_problem(client, register["saved"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("signer_name", "Någon annan"),
        ("signer_title", "Kassör"),
        ("authority_reference", "Inget beslut"),
        ("receipt_code", "AAAAAAAAAAAAAAAAAAAA"),
        ("ip_address", "198.51.100.7"),
        ("user_agent", "curl"),
    ],
)
def test_changing_a_committed_private_field_is_detected(register, field, value):
    signature = register["signatures"][2]
    with forced():
        Signature.objects.filter(pk=signature.pk).update(**{field: value})
    assert f"{field} differs from what was committed to" in server_problem()


def test_the_ip_purge_leaves_the_register_verifiable(client, register):
    from lov_portal.privacy.services import ip_addresses_purge

    signature = register["signatures"][1]
    counts = ip_addresses_purge(older_than=timezone.now() + datetime.timedelta(days=1))
    assert counts["signatures"] == 3
    assert Signature.objects.get(pk=signature.pk).ip_address is None
    assert server_problem() is None
    assert outsider_problem(client, register["saved"]) is None
    commitment = PrivateCommitment.objects.get(entry_id=signature.log_entry_id)
    assert commitment.purgeable_salts == ""


def test_moving_a_signature_to_another_organisation_is_detected(client, register):
    signature = register["signatures"][1]
    other = OrganisationFactory(name="Förening 1")  # even with the same name
    with forced():
        Signature.objects.filter(pk=signature.pk).update(organisation=other)
    assert "organisation_number" in server_problem()
    assert "organisation_number" in outsider_problem(client, register["saved"])


@pytest.mark.parametrize("which", [0, -1])
def test_deleting_a_signature_and_its_entry_is_detected(client, register, which):
    signature = register["signatures"][which]
    if which == 0:
        # The first signature was withdrawn: its withdrawal goes too.
        with forced():
            Withdrawal.objects.filter(signature=signature).delete()
    with forced():
        entry_id = signature.log_entry_id
        Signature.objects.filter(pk=signature.pk).delete()
        PrivateCommitment.objects.filter(entry_id=entry_id).delete()
    assert "no record in the database matches it" in server_problem()
    assert "no longer shows it" in outsider_problem(client, register["saved"])


def test_deleting_the_newest_entries_is_detected(client, register):
    last = LogEntry.objects.order_by("-index").first()
    with forced():
        Withdrawal.objects.filter(log_entry=last).delete()
        PrivateCommitment.objects.filter(entry=last).delete()
        LogEntry.objects.filter(pk=last.pk).delete()
    assert server_problem() is not None
    problem = outsider_problem(client, register["saved"])
    assert "index 5" in problem  # the signed checkpoint covers an entry no longer served


def test_inserting_a_withdrawal_is_detected(client, register):
    signature = register["signatures"][2]
    with forced():
        Withdrawal.objects.bulk_create(
            [Withdrawal(signature=signature, withdrawn_at=signature.signed_at)]
        )
    assert "is not in the log" in server_problem()
    assert "is not in the log" in outsider_problem(client, register["saved"])


def test_deleting_a_withdrawal_is_detected(client, register):
    with forced():
        Withdrawal.objects.all().delete()
    assert "no record in the database matches it" in server_problem()
    assert "no longer shows it" in outsider_problem(client, register["saved"])


def test_the_server_refuses_to_sign_a_rewritten_log(register):
    entry = LogEntry.objects.get(index=2)
    forged = entry.data.replace("Förening 0", "Förening X")
    with forced():
        LogEntry.objects.filter(pk=entry.pk).update(
            data=forged, leaf_hash=lov_verify.leaf_hash(forged.encode()).hex()
        )
        LogEntry.objects.bulk_create(
            [LogEntry(log=entry.log, index=6, data="{}", leaf_hash="00" * 32)]
        )
    with pytest.raises(log_services.LogForkError):
        log_services.checkpoint_sign(log_id=entry.log_id)


def test_a_rewritten_log_signed_with_another_key_is_detected(client, register, settings):
    log = Log.objects.get(name="lov")
    entry = LogEntry.objects.get(index=3)
    forged = entry.data.replace("Förening 1", "Förening X")
    with forced():
        Signature.objects.filter(log_entry=entry).update(organisation_name="Förening X")
        LogEntry.objects.filter(pk=entry.pk).update(
            data=forged, leaf_hash=lov_verify.leaf_hash(forged.encode()).hex()
        )
    leaves = [lov_verify.leaf_hash(e.data.encode()) for e in LogEntry.objects.order_by("index")]
    impostor = signer_generate(log_signer().name)
    note = impostor.sign(checkpoint_body(log.origin, len(leaves), lov_verify.root_hash(leaves)))
    Checkpoint.objects.create(
        log=log, size=len(leaves), root_hash="", note=note, key_vkey=impostor.vkey
    )
    # The database check ignores checkpoints the real key did not sign.
    assert "do not give its root" in server_problem()
    # The server now run with the impostor's key serves the new checkpoint; the outsider who
    # holds the real key refuses it...
    real = log_signer().vkey
    settings.LOV_LOG_SIGNING_KEY = impostor.skey
    problem = outsider_problem(client, register["saved"], key=real)
    assert "not signed by the expected key" in problem
    # ...and one who trusts the impostor's key cannot check the saved checkpoint with it.
    problem = outsider_problem(client, register["saved"], key=impostor.vkey)
    assert "not signed by the expected key" in problem


def test_verify_register_checks_a_saved_checkpoint(
    register, tmp_path, django_capture_on_commit_callbacks
):
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(register["saved"], encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        signature_create(
            organisation=OrganisationFactory(), version=register["version"], signer_name="Ny"
        )
    out = io.StringIO()
    call_command("verify_register", checkpoint=saved, stdout=out)
    assert "7 entries, checkpoint 7 valid" in out.getvalue()
    last = LogEntry.objects.get(index=3)
    with forced():
        Signature.objects.filter(log_entry=last).update(organisation_name="X")
        LogEntry.objects.filter(pk=last.pk).update(data=last.data.replace("Förening 1", "X"))
    with pytest.raises(CommandError):
        call_command("verify_register", checkpoint=saved, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_verifier_passes_against_a_live_server_and_fails_after_tampering(
    live_server, tmp_path, settings
):
    """tools/lov_verify.py end to end: its own process, over HTTP."""
    from lov_portal.portal.lov_source import load_source
    from lov_portal.portal.services import lov_load

    lov_load(parsed=load_source())
    version = AgreementVersion.objects.get(agreement__slug="lov", is_current=True)
    for n in range(3):
        signature_create(
            organisation=OrganisationFactory(name=f"Live {n}"), version=version, signer_name="P"
        )
    saved = tmp_path / "checkpoint.txt"
    run = [sys.executable, str(ROOT / "tools" / "lov_verify.py"), live_server.url]
    result = subprocess.run(
        [*run, "--save-checkpoint", str(saved)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: ") and "4 entries" in result.stdout
    with forced():
        Signature.objects.filter(organisation_name="Live 1").update(organisation_name="Falsk")
    cache.clear()
    result = subprocess.run(
        [*run, "--checkpoint", str(saved), "--key", log_signer().vkey],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout.startswith("FAIL: entry 2")
