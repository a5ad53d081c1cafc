import datetime

import pytest
from django.utils import timezone

from agreements.models import Signature
from lov_portal.privacy.tasks import purge_ip_addresses
from lov_portal.reminders.schedule import SCHEDULE
from tests.privacy.test_services import sign

pytestmark = pytest.mark.django_db


def test_the_nightly_task_purges_expired_ip_addresses_once(settings):
    from tests.accounts.factories import UserFactory

    user = UserFactory()
    old = sign(user, days_ago=400, ip="192.0.2.10")
    recent = sign(user, days_ago=5, ip="192.0.2.11")
    assert purge_ip_addresses.delay().get()["signatures"] == 1
    assert purge_ip_addresses.delay().get()["signatures"] == 0  # idempotent
    assert Signature.objects.get(pk=old.pk).ip_address is None
    assert Signature.objects.get(pk=recent.pk).ip_address == "192.0.2.11"
    assert old.signed_at < timezone.now() - datetime.timedelta(days=365)


def test_the_purge_is_on_the_periodic_schedule():
    assert "lov.privacy.purge_ip_addresses" in {item.task for item in SCHEDULE}
