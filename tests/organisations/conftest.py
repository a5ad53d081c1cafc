import importlib

import pytest


@pytest.fixture(autouse=True)
def _municipalities(django_db_blocker):
    """The county's municipalities come from a data migration. A transactional test that ran
    earlier on the same worker (pytest-xdist) flushes them: put them back (idempotent)."""
    from organisations.models import Municipality

    seed = importlib.import_module("organisations.migrations.0002_vasternorrland_municipalities")
    with django_db_blocker.unblock():
        if Municipality.objects.count() < len(seed.MUNICIPALITIES):
            for code, name, province in seed.MUNICIPALITIES:
                Municipality.objects.update_or_create(
                    code=code,
                    defaults={"name": name, "province": province, "county": "Västernorrlands län"},
                )
