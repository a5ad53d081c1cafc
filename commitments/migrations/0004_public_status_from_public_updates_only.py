"""Recompute the public status of commitments that have internal updates.

Until now an internal update also set `Commitment.status` and `last_update_at`, which the
public sees. Only commitments with an internal update can be wrong; for them the status and
date are taken from the latest public update (or reset when there is none).
"""

from django.db import migrations


def recompute(apps, schema_editor):
    Commitment = apps.get_model("commitments", "Commitment")
    StatusUpdate = apps.get_model("commitments", "StatusUpdate")
    affected = (
        StatusUpdate.objects.filter(is_internal=True)
        .values_list("commitment_id", flat=True)
        .distinct()
    )
    for commitment_id in affected:
        latest = (
            StatusUpdate.objects.filter(commitment_id=commitment_id, is_internal=False)
            .order_by("-created_at", "-pk")
            .first()
        )
        Commitment.objects.filter(pk=commitment_id).update(
            status=latest.status if latest else "not_started",
            last_update_at=latest.created_at if latest else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0003_statusupdate_attachment"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True),
    ]
