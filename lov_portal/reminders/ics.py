"""A meeting as an iCalendar file (RFC 5545), built with the `icalendar` package."""

from __future__ import annotations

import datetime

import icalendar
from django.conf import settings

from meetings.models import Meeting


def meeting_ics(meeting: Meeting) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//LÖV-portalen//Påminnelser//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@{settings.SITE_URL.split('//')[-1]}")
    event.add("dtstamp", datetime.datetime.now(tz=datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
    event.add("summary", str(meeting))
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.online_url:
        event.add("url", meeting.online_url)
    calendar.add_component(event)
    return calendar.to_ical()
