from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Signature = apps.get_model("agreements", "Signature")
    Organisation = apps.get_model("organisations", "Organisation")
    AgreementVersion = apps.get_model("agreements", "AgreementVersion")
    # The name at signing was not kept before; the current name is the best record there is.
    Signature.objects.filter(organisation_name="").update(
        organisation_name=Subquery(
            Organisation.objects.filter(pk=OuterRef("organisation_id")).values("name")[:1]
        )
    )
    for version in AgreementVersion.objects.filter(published_at=None):
        if version.is_current or Signature.objects.filter(agreement_version=version).exists():
            version.published_at = version.created_at
            version.save(update_fields=["published_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_evidence_log"),
        ("organisations", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
