"""Language-neutral downloads (included from the plain urlpatterns of lov_portal/urls.py)."""

from django.urls import path

from . import views_csv

app_name = "commitments_export"

urlpatterns = [
    path("ataganden.csv", views_csv.export_view, name="csv"),
    path("ataganden-excel.csv", views_csv.export_view, {"excel": True}, name="csv_excel"),
]
