"""Events other layers may act on (the reminders app tells signatories of a new version)."""

from django.dispatch import Signal

# version=AgreementVersion: a new version became the current one.
version_published = Signal()
