"""Language-neutral downloads (included from the plain urlpatterns of lov_portal/urls.py)."""

from django.urls import path

from .views import csv

app_name = "commitments_export"

urlpatterns = [
    path("ataganden.csv", csv.export_view, name="csv"),
    path("ataganden-excel.csv", csv.export_view, {"excel": True}, name="csv_excel"),
]
