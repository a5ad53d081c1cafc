"""Who may use the cooperation group's pages, minutes, attachments and calendars (the
permissions matrix, tests/permissions.py).

In the world, the secretary manages meetings and minutes (with staff); the checker is a
member of the group and checks the minutes (`_draft`); the organisations' members are not in
the group: for them, and for anonymous visitors, only what is published is visible.
"""

import datetime

from tests.permissions import (
    CHECKER,
    MEMBER,
    SECRETARY,
    STAFF,
    Row,
    World,
    everyone,
    expect,
    logged_in,
    matrix_test,
    staff_only,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _meeting(world: World):
    if "meeting" not in world.extra:
        from tests.meetings.factories import MeetingFactory

        world.extra["meeting"] = MeetingFactory(group=world.group)
    return world.extra["meeting"]


def _pk(world: World) -> dict:
    return {"pk": _meeting(world).pk}


def _agenda_item(world: World) -> dict:
    from meetings import services

    item = services.agenda_item_create(meeting=_meeting(world), title="Budget")
    return {"pk": item.meeting_id, "item_pk": item.pk}


def _draft(world: World):
    """Draft minutes with one item; the checker checks them, a group chair leads."""
    from meetings import services
    from meetings.models import GroupMember, MemberRole
    from tests.accounts.factories import UserFactory

    chair = UserFactory(full_name="Anna Ordförande")
    GroupMember.objects.create(
        group=world.group,
        user=chair,
        side="civil_society",
        role=MemberRole.CHAIR,
        term_start=datetime.date(2024, 1, 1),
    )
    world.extra["chair"] = chair
    minutes = services.minutes_create(meeting=_meeting(world))
    services.minutes_header_update(
        minutes=minutes,
        chair=chair,
        secretary=world.users[SECRETARY],
        checkers=[world.users[CHECKER]],
    )
    services.minutes_item_create(
        minutes=minutes, heading="Punkt 1", notes="Diskussion.", decision="Beslutades."
    )
    return minutes


def _sent(world: World):
    from meetings import services

    minutes = _draft(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.users[SECRETARY])
    return minutes


def _approved(world: World):
    from meetings import services

    minutes = _sent(world)
    services.minutes_approve(minutes=minutes, by=world.users[CHECKER])
    services.minutes_approve(minutes=minutes, by=world.extra["chair"])
    minutes.refresh_from_db()
    return minutes


def _published(world: World):
    from meetings import services

    minutes = _approved(world)
    services.minutes_publish(minutes=minutes, by=world.users[SECRETARY])
    return minutes


def _with(step):
    """kwargs for a meeting whose minutes have reached `step`."""
    return lambda world: {"pk": step(world).meeting_id}


def _draft_item(world: World) -> dict:
    minutes = _draft(world)
    return {"pk": minutes.meeting_id, "item_pk": minutes.items.get().pk}


def _attachment(world: World, *, publish: bool) -> dict:
    """An attachment to § 1 of the minutes: public only once the minutes are published."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings import services

    minutes = _draft(world)
    attachment = services.attachment_create(
        meeting=minutes.meeting,
        upload=SimpleUploadedFile("Budget 2026.pdf", PDF, content_type="application/pdf"),
        title="Budget",
        by=world.users[SECRETARY],
        minutes_item=minutes.items.get(),
    )
    services.minutes_send_for_approval(minutes=minutes, by=world.users[SECRETARY])
    if publish:
        services.minutes_approve(minutes=minutes, by=world.users[CHECKER])
        services.minutes_approve(minutes=minutes, by=world.extra["chair"])
        services.minutes_publish(minutes=minutes, by=world.users[SECRETARY])
    return {"pk": attachment.pk}


def _calendar_token(world: World, role: str) -> dict:
    from meetings import services

    return {"token": services.calendar_token_get_or_create(user=world.users[role]).token}


def _staff_without_mfa_token(world: World) -> dict:
    from meetings import services
    from tests.accounts.factories import UserFactory

    user = UserFactory(email="feed-staff-without-mfa@example.se", is_staff=True)
    return {"token": services.calendar_token_get_or_create(user=user).token}


# The secretary and staff manage meetings and minutes.
MANAGERS = expect(logged_in(403), secretary=200, staff=200)
MANAGERS_REDIRECT = expect(logged_in(403), secretary=302, staff=302)
# The group (the checker is a member; the secretary and staff too) sees internal things.
INSIDERS = expect(logged_in(200), member=403, other_member=403)
# Never reveal that an unpublished attachment exists: 404, not 403.
INSIDERS_ELSE_404 = expect(200, anonymous=404, member=404, other_member=404)


def _group_member_pk(world) -> dict:
    from meetings.models import GroupMember

    return {"member_pk": GroupMember.objects.filter(group=world.group).order_by("pk")[0].pk}


PERMISSIONS = [
    # Managing the group's members is staff work; the secretary keeps the minutes only.
    Row("meetings:group_members", staff_only()),
    Row("meetings:group_member_end", staff_only(), kwargs=_group_member_pk),
    # Public pages and the public calendar.
    Row("meetings:group_detail", everyone(200)),
    Row("meetings:meeting_list", everyone(200)),
    Row("meetings:year_overview", everyone(200)),
    Row("meetings:year_overview_year", everyone(200), kwargs=lambda w: {"year": 2025}),
    Row("meetings:year_overview_year", everyone(404), kwargs=lambda w: {"year": 1999}),
    Row("meetings:meeting_detail", everyone(200), kwargs=_pk),
    Row("meetings:meeting_detail", everyone(404), kwargs=lambda w: {"pk": 999999}),
    Row("meetings_meeting_ics", everyone(200), kwargs=_pk),
    Row("meetings_public_feed", everyone(200)),
    Row("meetings:meeting_list", everyone(405), method="post"),
    # Managing meetings and agendas.
    Row("meetings:meeting_create", MANAGERS),
    Row("meetings:meeting_edit", MANAGERS, kwargs=_pk),
    Row("meetings:agenda_edit", MANAGERS, kwargs=_pk),
    Row("meetings:agenda_item_edit", MANAGERS, kwargs=_agenda_item),
    *Row.post_only(
        "meetings:agenda_item_action",
        MANAGERS_REDIRECT,
        kwargs=_agenda_item,
        data=lambda w: {"action": "up"},
    ),
    Row("meetings:attachment_upload", MANAGERS, kwargs=_pk),
    # Writing the minutes.
    *Row.post_only("meetings:minutes_create", MANAGERS_REDIRECT, kwargs=_pk),
    Row("meetings:minutes_edit", MANAGERS, kwargs=_with(_draft)),
    Row("meetings:minutes_item_edit", MANAGERS, kwargs=_draft_item),
    Row("meetings:minutes_send", MANAGERS, kwargs=_with(_draft)),
    Row("meetings:minutes_publish", MANAGERS, kwargs=_with(_approved)),
    Row("meetings:minutes_correct", MANAGERS, kwargs=_with(_approved)),
    # Checking (justering): only the minutes' checkers and chair, while they wait for it; a
    # checker without a second factor is first sent to set one up (302, tests/meetings/
    # test_step_up.py).
    Row(
        "meetings:minutes_answer",
        expect(logged_in(403), checker=302),
        kwargs=_with(_sent),
    ),
    Row("meetings:minutes_answer", logged_in(403), kwargs=_with(_draft)),
    # Reading the minutes: unpublished for the group only; published for everyone.
    Row("meetings:minutes_detail", INSIDERS, kwargs=_with(_sent)),
    Row("meetings:minutes_history", INSIDERS, kwargs=_with(_sent)),
    Row(
        "meetings:minutes_print",
        expect(INSIDERS, anonymous=403),
        kwargs=_with(_sent),
    ),
    Row("meetings:minutes_pdf", expect(INSIDERS, anonymous=403), kwargs=_with(_sent)),
    Row("meetings:minutes_detail", everyone(200), kwargs=_with(_published)),
    Row("meetings:minutes_history", everyone(200), kwargs=_with(_published)),
    Row("meetings:minutes_print", everyone(200), kwargs=_with(_published)),
    Row("meetings:minutes_pdf", everyone(200), kwargs=_with(_published)),
    Row("meetings:minutes_detail", everyone(404), kwargs=_pk),
    # Attachments.
    Row(
        "meetings:attachment_download",
        INSIDERS_ELSE_404,
        kwargs=lambda w: _attachment(w, publish=False),
    ),
    Row(
        "meetings:attachment_download",
        everyone(200),
        kwargs=lambda w: _attachment(w, publish=True),
    ),
    # The private calendar: the page for the group and staff; the feed answers to whoever
    # holds a group member's secret address, and to nobody for anyone else's.
    Row("meetings:calendar_settings", INSIDERS),
    Row("meetings:calendar_settings", INSIDERS, method="post"),
    Row("meetings_private_feed", everyone(200), kwargs=lambda w: _calendar_token(w, CHECKER)),
    Row("meetings_private_feed", everyone(404), kwargs=lambda w: _calendar_token(w, MEMBER)),
    Row("meetings_private_feed", everyone(404), kwargs=lambda w: {"token": "finns-inte"}),
    # Staff's feed shows every meeting with internal details: only for staff with MFA (the
    # feed has no session for StaffMFAMiddleware to check).
    Row("meetings_private_feed", everyone(200), kwargs=lambda w: _calendar_token(w, STAFF)),
    Row("meetings_private_feed", everyone(404), kwargs=_staff_without_mfa_token),
]


test_meetings_permissions = matrix_test(PERMISSIONS)


def test_the_secretary_manages_meetings_without_mfa(client, matrix_world):
    """MFA is demanded of staff (StaffMFAMiddleware), not of the group's secretary, who is
    not staff: the MANAGERS rows above run as a secretary without an authenticator."""
    from allauth.mfa.utils import is_mfa_enabled
    from django.urls import reverse

    secretary = matrix_world.users[SECRETARY]
    assert not secretary.is_staff and not is_mfa_enabled(secretary)
    client.force_login(secretary)
    assert client.get(reverse("meetings:meeting_create")).status_code == 200
