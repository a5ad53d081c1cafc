"""Public calendar files carry the place of a meeting unless it is marked internal (issue 16);
the link to a digital meeting stays with the group."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.calendar import meetings_ics

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_the_public_file_of_a_meeting_has_its_place(client, world):
    body = client.get(reverse("meetings_meeting_ics", args=[world.meeting.pk])).content
    (event,) = _events(body)
    assert str(event["location"]) == "Härnösand, Regionens hus"
    assert b"hemlig" not in body


def test_the_public_file_of_an_internal_meeting_has_no_place(client, world):
    world.meeting.is_internal = True
    world.meeting.save()
    body = client.get(reverse("meetings_meeting_ics", args=[world.meeting.pk])).content
    (event,) = _events(body)
    assert "location" not in event
    assert b"Regionens hus" not in body


def test_the_public_feed_has_places_except_for_internal_meetings(client, world):
    MeetingFactory(group=world.group, location="Sundsvall, Folkets hus", is_internal=True)
    body = client.get(reverse("meetings_public_feed")).content
    places = [str(e.get("location", "")) for e in _events(body)]
    assert sorted(places) == ["", "Härnösand, Regionens hus"]
    assert b"Folkets hus" not in body


def _places(meeting, *, private: bool) -> set[str]:
    body = meetings_ics([meeting], name="G", private=private)
    return {str(event.get("location")) for event in _events(body)}


def test_the_builder_gives_the_group_every_place(world):
    internal = MeetingFactory(
        group=world.group, location="Sundsvall, Folkets hus", is_internal=True
    )
    assert _places(internal, private=False) == {"None"}
    assert _places(internal, private=True) == {"Sundsvall, Folkets hus"}
    assert _places(world.meeting, private=False) == {"Härnösand, Regionens hus"}
