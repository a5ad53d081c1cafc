from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("ataganden/", views.commitment_list, name="list"),
    path("ataganden/<int:pk>/", views.commitment_detail, name="detail"),
    path("ataganden/uppdatering/", views.status_update_post, name="update_post"),
    path("uppfoljning/", views.dashboard, name="dashboard"),
]
