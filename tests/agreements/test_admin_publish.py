"""Staff publish a version from the admin through the service: logged, audited, frozen; an
earlier version never becomes current again."""

from __future__ import annotations

import json

import pytest

from agreements.models import AgreementVersion
from agreements.services import agreement_version_create
from lov_portal.audit.models import AuditEvent
from tests.agreements.factories import AgreementFactory, AgreementVersionFactory
from tests.permissions import make_staff_with_mfa

pytestmark = pytest.mark.django_db
URL = "/admin/agreements/agreementversion/"


@pytest.fixture
def admin_client(client):
    user = make_staff_with_mfa()
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def versions():
    first = agreement_version_create(
        agreement=AgreementFactory(), number=1, text="Första.", make_current=True
    )
    second = AgreementVersionFactory(agreement=first.agreement, number=2, is_current=False)
    return first, second


def publish(client, version):
    return client.post(URL, {"action": "publish", "_selected_action": [version.pk]}, follow=True)


def test_publishing_from_the_admin_logs_and_freezes_the_version(admin_client, versions):
    first, second = versions
    response = publish(admin_client, second)
    assert "står i registerloggen" in response.content.decode()
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.is_current and not first.is_current
    assert second.published_at is not None
    entry = json.loads(second.log_entry.data)
    assert (entry["type"], entry["version"]) == ("version", 2)
    assert AuditEvent.objects.filter(action="agreement.version_published").count() == 2


def test_an_earlier_version_is_not_made_current_again(admin_client, versions):
    first, second = versions
    publish(admin_client, second)
    response = publish(admin_client, first)
    assert "en äldre version blir inte gällande igen" in response.content.decode()
    assert AgreementVersion.objects.get(is_current=True, agreement=first.agreement) == (
        AgreementVersion.objects.get(pk=second.pk)
    )


def test_the_current_flag_is_not_a_checkbox(admin_client, versions):
    _, second = versions
    page = admin_client.get(f"{URL}{second.pk}/change/").content.decode()
    assert 'name="is_current"' not in page
