from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, PeriodicTask, PeriodicTasks

from lov_portal.reminders.schedule import schedule_sync


class Command(BaseCommand):
    help = "Write the periodic tasks from lov_portal/reminders/schedule.py into celery beat."

    def handle(self, *args: object, **options: object) -> None:
        created, updated = schedule_sync(
            periodic_task_model=PeriodicTask, crontab_model=CrontabSchedule
        )
        PeriodicTasks.update_changed()
        self.stdout.write(f"Periodic tasks: {created} created, {updated} updated.")
