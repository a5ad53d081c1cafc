import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from agreements.models import Signature
from agreements.services import signature_hash_fields, signature_record_hash
from commitments.models import Commitment, StatusUpdate
from lov_portal.accounts.models import User
from meetings.models import GroupMember, Meeting
from organisations.models import LegalForm, Organisation, OrganisationStatus
from organisations.validators import normalise_organisation_number

pytestmark = pytest.mark.django_db


def seed(n=40, seed=7):
    call_command("load_lov")
    call_command("seed_demo", organisations=n, seed=seed)


def test_seed_demo_creates_valid_plausible_organisations():
    seed(80)
    organisations = Organisation.objects.exclude(name="Region Västernorrland").filter(
        status=OrganisationStatus.APPROVED
    )
    assert organisations.count() == 80
    for organisation in organisations:
        assert (
            normalise_organisation_number(organisation.organisation_number)
            == organisation.organisation_number
        )
    forms = set(organisations.values_list("legal_form", flat=True))
    assert forms == set(LegalForm.values) - {LegalForm.PUBLIC_BODY}
    assert organisations.filter(municipalities__isnull=True).count() == 0


def test_seed_demo_covers_every_municipality_with_enough_organisations():
    seed(300)
    covered = set(Organisation.objects.values_list("municipalities__name", flat=True))
    assert {
        "Härnösand",
        "Kramfors",
        "Sollefteå",
        "Sundsvall",
        "Timrå",
        "Ånge",
        "Örnsköldsvik",
    } <= covered


def test_seed_demo_signatures_form_a_valid_chain():
    seed(50)
    previous = ""
    for signature in Signature.objects.order_by("pk"):
        assert signature.previous_hash == previous
        assert signature.record_hash == signature_record_hash(
            signature_hash_fields(signature), previous
        )
        previous = signature.record_hash
    assert Signature.objects.filter(decision_body="Regionfullmäktige").count() == 1


def test_seed_demo_group_is_balanced_and_has_a_year_of_meetings():
    seed(10)
    sides = list(GroupMember.objects.values_list("side", flat=True))
    assert sides.count("public") == sides.count("civil_society") == 5
    assert Meeting.objects.count() >= 4


def test_seed_demo_status_matches_latest_update():
    seed(10)
    for commitment in Commitment.objects.all():
        latest = (
            StatusUpdate.objects.filter(commitment=commitment)
            .order_by("-created_at", "-pk")
            .first()
        )
        if latest:
            assert commitment.status == latest.status
            assert commitment.last_update_at == latest.created_at


def test_seed_demo_is_deterministic_for_a_seed():
    def organisations_after_seeding() -> list[tuple]:
        with transaction.atomic():
            seed(30, seed=11)
            rows = list(
                Organisation.objects.order_by("name").values_list(
                    "name", "organisation_number", "legal_form", "whole_county"
                )
            )
            transaction.set_rollback(True)
        return rows

    first = organisations_after_seeding()
    assert len(first) >= 31
    assert organisations_after_seeding() == first


def test_seed_demo_twice_is_refused_or_skipped(capsys):
    seed(5)
    with pytest.raises(CommandError):
        call_command("seed_demo", organisations=5)
    call_command("seed_demo", organisations=5, if_empty=True)
    assert "already there" in capsys.readouterr().out
    assert User.objects.filter(email="personal@demo.lov.example.se").count() == 1


def test_seed_demo_refuses_production(settings):
    call_command("load_lov")
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo", organisations=1)
