from django.urls import path

from . import views, views_bankid

app_name = "agreements"

ORGANISATION = "organisationer/<slug:slug>/"
BANKID = ORGANISATION + "underteckna/bankid/"

urlpatterns = [
    path("undertecknare/", views.register, name="register"),
    path("undertecknare/<slug:slug>/", views.profile, name="profile"),
    # An organisation's signature: signing.py and verification.py in agreements/views/.
    path(
        ORGANISATION + "underskrift/", views.organisation_signature, name="organisation_signature"
    ),
    path(ORGANISATION + "kvitto/<str:code>.pdf", views.receipt_download, name="receipt_download"),
    path(ORGANISATION + "underteckna/", views.sign, name="sign"),
    # Signing with BankID (agreements/views_bankid.py).
    path(BANKID + "starta/", views_bankid.sign_bankid_start, name="sign_bankid_start"),
    path(BANKID, views_bankid.sign_bankid, name="sign_bankid"),
    path(BANKID + "qr/", views_bankid.sign_bankid_qr, name="sign_bankid_qr"),
    path(BANKID + "status/", views_bankid.sign_bankid_collect, name="sign_bankid_collect"),
    path(BANKID + "avbryt/", views_bankid.sign_bankid_cancel, name="sign_bankid_cancel"),
    path(ORGANISATION + "uttrade/", views.withdraw, name="withdraw"),
    path("underskrifter/regionens-beslut/", views.region_decision, name="region_decision"),
    path("verifiera/", views.verify_lookup, name="verify_lookup"),
    path("verifiera/<str:code>/", views.verify, name="verify"),
    path("kontrollera-registret/", views.how_to_verify, name="how_to_verify"),
]
