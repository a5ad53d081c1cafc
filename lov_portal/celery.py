"""The portal's one Celery app, configured from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lov_portal.settings")

app = Celery("lov_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
