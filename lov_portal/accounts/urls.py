"""BankID on a person's own account (lov_portal/accounts/bankid_views.py)."""

from django.urls import path

from . import bankid_views

app_name = "accounts"

urlpatterns = [
    path("", bankid_views.bankid_settings, name="bankid"),
    path("koppla/", bankid_views.bankid_link_start, name="bankid_link_start"),
    path("ta-bort/", bankid_views.bankid_unlink, name="bankid_unlink"),
    path("legitimera/", bankid_views.bankid_step_up, name="bankid_step_up"),
    path("legitimera/starta/", bankid_views.bankid_step_up_start, name="bankid_step_up_start"),
    path("order/", bankid_views.bankid_order, name="bankid_order"),
    path("order/qr/", bankid_views.bankid_qr, name="bankid_qr"),
    path("order/status/", bankid_views.bankid_collect, name="bankid_collect"),
    path("order/avbryt/", bankid_views.bankid_cancel, name="bankid_cancel"),
]
