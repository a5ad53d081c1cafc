"""Who may use the organisation pages (the permissions matrix, tests/permissions.py).

The world's member has the plain "member" role in `world.organisation`: administering the
organisation (members, roles, membership requests, replying to the review) needs the
"admin" role, which none of the six roles has, so those acts are 403 for all of them, staff
included (staff do not act on an organisation's behalf).
"""

import datetime

from tests.permissions import (
    LOGIN,
    MEMBER,
    OTHER_MEMBER,
    Row,
    World,
    everyone,
    expect,
    logged_in,
    matrix_test,
    staff_only,
)


def _org(world: World) -> dict:
    return {"slug": world.organisation.slug}


def _application(world: World) -> dict:
    from tests.organisations.factories import OrganisationApplicationFactory

    return {"pk": OrganisationApplicationFactory().pk}


def _membership_request(world: World) -> dict:
    from organisations.models import MembershipRequest
    from tests.accounts.factories import UserFactory

    request = MembershipRequest.objects.create(
        organisation=world.organisation, user=UserFactory(), message="Får jag vara med?"
    )
    return {"pk": request.pk}


def _membership(world: World) -> dict:
    return {"pk": world.users[MEMBER].memberships.get().pk}


def _invitation(world: World) -> dict:
    """An open invitation to `world.organisation` for the other organisation's member."""
    from django.utils import timezone

    from organisations.models import Invitation, MembershipRole

    invitation = Invitation.objects.create(
        organisation=world.organisation,
        email=world.users[OTHER_MEMBER].email,
        role=MembershipRole.MEMBER,
        token="inbjudan-for-matrisen",
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    return {"token": invitation.token}


def _application_of_org(world: World) -> dict:
    """The world's organisation with its application (approved), for the document pages."""
    from organisations.models import OrganisationApplication

    OrganisationApplication.objects.get_or_create(
        organisation=world.organisation, defaults={"contact_role": "Ordförande"}
    )
    return _org(world)


def _document(world: World) -> dict:
    """A document (a PDF) in the application of the world's organisation."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from organisations.models import ApplicationDocument, OrganisationApplication

    application, _created = OrganisationApplication.objects.get_or_create(
        organisation=world.organisation, defaults={"contact_role": "Ordförande"}
    )
    document = ApplicationDocument(
        application=application,
        kind="statutes",
        original_name="stadgar.pdf",
        content_type="application/pdf",
        size=9,
    )
    document.file.save("stadgar.pdf", SimpleUploadedFile("stadgar.pdf", b"%PDF-1.4\n"))
    return {"pk": document.pk}


ORGANISATION_ADMIN_ONLY = logged_in(403)
# Documents in an application: only staff and the organisation's representatives learn that
# they exist (404 for everyone else); adding and removing is for the organisation's
# administrator (403 for the plain member and for staff).
ONLY_REPRESENTATIVES_AND_STAFF = expect(404, member=200, staff=200)
DOCUMENT_WRITE = expect(404, anonymous=LOGIN, member=403, staff=403)

PERMISSIONS = [
    Row("organisations:mine", logged_in(200)),
    # The application wizard: anyone logged in may apply for an organisation.
    Row("organisations:apply", logged_in(200)),
    Row("organisations:apply_step", logged_in(200), kwargs=lambda w: {"step": "kontakt"}),
    Row("organisations:apply_step", logged_in(404), kwargs=lambda w: {"step": "finns-inte"}),
    # An empty POST shows the first step again with its errors.
    Row("organisations:apply", logged_in(200), method="post"),
    # Reviewing applications: staff only.
    Row("organisations:review_queue", staff_only()),
    Row("organisations:review_detail", staff_only(), kwargs=_application),
    Row("organisations:review_detail", staff_only(), kwargs=_application, method="post"),
    # Administering the organisation.
    Row("organisations:members", ORGANISATION_ADMIN_ONLY, kwargs=_org),
    Row("organisations:members", ORGANISATION_ADMIN_ONLY, kwargs=_org, method="post"),
    *Row.post_only(
        "organisations:membership_role",
        ORGANISATION_ADMIN_ONLY,
        kwargs=_membership,
        data=lambda w: {"role": "admin"},
    ),
    *Row.post_only(
        "organisations:membership_request_decide",
        ORGANISATION_ADMIN_ONLY,
        kwargs=_membership_request,
        data=lambda w: {"decision": "accept"},
    ),
    # Replying to the review: the administrator of an organisation asked for more information;
    # the world's organisation is approved, so nobody may.
    Row("organisations:reply", ORGANISATION_ADMIN_ONLY, kwargs=_org),
    # Asking to join: anyone logged in who is not already a member.
    Row("organisations:request_membership", expect(logged_in(200), member=403), kwargs=_org),
    Row(
        "organisations:request_membership",
        expect(logged_in(302), member=403),
        kwargs=_org,
        method="post",
        data=lambda w: {"message": "Jag är kassör."},
    ),
    # An invitation: whoever holds the link may look at it after logging in; only the invited
    # address can accept it (the others get the page back with an error).
    Row("organisations:invitation_accept", logged_in(200), kwargs=_invitation),
    Row(
        "organisations:invitation_accept",
        expect(200, anonymous=LOGIN, other_member=302),
        kwargs=_invitation,
        method="post",
    ),
    Row("organisations:invitation_accept", logged_in(404), kwargs=lambda w: {"token": "nej"}),
    # Documents in the application.
    Row(
        "organisations:documents",
        expect(404, member=200, staff=200, anonymous=LOGIN),
        kwargs=_application_of_org,
    ),
    Row("organisations:documents", DOCUMENT_WRITE, kwargs=_application_of_org, method="post"),
    Row("organisations:documents", logged_in(404), kwargs=_org),  # no application
    Row("organisations:document_download", ONLY_REPRESENTATIVES_AND_STAFF, kwargs=_document),
    Row("organisations:document_download", everyone(404), kwargs=lambda w: {"pk": 999999}),
    *Row.post_only("organisations:document_delete", DOCUMENT_WRITE, kwargs=_document),
]


test_organisations_permissions = matrix_test(PERMISSIONS)
