from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementVersion, Signature, Withdrawal
from agreements.services import signature_create
from lov_portal.core.choices import PartySide
from organisations.models import LegalForm, Municipality, Organisation
from tests.accounts.factories import UserFactory
from tests.agreements.factories import signatures_for
from tests.conftest import _built_once_per_module
from tests.organisations.factories import (
    MembershipFactory,
    OrganisationFactory,
    valid_organisation_number,
)

REGISTER = reverse("agreements:register")


def _version() -> AgreementVersion:
    return AgreementVersion.objects.get(agreement__slug="lov", is_current=True)


def _bulk_signatories(count: int, start: int = 1000) -> list[Organisation]:
    """Many signatories (bulk-created organisations, each signing through the service)."""
    version = _version()
    sundsvall = Municipality.objects.get(name="Sundsvall")
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Förening {n}",
                slug=f"forening-bulk-{n}",
                organisation_number=valid_organisation_number(start + n),
                legal_form=LegalForm.NON_PROFIT_ASSOCIATION,
                description="Idrott och friluftsliv",
                status="approved",
            )
            for n in range(count)
        ]
    )
    Organisation.municipalities.through.objects.bulk_create(
        [
            Organisation.municipalities.through(organisation_id=o.pk, municipality_id=sundsvall.pk)
            for o in organisations
        ]
    )
    signatures_for(
        organisations, version=version, signer_name="X", apart=datetime.timedelta(minutes=1)
    )
    return organisations


def _sign(organisation: Organisation, when: datetime.datetime | None = None) -> Signature:
    return signature_create(
        organisation=organisation, version=_version(), signer_name="Per", signed_at=when
    )


def test_register_lists_active_signatories_only_with_a_count(client, lov):
    signed = OrganisationFactory(name="Föreningen Norrsken")
    gone = OrganisationFactory(name="Föreningen Borta")
    OrganisationFactory(name="Föreningen Aldrig")
    _sign(signed)
    withdrawn = _sign(gone)
    Withdrawal.objects.create(signature=withdrawn, withdrawn_at=timezone.now())
    content = client.get(REGISTER).content.decode()
    assert "Föreningen Norrsken" in content
    assert "Föreningen Borta" not in content
    assert "Föreningen Aldrig" not in content
    assert "1 organisation" in content


def test_filters_are_links_that_combine(client, lov):
    foundation = OrganisationFactory(name="Stiftelsen Fyren", legal_form=LegalForm.FOUNDATION)
    association = OrganisationFactory(name="Föreningen Bron")
    region = OrganisationFactory(
        name="Region Västernorrland", side=PartySide.PUBLIC, legal_form=LegalForm.PUBLIC_BODY
    )
    foundation.municipalities.add(Municipality.objects.get(name="Kramfors"))
    association.municipalities.add(Municipality.objects.get(name="Timrå"))
    _sign(foundation, timezone.now() - datetime.timedelta(days=800))
    _sign(association)
    _sign(region)
    page = client.get(REGISTER).content.decode()
    assert "juridisk_form=stiftelse" in page
    assert "kommun=2282" in page

    def names(**params):
        content = client.get(REGISTER, params).content.decode()
        return [
            n
            for n in ("Stiftelsen Fyren", "Föreningen Bron", "Region Västernorrland")
            if n in content
        ]

    assert names(juridisk_form="stiftelse") == ["Stiftelsen Fyren"]
    assert names(kommun="2262") == ["Föreningen Bron"]
    assert names(part="public") == ["Region Västernorrland"]
    assert names(ar=str((timezone.now() - datetime.timedelta(days=800)).year)) == [
        "Stiftelsen Fyren"
    ]
    assert names(part="civil_society", juridisk_form="ideell_forening") == ["Föreningen Bron"]


def test_sorting_and_pagination_are_links(client, lov):
    _bulk_signatories(60)
    first = client.get(REGISTER, {"sortering": "nyast"}).content.decode()
    assert "Förening 0<" in first
    assert "sida=2" in first
    assert "Sida 1 av 2" in first
    second = client.get(REGISTER, {"sortering": "nyast", "sida": "2"}).content.decode()
    assert "Förening 59<" in second
    oldest = client.get(REGISTER, {"sortering": "aldst"}).content.decode()
    assert oldest.index("Förening 59<") < oldest.index("Förening 58<")


def test_search_finds_by_name_and_description_and_shows_an_empty_state(client, lov):
    _sign(OrganisationFactory(name="Scoutkåren Ljungan", description="Friluftsliv för barn"))
    _sign(OrganisationFactory(name="Pensionärsföreningen", description="Träffar och resor"))
    assert "Scoutkåren Ljungan" in client.get(REGISTER, {"q": "Ljungan"}).content.decode()
    assert "Pensionärsföreningen" in client.get(REGISTER, {"q": "resor"}).content.decode()
    empty = client.get(REGISTER, {"q": "Ingenting sådant"}).content.decode()
    assert "Inga undertecknare matchar sökningen" in empty
    assert 'value="Ingenting sådant"' in empty


@pytest.mark.parametrize("odd", ["'&|!():*", "<script>", "a & (b | !c)", "ö\\%_", '"', "–"])
def test_search_with_odd_characters_answers_and_keeps_the_text(client, lov, odd):
    _sign(OrganisationFactory(name="Föreningen Bron"))
    response = client.get(REGISTER, {"q": odd})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_invalid_filters_are_ignored(client, lov):
    _sign(OrganisationFactory(name="Föreningen Bron"))
    response = client.get(REGISTER, {"ar": "abc", "part": "xyz", "sortering": "drop", "sida": "99"})
    assert response.status_code == 200
    assert "Föreningen Bron" in response.content.decode()


@pytest.mark.postgres
def test_postgres_search_uses_swedish_stemming_and_the_gin_index(client, lov):
    _sign(OrganisationFactory(name="Idrottsföreningen", description="Vi spelar fotboll med barnen"))
    assert "Idrottsföreningen" in client.get(REGISTER, {"q": "barn"}).content.decode()
    from agreements.selectors import SEARCH_SQL

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM organisations_organisation WHERE " + SEARCH_SQL,  # noqa: S608
            ["barn"],
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "organisation_search_sv_idx" in plan


def test_profile_shows_public_facts_and_history_but_no_personal_data(client, lov):
    membership = MembershipFactory(user__full_name="Hemlig Person", user__email="hemlig@example.se")
    organisation = membership.organisation
    organisation.website = "https://bron.example.se/"
    organisation.save()
    signature = signature_create(
        organisation=organisation, version=_version(), signer_name="Hemlig Person"
    )
    content = client.get(reverse("agreements:profile", args=[organisation.slug])).content.decode()
    assert organisation.organisation_number in content
    assert "https://bron.example.se/" in content
    assert "Hemlig Person" not in content
    assert "hemlig@example.se" not in content
    Withdrawal.objects.create(
        signature=signature,
        withdrawn_at=datetime.datetime(2026, 5, 4, 10, tzinfo=datetime.UTC),
        reason="Verksamheten upphör",
    )
    response = client.get(reverse("agreements:profile", args=[organisation.slug]))
    content = response.content.decode()
    # Still public after the withdrawal: that it withdrew and when, but not why.
    assert response.status_code == 200
    assert "har lämnat överenskommelsen" in content
    assert "Utträde den 4 maj 2026" in content
    assert "Verksamheten upphör" not in content


def test_profile_of_an_organisation_that_never_signed_is_not_found(client, lov):
    organisation = OrganisationFactory()
    assert client.get(reverse("agreements:profile", args=[organisation.slug])).status_code == 404


def test_open_data_carries_each_records_hash(client, lov):
    signatures = [_sign(OrganisationFactory(name=f"Förening {n}")) for n in range(3)]
    data = json.loads(client.get(reverse("register_json")).content)
    assert data["count"] == 3
    assert [row["record_hash"] for row in data["signatories"]] == [
        s.record_hash for s in signatures
    ]
    assert data["signatories"][1]["previous_hash"] == signatures[0].record_hash
    assert "signer_name" not in data["signatories"][0]
    response = client.get(reverse("register_csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["record_hash"] for row in rows] == [s.record_hash for s in signatures]
    assert rows[0]["organisation"] == "Förening 0"


def test_atom_feed_lists_new_signatories(client, lov):
    _sign(OrganisationFactory(name="Föreningen Nyss"))
    response = client.get(reverse("register_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Föreningen Nyss" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "member", "other", "staff"])
def test_register_pages_are_public_for_everyone(client, lov, who):
    organisation = OrganisationFactory()
    _sign(organisation)
    if who == "member":
        client.force_login(MembershipFactory(organisation=organisation).user)
    elif who == "other":
        client.force_login(MembershipFactory().user)
    elif who == "staff":
        client.force_login(UserFactory(staff=True))
    for url in [
        REGISTER,
        reverse("agreements:profile", args=[organisation.slug]),
        reverse("register_csv"),
        reverse("register_json"),
        reverse("register_feed"),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_search_counts_the_matching_active_signatories_only(client, lov):
    # The count of an unfiltered search is read from the signatures (agreements.selectors.
    # register_page): withdrawn and unsigned matches are not counted, nor non-matching ones.
    _sign(OrganisationFactory(name="Idrottsföreningen Norrsken"))
    withdrawn = _sign(OrganisationFactory(name="Idrottsföreningen Borta"))
    Withdrawal.objects.create(signature=withdrawn, withdrawn_at=timezone.now())
    OrganisationFactory(name="Idrottsföreningen Aldrig")
    _sign(OrganisationFactory(name="Kören Sångfåglarna"))
    content = client.get(REGISTER, {"q": "Idrottsföreningen"}).content.decode()
    assert "Idrottsföreningen Norrsken" in content
    assert "Idrottsföreningen Borta" not in content
    assert ">1 organisation</h2>" in content
    assert ">2 organisationer</h2>" in client.get(REGISTER).content.decode()


# Last in the module: the query-count tests below share LÖV and their signatories, built once
# per count (10, then 500; each through the signing service, which is the slow part) and kept
# until the count changes or the module ends; the tests above load LÖV themselves (`lov`).
@pytest.fixture(scope="module", params=[10, 500])
def _module_signatories(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """LÖV and `request.param` signatories in a transaction rolled back when the count changes
    (`module_lov`'s way): their slugs."""
    from lov_portal.portal.lov_source import load_source
    from lov_portal.portal.services import lov_load

    def build() -> list[str]:
        lov_load(parsed=load_source())
        return [organisation.slug for organisation in _bulk_signatories(request.param)]

    yield from _built_once_per_module(django_db_blocker, tmp_path_factory, build)


@pytest.fixture
def signatories(_module_signatories, db: None) -> list[str]:
    """The slugs of the signatories; what a test writes is rolled back before the next."""
    return _module_signatories


def test_register_runs_a_fixed_number_of_queries(client, signatories, django_assert_num_queries):
    with django_assert_num_queries(6):
        response = client.get(REGISTER, {"kommun": "2281", "sortering": "nyast"})
    assert response.status_code == 200
    # On PostgreSQL the full-text matches are read first, from the GIN index. The agreement
    # is kept from the first request (the same public content version): one query less.
    with django_assert_num_queries(6 if connection.vendor == "postgresql" else 5):
        client.get(REGISTER, {"q": "Förening", "sida": "2"})


def test_profile_and_open_data_run_a_fixed_number_of_queries(
    client, signatories, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get(reverse("agreements:profile", args=[signatories[0]]))
    with django_assert_max_num_queries(6):
        client.get(reverse("register_json"))
    with django_assert_max_num_queries(6):
        b"".join(client.get(reverse("register_csv")).streaming_content)
    # One more than before issue 16: the latest withdrawals (organisations that left).
    with django_assert_max_num_queries(5):
        client.get(reverse("register_feed"))
