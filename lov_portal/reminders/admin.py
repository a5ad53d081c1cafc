from django.contrib import admin

from .models import Reminder, ReminderOptOut


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "due_on", "status", "sent_at", "attempts", "last_error"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient__email"]
    date_hierarchy = "due_on"
    raw_id_fields = ["recipient"]
    # Why a reminder failed is the sender's record, not something to edit.
    readonly_fields = ["attempts", "last_error", "sent_at", "claim_token", "claimed_until"]


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]
