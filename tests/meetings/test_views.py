import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from lov_portal.core.choices import PartySide
from meetings import services
from meetings.models import GroupMember, MeetingKind, MemberRole, MinutesItem, MinutesStatus
from tests.agreements.factories import enable_mfa, reauthenticate

from .conftest import approved, draft_with_items, group_commitment, published
from .factories import GroupMemberFactory, MeetingFactory

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "outsider", "member", "secretary", "checker", "staff"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(client, world, who):
    user = world.user(who)
    if user is not None:
        client.force_login(user)
    return client


def status_of(client, world, who, url, method="get"):
    client = client_for(client, world, who)
    return getattr(client, method)(url).status_code


def login_or_forbidden(who, allowed):
    if who == "anonymous":
        return 302
    return 200 if who in allowed else 403


@pytest.fixture
def world(module_world):
    """The group's world, built once for this module (tests/meetings/conftest.py)."""
    return module_world


MANAGERS = {"secretary", "staff"}
INSIDERS = {"member", "secretary", "checker", "staff"}


# --- Permission matrix -----------------------------------------------------------------------


@pytest.mark.parametrize("who", PEOPLE)
def test_public_pages_are_open_to_everyone(client, world, who):
    urls = [
        reverse("meetings:group_detail"),
        reverse("meetings:meeting_list"),
        reverse("meetings:year_overview"),
        reverse("meetings:meeting_detail", args=[world.meeting.pk]),
        reverse("meetings_meeting_ics", args=[world.meeting.pk]),
        reverse("meetings_public_feed"),
    ]
    client = client_for(client, world, who)
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", PEOPLE)
def test_meeting_details_show_place_and_link_only_to_the_group(client, world, who):
    client = client_for(client, world, who)
    body = client.get(reverse("meetings:meeting_detail", args=[world.meeting.pk])).content
    listing = client.get(reverse("meetings:meeting_list")).content
    ics = client.get(reverse("meetings_meeting_ics", args=[world.meeting.pk])).content
    visible = who in INSIDERS
    assert (b"mote.example.se/hemlig" in body) is visible
    # The place of a meeting not marked internal is public on its page (issue 16); the list
    # shows it for upcoming meetings only; the link is never public.
    assert (b"Regionens hus" in listing) is visible
    assert b"Regionens hus" in body
    # So is it in the meeting's calendar file (tests/meetings/test_calendar_place.py).
    assert b"LOCATION" in ics
    assert (b"hemlig" in ics) is visible


@pytest.mark.parametrize("who", PEOPLE)
def test_an_internal_meeting_shows_place_and_agenda_only_to_the_group(client, world, who):
    from meetings.models import Meeting

    Meeting.objects.filter(pk=world.meeting.pk).update(
        is_internal=True,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=2),
    )
    services.agenda_item_create(meeting=world.meeting, title="Hemlig punkt")
    client = client_for(client, world, who)
    body = client.get(reverse("meetings:meeting_detail", args=[world.meeting.pk])).content
    listing = client.get(reverse("meetings:meeting_list")).content
    visible = who in INSIDERS
    for page in (body, listing):
        assert (b"Regionens hus" in page) is visible
        assert (b"Hemlig punkt" in page) is visible


def test_upcoming_meetings_show_their_agenda_and_place_to_everyone(client, world):
    from meetings.models import Meeting

    Meeting.objects.filter(pk=world.meeting.pk).update(
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=2),
    )
    services.agenda_item_create(meeting=world.meeting, title="Budget 2027")
    html = client.get(reverse("meetings:meeting_list")).content.decode()
    upcoming = html.split('id="upcoming-heading"', 1)[1].split('id="past-heading"', 1)[0]
    assert "Budget 2027" in upcoming
    assert "Härnösand, Regionens hus" in upcoming
    assert "hemlig" not in html


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(
    "name", ["meeting_create", "meeting_edit", "agenda_edit", "attachment_upload"]
)
def test_meeting_management_is_for_the_secretary_and_staff(client, world, who, name):
    args = [] if name == "meeting_create" else [world.meeting.pk]
    expected = login_or_forbidden(who, MANAGERS)
    assert status_of(client, world, who, reverse(f"meetings:{name}", args=args)) == expected


@pytest.mark.parametrize("who", PEOPLE)
def test_starting_minutes_is_for_the_secretary_and_staff(client, world, who):
    url = reverse("meetings:minutes_create", args=[world.meeting.pk])
    expected = {"anonymous": 302, "secretary": 302, "staff": 302}.get(who, 403)
    assert status_of(client, world, who, url, "post") == expected
    assert hasattr(type(world.meeting).objects.get(pk=world.meeting.pk), "minutes") is (
        who in MANAGERS
    )


@pytest.mark.parametrize("who", PEOPLE)
def test_editing_draft_minutes_is_for_the_secretary_and_staff(client, world, who):
    minutes = draft_with_items(world)
    item = minutes.items.first()
    expected = login_or_forbidden(who, MANAGERS)
    for url in [
        reverse("meetings:minutes_edit", args=[world.meeting.pk]),
        reverse("meetings:minutes_item_edit", args=[world.meeting.pk, item.pk]),
        reverse("meetings:minutes_send", args=[world.meeting.pk]),
    ]:
        assert status_of(client, world, who, url) == expected, url


@pytest.mark.parametrize("who", [*PEOPLE, "chair"])
def test_only_checkers_and_the_chair_get_the_approval_page(client, world, who):
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    expected = login_or_forbidden(who, {"checker", "chair"})
    if who in {"checker", "chair"}:
        enable_mfa(world.user(who))  # justering needs a second factor (test_step_up.py)
    url = reverse("meetings:minutes_answer", args=[world.meeting.pk])
    assert status_of(client, world, who, url) == expected


@pytest.mark.parametrize("who", PEOPLE)
def test_publishing_and_correcting_are_for_the_secretary_and_staff(client, world, who):
    approved(world)
    expected = login_or_forbidden(who, MANAGERS)
    for name in ("minutes_publish", "minutes_correct"):
        url = reverse(f"meetings:{name}", args=[world.meeting.pk])
        assert status_of(client, world, who, url) == expected, name


@pytest.mark.parametrize("who", PEOPLE)
def test_unpublished_minutes_are_for_the_group_and_its_checkers(client, world, who):
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    client = client_for(client, world, who)
    for name in ("minutes_detail", "minutes_history"):
        response = client.get(reverse(f"meetings:{name}", args=[world.meeting.pk]))
        expected = 200 if who in INSIDERS else (302 if who == "anonymous" else 403)
        assert response.status_code == expected, name
    for name in ("minutes_print", "minutes_pdf"):
        response = client.get(reverse(f"meetings:{name}", args=[world.meeting.pk]))
        assert response.status_code == (200 if who in INSIDERS else 403), name


@pytest.mark.parametrize("who", PEOPLE)
def test_published_minutes_are_public(client, world, who):
    published(world)
    client = client_for(client, world, who)
    for name in ("minutes_detail", "minutes_history", "minutes_print", "minutes_pdf"):
        response = client.get(reverse(f"meetings:{name}", args=[world.meeting.pk]))
        assert response.status_code == 200, name
    page = client.get(reverse("meetings:minutes_detail", args=[world.meeting.pk]))
    assert "§ 1 Punkt 1" in page.content.decode()
    assert "Jonas Justerare" in page.content.decode()


@pytest.mark.parametrize("who", PEOPLE)
def test_the_private_calendar_page_is_for_the_group_and_staff(client, world, who):
    url = reverse("meetings:calendar_settings")
    assert status_of(client, world, who, url) == login_or_forbidden(who, INSIDERS)


# --- Attachments -----------------------------------------------------------------------------


def _attach(world, minutes_item=None, agenda_item=None):
    return services.attachment_create(
        meeting=world.meeting,
        upload=SimpleUploadedFile("Budget 2026.pdf", PDF, content_type="application/pdf"),
        title="Budget",
        by=world.secretary,
        minutes_item=minutes_item,
        agenda_item=agenda_item,
    )


@pytest.mark.parametrize("who", PEOPLE)
def test_attachments_of_unpublished_minutes_are_never_public(client, world, who):
    minutes = draft_with_items(world)
    attachment = _attach(world, minutes_item=minutes.items.first())
    agenda = _attach(
        world, agenda_item=services.agenda_item_create(meeting=world.meeting, title="A")
    )
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    expected = 200 if who in INSIDERS else 404
    for a in (attachment, agenda):
        url = reverse("meetings:attachment_download", args=[a.pk])
        assert status_of(client, world, who, url) == expected


@pytest.mark.parametrize("who", PEOPLE)
def test_attachments_of_published_minutes_are_public_and_downloaded_as_files(client, world, who):
    minutes = draft_with_items(world)
    attachment = _attach(world, minutes_item=minutes.items.first())
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_approve(minutes=minutes, by=world.checker)
    services.minutes_approve(minutes=minutes, by=world.chair)
    services.minutes_publish(minutes=minutes, by=world.secretary)
    client = client_for(client, world, who)
    response = client.get(reverse("meetings:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Budget 2026.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_an_attachment_added_during_a_correction_stays_private_until_published(client, world):
    minutes = published(world)
    services.minutes_correction_start(
        minutes=minutes, by=world.secretary, reason="Bilaga saknades."
    )
    late = _attach(world, minutes_item=minutes.items.first())
    url = reverse("meetings:attachment_download", args=[late.pk])
    assert client.get(url).status_code == 404


def test_attachments_are_stored_under_a_server_generated_name(world, settings):
    attachment = _attach(world)
    assert attachment.original_name == "Budget 2026.pdf"
    assert "Budget" not in attachment.file.name
    assert attachment.file.name.startswith("meetings/attachments/")
    assert attachment.file.name.endswith(".pdf")
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))


def test_uploading_a_disguised_file_is_refused_with_a_clear_message(client, world):
    client.force_login(world.secretary)
    url = reverse("meetings:attachment_upload", args=[world.meeting.pk])
    response = client.post(
        url,
        {
            "title": "Inte en PDF",
            "target": "meeting",
            "file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 400
    assert "stämmer inte med filtypen" in response.content.decode()
    assert not world.meeting.attachments.exists()


def test_uploading_too_large_a_file_says_how_large_it_may_be(client, world, settings):
    settings.MEETINGS_ATTACHMENT_MAX_BYTES = 1024
    client.force_login(world.secretary)
    response = client.post(
        reverse("meetings:attachment_upload", args=[world.meeting.pk]),
        {"target": "meeting", "file": SimpleUploadedFile("stor.pdf", PDF + b"0" * 2000)},
    )
    assert response.status_code == 400
    assert "Filen är 2,0\xa0kB. Bilagor får vara högst 1,0\xa0kB." in response.content.decode()


def test_uploading_a_pdf_to_an_agenda_item_works(client, world):
    item = services.agenda_item_create(meeting=world.meeting, title="Budget")
    client.force_login(world.secretary)
    response = client.post(
        reverse("meetings:attachment_upload", args=[world.meeting.pk]),
        {"title": "", "target": f"agenda-{item.pk}", "file": SimpleUploadedFile("b.pdf", PDF)},
    )
    assert response.status_code == 302
    assert item.attachments.get().title == "b.pdf"


# --- Group page, lists and overview ---------------------------------------------------------


def test_the_group_page_lists_members_by_side_with_roles_and_terms(client, world):
    body = client.get(reverse("meetings:group_detail")).content.decode()
    assert "Anna Ordförande" in body and "Ordförande" in body
    assert "Sara Sekreterare" in body and "Sekreterare" in body
    assert "tills vidare" in body
    assert body.index("Offentlig part") < body.index("Sara Sekreterare")


def test_staff_are_warned_when_the_sides_are_unequal(client, world):
    GroupMemberFactory(group=world.group, side=PartySide.CIVIL_SOCIETY)
    url = reverse("meetings:group_detail")
    assert "Parterna är inte lika många" not in client.get(url).content.decode()
    client.force_login(world.member)
    assert "Parterna är inte lika många" not in client.get(url).content.decode()
    client.force_login(world.staff)
    body = client.get(url).content.decode()
    assert "Parterna är inte lika många" in body
    assert "Idéburen part: 3" in body and "Offentlig part: 2" in body


def test_deputies_do_not_unbalance_the_group(client, world):
    GroupMemberFactory(group=world.group, side=PartySide.PUBLIC, role=MemberRole.DEPUTY)
    client.force_login(world.staff)
    body = client.get(reverse("meetings:group_detail")).content.decode()
    assert "Parterna är inte lika många" not in body
    assert "Parterna har lika många ledamöter" in body


def test_members_whose_term_has_ended_are_not_listed(client, world):
    GroupMemberFactory(
        group=world.group,
        user__full_name="Avgången Ledamot",
        term_start=datetime.date(2019, 1, 1),
        term_end=datetime.date(2020, 12, 31),
    )
    assert "Avgången Ledamot" not in client.get(reverse("meetings:group_detail")).content.decode()


def test_the_public_list_shows_dates_and_published_minutes_only(client, world):
    other = MeetingFactory(
        group=world.group, starts_at=world.meeting.starts_at - datetime.timedelta(days=60)
    )
    services.minutes_create(meeting=other)  # a draft: not shown to the public
    published(world)
    body = client.get(reverse("meetings:meeting_list")).content.decode()
    assert body.count("Justerat protokoll") == 1
    assert "Utkast" not in body


def test_the_meeting_list_makes_the_same_number_of_queries_for_many_meetings(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.member)
    url = reverse("meetings:meeting_list")
    # One upcoming meeting: its agenda is read in one query, however many there are.
    MeetingFactory(group=world.group, starts_at=timezone.now() + datetime.timedelta(days=2))
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    for n in range(30):
        meeting = MeetingFactory(
            group=world.group, starts_at=world.meeting.starts_at + datetime.timedelta(days=n - 15)
        )
        services.minutes_create(meeting=meeting)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_yearly_overview_counts_held_and_planned_meetings_and_shows_the_review_date(
    client, world
):
    year = datetime.date.today().year + 1
    for month in (2, 5):
        MeetingFactory(
            group=world.group,
            starts_at=datetime.datetime(year, month, 10, 12, tzinfo=datetime.UTC),
        )
    body = client.get(reverse("meetings:year_overview_year", args=[year])).content.decode()
    assert "0 hållna, 2 planerade" in body
    assert "2 möten till behöver planeras" in body
    assert "1 februari 2029" in body


# --- Calendars --------------------------------------------------------------------------------


def test_a_meeting_ics_file_opens_in_a_calendar(client, world):
    response = client.get(reverse("meetings_meeting_ics", args=[world.meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == world.meeting.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") == world.meeting.ends_at.replace(microsecond=0)
    assert str(event["uid"]).startswith(f"meeting-{world.meeting.pk}@")
    assert "hemlig" not in response.content.decode()


def test_the_public_feed_lists_the_groups_meetings(client, world):
    MeetingFactory(group=world.group, kind=MeetingKind.FOLLOW_UP_CONFERENCE)
    MeetingFactory()  # another group's meeting
    response = client.get("/moten/kalender.ics")
    calendar = Calendar.from_ical(response.content)
    assert calendar["version"] == "2.0"
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert len(summaries) == 2
    assert "Årlig uppföljningskonferens" in " ".join(summaries)
    # The places of meetings not marked internal are public; the links never are.
    assert b"hemlig" not in response.content


def test_the_private_feed_works_with_the_token_until_it_is_renewed(client, world):
    old = services.calendar_token_get_or_create(user=world.member).token
    url = reverse("meetings_private_feed", args=[old])
    response = client.get(url)
    assert response.status_code == 200
    events = list(Calendar.from_ical(response.content).walk("VEVENT"))
    assert str(events[0]["location"]) == "Härnösand, Regionens hus"
    client.force_login(world.member)
    assert client.post(reverse("meetings:calendar_settings"), {"confirm": "on"}).status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    new = services.calendar_token_get_or_create(user=world.member).token
    assert client.get(reverse("meetings_private_feed", args=[new])).status_code == 200


def test_renewing_the_token_needs_the_confirmation(client, world):
    old = services.calendar_token_get_or_create(user=world.member).token
    client.force_login(world.member)
    client.post(reverse("meetings:calendar_settings"), {})
    assert services.calendar_token_get_or_create(user=world.member).token == old


def test_the_private_feed_of_someone_no_longer_in_the_group_stops(client, world):
    token = services.calendar_token_get_or_create(user=world.outsider).token
    assert client.get(reverse("meetings_private_feed", args=[token])).status_code == 404
    assert client.get("/moten/kalender/inte-en-nyckel.ics").status_code == 404


# --- The life of minutes through the pages ---------------------------------------------------


def test_the_whole_life_of_minutes_through_the_pages(client, world):
    pk = world.meeting.pk
    client.force_login(world.secretary)
    client.post(reverse("meetings:minutes_create", args=[pk]))
    edit = reverse("meetings:minutes_edit", args=[pk])
    response = client.post(
        edit,
        {
            "part": "header",
            "chair": world.chair.pk,
            "secretary": world.secretary.pk,
            "checker_1": world.checker.pk,
            "other_participants": "Karin Personal, kansliet",
        },
    )
    assert response.status_code == 302
    chair_m, checker_m, secretary_m, member_m = world.members
    response = client.post(
        edit,
        {
            "part": "attendance",
            f"att-status_{chair_m.pk}": "present",
            f"att-status_{checker_m.pk}": "present",
            f"att-status_{secretary_m.pk}": "present",
            f"att-status_{member_m.pk}": "absent",
        },
    )
    assert response.status_code == 302
    response = client.post(
        edit, {"part": "item", "item-heading": "Mötets öppnande", "item-decision": "Öppnat."}
    )
    assert response.status_code == 302
    assert client.get(reverse("meetings:minutes_send", args=[pk])).status_code == 200
    client.post(reverse("meetings:minutes_send", args=[pk]), {"confirm": "on"})
    minutes = world.meeting.__class__.objects.get(pk=pk).minutes
    assert minutes.status == MinutesStatus.SENT

    for person in (world.checker, world.chair):
        enable_mfa(person)
    client.force_login(world.checker)
    reauthenticate(client, world.checker)
    answer = reverse("meetings:minutes_answer", args=[pk])
    assert "Mötets öppnande" in client.get(answer).content.decode()
    client.post(answer, {"answer": "approve"})
    client.force_login(world.chair)
    reauthenticate(client, world.chair)
    client.post(answer, {"answer": "approve", "comment": "Bra."})
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED

    client.force_login(world.secretary)
    client.post(reverse("meetings:minutes_publish", args=[pk]), {"confirm": "on"})
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.PUBLISHED

    client.logout()
    body = client.get(reverse("meetings:minutes_detail", args=[pk])).content.decode()
    assert "§ 1 Mötets öppnande" in body
    assert "Karin Personal, kansliet" in body
    assert "Jonas Justerare" in body and "Anna Ordförande" in body
    pdf = client.get(reverse("meetings:minutes_pdf", args=[pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_pdf_lists_the_approvals(client, world):
    from io import BytesIO

    from pypdf import PdfReader

    published(world)
    response = client.get(reverse("meetings:minutes_pdf", args=[world.meeting.pk]))
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Justering" in text
    assert "Jonas Justerare" in text and "Anna Ordförande" in text
    assert "§ 1 Punkt 1" in text


def test_editing_approved_minutes_through_the_page_is_refused(client, world):
    minutes = approved(world)
    item = minutes.items.order_by("number").first()
    client.force_login(world.secretary)
    response = client.post(
        reverse("meetings:minutes_item_edit", args=[world.meeting.pk, item.pk]),
        {"part": "item", "heading": "Ändrad i smyg", "decision": "Annat"},
    )
    assert response.status_code == 409
    assert "kan inte ändras" in response.content.decode()
    item.refresh_from_db()
    assert item.heading == "Punkt 1"
    response = client.post(
        reverse("meetings:minutes_edit", args=[world.meeting.pk]),
        {"part": "item", "item-heading": "Ny paragraf"},
    )
    assert response.status_code == 302
    assert not MinutesItem.objects.filter(heading="Ny paragraf").exists()


def test_a_correction_through_the_pages_needs_a_reason_and_shows_in_the_history(client, world):
    published(world)
    pk = world.meeting.pk
    client.force_login(world.secretary)
    url = reverse("meetings:minutes_correct", args=[pk])
    response = client.post(url, {"reason": "", "confirm": "on"})
    assert response.status_code == 200  # the form again, with the error
    client.post(url, {"reason": "Fel datum i § 2.", "confirm": "on"})
    minutes = world.meeting.__class__.objects.get(pk=pk).minutes
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    history = client.get(reverse("meetings:minutes_history", args=[pk])).content.decode()
    assert "Version 1" in history and "Version 2" in history
    assert "Fel datum i § 2." in history
    # The public still sees version 1 only until the correction is published.
    client.logout()
    public = client.get(reverse("meetings:minutes_history", args=[pk])).content.decode()
    assert "Version 1" in public and "Version 2" not in public


def test_a_checker_can_return_minutes_with_a_comment(client, world):
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    enable_mfa(world.checker)
    client.force_login(world.checker)
    reauthenticate(client, world.checker)
    url = reverse("meetings:minutes_answer", args=[world.meeting.pk])
    response = client.post(url, {"answer": "return", "comment": ""})
    assert response.status_code == 200
    client.post(url, {"answer": "return", "comment": "Namnet är felstavat."})
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT


def test_meeting_create_keeps_input_when_invalid_and_creates_when_valid(client, world):
    client.force_login(world.secretary)
    url = reverse("meetings:meeting_create")
    data = {
        "kind": "group",
        "title": "Vårmöte",
        "starts_at": "2027-03-10T13:00",
        "ends_at": "2027-03-10T12:00",
        "location": "Sundsvall",
        "online_url": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'value="Vårmöte"' in response.content.decode()
    assert 'aria-describedby="id_ends_at_error"' in response.content.decode()
    data["ends_at"] = "2027-03-10T16:00"
    response = client.post(url, data)
    assert response.status_code == 302
    assert world.group.meetings.filter(title="Vårmöte").exists()


def test_the_secretary_prepares_a_numbered_agenda(client, world):
    client.force_login(world.secretary)
    url = reverse("meetings:agenda_edit", args=[world.meeting.pk])
    client.post(url, {"title": "Mötets öppnande", "description": ""})
    client.post(url, {"title": "Uppföljning av åtagandena", "description": "Se bilaga."})
    client.force_login(world.member)
    body = client.get(reverse("meetings:meeting_detail", args=[world.meeting.pk])).content.decode()
    assert '<li value="1">' in body and '<li value="2">' in body
    assert "Uppföljning av åtagandena" in body


def test_a_checker_whose_term_has_ended_since_can_read_and_approve_the_minutes(client, world):
    # A checker must be a member on the meeting day (issue 14); one whose term has ended since
    # is no longer in the group but still checks the minutes of that meeting.
    from meetings.models import MemberRole

    from .factories import GroupMemberFactory

    GroupMemberFactory(
        group=world.group,
        user=world.outsider,
        role=MemberRole.MEMBER,
        term_end=timezone.localdate() - datetime.timedelta(days=1),
    )
    minutes = draft_with_items(world)
    services.minutes_header_update(
        minutes=minutes, chair=world.chair, secretary=world.secretary, checkers=[world.outsider]
    )
    attachment = _attach(world, minutes_item=minutes.items.first())
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    enable_mfa(world.outsider)
    client.force_login(world.outsider)
    pk = world.meeting.pk
    assert client.get(reverse("meetings:minutes_detail", args=[pk])).status_code == 200
    assert client.get(reverse("meetings:minutes_answer", args=[pk])).status_code == 200
    url = reverse("meetings:attachment_download", args=[attachment.pk])
    assert client.get(url).status_code == 200
    # ...but not the group's internal pages.
    assert client.get(reverse("meetings:minutes_edit", args=[pk])).status_code == 403


def test_the_public_cannot_read_an_unpublished_revision_by_number(client, world):
    minutes = published(world)
    services.minutes_correction_start(minutes=minutes, by=world.secretary, reason="Stavfel.")
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    url = reverse("meetings:minutes_print", args=[world.meeting.pk])
    assert client.get(url + "?revision=1").status_code == 200
    assert client.get(url + "?revision=2").status_code == 404
    client.force_login(world.member)
    assert client.get(url + "?revision=2").status_code == 200


def test_the_group_page_makes_the_same_number_of_queries_for_a_large_group(
    client, world, django_assert_max_num_queries
):
    url = reverse("meetings:group_detail")
    client.force_login(world.staff)
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    for _ in range(20):
        GroupMemberFactory(group=world.group)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_pages_are_translated_to_english(client, world):
    published(world)
    body = client.get("/en/moten/").content.decode()
    assert "Meetings and minutes" in body and "Approved minutes" in body
    minutes = client.get(f"/en/moten/{world.meeting.pk}/protokoll/").content.decode()
    assert "Members present" in minutes and "Approval" in minutes


def test_meeting_documents_are_listed_for_the_group_only(client, world):
    attachment = _attach(world)
    url = reverse("meetings:meeting_detail", args=[world.meeting.pk])
    link = reverse("meetings:attachment_download", args=[attachment.pk])
    assert link not in client.get(url).content.decode()
    client.force_login(world.member)
    assert link in client.get(url).content.decode()


def test_the_secretary_makes_items_from_the_agenda(client, world):
    services.agenda_item_create(meeting=world.meeting, title="Mötets öppnande")
    world.minutes()
    client.force_login(world.secretary)
    response = client.post(
        reverse("meetings:minutes_edit", args=[world.meeting.pk]), {"part": "from_agenda"}
    )
    assert response.status_code == 302
    assert MinutesItem.objects.get().heading == "Mötets öppnande"


def test_a_serving_deputy_without_a_member_to_replace_gets_a_linked_error(client, world):
    deputy = GroupMemberFactory(group=world.group, role=MemberRole.DEPUTY)
    world.minutes()
    client.force_login(world.secretary)
    response = client.post(
        reverse("meetings:minutes_edit", args=[world.meeting.pk]),
        {"part": "attendance", f"att-status_{deputy.pk}": "deputy"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_att-serving_{deputy.pk}_error"' in body
    assert f'aria-describedby="id_att-serving_{deputy.pk}_error"' in body


@pytest.mark.parametrize("who", PEOPLE)
def test_moving_and_removing_agenda_items_is_for_the_secretary_and_staff(client, world, who):
    services.agenda_item_create(meeting=world.meeting, title="A")
    item = services.agenda_item_create(meeting=world.meeting, title="B")
    url = reverse("meetings:agenda_item_action", args=[world.meeting.pk, item.pk])
    client = client_for(client, world, who)
    response = client.post(url, {"action": "up"})
    assert response.status_code == (302 if who in MANAGERS | {"anonymous"} else 403)
    first = world.meeting.agenda_items.order_by("position").first().title
    assert first == ("B" if who in MANAGERS else "A")


def test_removing_an_agenda_item_needs_the_confirmation(client, world):
    item = services.agenda_item_create(meeting=world.meeting, title="A")
    url = reverse("meetings:agenda_item_action", args=[world.meeting.pk, item.pk])
    client.force_login(world.secretary)
    client.post(url, {"action": "delete"})
    assert world.meeting.agenda_items.count() == 1
    client.post(url, {"action": "delete", "confirm": "on"})
    assert world.meeting.agenda_items.count() == 0


def test_a_superuser_who_is_not_a_checker_is_not_offered_to_approve(client, world):
    from tests.accounts.factories import UserFactory

    admin = UserFactory(staff=True, is_superuser=True)
    minutes = draft_with_items(world)
    client.force_login(admin)
    url = reverse("meetings:minutes_answer", args=[world.meeting.pk])
    assert client.get(url).status_code == 403  # a draft: nothing to approve
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    assert client.get(url).status_code == 403
    page = client.get(reverse("meetings:minutes_detail", args=[world.meeting.pk])).content
    assert url.encode() not in page


def test_an_action_added_to_a_decision_needs_a_commitment_or_a_principle(client, world):
    from meetings.models import DecisionAction

    commitment = group_commitment(world)
    minutes = draft_with_items(world, count=1)
    item = minutes.items.get()
    url = reverse("meetings:minutes_item_edit", args=[world.meeting.pk, item.pk])
    client.force_login(world.secretary)
    response = client.post(url, {"part": "action", "action-text": "Bjud in"})
    assert response.status_code == 200
    assert "Välj det åtagande eller den princip" in response.content.decode()
    assert not DecisionAction.objects.exists()
    response = client.post(
        url, {"part": "action", "action-text": "Bjud in", "action-commitment": commitment.pk}
    )
    assert response.status_code == 302
    assert DecisionAction.objects.get().commitment == commitment


def test_the_minutes_page_and_the_commitment_page_show_the_action_a_decision_created(client, world):
    commitment = group_commitment(world)
    minutes = draft_with_items(world, count=1)
    item = minutes.items.get()
    services.decision_action_create(
        item=item, text="Bjud in till dialogmöte", commitment=commitment
    )
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_approve(minutes=minutes, by=world.checker)
    services.minutes_approve(minutes=minutes, by=world.chair)
    services.minutes_publish(minutes=minutes, by=world.secretary)
    page = client.get(reverse("meetings:minutes_detail", args=[world.meeting.pk]))
    text = page.content.decode()
    assert "Åtgärder i uppföljningen" in text
    assert reverse("commitments:detail", args=[commitment.pk]) in text
    page = client.get(reverse("commitments:detail", args=[commitment.pk]))
    text = page.content.decode()
    assert "Bjud in till dialogmöte" in text
    assert f"Beslutad av samverkansgruppen § {item.number}" in text


# --- Member management --------------------------------------------------------------------


MEMBER_MANAGERS = {"staff"}


@pytest.mark.parametrize("who", PEOPLE)
def test_managing_members_is_for_staff_only(client, world, who):
    member = world.members[0]
    expected = login_or_forbidden(who, MEMBER_MANAGERS)
    for url in [
        reverse("meetings:group_members"),
        reverse("meetings:group_member_end", args=[member.pk]),
    ]:
        assert status_of(client, world, who, url) == expected, url
    response = client_for(client, world, who).post(
        reverse("meetings:group_member_end", args=[member.pk]),
        {"term_end": "2024-01-01", "confirm": "on"},
    )
    member.refresh_from_db()
    if who == "staff":
        assert response.status_code == 302 and member.term_end == datetime.date(2024, 1, 1)
    else:
        assert response.status_code in (302, 403) and member.term_end is None


def test_staff_add_a_member_by_email_and_the_balance_warning_follows(client, world):
    from organisations.models import OrganisationStatus
    from tests.accounts.factories import UserFactory
    from tests.organisations.factories import OrganisationFactory

    client.force_login(world.staff)
    url = reverse("meetings:group_members")
    # The world has two civil-society and two public members: balanced.
    assert "Parterna har lika många ledamöter." in client.get(url).content.decode()
    organisation = OrganisationFactory(name="Länets idrottsförbund")
    OrganisationFactory(name="Ej godkänd", status=OrganisationStatus.APPLIED)
    newcomer = UserFactory(email="ny.ledamot@example.org", full_name="Nils Ny")
    page = client.get(url)
    assert [o.name for o in page.context["form"].fields["organisation"].queryset] == [
        "Länets idrottsförbund"
    ]
    response = client.post(
        url,
        {
            "email": "NY.LEDAMOT@example.org",
            "organisation": organisation.pk,
            "side": "civil_society",
            "role": "member",
            "term_start": "2025-01-01",
        },
    )
    assert response.status_code == 302
    member = GroupMember.objects.get(user=newcomer)
    assert member.organisation == organisation and member.term_end is None
    html = client.get(url).content.decode()
    assert "Parterna är inte lika många." in html and "Nils Ny" in html
    group_html = client.get(reverse("meetings:group_detail")).content.decode()
    assert "Parterna är inte lika många." in group_html


def test_adding_a_member_keeps_the_input_and_explains_an_unknown_email(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("meetings:group_members"),
        {"email": "ingen@example.org", "side": "public", "role": "deputy", "term_start": ""},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Det finns inget konto med den e-postadressen" in html
    assert 'value="ingen@example.org"' in html
    assert GroupMember.objects.count() == len(world.members)


def test_a_person_cannot_hold_two_overlapping_seats(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("meetings:group_members"),
        {
            "email": world.member.email,
            "side": "public",
            "role": "deputy",
            "term_start": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert "redan ledamot" in response.content.decode()


def test_ending_a_term_needs_confirmation_keeps_the_member_and_lists_them_as_former(client, world):
    member = world.members[3]  # Lena Ledamot, public side
    client.force_login(world.staff)
    url = reverse("meetings:group_member_end", args=[member.pk])
    response = client.post(url, {"term_end": "2024-06-30"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.term_end is None
    response = client.post(url, {"term_end": "2024-06-30", "confirm": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.term_end == datetime.date(2024, 6, 30)
    assert GroupMember.objects.filter(pk=member.pk).exists()  # never deleted
    page = client.get(reverse("meetings:group_members"))
    assert member in page.context["roster"].former
    assert member not in page.context["roster"].current
    html = page.content.decode()
    assert "Tidigare ledamöter" in html and "Lena Ledamot" in html
    assert "Parterna är inte lika många." in html
    # A term cannot be ended before it began, nor lengthened after it ended.
    response = client.post(url, {"term_end": "2025-01-01", "confirm": "on"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.term_end == datetime.date(2024, 6, 30)


def test_the_member_page_runs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    from tests.accounts.factories import UserFactory
    from tests.sessions import session_queries

    client.force_login(world.staff)
    url = reverse("meetings:group_members")
    # the page, the group, members, plus one MFA check (staff need an authenticator), and the
    # session when sessions are not read from the cache.
    with django_assert_num_queries(9 + session_queries()) as few:
        client.get(url)
    for n in range(15):
        GroupMemberFactory(
            group=world.group,
            user=UserFactory(),
            term_start=datetime.date(2018, 1, 1),
            term_end=datetime.date(2019, 1, 1) if n % 2 else None,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_published_pdf_is_tagged_with_title_language_and_author(client, world):
    from io import BytesIO

    from pypdf import PdfReader

    published(world)
    response = client.get(reverse("meetings:minutes_pdf", args=[world.meeting.pk]))
    reader = PdfReader(BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged (PDF/UA)
    assert root["/Lang"] == "sv"
    assert reader.metadata.title.startswith("Protokoll – ")
    assert reader.metadata.author == world.meeting.group.name


def test_the_public_pdf_is_rendered_once_for_anonymous_visitors(client, world):
    published(world)
    url = reverse("meetings:minutes_pdf", args=[world.meeting.pk])
    first = client.get(url)
    second = client.get(url)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
