"""Events other layers may act on (the reminders app sends notices at once on them).

The meetings app cannot import the reminders app above it, so it announces the event and the
reminders app listens (docs/decisions.md). Sent inside the service's transaction; listeners
act on commit."""

from django.dispatch import Signal

# minutes=Minutes: sent for approval (a new revision).
minutes_sent = Signal()
# approval=MinutesApproval: a checker or the chair approved or returned the minutes.
minutes_answered = Signal()
