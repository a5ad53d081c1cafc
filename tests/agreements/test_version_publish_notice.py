"""Publishing an added version from the admin (agreement_version_publish) announces it like
creating a current version does, so signatories get the notice to confirm it at once."""

import pytest

from agreements import signals
from agreements.services import agreement_version_create, agreement_version_publish
from tests.agreements.factories import AgreementFactory


@pytest.fixture
def announced():
    seen = []

    def receiver(sender, version, **kwargs):
        seen.append(version.pk)

    signals.version_published.connect(receiver, dispatch_uid="test.version_published")
    yield seen
    signals.version_published.disconnect(dispatch_uid="test.version_published")


@pytest.mark.django_db
def test_publishing_an_added_version_announces_it(announced):
    agreement = AgreementFactory()
    agreement_version_create(agreement=agreement, number=1, text="Första.", make_current=True)
    added = agreement_version_create(
        agreement=agreement, number=2, text="Andra.", make_current=False
    )
    assert len(announced) == 1

    agreement_version_publish(version=added, by=None)

    assert announced[-1] == added.pk
    assert len(announced) == 2


@pytest.mark.django_db
def test_publishing_the_current_version_again_announces_nothing(announced):
    current = agreement_version_create(
        agreement=AgreementFactory(), number=1, text="Första.", make_current=True
    )
    agreement_version_publish(version=current, by=None)
    assert announced == [current.pk]
