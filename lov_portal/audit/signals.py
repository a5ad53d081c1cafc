"""Staff logins and logouts go to the audit log."""

from allauth.account.signals import user_logged_in
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from .services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_staff_login")
def _staff_logged_in(sender, request, user, **kwargs) -> None:
    if user.is_staff:
        audit_record(actor=user, action="staff.login", request=request)


@receiver(user_logged_out, dispatch_uid="audit_staff_logout")
def _staff_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and user.is_staff:
        audit_record(actor=user, action="staff.logout", request=request)
