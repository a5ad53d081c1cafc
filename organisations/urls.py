from django.urls import path

from .views import apply, documents, members, mine, review

app_name = "organisations"

urlpatterns = [
    path("", mine.my_organisations, name="mine"),
    path("ansok/", apply.apply, name="apply"),
    path("ansok/<str:step>/", apply.apply, name="apply_step"),
    path("granskning/", review.review_queue, name="review_queue"),
    path("granskning/<int:pk>/", review.review_detail, name="review_detail"),
    path(
        "forfragan/<int:pk>/", members.membership_request_decide, name="membership_request_decide"
    ),
    path("inbjudan/<slug:token>/", mine.invitation_accept, name="invitation_accept"),
    path("dokument/<int:pk>/", documents.document_download, name="document_download"),
    path("dokument/<int:pk>/ta-bort/", documents.document_delete, name="document_delete"),
    path("medlemskap/<int:pk>/roll/", members.membership_role, name="membership_role"),
    path("<slug:slug>/medlemmar/", members.members, name="members"),
    path("<slug:slug>/komplettera/", review.application_reply, name="reply"),
    path("<slug:slug>/dokument/", documents.documents, name="documents"),
    path("<slug:slug>/be-om-medlemskap/", mine.membership_request, name="request_membership"),
]
