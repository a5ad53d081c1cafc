"""Events other layers may act on (the reminders app tells staff at once on them).

The organisations app cannot import the reminders app above it, so it announces the event and
the reminders app listens (docs/architecture.md). Sent inside the service's transaction;
listeners act on commit."""

from django.dispatch import Signal

# review=ApplicationReview: the applicant answered a request for more information.
application_replied = Signal()
