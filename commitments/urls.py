from django.urls import path

from . import feeds
from .views import csv, dashboard, manage, public, updates

app_name = "commitments"

urlpatterns = [
    path("ataganden/", public.commitment_list, name="list"),
    path("ataganden/<int:pk>/", public.commitment_detail, name="detail"),
    path("ataganden/<int:pk>/flode.atom", feeds.CommitmentFeed(), name="feed"),
    path("ataganden/mina/", updates.my_commitments, name="mine"),
    path("ataganden/uppdatering/", updates.status_update_post, name="update_post"),
    path("ataganden/underlag/<int:pk>/", public.attachment_download, name="attachment"),
    path("uppfoljning/", dashboard.dashboard, name="dashboard"),
    path("uppfoljning/import/", csv.import_view, name="import"),
    path("uppfoljning/hantera/", manage.manage_commitments, name="manage"),
    path("uppfoljning/ataganden/ny/", manage.commitment_create_view, name="commitment_create"),
    path(
        "uppfoljning/ataganden/<int:pk>/andra/",
        manage.commitment_edit_view,
        name="commitment_edit",
    ),
    path(
        "uppfoljning/ataganden/<int:pk>/flytta/",
        manage.commitment_move_view,
        name="commitment_move",
    ),
    path(
        "uppfoljning/ataganden/<int:pk>/avsluta/",
        manage.commitment_retire_view,
        name="commitment_retire",
    ),
    path("uppfoljning/atgarder/ny/", manage.action_create_view, name="action_create"),
    path("uppfoljning/atgarder/<int:pk>/andra/", manage.action_edit_view, name="action_edit"),
    path("uppfoljning/utvecklingsomraden/ny/", manage.area_create_view, name="area_create"),
    path(
        "uppfoljning/utvecklingsomraden/<int:pk>/andra/",
        manage.area_edit_view,
        name="area_edit",
    ),
]
