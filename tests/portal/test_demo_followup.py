import pytest

from commitments.models import Action, Commitment, DevelopmentArea
from lov_portal.portal.demo import demo_create

pytestmark = pytest.mark.django_db


def test_demo_gives_actions_owners_and_due_dates_and_creates_development_areas(lov):
    demo_create(agreement=lov, organisations=3)
    assert DevelopmentArea.objects.filter(agreement=lov).count() == 3
    assert not Action.objects.filter(owner__isnull=True).exists()
    assert not Action.objects.filter(due_date__isnull=True).exists()
    assert Action.objects.filter(commitment__isnull=False).count() == 6
    area = DevelopmentArea.objects.first()
    assert area.commitments.count() == 4 and area.actions.count() == 3
    civil = Commitment.objects.filter(responsible_side="civil_society")
    assert all(c.owners.filter(email__startswith="foreningsadmin").exists() for c in civil)
