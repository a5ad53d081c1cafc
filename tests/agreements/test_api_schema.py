"""schemathesis against /api/v1/openapi.json: every operation, generated data, no 5xx.

The schema is loaded from the Django application in-process (WSGI), so the generated requests
go through the whole middleware stack into the test database of each test.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from agreements.models import Withdrawal
from agreements.services import signature_create
from tests.agreements.test_register import _bulk_signatories, _version
from tests.organisations.factories import OrganisationFactory

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# Slugs and receipt codes that exist in the test data, so the detail endpoints answer 200 with
# real bodies (checked against the schema) as well as 404 for whatever hypothesis makes up.
KNOWN = {
    "slug": ["signerad", "utträdd", "forening-bulk-1000"],
    "code": [],
}

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@schema.hook("flatmap_path_parameters")
def _sometimes_a_known_object(context, path_parameters):
    if not path_parameters or len(path_parameters) != 1 or next(iter(path_parameters)) not in KNOWN:
        return st.just(path_parameters)
    (name,) = path_parameters
    return st.one_of(
        st.just(path_parameters), st.sampled_from(KNOWN[name]).map(lambda v: {name: v})
    )


@pytest.fixture
def _connection_kept_open():
    """The WSGI handler closes the database connection before and after each request, which
    would end the test's transaction on PostgreSQL; Django's test client keeps it open alike."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def register(lov, _connection_kept_open):
    """Signatories: one signed, one withdrawn, a few in bulk; their receipts are known."""
    signed = signature_create(
        organisation=OrganisationFactory(slug="signerad"), version=_version(), signer_name="P"
    )
    withdrawn = signature_create(
        organisation=OrganisationFactory(slug="utträdd"), version=_version(), signer_name="Q"
    )
    Withdrawal.objects.create(signature=withdrawn, withdrawn_at=timezone.now(), reason="Slut")
    _bulk_signatories(3)
    KNOWN["code"][:] = [signed.receipt_code, withdrawn.receipt_code.lower()]
    return signed


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_every_generated_request_without_a_server_error(case, register):
    case.call_and_validate(checks=CHECKS)
