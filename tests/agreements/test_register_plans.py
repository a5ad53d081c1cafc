"""The register's queries use their indexes on PostgreSQL with 5000 organisations (EXPLAIN)."""

import pytest
from django.db import connection

from agreements import selectors
from lov_portal.portal.demo import demo_create
from organisations.models import Organisation
from tests.conftest import _built_once_per_module

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(scope="module")
def _register(django_db_setup, django_db_blocker, tmp_path_factory):
    """LÖV and 5000 demo organisations, seeded and ANALYZEd once for the module (every test
    here only reads query plans); the primary key of the agreement."""
    from agreements.models import Agreement
    from lov_portal.portal.lov_source import load_source
    from lov_portal.portal.services import lov_load

    def build() -> int:
        lov_load(parsed=load_source())
        lov = Agreement.objects.get(slug="lov")
        demo_create(agreement=lov, organisations=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return lov.pk

    yield from _built_once_per_module(django_db_blocker, tmp_path_factory, build)


@pytest.fixture
def register(_register, db):
    from agreements.models import Agreement

    return Agreement.objects.get(pk=_register)


def _plan(agreement, **query: object) -> str:
    page = selectors.register_list(agreement=agreement, query=selectors.RegisterQuery(**query))
    return page[:20].explain()


def test_the_first_page_walks_the_name_index_and_the_signature_index(register):
    plan = _plan(register)
    assert "organisation_name_lower_idx" in plan
    assert "agreements_signature" in plan and "Index" in plan
    # Active means NOT EXISTS a withdrawal: an anti-join, estimated for thousands, not one row.
    assert "Anti Join" in plan
    assert "Seq Scan on organisations_organisation " not in plan


def test_a_search_reads_the_gin_index_once_and_parses_no_text_row_by_row(register):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + selectors.SEARCH_IDS_SQL, ["idrottsförening"])
        search = " ".join(row[0] for row in cursor.fetchall())
    assert "organisation_search_sv_idx" in search
    plan = _plan(register, q="idrottsförening")
    assert "to_tsvector" not in plan  # the page query filters on the ids found


def test_a_municipality_filter_uses_the_municipality_index(register):
    plan = _plan(register, municipality="2281")
    assert "organisations_organisation_municipality_id" in plan


def test_a_search_by_organisation_number_can_use_the_prefix_index(register):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = Organisation.objects.filter(organisation_number__startswith="802000").explain()
        cursor.execute("SET enable_seqscan = on")
    # Django's PostgreSQL backend gives a unique CharField a varchar_pattern_ops index
    # ("..._like"); a prefix search is a range condition on it.
    assert "organisation_number" in plan and "_like" in plan, plan
    assert "~>=~" in plan, plan


def test_the_organisation_number_has_one_pattern_index_not_two():
    """A second, identical index (there was one) costs every write and lets the planner pick
    either, which made the test above fail at random."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'organisations_organisation' "
            "AND indexdef LIKE '%%(organisation_number varchar_pattern_ops)%%'"
        )
        names = [row[0] for row in cursor.fetchall()]
    assert len(names) == 1, names


def test_sorting_by_date_is_one_grouped_join_not_a_subquery_per_organisation(register):
    plan = _plan(register, sort="nyast")
    assert "SubPlan" not in plan
    assert "Aggregate" in plan
