import factory

from lov_portal.core.choices import PartySide
from organisations.models import (
    EligibilityCriterion,
    LegalForm,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationStatus,
)
from organisations.validators import organisation_number_check_digit
from tests.accounts.factories import UserFactory


def valid_organisation_number(n: int, prefix: str = "802") -> str:
    nine = f"{prefix}{n:06d}"
    return f"{nine[:6]}-{nine[6:]}{organisation_number_check_digit(nine)}"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Förening nummer {n}")
    slug = factory.Sequence(lambda n: f"forening-{n}")
    organisation_number = factory.Sequence(lambda n: valid_organisation_number(n + 1))
    legal_form = LegalForm.NON_PROFIT_ASSOCIATION
    side = PartySide.CIVIL_SOCIETY
    status = OrganisationStatus.APPROVED
    description = "En förening i Västernorrland."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


def log_in_as(client, who: str, organisation: Organisation) -> None:
    """Log the client in as `who` seen from the organisation: "member", "signatory" or "admin"
    is a new membership of it with that role, "other" the administrator of another organisation,
    "staff" a staff member; "anonymous" stays logged out."""
    if who in {"member", "signatory", "admin"}:
        membership = MembershipFactory(organisation=organisation, role=MembershipRole(who))
        client.force_login(membership.user)
    elif who == "other":
        client.force_login(MembershipFactory(role=MembershipRole.ADMIN).user)
    elif who == "staff":
        client.force_login(UserFactory(staff=True))
    else:
        assert who == "anonymous", who


class OrganisationApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organisations.OrganisationApplication"

    organisation = factory.SubFactory(OrganisationFactory, status=OrganisationStatus.APPLIED)
    applicant = factory.SubFactory(UserFactory)
    contact_role = "Ordförande"
    eligibility = factory.LazyFunction(lambda: list(EligibilityCriterion.values))


def application_details(**overrides: object) -> dict[str, object]:
    """POST data for the first step of the application, valid unless overridden."""
    from organisations.models import Municipality

    data: dict[str, object] = {
        "name": "Föreningen Ljusglimten",
        "organisation_number": valid_organisation_number(4242),
        "legal_form": LegalForm.NON_PROFIT_ASSOCIATION,
        "municipalities": [Municipality.objects.get(name="Sundsvall").pk],
        "website": "https://ljusglimten.example.se/",
        "description": "Vi ordnar träffar för unga i Sundsvall.",
        "action": "next",
    }
    data.update(overrides)
    return data


ELIGIBILITY_ALL = dict.fromkeys(EligibilityCriterion.values, "on")
