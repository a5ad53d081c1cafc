"""One data set for a whole module of browser tests, instead of one per test.

The `e2e_data` fixture of conftest.py loads LÖV and the demo data for each test with a
transactional database and empties the database after it: 5-7 seconds for every test. A module
whose tests only look (scans, reflow, focus, printing, failed forms) shares one data set instead.
It opts in with one import, which puts these three fixtures in the module (they override
conftest's and pytest-django's for that module only):

    from .module_data import e2e_data, module_e2e_data, transactional_db  # noqa: F401

- `module_e2e_data` (module scope) creates the data once, before the module's first test and
  under the tests' isolated settings (`isolated_settings()` in tests/conftest.py: the demo
  users' passwords must be hashed with the hasher the tests log in with), and empties the
  database after the module's last test (`e2e_data_remove()`: flush, and the migration data
  back), as a transactional test's teardown does. The next module, on this worker and in any
  order, finds the database as after any transactional test.
- `transactional_db` replaces pytest-django's (which `live_server` asks for): the test and the
  live server use the committed database as before, but it is not emptied after each test.
- `e2e_data` returns the shared data (the LÖV agreement), as conftest's returns its own.

Only for modules whose tests write nothing another test of the module reads: users made with
`role_user_create()` (only when missing), sessions, login events and audit rows, a draft of
minutes made when there is none, a failed form that saves nothing. A test that signs, approves,
creates or changes what others look at keeps the per-test data (do not import this), unless
its writes are shown not to touch what the module's other tests check, whatever their order.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from tests.conftest import isolated_settings

from .conftest import e2e_data_create, e2e_data_remove


@pytest.fixture(scope="module")
def module_e2e_data(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[object]:
    """The LÖV agreement and the demo data, created once for the module and removed after it."""
    with override_settings(**isolated_settings(tmp_path_factory)), django_db_blocker.unblock():
        agreement = e2e_data_create()
    yield agreement
    with django_db_blocker.unblock():
        e2e_data_remove()


@pytest.fixture
def transactional_db(module_e2e_data: object, django_db_blocker: object) -> Iterator[None]:
    """The committed database, open to the test and the live server, not emptied after the
    test (that would throw away the module's data)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def e2e_data(transactional_db: None, module_e2e_data: object) -> object:
    return module_e2e_data
