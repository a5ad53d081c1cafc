"""Every write to agreements goes through these functions, by sub-domain:

- `versions`: adding, publishing and editing versions of an agreement;
- `signing`: the signature chain, signing online and the region's decision;
- `withdrawal`: an organisation leaving the agreement.
"""

from .signing import (
    AlreadySignedError,
    consent_text_build,
    new_receipt_code,
    region_decision_register,
    signature_bankid_refused,
    signature_create,
    signature_hash_fields,
    signature_record_hash,
    signature_sign,
)
from .versions import (
    UNCHANGED,
    PublishedVersionError,
    VersionPublishError,
    agreement_version_create,
    agreement_version_publish,
    agreement_version_update,
)
from .withdrawal import NotSignedError, withdrawal_create

__all__ = [
    "UNCHANGED",
    "AlreadySignedError",
    "NotSignedError",
    "PublishedVersionError",
    "VersionPublishError",
    "agreement_version_create",
    "agreement_version_publish",
    "agreement_version_update",
    "consent_text_build",
    "new_receipt_code",
    "region_decision_register",
    "signature_bankid_refused",
    "signature_create",
    "signature_hash_fields",
    "signature_record_hash",
    "signature_sign",
    "withdrawal_create",
]
