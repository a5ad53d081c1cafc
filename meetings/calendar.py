"""Meetings as iCalendar (RFC 5545) files and feeds."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from lov_portal.core.http import absolute_url, site_host

from .models import Meeting


def _event(meeting: Meeting, *, private: bool) -> Event:
    event = Event()
    host = site_host() or "localhost"
    event.add("uid", f"meeting-{meeting.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", str(meeting))
    event.add("url", absolute_url("meetings:meeting_detail", meeting.pk))
    # The place is public unless the meeting is internal (as on its page, issue 16); the link
    # to a digital meeting is only for the group.
    if meeting.location and (private or not meeting.is_internal):
        event.add("location", meeting.location)
    if private and meeting.online_url:
        event.add("description", meeting.online_url)
    return event


def meetings_ics(meetings: Iterable[Meeting], *, name: str, private: bool) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//LÖV-portalen//Samverkansgruppen//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(_event(meeting, private=private))
    return calendar.to_ical()
