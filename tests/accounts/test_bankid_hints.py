"""Every hint code the simulator can put an order in, as the portal's BankID page shows it:
BankID's recommended message (RFA), in Swedish and in English; pending hints keep polling,
failed ones stop."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from lov_portal.accounts import bankid
from lov_portal.bankid.simulator import FAILED_HINTS, PENDING_HINTS
from tests.accounts.factories import UserFactory
from tests.agreements.factories import reauthenticate

HX = {"HTTP_HX_REQUEST": "true"}

MESSAGES = {
    "outstandingTransaction": ("Starta BankID-appen.", "Start your BankID app."),
    "noClient": ("Starta BankID-appen.", "Start your BankID app."),
    "started": ("Söker efter BankID, det kan ta en liten stund", "Searching for BankID"),
    "userMrtd": (
        "Fotografera och läs av din ID-handling med BankID-appen.",
        "Process your machine readable travel document using the BankID app.",
    ),
    "userCallConfirm": (
        "Bekräfta i BankID-appen att du talar med oss i telefon.",
        "Confirm in the BankID app that you are talking to us on the phone.",
    ),
    "userSign": (
        "Skriv in din säkerhetskod i BankID-appen",
        "Enter your security code in the BankID app",
    ),
    "userCancel": ("Åtgärden avbruten.", "Action cancelled."),
    "expiredTransaction": ("BankID-appen svarar inte.", "The BankID app is not responding."),
    "certificateErr": (
        "Det BankID du försöker använda är för gammalt eller spärrat.",
        "The BankID you are trying to use is blocked or too old.",
    ),
    "cancelled": ("Åtgärden avbruten. Försök igen.", "Action cancelled. Please try again."),
    "startFailed": ("Misslyckades att läsa av QR-koden.", "Failed to scan the QR code."),
    "userDeclinedCall": ("Åtgärden avbruten.", "Action cancelled."),
    "notSupportedByUserApp": (
        "Din BankID-app kan inte användas för den här underskriften.",
        "Your BankID app cannot be used for this signature.",
    ),
    "transactionRiskBlocked": ("Okänt fel. Försök igen.", "Unknown error. Please try again."),
}


def test_every_hint_code_has_a_message_here():
    assert set(MESSAGES) == {*PENDING_HINTS, *FAILED_HINTS}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("hint", [*PENDING_HINTS, *FAILED_HINTS])
def test_the_page_shows_bankids_message_for_each_hint(client, simulator, hint, language):
    user = UserFactory()
    client.force_login(user)
    reauthenticate(client, user)
    with translation.override(language):
        client.post(reverse("accounts:bankid_link_start"))
        collect_url = reverse("accounts:bankid_collect")
    order_ref = client.session[bankid.SESSION_KEY]["order_ref"]
    simulator.hint(order_ref, hint)
    page = client.post(collect_url, **HX).content.decode()
    expected = MESSAGES[hint][0 if language == "sv" else 1]
    assert expected in page
    assert ('hx-trigger="every 2s"' in page) == (hint in PENDING_HINTS)


def test_a_scripted_order_walks_through_its_hints(client, simulator, clock, db):
    simulator.script, simulator.script_step = ["noClient", "started", "userMrtd", "complete"], 2
    user = UserFactory()
    client.force_login(user)
    reauthenticate(client, user)
    client.post(reverse("accounts:bankid_link_start"))
    seen = []
    for _ in range(3):
        seen.append(client.post(reverse("accounts:bankid_collect"), **HX).content.decode())
        clock.now += 2
    assert "Starta BankID-appen." in seen[0]
    assert "Söker efter BankID" in seen[1]
    assert "Fotografera och läs av din ID-handling" in seen[2]
    done = client.post(reverse("accounts:bankid_collect"), **HX)
    assert done.status_code == 204
    assert user.bankid_link.name == "Testa Testsson"
