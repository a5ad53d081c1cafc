"""Every write of the reminders app: deciding what is due, claiming, sending, preferences."""

from __future__ import annotations

import datetime
import logging
import re
import smtplib
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

from lov_portal.accounts.models import User
from lov_portal.core.http import absolute_url
from lov_portal.core.mail import stable_message_id, templated_email

from .models import Reminder, ReminderOptOut, ReminderStatus
from .registry import KINDS, Due, Message, ReminderKind

logger = logging.getLogger(__name__)

# Longer than a task's hard time limit, so a live worker never loses its claim.
CLAIM_LEASE = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5


def reminders_schedule(*, now: datetime.datetime, kinds: Iterable[str] | None = None) -> int:
    """Write a row for every reminder the rules find due; return how many rows are new.

    Rows are written in the transaction that decides they are due; the unique key makes a
    second run (or two schedulers at once) a no-op. Users who switched a kind off get no row.
    """
    created = 0
    with transaction.atomic():
        for key in kinds or list(KINDS):
            kind = KINDS[key]
            dues = list(kind.rule(now))
            if not dues:
                continue
            opted_out = set(
                ReminderOptOut.objects.filter(kind=key).values_list("user_id", flat=True)
            )
            required = _required_recipients(kind, {d.recipient_id for d in dues} & opted_out)
            rows = [
                Reminder(
                    kind=key,
                    content_type=ContentType.objects.get_for_model(due.target),
                    object_id=due.target.pk,
                    recipient_id=due.recipient_id,
                    due_on=due.due_on,
                )
                for due in _unique(dues)
                if due.recipient_id not in opted_out or due.recipient_id in required
            ]
            before = Reminder.objects.filter(kind=key).count()
            Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
            created += Reminder.objects.filter(kind=key).count() - before
        if created:
            from .tasks import send_pending

            send_pending.delay_on_commit()
    return created


def _unique(dues: list[Due]) -> list[Due]:
    seen: set[tuple] = set()
    result = []
    for due in dues:
        key = (type(due.target), due.target.pk, due.recipient_id, due.due_on)
        if key not in seen:
            seen.add(key)
            result.append(due)
    return result


def _required_recipients(kind: ReminderKind, user_ids: set[int]) -> set[int]:
    if not user_ids:
        return set()
    return {user.pk for user in User.objects.filter(pk__in=user_ids) if kind.required_for(user)}


def _claimable(now: datetime.datetime) -> Q:
    return Q(status=ReminderStatus.PENDING) | Q(
        status=ReminderStatus.SENDING, claimed_until__lt=now
    )


def reminders_claim(
    *, now: datetime.datetime, limit: int = 100, skip: Iterable[int] = ()
) -> list[Reminder]:
    """Claim up to `limit` unsent reminders for this worker, with a lease that expires.

    On PostgreSQL rows another worker is claiming are skipped (SKIP LOCKED); on SQLite the
    write lock of the IMMEDIATE transaction serialises claims. Either way the conditional
    UPDATE hands each row to one claimant only. `skip`: rows that failed earlier in this run.
    """
    token = uuid.uuid4().hex
    with transaction.atomic():
        candidates = Reminder.objects.filter(_claimable(now)).exclude(pk__in=list(skip))
        candidates = candidates.order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        Reminder.objects.filter(_claimable(now), pk__in=ids).update(
            status=ReminderStatus.SENDING, claim_token=token, claimed_until=now + CLAIM_LEASE
        )
    return list(
        Reminder.objects.filter(claim_token=token, status=ReminderStatus.SENDING)
        .select_related("recipient", "content_type")
        .order_by("pk")
    )


def reminder_send(*, reminder: Reminder, now: datetime.datetime) -> bool:
    """Send one claimed reminder and mark it sent; True if this call sent it."""
    kind = KINDS.get(reminder.kind)
    target = reminder.target
    if kind is None or target is None or not reminder.recipient.is_active:
        # The kind was removed or the object deleted: nothing left to remind about.
        Reminder.objects.filter(pk=reminder.pk, claim_token=reminder.claim_token).update(
            status=ReminderStatus.FAILED, last_error="gone", claimed_until=None
        )
        return False
    try:
        with translation.override(reminder.recipient.preferred_language or "sv"):
            message = kind.message(target, reminder.due_on)
            email = _email(reminder, kind, message)
        for filename, content, mimetype in message.attachments:
            email.attach(filename, content, mimetype)
        email.send()
    except Exception as error:
        _record_failure(reminder, error)
        raise
    # Only the holder of the claim marks the row; a worker whose lease expired cannot.
    Reminder.objects.filter(pk=reminder.pk, claim_token=reminder.claim_token).update(
        status=ReminderStatus.SENT, sent_at=now, attempts=reminder.attempts + 1
    )
    return True


def _email(reminder: Reminder, kind: ReminderKind, message: Message) -> EmailMultiAlternatives:
    """The kind's text (`reminders/email/<key>.txt`, rendered without escaping) in the common
    frame `reminders/email/reminder.txt`/`.html`, which ends with why it was sent and a link to
    the preferences page; the HTML part escapes the text and makes its links anchors."""
    text = render_to_string(f"reminders/email/{reminder.kind}.txt", message.context)
    return templated_email(
        template="reminders/email/reminder",
        context={
            # str.strip gives a plain str: the HTML frame escapes it.
            "body": str.strip(text),
            "body_html": _html_body(str.strip(text), _own_links(message.context)),
            "reason": kind.reason,
            "preferences_url": absolute_url("reminders:preferences"),
        },
        subject=message.subject,
        to=[reminder.recipient.email],
        # The same on a resend after a worker died mid-send (decisions.md 27).
        headers={"Message-ID": stable_message_id("reminder", reminder.pk)},
    )


def _own_links(context: dict[str, object]) -> set[str]:
    """The message's own links: its `url` and `*_url` values (made by the portal)."""
    return {
        value
        for key, value in context.items()
        if (key == "url" or key.endswith("_url")) and isinstance(value, str) and value
    }


def _html_body(text: str, links: Iterable[str]) -> SafeString:
    """The text as HTML: escaped, its paragraphs kept, and only the message's own links made
    anchors. A URL someone wrote (a reply, a comment) stays text: urlizing the whole body
    would let them put a link of their choosing under the portal's own words."""
    html = escape(text)
    own = sorted({escape(link) for link in links}, key=len, reverse=True)
    if own:
        pattern = re.compile(r"(?<!\S)(" + "|".join(re.escape(link) for link in own) + r")(?!\S)")
        html = pattern.sub(lambda match: f'<a href="{match[1]}">{match[1]}</a>', html)
    return mark_safe(linebreaks(html))  # noqa: S308  # nosec B308 B703 - escaped above; only our anchors added


def _record_failure(reminder: Reminder, error: Exception) -> None:
    """Count the attempt and keep the reason; after MAX_ATTEMPTS the reminder is failed for
    good (staff see it, with its reason, in the admin)."""
    attempts = reminder.attempts + 1
    Reminder.objects.filter(pk=reminder.pk, claim_token=reminder.claim_token).update(
        status=ReminderStatus.FAILED if attempts >= MAX_ATTEMPTS else ReminderStatus.PENDING,
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        claimed_until=None,
    )
    reminder.attempts = attempts


# The mail server is down or unreachable: no other message would get through either.
# (SMTPRecipientsRefused, SMTPSenderRefused and SMTPDataError are about one message.)
_MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)
# OSError covers refused connections, timeouts and unknown host names.
_SERVER_ERRORS = (smtplib.SMTPException, OSError)


def _server_down(error: Exception) -> bool:
    return isinstance(error, _SERVER_ERRORS) and not isinstance(error, _MESSAGE_ERRORS)


def reminders_send_pending(*, now: datetime.datetime | None = None, limit: int = 100) -> int:
    """Claim and send pending reminders until none are left; return how many were sent.

    Each message is handled on its own: one that cannot be built or sent counts an attempt,
    keeps its reason and waits for the next run (MAX_ATTEMPTS in all, then it is failed), and
    the rest of the batch goes out. Only when the mail server itself is unreachable does the
    run stop: the rest of the batch is handed back at once and the error raised, so the task
    retries with backoff.
    """
    sent = 0
    failed: set[int] = set()  # tried once in this run: the next run tries again
    while True:
        current = now or timezone.now()
        batch = reminders_claim(now=current, limit=limit, skip=failed)
        if not batch:
            return sent
        for reminder in batch:
            try:
                sent += reminder_send(reminder=reminder, now=current)
            except Exception as error:
                failed.add(reminder.pk)
                if _server_down(error):
                    Reminder.objects.filter(
                        claim_token=reminder.claim_token, status=ReminderStatus.SENDING
                    ).update(status=ReminderStatus.PENDING, claimed_until=None)
                    logger.warning(
                        "Reminder %s: the mail server failed (%s); the batch waits.",
                        reminder.pk,
                        type(error).__name__,
                    )
                    raise
                logger.warning(
                    "Reminder %s could not be sent (attempt %s of %s): %s",
                    reminder.pk,
                    reminder.attempts,
                    MAX_ATTEMPTS,
                    type(error).__name__,
                )


def reminder_preferences_set(*, user: User, disabled_kinds: Iterable[str]) -> None:
    """Switch off exactly `disabled_kinds` for `user` (kinds the role requires stay on)."""
    allowed = {
        key
        for key, kind in KINDS.items()
        if key in set(disabled_kinds) and kind.applies_to(user) and not kind.required_for(user)
    }
    with transaction.atomic():
        ReminderOptOut.objects.filter(user=user).exclude(kind__in=allowed).delete()
        existing = set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))
        ReminderOptOut.objects.bulk_create(
            [ReminderOptOut(user=user, kind=key) for key in sorted(allowed - existing)]
        )
