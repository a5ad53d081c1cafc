"""`__any`: one array parameter for a list of ids (PostgreSQL), the same rows as `__in`."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Signature
from organisations.models import Organisation
from tests.organisations.factories import OrganisationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def organisations():
    return [OrganisationFactory() for _ in range(4)]


def test_the_same_rows_as_in(organisations):
    ids = [organisations[0].pk, organisations[2].pk, organisations[2].pk, 10**9]
    assert list(Organisation.objects.filter(id__any=ids).order_by("pk")) == list(
        Organisation.objects.filter(pk__in=ids).order_by("pk")
    )
    assert not Organisation.objects.filter(id__any=[]).exists()


def test_one_array_whatever_the_number_of_ids(organisations):
    ids = [o.pk for o in organisations] * 100
    with CaptureQueriesContext(connection) as queries:
        assert Organisation.objects.filter(id__any=ids).count() == 4
    sql = queries.captured_queries[0]["sql"]
    assert "= ANY('{" in sql and " IN (" not in sql


def test_through_a_foreign_key_without_a_join(organisations):
    queryset = Signature.objects.filter(organisation__id__any=[organisations[0].pk])
    assert "JOIN" not in str(queryset.query)
    assert list(queryset) == []


def test_only_integers_are_sent():
    with pytest.raises((TypeError, ValueError)):
        list(Organisation.objects.filter(id__any=["1 OR 1=1"]))
