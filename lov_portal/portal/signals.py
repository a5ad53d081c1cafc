"""Invalidate the public page cache whenever something the public pages show is saved, and
the logged-in work menu's cached facts (lov_portal.portal.nav) whenever a membership or an
application is, and each person's cached MFA check whenever an authenticator is.

Signals are used here for cache invalidation only (no business logic). Bulk writes bypass
signals, so code that bulk-writes public content calls `public_cache_bump()` itself (and
`work_cache_bump()` for memberships and applications).
"""

from allauth.mfa.models import Authenticator
from django.db.models.signals import m2m_changed, post_delete, post_save

from agreements.models import Agreement, AgreementVersion, Principle, Signature, Withdrawal
from commitments.models import Action, Commitment, DevelopmentArea, StatusUpdate
from lov_portal.core.cache import public_cache_bump, work_cache_bump
from meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    CooperationGroup,
    DecisionAction,
    GroupMember,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesItem,
    MinutesPublication,
    MinutesRevision,
)
from organisations.models import Membership, Municipality, Organisation, OrganisationApplication

PUBLIC_MODELS = [
    Organisation,
    Agreement,
    AgreementVersion,
    Principle,
    Signature,
    Withdrawal,
    Commitment,
    StatusUpdate,
    Action,
    DevelopmentArea,
    CooperationGroup,
    GroupMember,
    Meeting,
    AgendaItem,
    Attachment,
    Attendance,
    Minutes,
    MinutesItem,
    DecisionAction,
    MinutesRevision,
    MinutesApproval,
    MinutesPublication,
    Municipality,
]


# Rows the work menu's facts read that the public pages do not show, and the authenticators
# (whether a person has MFA is kept per person, accounts.decorators.user_has_mfa).
WORK_MODELS = [Membership, OrganisationApplication, Authenticator]


def _bump(**kwargs: object) -> None:
    public_cache_bump()


def _bump_work(**kwargs: object) -> None:
    work_cache_bump()


for model in PUBLIC_MODELS:
    post_save.connect(_bump, sender=model, dispatch_uid=f"public-cache-{model.__name__}")
    post_delete.connect(_bump, sender=model, dispatch_uid=f"public-cache-del-{model.__name__}")
for through in (
    Organisation.municipalities.through,
    Commitment.owners.through,
    Commitment.responsible_organisations.through,
    Minutes.checkers.through,
):
    m2m_changed.connect(_bump, sender=through, dispatch_uid=f"public-cache-{through.__name__}")
for model in WORK_MODELS:
    post_save.connect(_bump_work, sender=model, dispatch_uid=f"work-cache-{model.__name__}")
    post_delete.connect(_bump_work, sender=model, dispatch_uid=f"work-cache-del-{model.__name__}")
