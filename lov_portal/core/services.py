"""Shapes the apps' services share (each app's services stay the one place that writes)."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def validated_save(instance: M, **fields: object) -> M:
    """Set `fields`, check the row (`full_clean`: field rules, `clean()`, constraints) and save
    it: what a service does with a row whose invariants live on the model. A ValidationError
    leaves nothing saved."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance
