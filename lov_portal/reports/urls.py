from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/status/", views.edition_status, name="status"),
    path("<int:pk>/ladda-ner/", views.edition_download, name="download"),
]
