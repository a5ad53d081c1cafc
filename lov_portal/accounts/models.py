from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lov_portal.core.models import unique


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their e-mail address."""

    email = models.EmailField(_("e-postadress"), unique=True)
    full_name = models.CharField(_("namn"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("språk"), max_length=5, choices=[("sv", "Svenska"), ("en", "English")], default="sv"
    )
    is_staff = models.BooleanField(
        _("personal"),
        default=False,
        help_text=_("Personal vid samverkansgruppens kansli: får administrera portalen."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("registrerad"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, end_sessions: bool = True, **kwargs: Any) -> None:
        """A safety net: deactivating has one way, `accounts.services.user_deactivate`, but an
        account saved inactive some other way still has its sessions ended (decision 89), so
        reactivating it revives no old, possibly stolen, cookie. The service, which ends them
        itself, passes `end_sessions=False`."""
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if (
            end_sessions
            and not self.is_active
            and (update_fields is None or "is_active" in update_fields)
        ):
            from .services import sessions_end  # services build on the models

            sessions_end(user=self)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class BankIDLink(models.Model):
    """A person's own BankID, linked to their account so that it can serve as the second
    factor of a step-up (justering). The personal identity number is never stored: only its
    keyed hash (`lov_portal.accounts.bankid.personal_number_hash`), which can tell whether a
    later BankID identification is the same person's but cannot be turned back into the
    number without the key (docs/decisions.md)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="bankid_link", verbose_name=_("användare")
    )
    personal_number_hash = models.CharField(_("personnummer (nyckelhashat)"), max_length=64)
    name = models.CharField(_("namn enligt BankID"), max_length=200)
    linked_at = models.DateTimeField(_("kopplat"), default=timezone.now)

    class Meta:
        verbose_name = _("kopplat BankID")
        verbose_name_plural = _("kopplade BankID")
        constraints = [
            # One person's BankID on one account: a step-up then shows one person each.
            unique("accounts_bankidlink_one_account_per_person", "personal_number_hash")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
