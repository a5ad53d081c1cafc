"""Every action code written to the audit log, with the label staff read (Swedish source,
English translation). A code passed to `audit_record` must be a string literal that is listed
here: tests/audit/test_actions.py walks the code base and fails on one that is not."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    # The agreement and the register of signatories.
    "agreement.version_published": _("Version av överenskommelsen publicerad"),
    "agreement.version_added": _("Version av överenskommelsen tillagd (ej gällande)"),
    "signature.signed": _("Underskrift"),
    "signature.bankid_refused": _("Underskrift med annat BankID än det kopplade nekad"),
    "signature.withdrawn": _("Utträde"),
    "signature.decision_registered": _("Regionens beslut registrerat"),
    # Organisations and their representatives.
    "organisation.application.approve": _("Ansökan godkänd"),
    "organisation.application.reject": _("Ansökan avslagen"),
    "organisation.application.request_info": _("Komplettering av ansökan begärd"),
    "organisation.invitation_accepted": _("Inbjudan antagen"),
    "organisation.membership_accepted": _("Förfrågan om medlemskap beviljad"),
    "organisation.membership_declined": _("Förfrågan om medlemskap avslagen"),
    "organisation.role_changed": _("Roll i organisationen ändrad"),
    "organisation.application.reply": _("Komplettering av ansökan inskickad"),
    "organisation.application.document_added": _("Dokument bifogat till ansökan"),
    "organisation.application.document_deleted": _("Dokument borttaget från ansökan"),
    # Commitments.
    "commitment.changed": _("Åtagande ändrat"),
    "commitment.retired": _("Åtagande avslutat"),
    "commitment.status_updated": _("Statusuppdatering"),
    "commitment.status_imported": _("Statusuppdateringar importerade från CSV"),
    # The cooperation group and its minutes.
    "group.member_appointed": _("Ledamot utsedd till samverkansgruppen"),
    "group.term_ended": _("Mandat i samverkansgruppen avslutat"),
    "minutes.sent": _("Protokoll skickat för justering"),
    "minutes.approved": _("Protokoll justerat"),
    "minutes.returned": _("Protokoll återsänt med kommentar"),
    "minutes.published": _("Protokoll publicerat"),
    "minutes.correction_started": _("Rättelse av protokoll påbörjad"),
    # The annual follow-up report.
    "report.edition_ordered": _("Utgåva av uppföljningsrapporten beställd"),
    "report.edition_rendered": _("Utgåva av uppföljningsrapporten klar"),
    "report.downloaded": _("Uppföljningsrapport nedladdad"),
    # Changes made in the Django admin (from its own log, `LogEntry`).
    "admin.addition": _("Tillagt i administrationen"),
    "admin.change": _("Ändrat i administrationen"),
    "admin.deletion": _("Borttaget i administrationen"),
    # Accounts and logins.
    "staff.login": _("Inloggning (personal)"),
    "staff.logout": _("Utloggning (personal)"),
    "account.login_failed": _("Misslyckad inloggning"),
    "account.mfa_failed": _("Fel kod vid tvåstegsverifiering"),
    "account.mfa_added": _("Tvåstegsverifiering tillagd"),
    "account.mfa_removed": _("Tvåstegsverifiering borttagen"),
    "account.mfa_reset": _("Återställningskoder för tvåstegsverifiering förnyade"),
    "account.bankid_linked": _("BankID kopplat till kontot"),
    "account.bankid_unlinked": _("BankID-koppling borttagen"),
    "account.bankid_refused": _("Legitimering med annans BankID nekad"),
    "account.bankid_link_refused": _(
        "Koppling av BankID som redan är kopplat till annat konto nekad"
    ),
    "account.delete": _("Konto raderat (uppgifterna avidentifierade)"),
}


def label(code: str) -> str:
    """The readable label of an action code, in the active language; an unknown code (say,
    from an older version of the portal) is shown as it is."""
    found = ACTIONS.get(code)
    return str(found) if found is not None else code
