"""Every write to organisations goes through these functions, one module per sub-domain:

- `organisations`: registering an organisation that applies to join, and municipalities;
- `review`: staff's review of an application and the applicant's reply to a request;
- `documents`: the documents in the application (attached until the decision);
- `membership`: membership requests, invitations and representatives' roles.

This package is the app's one public surface for writes: views, the other apps and the tests
import `organisations.services` and call `services.<name>`; the modules below import each
other directly (docs/decisions.md)."""

from .documents import UNDECIDED, application_document_add, application_document_delete
from .membership import (
    INVITATION_DAYS,
    InvitationError,
    invitation_accept,
    invitation_create,
    membership_request_create,
    membership_request_decide,
    membership_role_set,
)
from .organisations import (
    RESERVED_SLUGS,
    OrganisationExistsError,
    municipality_ensure,
    organisation_apply,
    unique_slug,
)
from .review import application_reply, application_review

__all__ = [
    "INVITATION_DAYS",
    "RESERVED_SLUGS",
    "UNDECIDED",
    "InvitationError",
    "OrganisationExistsError",
    "application_document_add",
    "application_document_delete",
    "application_reply",
    "application_review",
    "invitation_accept",
    "invitation_create",
    "membership_request_create",
    "membership_request_decide",
    "membership_role_set",
    "municipality_ensure",
    "organisation_apply",
    "unique_slug",
]
