from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("gruppen/", views.group_detail, name="group_detail"),
    path("gruppen/ledamoter/", views.group_members_manage, name="group_members"),
    path(
        "gruppen/ledamoter/<int:member_pk>/avsluta/",
        views.group_member_end,
        name="group_member_end",
    ),
    path("arsoversikt/", views.year_overview_view, name="year_overview"),
    path("arsoversikt/<int:year>/", views.year_overview_view, name="year_overview_year"),
    path("kalender/", views.calendar_settings, name="calendar_settings"),
    path("nytt/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/andra/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/dagordning/", views.agenda_edit, name="agenda_edit"),
    path("<int:pk>/dagordning/<int:item_pk>/", views.agenda_edit, name="agenda_item_edit"),
    path(
        "<int:pk>/dagordning/<int:item_pk>/atgard/",
        views.agenda_item_action,
        name="agenda_item_action",
    ),
    path("<int:pk>/bilagor/ny/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/protokoll/", views.minutes_detail, name="minutes_detail"),
    path("<int:pk>/protokoll/skapa/", views.minutes_create, name="minutes_create"),
    path("<int:pk>/protokoll/redigera/", views.minutes_edit, name="minutes_edit"),
    path(
        "<int:pk>/protokoll/paragraf/<int:item_pk>/",
        views.minutes_item_edit,
        name="minutes_item_edit",
    ),
    path("<int:pk>/protokoll/skicka/", views.minutes_send, name="minutes_send"),
    path("<int:pk>/protokoll/justera/", views.minutes_answer, name="minutes_answer"),
    path("<int:pk>/protokoll/publicera/", views.minutes_publish, name="minutes_publish"),
    path("<int:pk>/protokoll/rattelse/", views.minutes_correct, name="minutes_correct"),
    path("<int:pk>/protokoll/historik/", views.minutes_history, name="minutes_history"),
    path("<int:pk>/protokoll/utskrift/", views.minutes_print, name="minutes_print"),
    path("<int:pk>/protokoll/pdf/", views.minutes_pdf, name="minutes_pdf"),
    path("bilagor/<int:pk>/", views.attachment_download, name="attachment_download"),
]
