"""Install the database triggers that refuse changes to frozen records (lov_portal.core.triggers).

The triggers are derived from the models as they are now, so this migration depends on the last
migration of every app with a protected table; a post_migrate handler reinstalls them after every
`migrate`, which covers tables and columns added later.
"""

from django.db import migrations


def install(apps, schema_editor):
    from lov_portal.core import triggers

    triggers.install(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    from lov_portal.core import triggers

    triggers.uninstall(schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0001_initial"),
        ("agreements", "0005_signature_receipt"),
        ("tlog", "0001_transparency_log"),
        ("audit", "0001_initial"),
        ("commitments", "0005_statusupdate_created_at_default"),
        ("meetings", "0004_minutes_pdf"),
        ("organisations", "0006_register_filter_indexes"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
