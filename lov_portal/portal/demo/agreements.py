"""The demo agreement's dates and its signatures: the region's decision and about 85 % of
the associations, chained and in the evidence log like real ones, a few withdrawn."""

from __future__ import annotations

import datetime

from agreements.models import Agreement, AgreementVersion, Signature, SignatureKind, add_years
from agreements.services import new_receipt_code, signature_hash_fields, signature_record_hash

CONSENT_TEXT = "Jag intygar att jag är behörig att underteckna för organisationen."


def demo_version(agreement: Agreement) -> AgreementVersion:
    """The current version, given plausible dates if the loaded text has none."""
    version = AgreementVersion.objects.get(agreement=agreement, is_current=True)
    if version.effective_from is None:
        # Demo only: the saved text carries no dates, so the demo invents plausible ones.
        version.adopted_on = datetime.date(2022, 11, 24)
        version.effective_from = datetime.date(2023, 1, 1)
        version.review_due_on = add_years(version.effective_from, 5)
        AgreementVersion.objects.filter(pk=version.pk).update(
            adopted_on=version.adopted_on,
            effective_from=version.effective_from,
            review_due_on=version.review_due_on,
        )
    return version


def _signature(organisation, version, **fields) -> Signature:
    """An unsaved signature of `version` by `organisation`, as signing records it."""
    return Signature(
        organisation=organisation,
        agreement_version=version,
        organisation_number=organisation.organisation_number,
        organisation_name=organisation.name,
        text_sha256=version.text_sha256,
        **fields,
    )


def demo_signatures(rng, version, region, orgs, now) -> int:
    from agreements import evidence
    from agreements.models import Withdrawal

    start = datetime.datetime.combine(
        version.effective_from, datetime.time(10, 0), tzinfo=datetime.UTC
    )
    span = max((now - start).total_seconds(), 86400)
    previous = (
        Signature.objects.filter(agreement_version__agreement_id=version.agreement_id)
        .order_by("-pk")
        .values_list("record_hash", flat=True)
        .first()
        or ""
    )
    pending: list[Signature] = []
    if not Signature.objects.filter(organisation=region, agreement_version=version).exists():
        pending.append(
            _signature(
                region,
                version,
                kind=SignatureKind.DECISION,
                signer_name="Regionfullmäktige",
                decision_body="Regionfullmäktige",
                decision_date=version.adopted_on,
                decision_reference="§ 142",
                signed_at=start,
            )
        )
    for org in orgs:
        if rng.random() < 0.85:
            pending.append(
                _signature(
                    org,
                    version,
                    signer_name="Demo Firmatecknare",
                    signer_title=rng.choice(["Ordförande", "Verksamhetsledare", "Kassör"]),
                    consent_text=CONSENT_TEXT,
                    signed_at=start + datetime.timedelta(seconds=rng.random() * span),
                )
            )
    pending.sort(key=lambda s: s.signed_at)
    for signature in pending:
        signature.receipt_code = new_receipt_code()
        signature.previous_hash = previous
        signature.record_hash = signature_record_hash(signature_hash_fields(signature), previous)
        previous = signature.record_hash
        signature.log_entry = evidence.signature_logged(signature)
    Signature.objects.bulk_create(pending, batch_size=1000)
    # A few organisations have left the agreement again.
    withdrawn = [s for s in pending if s.kind == SignatureKind.ONLINE and rng.random() < 0.04]
    withdrawals = [
        Withdrawal(
            signature=s,
            withdrawn_at=min(now, s.signed_at + datetime.timedelta(days=rng.randint(30, 600))),
            reason="Föreningen har upphört med sin verksamhet.",
        )
        for s in withdrawn
    ]
    for withdrawal in sorted(withdrawals, key=lambda w: w.withdrawn_at):
        withdrawal.log_entry = evidence.withdrawal_logged(withdrawal)
    Withdrawal.objects.bulk_create(withdrawals)
    return len(pending)
