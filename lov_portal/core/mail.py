"""E-mail helpers shared by every app: subjects, headers and Message-IDs are built here.

Data reaches subjects (an organisation's or a meeting's name) and headers (a reporter's
address as Reply-To). A CR or LF in them would let the data add headers of its own, and
Django answers that with `BadHeaderError`: the mail is lost and the request or task fails.
Everything that goes into a header passes through `mail_subject` / `header_value`, which make
it one line of bounded length, whatever the input policy let through earlier (old rows,
rows written by a migration or the shell)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .http import site_host
from .text import single_line

# RFC 5322 recommends lines of at most 78 characters; a subject a little longer folds fine.
SUBJECT_MAX_LENGTH = 150
HEADER_MAX_LENGTH = 300


def mail_subject(text: str, *, prefix: bool = True) -> str:
    """A subject line: the portal's prefix and the text on one line, at most 150 characters."""
    start = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX if prefix else ""
    return single_line(start + str(text), max_length=SUBJECT_MAX_LENGTH)


def header_value(text: str) -> str:
    """Any other header value built from data (a name, an address): one line, bounded."""
    return single_line(str(text), max_length=HEADER_MAX_LENGTH)


def stable_message_id(kind: str, key: object) -> str:
    """A Message-ID that is the same every time the same message is sent.

    Delivery is "exactly once" up to one window no SMTP transaction can close: the server has
    accepted the mail, and the worker dies before it records that. The retry then sends the
    same message again, with the same Message-ID, which mail systems use to recognise it as a
    copy of one they already have (docs/decisions.md, reminders)."""
    host = site_host() or "lov-portal.invalid"
    return header_value(f"<lov-{kind}-{key}@{host}>")


def templated_email(
    *,
    template: str,
    context: Mapping[str, object],
    subject: str,
    to: Sequence[str],
    headers: Mapping[str, str] | None = None,
) -> EmailMultiAlternatives:
    """An e-mail whose body is `<template>.txt` and whose HTML alternative is `<template>.html`.

    Both are rendered in the active language with `site_url` in their context; the subject
    goes through `mail_subject`. The caller sends it (from a task)."""
    context = {**context, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=mail_subject(subject),
        body=render_to_string(f"{template}.txt", context),
        to=list(to),
        headers=dict(headers or {}),
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
