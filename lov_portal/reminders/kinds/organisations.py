"""Reminder kinds about organisations: applications waiting for staff."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from lov_portal.core.http import absolute_url
from organisations.models import (
    ApplicationReview,
    OrganisationApplication,
    OrganisationStatus,
    ReviewAction,
)

from ..registry import Due, Message, quoted
from .base import staff_ids

APPLICATION_WORKING_DAYS = 5


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """`days` working days after `day`. Working days are Monday to Friday; Swedish public
    holidays are deliberately ignored (a reminder a day early around a holiday is harmless)."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


# --- Staff: organisation applications waiting more than five working days ----------------------


def application_waiting_rule(now: datetime.datetime) -> Iterator[Due]:
    """To staff, once per waiting period: due the first day the application has waited more
    than five working days since it was submitted or last handled."""
    today = timezone.localdate(now)
    staff = staff_ids()
    if not staff:
        return
    applications = OrganisationApplication.objects.filter(
        organisation__status__in=[OrganisationStatus.APPLIED, OrganisationStatus.INFO_REQUESTED]
    ).prefetch_related("reviews")
    for application in applications:
        steps = [application.submitted_at, *(r.created_at for r in application.reviews.all())]
        since = timezone.localdate(max(steps))
        due_on = add_working_days(since, APPLICATION_WORKING_DAYS + 1)
        if today >= due_on:
            for user_id in staff:
                yield Due(application, user_id, due_on)


def application_waiting_message(
    application: OrganisationApplication, due_on: datetime.date
) -> Message:
    return Message(
        _("En ansökan har väntat mer än fem arbetsdagar"),
        {
            "application": application,
            "url": absolute_url("organisations:review_detail", application.pk),
        },
    )


# --- An applicant answered a request for more information: to staff, at once -------------------

NOTICE_WINDOW = datetime.timedelta(days=14)


def application_replied_rule(now: datetime.datetime) -> Iterator[Due]:
    replies = ApplicationReview.objects.filter(
        action=ReviewAction.APPLICANT_REPLY,
        created_at__gte=now - NOTICE_WINDOW,
        application__organisation__status=OrganisationStatus.APPLIED,
    )
    staff = staff_ids()
    for reply in replies:
        for user_id in staff:
            if user_id != reply.author_id:
                yield Due(reply, user_id, timezone.localdate(reply.created_at))


def application_replied_message(reply: ApplicationReview, due_on: datetime.date) -> Message:
    application = reply.application
    documents = ", ".join(
        f"{document.get_kind_display()} ({document.original_name})"
        for document in reply.documents.all()
    )
    return Message(
        _("Komplettering från %(organisation)s") % {"organisation": application.organisation},
        {
            "organisation": application.organisation,
            "message": quoted(reply.reason),
            "documents": documents or "–",
            "url": absolute_url("organisations:review_detail", application.pk),
        },
    )
