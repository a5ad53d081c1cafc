from __future__ import annotations

from typing import Any

from agreements.models import Signature, Withdrawal
from commitments.models import StatusUpdate
from lov_portal.accounts.models import BankIDLink
from meetings.models import GroupMember
from organisations.models import ApplicationDocument, OrganisationApplication


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def personal_data_export(*, user: Any) -> dict[str, Any]:
    """Everything the portal holds about the person, as plain JSON-able data."""
    memberships = user.memberships.select_related("organisation").order_by("pk")
    signatures = (
        Signature.objects.filter(signer=user)
        .select_related("organisation", "agreement_version__agreement")
        .order_by("pk")
    )
    withdrawals = Withdrawal.objects.filter(withdrawn_by=user).select_related(
        "signature__organisation"
    )
    updates = StatusUpdate.objects.filter(author=user).select_related("commitment").order_by("pk")
    group_memberships = GroupMember.objects.filter(user=user).select_related(
        "group", "organisation"
    )
    applications = (
        OrganisationApplication.objects.filter(applicant=user)
        .select_related("organisation")
        .order_by("pk")
    )
    # The files themselves belong to the organisation's application; the export lists what the
    # person uploaded (a representative downloads the files from the application's page).
    documents = (
        ApplicationDocument.objects.filter(uploaded_by=user)
        .select_related("application__organisation")
        .order_by("pk")
    )
    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "is_staff": user.is_staff,
        },
        "memberships": [
            {
                "organisation": m.organisation.name,
                "organisation_number": m.organisation.organisation_number,
                "role": m.role,
                "since": _iso(m.created_at),
            }
            for m in memberships
        ],
        "signatures": [
            {
                "organisation": s.organisation.name,
                "agreement": s.agreement_version.agreement.name,
                "version": s.agreement_version.number,
                "signed_at": _iso(s.signed_at),
                "signer_name": s.signer_name,
                "signer_title": s.signer_title,
                "ip_address": s.ip_address,
                "user_agent": s.user_agent,
                "receipt_code": s.receipt_code,
            }
            for s in signatures
        ],
        "withdrawals": [
            {
                "organisation": w.signature.organisation.name,
                "withdrawn_at": _iso(w.withdrawn_at),
                "reason": w.reason,
            }
            for w in withdrawals
        ],
        "status_updates": [
            {
                "commitment": str(u.commitment),
                "status": u.status,
                "narrative": u.narrative,
                "refers_to": _iso(u.refers_to),
                "created_at": _iso(u.created_at),
            }
            for u in updates
        ],
        "group_memberships": [
            {
                "group": g.group.name,
                "organisation": g.organisation.name if g.organisation else None,
                "side": g.side,
                "role": g.role,
                "term_start": _iso(g.term_start),
                "term_end": _iso(g.term_end),
            }
            for g in group_memberships
        ],
        "applications": [
            {
                "organisation": a.organisation.name,
                "organisation_number": a.organisation.organisation_number,
                "contact_role": a.contact_role,
                "eligibility": a.eligibility,
                "submitted_at": _iso(a.submitted_at),
                "decided_at": _iso(a.decided_at),
            }
            for a in applications
        ],
        "application_documents": [
            {
                "organisation": d.application.organisation.name,
                "kind": d.kind,
                "original_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "uploaded_at": _iso(d.uploaded_at),
                "sent_with_reply": d.reply_id is not None,
            }
            for d in documents
        ],
        # The personal identity number is not held; its keyed hash is all there is of it.
        "bankid_link": (
            {"name": link.name, "linked_at": _iso(link.linked_at)}
            if (link := BankIDLink.objects.filter(user=user).first())
            else None
        ),
    }
