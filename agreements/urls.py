from django.urls import path

from . import views, views_bankid

app_name = "agreements"

urlpatterns = [
    path("undertecknare/", views.register, name="register"),
    path("undertecknare/<slug:slug>/", views.profile, name="profile"),
    path(
        "organisationer/<slug:slug>/underskrift/",
        views.organisation_signature,
        name="organisation_signature",
    ),
    path(
        "organisationer/<slug:slug>/kvitto/<str:code>.pdf",
        views.receipt_download,
        name="receipt_download",
    ),
    path("organisationer/<slug:slug>/underteckna/", views.sign, name="sign"),
    path(
        "organisationer/<slug:slug>/underteckna/bankid/starta/",
        views_bankid.sign_bankid_start,
        name="sign_bankid_start",
    ),
    path(
        "organisationer/<slug:slug>/underteckna/bankid/",
        views_bankid.sign_bankid,
        name="sign_bankid",
    ),
    path(
        "organisationer/<slug:slug>/underteckna/bankid/qr/",
        views_bankid.sign_bankid_qr,
        name="sign_bankid_qr",
    ),
    path(
        "organisationer/<slug:slug>/underteckna/bankid/status/",
        views_bankid.sign_bankid_collect,
        name="sign_bankid_collect",
    ),
    path(
        "organisationer/<slug:slug>/underteckna/bankid/avbryt/",
        views_bankid.sign_bankid_cancel,
        name="sign_bankid_cancel",
    ),
    path("organisationer/<slug:slug>/uttrade/", views.withdraw, name="withdraw"),
    path("underskrifter/regionens-beslut/", views.region_decision, name="region_decision"),
    path("verifiera/", views.verify_lookup, name="verify_lookup"),
    path("verifiera/<str:code>/", views.verify, name="verify"),
    path("kontrollera-registret/", views.how_to_verify, name="how_to_verify"),
]
