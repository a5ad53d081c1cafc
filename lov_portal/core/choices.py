"""Choices shared by every app: the two parties of an agreement."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartySide(models.TextChoices):
    """The side an organisation or a group member belongs to."""

    PUBLIC = "public", _("Offentlig part")
    CIVIL_SOCIETY = "civil_society", _("Idéburen part")


# Who carries a commitment: one party (PartySide's members, their values and labels) or both
# jointly. Enum members cannot be inherited, so it is built from PartySide.
ResponsibleSide = models.TextChoices(
    "ResponsibleSide",
    [
        *((side.name, (side.value, side.label)) for side in PartySide),
        ("JOINT", ("joint", _("Parterna gemensamt"))),
    ],
    module=__name__,
)
