"""GDPR: export and deletion of a person's data, and the removal of old IP addresses.

Deleting an account anonymises the person; records of the public process stay: signature
evidence (agreements.Signature, Withdrawal), status updates, group membership and approved
minutes keep pointing at the anonymised user.
"""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from agreements.models import Signature
from lov_portal.accounts.models import BankIDLink
from lov_portal.accounts.services import user_deactivate
from lov_portal.audit.models import AuditEvent
from lov_portal.audit.services import audit_record
from lov_portal.tlog.services import commitment_purge
from organisations.selectors import organisations_only_admin

ANONYMOUS_EMAIL_DOMAIN = "anonymiserad.invalid"
# How long IP addresses in signature evidence and the audit log are kept (docs/security.md).
IP_ADDRESS_RETENTION_DAYS = getattr(settings, "IP_ADDRESS_RETENTION_DAYS", 365)


class LastAdminError(Exception):
    """The person is the only administrator of an organisation: deleting the account would leave
    the organisation with nobody to manage it."""

    def __init__(self, organisations: list) -> None:
        super().__init__(", ".join(str(o) for o in organisations))
        self.organisations = organisations


def account_anonymise(*, user: Any, request: HttpRequest | None = None) -> None:
    """Remove the person from the account but keep the records of the public process.

    Refused (LastAdminError) while the person is an organisation's only administrator."""
    with transaction.atomic():
        blocking = organisations_only_admin(user=user)
        if blocking:
            raise LastAdminError(blocking)
        audit_record(
            actor=user,
            action="account.delete",
            obj=user,
            data={"user_id": user.pk},
            request=request,
        )
        user.email = f"raderad-{user.pk}@{ANONYMOUS_EMAIL_DOMAIN}"
        user.full_name = ""
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        user.memberships.all().delete()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        BankIDLink.objects.filter(user=user).delete()
        user_deactivate(user=user)


def ip_addresses_purge(*, older_than: datetime.datetime) -> dict[str, int]:
    """Clear IP addresses (and browser strings) recorded before `older_than`.

    Signature and AuditEvent are append-only; clearing these two personal-data fields with a
    queryset update() is the one documented exception (docs/decisions.md). The register log
    commits to both with salted digests: the salts go too (so the erased values cannot be
    guessed back from the digests) and the public log stays intact (docs/evidence.md).
    """
    signatures = Signature.objects.filter(signed_at__lt=older_than).exclude(
        ip_address__isnull=True, user_agent=""
    )
    events = AuditEvent.objects.filter(created_at__lt=older_than).exclude(
        ip_address__isnull=True, user_agent=""
    )
    with transaction.atomic():
        entry_ids = [e for e in signatures.values_list("log_entry_id", flat=True) if e]
        purged = signatures.update(ip_address=None, user_agent="")
        commitment_purge(entry_ids=entry_ids)
        return {
            "signatures": purged,
            "audit_events": events.update(ip_address=None, user_agent=""),
        }


def ip_addresses_purge_expired() -> dict[str, int]:
    """The periodic task's body: purge what is older than the retention period."""
    cutoff = timezone.now() - datetime.timedelta(days=IP_ADDRESS_RETENTION_DAYS)
    return ip_addresses_purge(older_than=cutoff)
