"""The admin's "delete selected" action, audited.

Django writes the log entries of a bulk deletion with `bulk_create`, which sends no signal, so
the `post_save` receiver in `signals.py` does not see them. This wrapper runs Django's own
action and then records every deletion entry it wrote (entries already recorded are skipped).
"""

from __future__ import annotations

from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import DELETION, LogEntry

from .signals import admin_log_entries_record


def audited_delete_selected(modeladmin, request, queryset):
    before = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = delete_selected(modeladmin, request, queryset)
    if response is None:  # None: the deletion was confirmed and done.
        admin_log_entries_record(
            LogEntry.objects.filter(pk__gt=before, user=request.user, action_flag=DELETION)
            .select_related("user", "content_type")
            .order_by("pk")
        )
    return response


audited_delete_selected.short_description = delete_selected.short_description
audited_delete_selected.allowed_permissions = delete_selected.allowed_permissions
