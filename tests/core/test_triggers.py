"""The database itself refuses changes to frozen records (lov_portal.core.triggers).

Run on both databases: plain tests run on whichever the settings use (SQLite without
DATABASE_URL), `postgres` ones need PostgreSQL.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from agreements.models import (
    AgreementVersion,
    BankIDEvidence,
    ReceiptDelivery,
    Signature,
    SignatureReceipt,
    Withdrawal,
)
from agreements.services import (
    PublishedVersionError,
    agreement_version_create,
    agreement_version_update,
    signature_create,
)
from commitments.models import StatusUpdate
from lov_portal.audit.models import AuditEvent
from lov_portal.core import triggers
from lov_portal.privacy.services import ip_addresses_purge
from lov_portal.tlog.models import Checkpoint, Log, LogEntry, PrivateCommitment
from meetings.models import (
    Minutes,
    MinutesApproval,
    MinutesPdf,
    MinutesPublication,
    MinutesRevision,
)
from organisations.models import ApplicationReview
from tests.accounts.factories import UserFactory
from tests.agreements.factories import AgreementFactory, AgreementVersionFactory
from tests.commitments.factories import StatusUpdateFactory
from tests.evidence import forced
from tests.meetings.factories import MeetingFactory
from tests.organisations.factories import OrganisationApplicationFactory, OrganisationFactory
from tests.permissions import make_staff_with_mfa

pytestmark = pytest.mark.django_db

OLD = timezone.now() - datetime.timedelta(days=800)

# Per protected model: a column to change and a value it does not have.
CHANGES = {
    Signature: ("organisation_number", "000000-0000"),
    Withdrawal: ("reason", "Förfalskat skäl"),
    ReceiptDelivery: ("recipient", "annan@example.se"),
    StatusUpdate: ("narrative", "Omskriven historia"),
    MinutesRevision: ("reason", "Omskrivet"),
    MinutesApproval: ("comment", "Omskrivet"),
    MinutesPublication: ("published_by_id", None),
    ApplicationReview: ("reason", "Omskrivet"),
    AuditEvent: ("action", "forged"),
    Log: ("origin", "forged.example/logg/lov"),
    LogEntry: ("data", "{}"),
    Checkpoint: ("note", "forged"),
    PrivateCommitment: ("salts", "forged"),
    SignatureReceipt: ("sha256", "0" * 64),
    BankIDEvidence: ("order_ref", "forged"),
    MinutesPdf: ("sha256", "0" * 64),
}


def make_records() -> dict[type, object]:
    """One row of every append-only table."""
    user = UserFactory()
    version = AgreementVersionFactory()
    signature = signature_create(
        organisation=OrganisationFactory(),
        version=version,
        signer_name="Anna Andersson",
        ip_address="192.0.2.10",
        user_agent="Firefox",
        signed_at=OLD,
    )
    minutes = Minutes.objects.create(meeting=MeetingFactory())
    revision = MinutesRevision.objects.create(
        minutes=minutes, number=1, kind="first", content={}, created_by=user
    )
    return {
        Signature: signature,
        Withdrawal: Withdrawal.objects.create(
            signature=signature, withdrawn_at=timezone.now(), withdrawn_by=user
        ),
        ReceiptDelivery: ReceiptDelivery.objects.create(
            signature=signature, recipient="kvitto@example.se"
        ),
        StatusUpdate: StatusUpdateFactory(author=user),
        MinutesRevision: revision,
        MinutesApproval: MinutesApproval.objects.create(
            revision=revision, user=user, role="checker", decision="approved"
        ),
        MinutesPublication: MinutesPublication.objects.create(revision=revision, published_by=user),
        ApplicationReview: ApplicationReview.objects.create(
            application=OrganisationApplicationFactory(), action="approve", author=user
        ),
        AuditEvent: AuditEvent.objects.create(
            actor=user, action="x", ip_address="192.0.2.11", user_agent="Firefox"
        ),
        Log: signature.log_entry.log,
        LogEntry: signature.log_entry,
        Checkpoint: Checkpoint.objects.create(
            log=signature.log_entry.log, size=1, root_hash="0" * 64, note="n", key_vkey="k"
        ),
        PrivateCommitment: signature.log_entry.private,
        SignatureReceipt: SignatureReceipt.objects.create(
            signature=signature, pdf=b"%PDF-1.7", sha256="1" * 64, language="sv"
        ),
        BankIDEvidence: BankIDEvidence.objects.create(
            signature=signature, order_ref="order", completion_data="{}"
        ),
        MinutesPdf: MinutesPdf.objects.create(
            revision=revision, language="sv", file="minutes-pdf/x.pdf", sha256="1" * 64, size=8
        ),
    }


def raw(sql: str, params: list[object]) -> None:
    # A savepoint, so the refusal does not break the test's transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def update_sql(model: type, column: str) -> str:
    table = quoted(model._meta.db_table)
    return f"UPDATE {table} SET {quoted(column)} = %s WHERE id = %s"  # noqa: S608


def delete_sql(model: type) -> str:
    return f"DELETE FROM {quoted(model._meta.db_table)} WHERE id = %s"  # noqa: S608


def test_every_append_only_model_and_the_agreement_version_is_protected():
    found = {protection.model: protection.kind for protection in triggers.protections()}
    assert found == {**dict.fromkeys(CHANGES, "append-only"), AgreementVersion: "published"}


def test_a_migrated_database_has_every_trigger():
    assert triggers.problems() == []


@pytest.mark.parametrize("model", CHANGES, ids=lambda model: model.__name__)
def test_sql_update_of_an_append_only_row_is_refused(model):
    record = make_records()[model]
    column, value = CHANGES[model]
    table = model._meta.db_table
    with pytest.raises(IntegrityError, match=f"{table} is append-only: UPDATE refused"):
        raw(update_sql(model, column), [value, record.pk])
    record.refresh_from_db()
    assert getattr(record, model._meta.get_field(column).attname) != value


@pytest.mark.parametrize("model", CHANGES, ids=lambda model: model.__name__)
def test_sql_delete_of_an_append_only_row_is_refused(model):
    record = make_records()[model]
    table = model._meta.db_table
    with pytest.raises(IntegrityError, match=f"{table} is append-only: DELETE refused"):
        raw(delete_sql(model), [record.pk])
    assert model.objects.filter(pk=record.pk).exists()


def test_queryset_update_and_delete_are_refused_too():
    signature = make_records()[Signature]
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(signer_name="Förfalskad")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert Signature.objects.get(pk=signature.pk).signer_name == "Anna Andersson"


def test_the_ip_address_purge_passes():
    records = make_records()
    counts = ip_addresses_purge(older_than=timezone.now() - datetime.timedelta(days=365))
    assert counts["signatures"] == 1
    signature = Signature.objects.get(pk=records[Signature].pk)
    assert (signature.ip_address, signature.user_agent) == (None, "")
    assert signature.record_hash == records[Signature].record_hash
    counts = ip_addresses_purge(older_than=timezone.now() + datetime.timedelta(days=1))
    assert counts["audit_events"] >= 1
    event = AuditEvent.objects.get(pk=records[AuditEvent].pk)
    assert (event.ip_address, event.user_agent) == (None, "")


@pytest.mark.parametrize(
    "changes",
    [
        {"ip_address": None, "signer_name": "Förfalskad"},
        {"user_agent": "", "organisation_id": None},
        {"ip_address": "198.51.100.7"},
        {"user_agent": "Ett annat program"},
    ],
    ids=["purge-and-signer", "purge-and-organisation", "new-ip", "new-user-agent"],
)
def test_an_update_beyond_clearing_the_purgeable_fields_is_refused(changes):
    signature = make_records()[Signature]
    if changes.get("organisation_id", 0) is None:
        changes["organisation_id"] = OrganisationFactory().pk
    refused = pytest.raises(IntegrityError, match="only ip_address, user_agent may be cleared")
    with refused, transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(**changes)
    signature.refresh_from_db()
    assert (signature.ip_address, signature.user_agent) == ("192.0.2.10", "Firefox")


def test_the_audit_log_purge_cannot_rewrite_the_event():
    event = make_records()[AuditEvent]
    refused = pytest.raises(IntegrityError, match="only ip_address, user_agent may be cleared")
    with refused, transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(ip_address=None, data={"x": 1})


def test_a_rows_log_entry_may_be_set_once_but_never_changed():
    records = make_records()
    signature, other_entry = records[Signature], records[Withdrawal].log_entry
    entry = signature.log_entry
    with forced():  # a signature made before the log existed
        Signature.objects.filter(pk=signature.pk).update(log_entry=None)
    Signature.objects.filter(pk=signature.pk).update(log_entry=entry)  # the backfill
    refused = pytest.raises(IntegrityError, match="log_entry_id may be set once")
    with refused, transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(log_entry=other_entry)
    with refused, transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(log_entry=None)
    assert Signature.objects.get(pk=signature.pk).log_entry_id == entry.pk


def test_deleting_a_signer_is_refused_rather_than_unlinking_the_evidence():
    signer = UserFactory()
    signature = signature_create(
        organisation=OrganisationFactory(),
        version=AgreementVersionFactory(),
        signer=signer,
        signer_name="Anna Andersson",
    )
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        signer.delete()  # on_delete=SET_NULL would update the signature
    assert Signature.objects.get(pk=signature.pk).signer_id == signer.pk


# --- Agreement versions ------------------------------------------------------------------


@pytest.fixture
def published(db):
    """Published the way the portal does it: made current by the service (and logged)."""
    return agreement_version_create(
        agreement=AgreementFactory(), number=1, text="Den publicerade texten.", make_current=True
    )


@pytest.fixture
def draft(published):
    return AgreementVersionFactory(
        agreement=published.agreement, number=published.number + 1, is_current=False
    )


def test_a_current_version_is_published_and_a_draft_is_not(published, draft):
    assert published.published_at is not None
    assert published.is_published
    assert draft.published_at is None
    assert not draft.is_published


def test_a_current_version_is_frozen_while_current_even_before_it_is_logged():
    version = AgreementVersionFactory(text="Gällande.")  # is_current, published_at not yet set
    assert version.published_at is None
    with pytest.raises(IntegrityError, match="a published row is frozen"):
        raw(update_sql(AgreementVersion, "text"), ["Ändrad.", version.pk])
    with pytest.raises(IntegrityError, match="a published row cannot be deleted"):
        raw(delete_sql(AgreementVersion), [version.pk])
    # Publishing it (setting published_at once) is allowed.
    raw(update_sql(AgreementVersion, "published_at"), [timezone.now(), version.pk])


def test_a_signed_version_is_published_even_if_it_was_never_current(draft):
    signature_create(organisation=OrganisationFactory(), version=draft, signer_name="Anna")
    draft.refresh_from_db()
    assert draft.published_at is not None


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("text", "En annan text."),
        ("number", 99),
        ("text_sha256", "0" * 64),
        ("published_at", None),
        ("published_at", "2001-01-01 00:00:00+00:00"),
    ],
)
def test_sql_cannot_change_a_published_versions_wording(published, column, value):
    table = AgreementVersion._meta.db_table
    with pytest.raises(IntegrityError, match=f"{table}: a published row is frozen"):
        raw(update_sql(AgreementVersion, column), [value, published.pk])
    with pytest.raises(IntegrityError, match=f"{table}: a published row cannot be deleted"):
        raw(delete_sql(AgreementVersion), [published.pk])
    published.refresh_from_db()
    assert published.text == "Den publicerade texten."
    assert published.published_at is not None


def test_sql_can_change_what_is_not_frozen_and_edit_or_delete_a_draft(published, draft):
    raw(update_sql(AgreementVersion, "review_due_on"), ["2028-01-01", published.pk])
    raw(update_sql(AgreementVersion, "is_current"), [False, published.pk])
    raw(update_sql(AgreementVersion, "text"), ["Utkast två.", draft.pk])
    assert AgreementVersion.objects.get(pk=draft.pk).text == "Utkast två."
    raw(delete_sql(AgreementVersion), [draft.pk])
    assert not AgreementVersion.objects.filter(pk=draft.pk).exists()


def test_the_service_refuses_to_change_a_published_versions_text(published):
    with pytest.raises(PublishedVersionError, match="En ny text blir alltid en ny version"):
        agreement_version_update(version=published, text="En annan text.")
    with pytest.raises(PublishedVersionError):
        agreement_version_update(version=published, number=42)
    published.refresh_from_db()
    assert published.text == "Den publicerade texten."
    # The same wording (after canonicalisation) and the dates can still be saved.
    due = datetime.date(2028, 1, 1)
    same = "Den publicerade texten.\r\n"
    agreement_version_update(version=published, text=same, review_due_on=due)
    assert AgreementVersion.objects.get(pk=published.pk).review_due_on == due


def test_the_service_edits_a_draft(draft):
    agreement_version_update(version=draft, text="Utkast två.", number=7)
    draft.refresh_from_db()
    assert (draft.text, draft.number, draft.published_at) == ("Utkast två.", 7, None)


def test_the_database_refuses_the_change_when_the_service_is_bypassed(published):
    published.text = "Ändrad förbi tjänsten."
    with pytest.raises(IntegrityError, match="a published row is frozen"), transaction.atomic():
        published.save()


def admin_post(client, version, text: str):
    superuser = make_staff_with_mfa()
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    url = f"/admin/agreements/agreementversion/{version.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    return page, client.post(
        url,
        {
            "agreement": version.agreement_id,
            "number": version.number,
            "text": text,
            "adopted_on": "2024-01-15",
            "effective_from": "2024-02-01",
            "review_due_on": "2029-02-01",
            "is_current": "on" if version.is_current else "",
        },
    )


def test_the_admin_shows_a_published_versions_text_read_only_and_keeps_it(client, published):
    page, response = admin_post(client, published, "Ändrad i admin.")
    assert 'name="text"' not in page.content.decode()
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.text == "Den publicerade texten."
    assert (
        client.post(f"/admin/agreements/agreementversion/{published.pk}/delete/").status_code == 403
    )


def test_the_admin_edits_a_draft(client, draft):
    page, response = admin_post(client, draft, "Utkast i admin.")
    assert 'name="text"' in page.content.decode()
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.text == "Utkast i admin."


# --- problems(), the system check, forced() ----------------------------------------------


def drop_one_trigger() -> str:
    table = Signature._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER lov_frozen_{table} ON {table}")
        else:
            cursor.execute(f"DROP TRIGGER lov_frozen_{table}_delete")
    return table


def test_problems_reports_a_dropped_trigger_and_migrate_reinstalls_it():
    table = drop_one_trigger()
    found = triggers.problems()
    assert len(found) == 1
    assert found[0].startswith(f"{table}: the trigger lov_frozen_{table}")
    assert "is missing" in found[0]
    call_command("migrate", verbosity=0)
    assert triggers.problems() == []


def test_the_database_system_check_reports_a_dropped_trigger():
    call_command("check", "--database", "default")
    drop_one_trigger()
    with pytest.raises(SystemCheckError, match="is missing"):
        call_command("check", "--database", "default")
    triggers.install()


def test_migrate_is_not_blocked_while_the_migration_that_installs_them_is_pending(monkeypatch):
    # `migrate` runs the database checks before migrating: upgrading a database that has no
    # triggers yet must not fail on them.
    drop_one_trigger()
    monkeypatch.setattr(triggers, "_migrations_pending", lambda using: True)
    issues = triggers.check_triggers(databases=["default"])
    assert [issue.id for issue in issues] == ["core.W001"]
    call_command("migrate", verbosity=0, skip_checks=False)
    assert triggers.problems() == []


def test_install_triggers_repairs_what_the_check_reports():
    drop_one_trigger()
    assert [issue.id for issue in triggers.check_triggers(databases=["default"])] == ["core.E001"]
    call_command("install_triggers", stdout=io.StringIO())
    assert triggers.problems() == []


def test_verify_register_reports_a_dropped_trigger():
    call_command("verify_register", stdout=io.StringIO())  # an empty register is intact
    drop_one_trigger()
    with pytest.raises(CommandError, match=r"database trigger: .* is missing"):
        call_command("verify_register")
    triggers.install()


def test_problems_reports_a_trigger_whose_definition_differs():
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION lov_frozen_{table}() RETURNS trigger "
                "LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END;$$"
            )
        else:
            cursor.execute(f"DROP TRIGGER lov_frozen_{table}_update")
            cursor.execute(
                f"CREATE TRIGGER lov_frozen_{table}_update BEFORE UPDATE ON {table} "
                "FOR EACH ROW WHEN 0 BEGIN SELECT RAISE(ABORT, 'no'); END"
            )
    assert [problem for problem in triggers.problems() if "differs" in problem] != []
    assert all(problem.startswith(table) for problem in triggers.problems())
    triggers.install()
    assert triggers.problems() == []


@pytest.mark.postgres
def test_problems_reports_a_disabled_trigger_on_postgresql():
    table = Signature._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER lov_frozen_{table}")
    assert triggers.problems() == [f"{table}: the trigger lov_frozen_{table} is disabled"]
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER lov_frozen_{table}")
    assert triggers.problems() == []


@pytest.mark.postgres
def test_postgresql_raises_from_plpgsql_functions():
    table = Signature._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [f"lov_frozen_{table}"])
        (source,) = cursor.fetchone()
    assert "RAISE EXCEPTION" in source
    assert "integrity_constraint_violation" in source


def test_forced_lets_a_deliberate_change_through_and_then_protects_again(published):
    signature = make_records()[Signature]
    with forced():
        Signature.objects.filter(pk=signature.pk).update(signer_name="Förfalskad")
        AgreementVersion.objects.filter(pk=published.pk).update(text="Förfalskad text.")
    assert Signature.objects.get(pk=signature.pk).signer_name == "Förfalskad"
    assert AgreementVersion.objects.get(pk=published.pk).text == "Förfalskad text."
    assert triggers.problems() == []
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(signer_name="Igen")


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_still_flush_frozen_tables():
    # The flush after this test deletes every row; on SQLite the triggers are lifted for it.
    make_records()
    assert Signature.objects.count() == 1
