"""Acts that happen outside our services go to the audit log through signals: logins and
logouts of staff, failed logins, second factors added, reset or removed (allauth), and every
change made in the Django admin (its own `LogEntry`)."""

from __future__ import annotations

from allauth.account.signals import user_logged_in
from allauth.mfa import signals as mfa_signals
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import AuditEvent
from .services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_staff_login")
def _staff_logged_in(sender, request, user, **kwargs) -> None:
    if user.is_staff:
        audit_record(actor=user, action="staff.login", request=request)


@receiver(user_logged_out, dispatch_uid="audit_staff_logout")
def _staff_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and user.is_staff:
        audit_record(actor=user, action="staff.logout", request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; only the login typed is kept.
    login = credentials.get("email") or credentials.get("username") or ""
    audit_record(
        actor=None,
        action="account.login_failed",
        data={"login": str(login)[:200]},
        request=request,
    )


def _mfa_event(sender, signal, request, user, authenticator, **kwargs) -> None:
    """allauth's second-factor signals, each recorded with the authenticator's type."""
    audit_record(
        actor=user,
        action=(
            "account.mfa_added"
            if signal is mfa_signals.authenticator_added
            else "account.mfa_removed"
            if signal is mfa_signals.authenticator_removed
            else "account.mfa_reset"
            if signal is mfa_signals.authenticator_reset
            else "account.mfa_failed"
        ),
        data={"type": str(getattr(authenticator, "type", ""))},
        request=request,
    )


mfa_signals.authenticator_added.connect(_mfa_event, dispatch_uid="audit_mfa_added")
mfa_signals.authenticator_removed.connect(_mfa_event, dispatch_uid="audit_mfa_removed")
mfa_signals.authenticator_reset.connect(_mfa_event, dispatch_uid="audit_mfa_reset")
mfa_signals.authentication_failed.connect(_mfa_event, dispatch_uid="audit_mfa_failed")


def admin_log_entries_record(entries) -> None:
    """One audit event per admin log entry not yet recorded (an entry is recorded once)."""
    entries = list(entries)
    done = set(
        AuditEvent.objects.filter(
            object_type="admin.logentry", object_id__in=[str(e.pk) for e in entries]
        ).values_list("object_id", flat=True)
    )
    for entry in entries:
        if str(entry.pk) in done or entry.action_flag not in (ADDITION, CHANGE, DELETION):
            continue
        content_type = entry.content_type
        audit_record(
            actor=entry.user,
            action=(
                "admin.addition"
                if entry.action_flag == ADDITION
                else "admin.change"
                if entry.action_flag == CHANGE
                else "admin.deletion"
            ),
            obj=entry,
            data={
                "model": f"{content_type.app_label}.{content_type.model}" if content_type else "",
                "object_id": str(entry.object_id or ""),
                "object_repr": entry.object_repr,
                "change_message": entry.get_change_message(),
            },
        )


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_log_entry")
def _admin_logged(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    # The admin writes one LogEntry per addition, change and single deletion. Deleting several
    # objects at once writes them with bulk_create (no signal): see `audited_delete_selected`.
    if created:
        admin_log_entries_record([instance])
