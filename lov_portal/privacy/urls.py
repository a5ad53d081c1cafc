from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.export, name="export"),
    path("radera-konto/", views.account_delete, name="account_delete"),
    path("uppgifter/", views.details, name="details"),
]
