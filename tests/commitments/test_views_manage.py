import datetime

import pytest
from django.urls import reverse

from commitments.models import Action, Commitment, DevelopmentArea, StatusUpdate
from tests.accounts.factories import UserFactory
from tests.commitments.factories import ActionFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

MANAGE = reverse("commitments:manage")


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(staff=True))
    return client


def test_manage_pages_are_for_staff_only(client, lov):
    commitment = Commitment.objects.first()
    urls = [
        MANAGE,
        reverse("commitments:commitment_create"),
        reverse("commitments:commitment_edit", args=[commitment.pk]),
        reverse("commitments:commitment_retire", args=[commitment.pk]),
        reverse("commitments:action_create"),
        reverse("commitments:area_create"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302, url  # anonymous: to login
    owner = UserFactory()
    commitment.owners.add(owner)
    client.force_login(owner)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.force_login(UserFactory(staff=True))
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_staff_add_a_commitment_at_the_end_of_its_principle(staff_client, lov):
    principle = lov.principles.get(order=2)
    owner = UserFactory()
    response = staff_client.post(
        reverse("commitments:commitment_create"),
        {
            "principle": principle.pk,
            "text": "Parterna ska ses varje kvartal.",
            "responsible_side": "joint",
            "owners": [owner.pk],
        },
    )
    commitment = Commitment.objects.get(text="Parterna ska ses varje kvartal.")
    assert response.status_code == 302
    assert commitment.order == 4
    assert list(commitment.owners.all()) == [owner]


def test_invalid_commitment_form_keeps_the_text(staff_client, lov):
    response = staff_client.post(
        reverse("commitments:commitment_create"), {"text": "Mitt utkast", "responsible_side": ""}
    )
    assert response.status_code == 400
    assert "Mitt utkast" in response.content.decode()


def test_staff_reorder_commitments(staff_client, lov):
    principle = lov.principles.get(order=1)
    first, second = principle.commitments.order_by("order")[:2]
    staff_client.post(reverse("commitments:commitment_move", args=[second.pk]), {"direction": "up"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.order, first.order) == (1, 2)


def test_retire_needs_the_confirmation_and_keeps_history(staff_client, lov):
    commitment = Commitment.objects.first()
    StatusUpdateFactory(commitment=commitment)
    url = reverse("commitments:commitment_retire", args=[commitment.pk])
    assert staff_client.post(url, {}).status_code == 400
    commitment.refresh_from_db()
    assert commitment.retired_at is None
    staff_client.post(url, {"confirm": "on"})
    commitment.refresh_from_db()
    assert commitment.retired_at is not None
    assert StatusUpdate.objects.filter(commitment=commitment).count() == 1
    assert commitment not in Commitment.objects.filter(retired_at__isnull=True)


def test_staff_add_an_action_under_a_commitment_and_link_an_area(staff_client, lov):
    commitment = Commitment.objects.get(source_key="v1:3.1")
    area = DevelopmentArea.objects.create(agreement=lov, name="Kunskap")
    owner = UserFactory()
    response = staff_client.post(
        reverse("commitments:action_create"),
        {
            "principle": commitment.principle_id,
            "commitment": commitment.pk,
            "title": "Ta fram en kvalitetsmodell",
            "owner": owner.pk,
            "due_date": "2026-12-31",
            "status": "planned",
            "development_areas": [area.pk],
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Ta fram en kvalitetsmodell")
    assert action.commitment == commitment and action.owner == owner
    assert action.due_date == datetime.date(2026, 12, 31)
    assert list(action.development_areas.all()) == [area]


def test_an_action_cannot_sit_under_a_commitment_of_another_principle(staff_client, lov):
    commitment = Commitment.objects.get(source_key="v1:3.1")
    other = lov.principles.get(order=1)
    response = staff_client.post(
        reverse("commitments:action_create"),
        {
            "principle": other.pk,
            "commitment": commitment.pk,
            "title": "Fel",
            "status": "planned",
        },
    )
    assert response.status_code == 400
    assert not Action.objects.filter(title="Fel").exists()


def test_staff_edit_an_action(staff_client, lov):
    action = ActionFactory(principle=lov.principles.first())
    response = staff_client.post(
        reverse("commitments:action_edit", args=[action.pk]),
        {"title": "Nytt namn", "status": "done"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.status) == ("Nytt namn", "done")


def test_staff_create_and_edit_a_development_area(staff_client, lov):
    commitments = list(Commitment.objects.all()[:2])
    staff_client.post(
        reverse("commitments:area_create"),
        {"name": "Finansiering", "commitments": [c.pk for c in commitments]},
    )
    area = DevelopmentArea.objects.get(name="Finansiering")
    assert set(area.commitments.all()) == set(commitments)
    action = Action.objects.first()
    staff_client.post(
        reverse("commitments:area_edit", args=[area.pk]),
        {"name": "Finansiering och bidrag", "actions": [action.pk]},
    )
    area.refresh_from_db()
    assert area.name == "Finansiering och bidrag"
    assert list(area.actions.all()) == [action]
    assert area.commitments.count() == 0


def test_manage_page_runs_a_fixed_number_of_queries(
    staff_client, lov, django_assert_max_num_queries
):
    ActionFactory.create_batch(5, principle=lov.principles.first())
    # 10, and 2 that check that the staff member has MFA (middleware and decorator).
    with django_assert_max_num_queries(12):
        assert staff_client.get(MANAGE).status_code == 200


def test_staff_name_the_responsible_organisations_among_approved_ones(staff_client, lov):
    from organisations.models import OrganisationStatus
    from tests.organisations.factories import OrganisationFactory

    approved_b = OrganisationFactory(name="Bygdegårdarna")
    approved_a = OrganisationFactory(name="Akademiska föreningen")
    pending = OrganisationFactory(name="Väntande förening", status=OrganisationStatus.APPLIED)
    page = staff_client.get(reverse("commitments:commitment_create"))
    field = page.context["form"].fields["responsible_organisations"]
    assert list(field.queryset) == [approved_a, approved_b]
    principle = lov.principles.get(order=2)

    def create(*responsible_organisations):
        return staff_client.post(
            reverse("commitments:commitment_create"),
            {
                "principle": principle.pk,
                "text": "Föreningarna bjuder in.",
                "responsible_side": "civil_society",
                "responsible_organisations": [o.pk for o in responsible_organisations],
            },
        )

    # A pending organisation is not a valid choice.
    assert create(approved_b, pending).status_code == 400
    assert create(approved_b, approved_a).status_code == 302
    commitment = Commitment.objects.get(text="Föreningarna bjuder in.")
    assert set(commitment.responsible_organisations.all()) == {approved_a, approved_b}
    response = staff_client.post(
        reverse("commitments:commitment_edit", args=[commitment.pk]),
        {
            "text": "Föreningarna bjuder in.",
            "responsible_side": "civil_society",
            "responsible_organisations": [approved_a.pk],
        },
    )
    assert response.status_code == 302
    assert list(commitment.responsible_organisations.all()) == [approved_a]
