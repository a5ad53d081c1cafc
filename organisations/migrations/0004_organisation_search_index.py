"""A GIN index for the register's full-text search (PostgreSQL only, Swedish configuration).

The expression must stay identical to the one in agreements.selectors.SEARCH_SQL, or
PostgreSQL will not use the index.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS organisation_search_sv_idx ON organisations_organisation "
    "USING GIN (to_tsvector('swedish'::regconfig, name || ' ' || description))"
)
DROP = "DROP INDEX IF EXISTS organisation_search_sv_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0003_applications")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
