"""Reads of organisations, already prefetched for the pages that show them."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from .models import (
    ApplicationDocument,
    ApplicationDocumentRequest,
    ApplicationReview,
    Invitation,
    Membership,
    MembershipRequest,
    MembershipRequestStatus,
    MembershipRole,
    Municipality,
    Organisation,
    OrganisationApplication,
    OrganisationStatus,
    ReviewAction,
)


def organisation_get(*, slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def organisation_with_application(*, slug: str) -> Organisation | None:
    return Organisation.objects.select_related("application").filter(slug=slug).first()


def municipality_list() -> list[Municipality]:
    return list(Municipality.objects.order_by("name"))


def application_queue() -> QuerySet[OrganisationApplication]:
    """Applications waiting for staff, oldest first."""
    return (
        OrganisationApplication.objects.filter(
            organisation__status__in=[OrganisationStatus.APPLIED, OrganisationStatus.INFO_REQUESTED]
        )
        .select_related("organisation", "applicant")
        .order_by("submitted_at", "pk")
    )


def application_get(*, pk: int) -> OrganisationApplication | None:
    return (
        OrganisationApplication.objects.select_related("organisation", "applicant")
        .prefetch_related(
            "organisation__municipalities",
            Prefetch(
                "reviews",
                queryset=ApplicationReview.objects.select_related("author", "document_request"),
            ),
            Prefetch("documents", queryset=application_documents()),
        )
        .filter(pk=pk)
        .first()
    )


def application_documents() -> QuerySet[ApplicationDocument]:
    return ApplicationDocument.objects.select_related("uploaded_by").order_by("uploaded_at", "pk")


def application_document_get(*, pk: int) -> ApplicationDocument | None:
    return (
        ApplicationDocument.objects.select_related("application__organisation")
        .filter(pk=pk)
        .first()
    )


def application_for_documents(*, slug: str) -> OrganisationApplication | None:
    """An organisation's application with its documents and the request for more information
    it answers (the latest review first)."""
    return (
        OrganisationApplication.objects.select_related("organisation")
        .prefetch_related(
            Prefetch("documents", queryset=application_documents()),
            Prefetch(
                "reviews",
                queryset=ApplicationReview.objects.select_related("document_request").order_by(
                    "-created_at", "-pk"
                ),
            ),
        )
        .filter(organisation__slug=slug)
        .first()
    )


def application_review_latest(*, application: OrganisationApplication) -> ApplicationReview | None:
    return application.reviews.order_by("-created_at", "-pk").first()


def application_document_requested(
    *, application: OrganisationApplication
) -> ApplicationDocumentRequest | None:
    """The document staff asked for in the latest request for more information, if any."""
    return (
        ApplicationDocumentRequest.objects.filter(
            review__application=application, review__action=ReviewAction.REQUEST_INFO
        )
        .select_related("review")
        .order_by("-review__created_at", "-review__pk")
        .first()
    )


def membership_list_for_user(*, user: object) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__application")
        .prefetch_related(
            Prefetch(
                "organisation__application__reviews",
                queryset=ApplicationReview.objects.select_related("document_request").order_by(
                    "-created_at", "-pk"
                ),
            ),
            Prefetch(
                "organisation__membership_requests",
                queryset=MembershipRequest.objects.filter(
                    status=MembershipRequestStatus.PENDING
                ).select_related("user"),
                to_attr="pending_requests",
            ),
        )
        .order_by("organisation__name")
    )


def membership_get(*, pk: int) -> Membership | None:
    return Membership.objects.select_related("organisation").filter(pk=pk).first()


def membership_request_get(*, pk: int) -> MembershipRequest | None:
    return MembershipRequest.objects.select_related("organisation", "user").filter(pk=pk).first()


def invitation_get(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token=token).first()


def membership_role(*, user: object, organisation_id: int) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, organisation_id=organisation_id)
        .values_list("role", flat=True)
        .first()
    )


def is_admin(*, user: object, organisation_id: int) -> bool:
    return membership_role(user=user, organisation_id=organisation_id) == MembershipRole.ADMIN


def membership_list_for_organisation(*, organisation: object) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def invitation_open_list(*, organisation: object) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def organisations_only_admin(*, user: object) -> list[Organisation]:
    """Organisations in which the user is the only administrator: they would be left with
    nobody to manage them if the user's account went."""
    others = Membership.objects.filter(
        organisation_id=OuterRef("organisation_id"), role=MembershipRole.ADMIN
    ).exclude(user=user)
    return [
        membership.organisation
        for membership in Membership.objects.filter(user=user, role=MembershipRole.ADMIN)
        .exclude(Exists(others))
        .select_related("organisation")
        .order_by("organisation__name")
    ]


def sent_before_a_reply() -> Exists:
    """True for a document that was on the application when the applicant sent a reply: it may
    be what answered the request (a reply needs no file when one of the kind asked for was
    uploaded after the request), so staff must still find it. Annotate as `kept`."""
    return Exists(
        ApplicationReview.objects.filter(
            application_id=OuterRef("application_id"),
            action=ReviewAction.APPLICANT_REPLY,
            created_at__gte=OuterRef("uploaded_at"),
        )
    )


def application_document_list(
    *, application: OrganisationApplication
) -> QuerySet[ApplicationDocument]:
    """The application's documents, each with `kept` (see `sent_before_a_reply`)."""
    return application.documents.annotate(kept=sent_before_a_reply())
