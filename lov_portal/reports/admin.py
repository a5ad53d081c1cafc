from django.contrib import admin

from .models import ReportEdition


@admin.register(ReportEdition)
class ReportEditionAdmin(admin.ModelAdmin):
    list_display = ["year", "edition", "status", "progress", "created_by", "created_at"]
    list_filter = ["status", "year"]
    readonly_fields = ["file", "error", "started_at", "finished_at"]
