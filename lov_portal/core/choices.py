"""Choices shared by every app: the two parties of an agreement."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartySide(models.TextChoices):
    """The side an organisation or a group member belongs to."""

    PUBLIC = "public", _("Offentlig part")
    CIVIL_SOCIETY = "civil_society", _("Idéburen part")


class ResponsibleSide(models.TextChoices):
    """Who carries a commitment: one party, or both jointly."""

    PUBLIC = "public", _("Offentlig part")
    CIVIL_SOCIETY = "civil_society", _("Idéburen part")
    JOINT = "joint", _("Parterna gemensamt")
