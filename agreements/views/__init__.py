"""The agreements app's pages, by sub-domain:

- `signing`: an organisation's signature page, signing with a password, withdrawal and the
  region's decision (signing with BankID: `agreements/views_bankid.py`);
- `register`: the public register and each signatory's profile;
- `open_data`: the register as CSV, JSON and an Atom feed;
- `verification`: receipts, the look-up of a receipt code and how to check the register;
- `log`: the register's side of the public log (`/logg/`).
"""

from .open_data import SignatoryFeed, register_csv, register_json
from .register import REGISTER_PAGE_SIZE, REGISTER_PARAMS, profile, register
from .signing import _sign_render, organisation_signature, region_decision, sign, withdraw
from .verification import how_to_verify, receipt_download, verify, verify_lookup

__all__ = [
    "REGISTER_PAGE_SIZE",
    "REGISTER_PARAMS",
    "SignatoryFeed",
    "_sign_render",
    "how_to_verify",
    "organisation_signature",
    "profile",
    "receipt_download",
    "region_decision",
    "register",
    "register_csv",
    "register_json",
    "sign",
    "verify",
    "verify_lookup",
    "withdraw",
]
