"""The meetings' public pages are cached and change the moment minutes are published."""

import pytest
from django.urls import reverse

from tests.caching import cached_page

from .conftest import approved

pytestmark = pytest.mark.django_db


def test_published_minutes_appear_on_the_meetings_page_at_once(client, world):
    from meetings import services

    minutes = approved(world)
    listing = reverse("meetings:meeting_list")
    minutes_url = reverse("meetings:minutes_detail", args=[world.meeting.pk])
    assert "Justerat protokoll" not in cached_page(client, listing)
    assert client.get(minutes_url).status_code == 302  # not public yet: to the login page
    services.minutes_publish(minutes=minutes, by=world.secretary)
    response = client.get(listing)
    assert response.headers["X-Cache"] == "miss"
    assert "Justerat protokoll" in response.content.decode()
    assert client.get(minutes_url).status_code == 200
    assert "Punkt 1" in cached_page(client, minutes_url)


def test_the_public_calendar_feed_keeps_its_file_name_when_cached(client, world):
    url = reverse("meetings_public_feed")
    first = client.get(url)
    second = client.get(url)
    assert second.headers["X-Cache"] == "hit"
    assert second.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert second.content == first.content
