from django.urls import path

from . import feeds, views, views_csv, views_manage

app_name = "commitments"

urlpatterns = [
    path("ataganden/", views.commitment_list, name="list"),
    path("ataganden/<int:pk>/", views.commitment_detail, name="detail"),
    path("ataganden/<int:pk>/flode.atom", feeds.CommitmentFeed(), name="feed"),
    path("ataganden/mina/", views.my_commitments, name="mine"),
    path("ataganden/uppdatering/", views.status_update_post, name="update_post"),
    path("ataganden/underlag/<int:pk>/", views.attachment_download, name="attachment"),
    path("uppfoljning/", views.dashboard, name="dashboard"),
    path("uppfoljning/import/", views_csv.import_view, name="import"),
    path("uppfoljning/hantera/", views_manage.manage_commitments, name="manage"),
    path(
        "uppfoljning/ataganden/ny/", views_manage.commitment_create_view, name="commitment_create"
    ),
    path(
        "uppfoljning/ataganden/<int:pk>/andra/",
        views_manage.commitment_edit_view,
        name="commitment_edit",
    ),
    path(
        "uppfoljning/ataganden/<int:pk>/flytta/",
        views_manage.commitment_move_view,
        name="commitment_move",
    ),
    path(
        "uppfoljning/ataganden/<int:pk>/avsluta/",
        views_manage.commitment_retire_view,
        name="commitment_retire",
    ),
    path("uppfoljning/atgarder/ny/", views_manage.action_create_view, name="action_create"),
    path("uppfoljning/atgarder/<int:pk>/andra/", views_manage.action_edit_view, name="action_edit"),
    path("uppfoljning/utvecklingsomraden/ny/", views_manage.area_create_view, name="area_create"),
    path(
        "uppfoljning/utvecklingsomraden/<int:pk>/andra/",
        views_manage.area_edit_view,
        name="area_edit",
    ),
]
