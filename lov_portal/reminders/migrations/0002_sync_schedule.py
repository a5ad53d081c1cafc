"""Fill django-celery-beat's tables from lov_portal/reminders/schedule.py on migrate.

`manage.py sync_schedule` does the same later, when the schedule in code has changed.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from lov_portal.reminders.schedule import schedule_sync

    schedule_sync(
        periodic_task_model=apps.get_model("django_celery_beat", "PeriodicTask"),
        crontab_model=apps.get_model("django_celery_beat", "CrontabSchedule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
