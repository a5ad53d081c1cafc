from django.contrib import admin

from .models import Reminder, ReminderOptOut


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "due_on", "status", "sent_at", "attempts"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient__email"]
    date_hierarchy = "due_on"
    raw_id_fields = ["recipient"]


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]
