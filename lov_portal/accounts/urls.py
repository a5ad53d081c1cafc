"""BankID on a person's own account (lov_portal/accounts/views_bankid.py)."""

from django.urls import path

from . import views_bankid

app_name = "accounts"

urlpatterns = [
    path("", views_bankid.bankid_settings, name="bankid"),
    path("koppla/", views_bankid.bankid_link_start, name="bankid_link_start"),
    path("ta-bort/", views_bankid.bankid_unlink, name="bankid_unlink"),
    path("legitimera/", views_bankid.bankid_step_up, name="bankid_step_up"),
    path("legitimera/starta/", views_bankid.bankid_step_up_start, name="bankid_step_up_start"),
    path("order/", views_bankid.bankid_order, name="bankid_order"),
    path("order/qr/", views_bankid.bankid_qr, name="bankid_qr"),
    path("order/status/", views_bankid.bankid_collect, name="bankid_collect"),
    path("order/avbryt/", views_bankid.bankid_cancel, name="bankid_cancel"),
]
