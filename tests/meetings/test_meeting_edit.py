"""Changing a meeting through its form (the form also has "internal meeting")."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("is_internal", [False, True])
def test_the_secretary_changes_a_meeting_including_whether_it_is_internal(
    client, world, is_internal
):
    client.force_login(world.secretary)
    data = {
        "kind": "group",
        "title": "Höstmöte",
        "starts_at": "2027-10-10T13:00",
        "ends_at": "2027-10-10T16:00",
        "location": "Sundsvall",
        "online_url": "",
    }
    if is_internal:
        data["is_internal"] = "on"
    response = client.post(reverse("meetings:meeting_edit", args=[world.meeting.pk]), data)
    assert response.status_code == 302
    world.meeting.refresh_from_db()
    assert (world.meeting.title, world.meeting.is_internal) == ("Höstmöte", is_internal)
