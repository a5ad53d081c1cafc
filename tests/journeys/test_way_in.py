"""The way in: a call to action to apply on every page a would-be signatory reads."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

APPLY = "/organisationer/ansok/"


@pytest.mark.parametrize("url_name", ["home", "agreement", "agreements:register"])
def test_pages_a_visitor_reads_link_to_the_application(client, lov, url_name):
    html = client.get(reverse(url_name)).content.decode()
    assert reverse("organisations:apply") == APPLY
    assert f'href="{APPLY}"' in html
    assert "Ansök om att underteckna" in html


def test_the_empty_register_invites_the_first_organisation_to_apply(client, lov):
    html = client.get(reverse("agreements:register")).content.decode()
    empty = html.split('class="empty-state"', 1)[1]
    assert f'href="{APPLY}"' in empty.split("</section>", 1)[0]


def test_the_english_pages_link_the_english_application(client, lov):
    html = client.get("/en/").content.decode()
    assert 'href="/en/organisationer/ansok/"' in html
    assert "Apply to sign" in html


def test_the_agreement_text_has_no_leftover_table_of_contents(lov):
    from agreements.models import AgreementVersion

    text = AgreementVersion.objects.get(number=1).text
    assert "Innehåll" not in text
    assert "Bilaga 1 Bakgrund" not in text.split("1. Inledning", 1)[0]
    assert "1. Inledning" in text


def test_time_elements_carry_no_microseconds(client, lov):
    import datetime
    import re

    from django.utils import timezone

    from meetings.models import Meeting

    starts = timezone.now().replace(microsecond=123456) + datetime.timedelta(days=3)
    Meeting.objects.create(
        group=lov.cooperation_group, starts_at=starts, ends_at=starts + datetime.timedelta(hours=1)
    )
    for url in ("/", "/moten/"):
        html = client.get(url).content.decode()
        values = re.findall(r'<time datetime="([^"]+)"', html)
        assert values, url
        for value in values:
            assert "." not in value, value
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}[+-]\d{4})?", value), value


def test_the_yearly_overview_links_only_to_years_with_meetings(client, lov):
    from meetings.models import Meeting
    from tests.meetings.factories import local_dt

    for year in (2021, 2024):
        Meeting.objects.create(
            group=lov.cooperation_group,
            starts_at=local_dt(year, 5, 1),
            ends_at=local_dt(year, 5, 1, 15),
        )
    html = client.get("/moten/arsoversikt/2024/").content.decode()
    assert 'href="/moten/arsoversikt/2021/"' in html
    assert "/moten/arsoversikt/2023/" not in html
    assert "/moten/arsoversikt/2025/" not in html
    html = client.get("/moten/arsoversikt/2021/").content.decode()
    assert "/moten/arsoversikt/2020/" not in html


def test_the_locked_minutes_editor_shows_no_working_controls(client, world):
    from meetings import services as meeting_services

    from .conftest import draft_with_items

    minutes = draft_with_items(world)
    url = reverse("meetings:minutes_edit", args=[world.meeting.pk])
    client.force_login(world.secretary)
    unlocked = client.get(url).content.decode()
    assert unlocked.count("<button") > 3
    meeting_services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    html = client.get(url).content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    for control in ("<form", "<button", "<input", "<select", "<textarea"):
        assert control not in main, control
    assert "Protokollet är låst och kan inte ändras." in main
    assert reverse("meetings:minutes_send", args=[world.meeting.pk]) not in main


def test_small_wording_the_english_sort_label_and_the_import_plural(client, lov):
    from django.utils import translation
    from django.utils.translation import ngettext

    assert "Name A–Z" in client.get("/en/undertecknare/").content.decode()
    with translation.override("sv"):
        one = ngettext(
            "Importen är klar: %(count)s ny statusuppdatering.",
            "Importen är klar: %(count)s nya statusuppdateringar.",
            1,
        )
    assert one % {"count": 1} == "Importen är klar: 1 ny statusuppdatering."


def test_every_page_has_a_meta_description_and_the_site_a_favicon(client, lov):
    for url in ("/", "/overenskommelsen/", "/undertecknare/", "/ataganden/", "/moten/", "/en/"):
        html = client.get(url).content.decode()
        assert '<meta name="description" content="' in html, url
        assert 'content=""' not in html.split('name="description"', 1)[1][:15], url
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
