"""Reads of commitments, already prefetched."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from agreements.models import Agreement, Principle

from .models import Commitment


def commitment_active_list(*, agreement: Agreement) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(principle__agreement=agreement, retired_at__isnull=True)
        .select_related("principle")
        .order_by("principle__order", "order", "pk")
    )


def principle_list_with_commitments(*, agreement: Agreement) -> QuerySet[Principle]:
    """The agreement's principles, each with its active commitments in `active_commitments`."""
    active = Commitment.objects.filter(retired_at__isnull=True).order_by("order", "pk")
    return (
        Principle.objects.filter(agreement=agreement)
        .order_by("order")
        .prefetch_related(Prefetch("commitments", queryset=active, to_attr="active_commitments"))
    )
