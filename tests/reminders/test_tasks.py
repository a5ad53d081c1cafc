import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail

from lov_portal.celery import app
from lov_portal.reminders import services
from lov_portal.reminders.models import Reminder, ReminderStatus
from lov_portal.reminders.tasks import send_pending

from .broker import broker_at, redis_test_url
from .conftest import WEEK_BEFORE


def test_redis_test_url_keeps_the_server_and_changes_the_database():
    assert redis_test_url("redis://cache.example:6380/0") == "redis://cache.example:6380/6"
    assert redis_test_url("redis://127.0.0.1:6379") == "redis://127.0.0.1:6379/6"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_sender_round_trips_through_real_redis_and_a_worker_thread(meeting_with_members):
    from celery.contrib.testing.worker import start_worker

    with mock.patch.object(send_pending, "delay_on_commit"):
        services.reminders_schedule(now=WEEK_BEFORE, kinds=["meeting_upcoming"])
    assert mail.outbox == []
    with broker_at(redis_test_url(settings.REDIS_URL)):
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge("celery")
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            send_pending.apply_async()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if not Reminder.objects.exclude(status=ReminderStatus.SENT).exists():
                    break
                time.sleep(0.2)
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 3
    assert len(mail.outbox) == 3
