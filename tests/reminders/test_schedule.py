import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from lov_portal.celery import app
from lov_portal.reminders.schedule import SCHEDULE

pytestmark = pytest.mark.django_db


def test_sync_schedule_writes_every_periodic_task_once():
    call_command("sync_schedule")
    call_command("sync_schedule")
    tasks = PeriodicTask.objects.filter(task__startswith="lov.")
    assert sorted(tasks.values_list("task", flat=True)) == sorted(p.task for p in SCHEDULE)


def test_sync_schedule_restores_a_changed_task_and_disables_retired_ones():
    call_command("sync_schedule")
    first = PeriodicTask.objects.get(name=SCHEDULE[0].name)
    first.task = "lov.something.else"
    first.save()
    PeriodicTask.objects.create(
        name="Gammal uppgift", task="lov.old.task", crontab=first.crontab, enabled=True
    )
    call_command("sync_schedule")
    assert PeriodicTask.objects.get(name=SCHEDULE[0].name).task == SCHEDULE[0].task
    assert not PeriodicTask.objects.get(name="Gammal uppgift").enabled


def test_every_scheduled_task_is_a_registered_celery_task():
    app.loader.import_default_modules()
    for periodic in SCHEDULE:
        assert periodic.task in app.tasks


def test_reminder_tasks_have_explicit_names_and_retry_on_temporary_failures():
    import smtplib

    from lov_portal.reminders.tasks import schedule, send_pending

    for task in (schedule, send_pending):
        assert task.name.startswith("lov.reminders.")
        assert smtplib.SMTPException in task.autoretry_for
        assert task.max_retries == 5
