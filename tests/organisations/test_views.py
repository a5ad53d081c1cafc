from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from organisations.models import (
    ApplicationReview,
    EligibilityCriterion,
    Membership,
    MembershipRequest,
    MembershipRole,
    Organisation,
    OrganisationApplication,
    OrganisationStatus,
    ReviewAction,
)
from tests.accounts.factories import UserFactory
from tests.organisations.factories import (
    ELIGIBILITY_ALL,
    MembershipFactory,
    OrganisationApplicationFactory,
    OrganisationFactory,
    application_details,
    log_in_as,
)

pytestmark = pytest.mark.django_db

STEP1 = reverse("organisations:apply_step", kwargs={"step": "uppgifter"})
STEP2 = reverse("organisations:apply_step", kwargs={"step": "kontakt"})
STEP3 = reverse("organisations:apply_step", kwargs={"step": "villkor"})


def _apply(client, **details):
    assert client.post(STEP1, application_details(**details)).status_code == 302
    assert (
        client.post(
            STEP2, {"full_name": "Lisa Sökande", "contact_role": "Ordförande", "action": "next"}
        ).status_code
        == 302
    )
    return client.post(STEP3, {**ELIGIBILITY_ALL, "action": "next"})


def test_applying_in_three_steps_creates_an_applied_organisation_with_the_applicant_as_admin(
    client,
):
    user = UserFactory(full_name="")
    client.force_login(user)
    response = _apply(client)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Föreningen Ljusglimten")
    assert organisation.status == OrganisationStatus.APPLIED
    assert organisation.municipalities.get().name == "Sundsvall"
    assert Membership.objects.get(user=user, organisation=organisation).role == MembershipRole.ADMIN
    application = organisation.application
    assert application.contact_role == "Ordförande"
    assert sorted(application.eligibility) == sorted(EligibilityCriterion.values)
    user.refresh_from_db()
    assert user.full_name == "Lisa Sökande"
    assert "organisation_application" not in client.session


def test_staff_are_emailed_about_a_new_application(client, django_capture_on_commit_callbacks):
    UserFactory(staff=True, email="kansli@example.se")
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        _apply(client)
    assert [m.to for m in mail.outbox] == [["kansli@example.se"]]


def test_invalid_organisation_number_keeps_what_was_typed_with_a_swedish_message(client):
    client.force_login(UserFactory())
    response = client.post(STEP1, application_details(organisation_number="802000-0000"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "kontrollsiffran stämmer inte" in content
    assert 'value="802000-0000"' in content
    assert 'value="Föreningen Ljusglimten"' in content
    assert 'aria-invalid="true"' in content


def _described_by_targets_exist(html: str) -> list[str]:
    """Every id named by an aria-describedby on the page; fails if one names nothing."""
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    named = [i for value in re.findall(r'aria-describedby="([^"]+)"', html) for i in value.split()]
    assert named, "no field on the page is described"
    missing = [i for i in named if i not in ids]
    assert not missing, f"aria-describedby names ids that are not on the page: {missing}"
    return named


def test_errors_and_help_texts_are_linked_to_their_fields(client):
    client.force_login(UserFactory())
    response = client.post(STEP1, application_details(organisation_number="802000-0000"))
    named = _described_by_targets_exist(response.content.decode())
    assert "id_organisation_number_error" in named
    # A group of checkboxes is a fieldset described by its own help and errors.
    client.post(STEP1, application_details())
    client.post(STEP2, {"full_name": "Lisa", "contact_role": "Ordförande", "action": "next"})
    response = client.post(STEP3, {"action": "next"})
    assert response.status_code == 200
    _described_by_targets_exist(response.content.decode())


def test_going_back_keeps_what_was_typed_in_every_step(client):
    client.force_login(UserFactory())
    client.post(STEP1, application_details())
    client.post(STEP2, {"full_name": "Lisa", "contact_role": "Kassör", "action": "back"})
    page1 = client.get(STEP1).content.decode()
    assert 'value="Föreningen Ljusglimten"' in page1
    page2 = client.get(STEP2).content.decode()
    assert 'value="Kassör"' in page2


def test_missing_eligibility_boxes_are_named_and_ticked_boxes_stay_ticked(client):
    client.force_login(UserFactory())
    client.post(STEP1, application_details())
    client.post(STEP2, {"full_name": "Lisa", "contact_role": "Ordförande", "action": "next"})
    partial = {EligibilityCriterion.PUBLIC_BENEFIT: "on", "action": "next"}
    response = client.post(STEP3, partial)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("Kryssa i rutan för att intyga detta villkor") >= 4
    assert 'name="public_benefit" aria-describedby' not in content or "checked" in content
    assert "checked" in content
    assert not Organisation.objects.filter(name="Föreningen Ljusglimten").exists()


def test_duplicate_organisation_number_offers_a_membership_request_instead(client):
    existing = OrganisationFactory(name="Befintliga föreningen")
    client.force_login(UserFactory())
    response = client.post(
        STEP1, application_details(organisation_number=existing.organisation_number)
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "finns redan i portalen" in content
    assert reverse("organisations:request_membership", args=[existing.slug]) in content
    assert Organisation.objects.count() == 1


def test_membership_request_reaches_the_admins_and_can_be_accepted(
    client, django_capture_on_commit_callbacks
):
    admin = MembershipFactory(role=MembershipRole.ADMIN, user__email="admin@example.se")
    organisation = admin.organisation
    asker = UserFactory()
    client.force_login(asker)
    url = reverse("organisations:request_membership", args=[organisation.slug])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"message": "Jag är ny kassör."}).status_code == 302
    assert mail.outbox[0].to == ["admin@example.se"]
    request = MembershipRequest.objects.get()
    client.force_login(admin.user)
    assert "Jag är ny kassör." in client.get(reverse("organisations:mine")).content.decode()
    decide = reverse("organisations:membership_request_decide", args=[request.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == 302
    assert (
        Membership.objects.get(user=asker, organisation=organisation).role == MembershipRole.MEMBER
    )


def test_only_admins_of_the_organisation_can_answer_membership_requests(client):
    request = MembershipRequest.objects.create(
        organisation=OrganisationFactory(), user=UserFactory()
    )
    decide = reverse("organisations:membership_request_decide", args=[request.pk])
    client.force_login(MembershipFactory(organisation=request.organisation).user)
    assert client.post(decide, {"decision": "accept"}).status_code == 403
    client.force_login(UserFactory(staff=True))
    assert client.post(decide, {"decision": "accept"}).status_code == 403


@pytest.mark.parametrize(
    ("action", "reason", "status"),
    [
        (ReviewAction.APPROVE, "", OrganisationStatus.APPROVED),
        (ReviewAction.REJECT, "Organisationen är en myndighet.", OrganisationStatus.REJECTED),
        (ReviewAction.REQUEST_INFO, "Skicka era stadgar.", OrganisationStatus.INFO_REQUESTED),
    ],
)
def test_staff_decision_sets_the_status_and_emails_the_applicant(
    client, django_capture_on_commit_callbacks, action, reason, status
):
    application = OrganisationApplicationFactory(applicant__email="sokande@example.se")
    client.force_login(UserFactory(staff=True))
    url = reverse("organisations:review_detail", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": action, "reason": reason})
    assert response.status_code == 302
    application.organisation.refresh_from_db()
    assert application.organisation.status == status
    assert mail.outbox[-1].to == ["sokande@example.se"]
    if reason:
        assert reason in mail.outbox[-1].body
    assert ApplicationReview.objects.get().action == action


def test_rejecting_without_a_reason_is_refused_and_keeps_the_choice(client):
    application = OrganisationApplicationFactory()
    client.force_login(UserFactory(staff=True))
    url = reverse("organisations:review_detail", args=[application.pk])
    response = client.post(url, {"action": ReviewAction.REJECT, "reason": "  "})
    assert response.status_code == 200
    assert "Skriv en motivering" in response.content.decode()
    application.organisation.refresh_from_db()
    assert application.organisation.status == OrganisationStatus.APPLIED


def test_applicant_replies_to_a_request_for_information_and_is_back_in_the_queue(client):
    application = OrganisationApplicationFactory(
        organisation__status=OrganisationStatus.INFO_REQUESTED
    )
    MembershipFactory(
        user=application.applicant, organisation=application.organisation, role=MembershipRole.ADMIN
    )
    client.force_login(application.applicant)
    url = reverse("organisations:reply", args=[application.organisation.slug])
    assert client.post(url, {"message": "Här är stadgarna."}).status_code == 302
    application.organisation.refresh_from_db()
    assert application.organisation.status == OrganisationStatus.APPLIED
    assert ApplicationReview.objects.get().action == ReviewAction.APPLICANT_REPLY


def test_review_queue_shows_waiting_time_oldest_first(client):
    import datetime

    from django.utils import timezone

    old = OrganisationApplicationFactory(
        submitted_at=timezone.now() - datetime.timedelta(days=9), organisation__name="Äldst"
    )
    OrganisationApplicationFactory(organisation__name="Nyast")
    OrganisationApplicationFactory(
        organisation__name="Redan godkänd", organisation__status=OrganisationStatus.APPROVED
    )
    client.force_login(UserFactory(staff=True))
    content = client.get(reverse("organisations:review_queue")).content.decode()
    assert content.index("Äldst") < content.index("Nyast")
    assert "Redan godkänd" not in content
    assert "1\xa0vecka, 2\xa0dagar" in content
    assert old.pk


def test_review_queue_query_count_does_not_grow(client, django_assert_max_num_queries):
    client.force_login(UserFactory(staff=True))
    OrganisationApplicationFactory.create_batch(3)
    with django_assert_max_num_queries(8):
        client.get(reverse("organisations:review_queue"))
    OrganisationApplicationFactory.create_batch(30)
    with django_assert_max_num_queries(8):
        client.get(reverse("organisations:review_queue"))


# --- Permissions: anonymous / member / other organisation / staff on every view -----------


def _views(application: OrganisationApplication) -> dict[str, str]:
    slug = application.organisation.slug
    return {
        "apply": reverse("organisations:apply"),
        "mine": reverse("organisations:mine"),
        "queue": reverse("organisations:review_queue"),
        "detail": reverse("organisations:review_detail", args=[application.pk]),
        "reply": reverse("organisations:reply", args=[slug]),
        "request": reverse("organisations:request_membership", args=[slug]),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "anonymous",
            {"apply": 302, "mine": 302, "queue": 302, "detail": 302, "reply": 302, "request": 302},
        ),
        (
            "member",
            {"apply": 200, "mine": 200, "queue": 403, "detail": 403, "reply": 403, "request": 403},
        ),
        (
            "admin",
            {"apply": 200, "mine": 200, "queue": 403, "detail": 403, "reply": 200, "request": 403},
        ),
        (
            "other",
            {"apply": 200, "mine": 200, "queue": 403, "detail": 403, "reply": 403, "request": 200},
        ),
        (
            "staff",
            {"apply": 200, "mine": 200, "queue": 200, "detail": 200, "reply": 403, "request": 200},
        ),
    ],
)
def test_permissions_of_the_organisation_pages(client, who, expected):
    application = OrganisationApplicationFactory(
        organisation__status=OrganisationStatus.INFO_REQUESTED
    )
    organisation = application.organisation
    log_in_as(client, who, organisation)
    got = {name: client.get(url).status_code for name, url in _views(application).items()}
    assert got == expected
