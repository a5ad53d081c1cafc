"""The portal's periodic tasks, in one place. `manage.py sync_schedule` writes them into
django-celery-beat's tables (staff may tune them in the admin; a sync resets them to this)."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from django.conf import settings


class Periodic(NamedTuple):
    name: str
    task: str
    # Crontab fields: minute, hour, day_of_week, day_of_month, month_of_year.
    crontab: tuple[str, str, str, str, str]
    description: str


SCHEDULE: list[Periodic] = [
    Periodic(
        "Påminnelser: bestäm vilka som ska skickas",
        "lov.reminders.schedule",
        ("15", "6", "*", "*", "*"),
        "Varje morgon 06.15: skriver en rad per påminnelse som har blivit aktuell.",
    ),
    Periodic(
        "Påminnelser: skicka väntande",
        "lov.reminders.send_pending",
        ("*/10", "*", "*", "*", "*"),
        "Var tionde minut: skickar väntande påminnelser (också efter ett avbrott).",
    ),
    Periodic(
        "Integritet: ta bort gamla IP-adresser",
        "lov.privacy.purge_ip_addresses",
        ("30", "3", "*", "*", "*"),
        "Varje natt 03.30: tar bort IP-adresser äldre än lagringstiden ur bevis och logg.",
    ),
    Periodic(
        "Registerloggen: signera checkpoints",
        "lov.tlog.checkpoints_sign_all",
        ("*/15", "*", "*", "*", "*"),
        "Var femtonde minut: signerar en checkpoint för varje logg som har vuxit (om "
        "signeringen efter en ny post inte blev av).",
    ),
]


def schedule_sync(*, periodic_task_model: Any, crontab_model: Any) -> tuple[int, int]:
    """Create or update the rows for SCHEDULE; disable earlier ones of ours no longer listed.

    Takes the models so a data migration can pass its historical ones. Returns
    (created, updated).
    """
    created = updated = 0
    names = set()
    for item in SCHEDULE:
        minute, hour, day_of_week, day_of_month, month_of_year = item.crontab
        crontab, _ = crontab_model.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            timezone=settings.TIME_ZONE,
        )
        names.add(item.name)
        defaults = {
            "task": item.task,
            "crontab": crontab,
            "interval": None,
            "args": json.dumps([]),
            "kwargs": json.dumps({}),
            "description": item.description,
            "enabled": True,
        }
        task, was_created = periodic_task_model.objects.get_or_create(
            name=item.name, defaults=defaults
        )
        if was_created:
            created += 1
            continue
        changed = [k for k, v in defaults.items() if getattr(task, k) != v]
        if changed:
            for key in changed:
                setattr(task, key, defaults[key])
            task.save()
            updated += 1
    periodic_task_model.objects.filter(task__startswith="lov.").exclude(name__in=names).update(
        enabled=False
    )
    return created, updated
