from django.urls import path

from .views import attachments, calendar, group, meetings, minutes, minutes_approval

app_name = "meetings"

# The confirm steps of the minutes (send, publish, correct) share one view; the URL says which.
urlpatterns = [
    path("", meetings.meeting_list, name="meeting_list"),
    path("gruppen/", group.group_detail, name="group_detail"),
    path("gruppen/ledamoter/", group.group_members_manage, name="group_members"),
    path(
        "gruppen/ledamoter/<int:member_pk>/avsluta/",
        group.group_member_end,
        name="group_member_end",
    ),
    path("arsoversikt/", meetings.year_overview_view, name="year_overview"),
    path("arsoversikt/<int:year>/", meetings.year_overview_view, name="year_overview_year"),
    path("kalender/", calendar.calendar_settings, name="calendar_settings"),
    path("nytt/", meetings.meeting_create, name="meeting_create"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("<int:pk>/andra/", meetings.meeting_edit, name="meeting_edit"),
    path("<int:pk>/dagordning/", meetings.agenda_edit, name="agenda_edit"),
    path("<int:pk>/dagordning/<int:item_pk>/", meetings.agenda_edit, name="agenda_item_edit"),
    path(
        "<int:pk>/dagordning/<int:item_pk>/atgard/",
        meetings.agenda_item_action,
        name="agenda_item_action",
    ),
    path("<int:pk>/bilagor/ny/", attachments.attachment_upload, name="attachment_upload"),
    path("<int:pk>/protokoll/", minutes.minutes_detail, name="minutes_detail"),
    path("<int:pk>/protokoll/skapa/", minutes.minutes_create, name="minutes_create"),
    path("<int:pk>/protokoll/redigera/", minutes.minutes_edit, name="minutes_edit"),
    path(
        "<int:pk>/protokoll/paragraf/<int:item_pk>/",
        minutes.minutes_item_edit,
        name="minutes_item_edit",
    ),
    path(
        "<int:pk>/protokoll/skicka/",
        minutes_approval.minutes_step,
        {"step": "send"},
        name="minutes_send",
    ),
    path("<int:pk>/protokoll/justera/", minutes_approval.minutes_answer, name="minutes_answer"),
    path(
        "<int:pk>/protokoll/publicera/",
        minutes_approval.minutes_step,
        {"step": "publish"},
        name="minutes_publish",
    ),
    path(
        "<int:pk>/protokoll/rattelse/",
        minutes_approval.minutes_step,
        {"step": "correct"},
        name="minutes_correct",
    ),
    path("<int:pk>/protokoll/historik/", minutes.minutes_history, name="minutes_history"),
    path("<int:pk>/protokoll/utskrift/", minutes.minutes_print, name="minutes_print"),
    path("<int:pk>/protokoll/pdf/", minutes.minutes_pdf, name="minutes_pdf"),
    path("bilagor/<int:pk>/", attachments.attachment_download, name="attachment_download"),
]
