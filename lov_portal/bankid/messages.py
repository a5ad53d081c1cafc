"""BankID's recommended user messages (the RFA texts of the Relying Party Guidelines), and
which one to show for each `hintCode` of a pending or failed order and each error code.

The Swedish wording follows BankID's; the English is BankID's English version (in the .po
files). Codes BankID does not give an RFA for (`userCallConfirm`, `userDeclinedCall`,
`notSupportedByUserApp`, `transactionRiskBlocked`) get a text of ours, marked below.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RFA = {
    "RFA1": _("Starta BankID-appen."),
    "RFA2": _("Du har inte BankID-appen installerad. Kontakta din bank."),
    "RFA3": _("Åtgärden avbruten. Försök igen."),
    "RFA4": _(
        "En identifiering eller underskrift för det här personnumret är redan påbörjad. "
        "Försök igen."
    ),
    "RFA5": _("Internt tekniskt fel. Försök igen."),
    "RFA6": _("Åtgärden avbruten."),
    "RFA8": _(
        "BankID-appen svarar inte. Kontrollera att den är startad och att du har "
        "internetanslutning. Om du inte har något giltigt BankID kan du skaffa ett hos din "
        "bank. Försök sedan igen."
    ),
    "RFA9": _("Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."),
    "RFA13": _("Försöker starta BankID-appen."),
    "RFA14B": _(
        "Söker efter BankID, det kan ta en liten stund… Om det har gått några sekunder och "
        "inget BankID har hittats har du sannolikt inget BankID som går att använda för den "
        "aktuella identifieringen/underskriften i den här enheten. Om du inte har något BankID "
        "kan du skaffa ett hos din bank."
    ),
    "RFA16": _(
        "Det BankID du försöker använda är för gammalt eller spärrat. Använd ett annat BankID "
        "eller skaffa ett nytt hos din bank."
    ),
    "RFA17A": _(
        "BankID-appen verkar inte finnas i din dator eller telefon. Installera den och skaffa "
        "ett BankID hos din bank. Installera appen från din appbutik eller "
        "https://install.bankid.com."
    ),
    "RFA17B": _(
        "Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden. "
        "Kontrollera att BankID-appen är uppdaterad. Om du inte har BankID-appen måste du "
        "installera den och skaffa ett BankID hos din bank. Installera appen från din "
        "appbutik eller https://install.bankid.com."
    ),
    "RFA21": _("Identifiering eller underskrift pågår."),
    "RFA22": _("Okänt fel. Försök igen."),
    "RFA23": _("Fotografera och läs av din ID-handling med BankID-appen."),
    # Ours: BankID names these hint codes without an RFA text.
    "CALL_CONFIRM": _("Bekräfta i BankID-appen att du talar med oss i telefon."),
    "NOT_SUPPORTED": _(
        "Din BankID-app kan inte användas för den här underskriften. Uppdatera appen och "
        "försök igen."
    ),
}

# Ours: BankID answered "complete" but its signature or OCSP response did not hold
# (lov_portal.bankid.verify); nothing was recorded.
SIGNATURE_INVALID = _(
    "BankID:s svar kunde inte kontrolleras, så inget har sparats. Försök igen. Om det "
    "händer igen, kontakta kansliet."
)

# Pending orders. `outstandingTransaction` and `noClient` differ by how the app was started.
PENDING_HINTS = {
    "outstandingTransaction": ("RFA1", "RFA13"),  # (QR code shown, app started on device)
    "noClient": ("RFA1", "RFA1"),
    "started": ("RFA14B", "RFA14B"),
    "userMrtd": ("RFA23", "RFA23"),
    "userCallConfirm": ("CALL_CONFIRM", "CALL_CONFIRM"),
    "userSign": ("RFA9", "RFA9"),
}
FAILED_HINTS = {
    "expiredTransaction": ("RFA8", "RFA8"),
    "certificateErr": ("RFA16", "RFA16"),
    "userCancel": ("RFA6", "RFA6"),
    "cancelled": ("RFA3", "RFA3"),
    "startFailed": ("RFA17B", "RFA17A"),
    "userDeclinedCall": ("RFA6", "RFA6"),
    "notSupportedByUserApp": ("NOT_SUPPORTED", "NOT_SUPPORTED"),
    "transactionRiskBlocked": ("RFA22", "RFA22"),
}
# Errors of /auth, /sign, /collect and /cancel. Those that are the relying party's own fault
# (invalidParameters, unauthorized, notFound, ...) are not shown as BankID errors: RFA22.
ERRORS = {
    "alreadyInProgress": "RFA4",
    "internalError": "RFA5",
    "maintenance": "RFA5",
    "requestTimeout": "RFA5",
    "unreachable": "RFA5",
    "invalidParameters": "RFA22",
    "unauthorized": "RFA22",
    "notFound": "RFA22",
    "methodNotAllowed": "RFA22",
    "unsupportedMediaType": "RFA22",
    "invalidResponse": "RFA22",
    "notConfigured": "RFA22",
}


def collect_rfa(status: str, hint_code: str, *, qr: bool = True) -> str:
    """The RFA code to show for a collect answer (unknown hint codes: RFA21 or RFA22)."""
    table, unknown = (PENDING_HINTS, "RFA21") if status == "pending" else (FAILED_HINTS, "RFA22")
    pair = table.get(hint_code)
    if pair is None:
        return unknown
    return pair[0] if qr else pair[1]


def collect_message(status: str, hint_code: str, *, qr: bool = True) -> str:
    return str(RFA[collect_rfa(status, hint_code, qr=qr)])


def error_rfa(error_code: str) -> str:
    return ERRORS.get(error_code, "RFA22")


def error_message(error_code: str) -> str:
    return str(RFA[error_rfa(error_code)])
