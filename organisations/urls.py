from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.my_organisations, name="mine"),
    path("ansok/", views.apply, name="apply"),
    path("ansok/<str:step>/", views.apply, name="apply_step"),
    path("granskning/", views.review_queue, name="review_queue"),
    path("granskning/<int:pk>/", views.review_detail, name="review_detail"),
    path("forfragan/<int:pk>/", views.membership_request_decide, name="membership_request_decide"),
    path("inbjudan/<slug:token>/", views.invitation_accept, name="invitation_accept"),
    path("dokument/<int:pk>/", views.document_download, name="document_download"),
    path("dokument/<int:pk>/ta-bort/", views.document_delete, name="document_delete"),
    path("medlemskap/<int:pk>/roll/", views.membership_role, name="membership_role"),
    path("<slug:slug>/medlemmar/", views.members, name="members"),
    path("<slug:slug>/komplettera/", views.application_reply, name="reply"),
    path("<slug:slug>/dokument/", views.documents, name="documents"),
    path("<slug:slug>/be-om-medlemskap/", views.membership_request, name="request_membership"),
]
