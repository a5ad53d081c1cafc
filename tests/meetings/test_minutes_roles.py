"""Who may lead and check minutes (issue 14, part 7): the chair is the group's chair or vice
chair, the checkers are members or deputies, all in office on the day of the meeting; and the
person who keeps the minutes never approves them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from meetings import services
from meetings.models import MemberRole, Minutes, MinutesApproval, MinutesStatus
from tests.accounts.factories import UserFactory

from .conftest import draft_with_items
from .factories import GroupMemberFactory

pytestmark = pytest.mark.django_db


def _header(world, minutes, *, chair, secretary=None, checkers=None):
    return services.minutes_header_update(
        minutes=minutes,
        chair=chair,
        secretary=world.secretary if secretary is None else secretary,
        checkers=[world.checker] if checkers is None else checkers,
    )


def _errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def _meeting_day(world) -> datetime.date:
    return timezone.localtime(world.meeting.starts_at).date()


def _former(world, role):
    """A person whose term as `role` in the group ended the day before the meeting."""
    day = _meeting_day(world)
    return GroupMemberFactory(
        group=world.group,
        role=role,
        term_start=day - datetime.timedelta(days=400),
        term_end=day - datetime.timedelta(days=1),
    ).user


# --- The chair ------------------------------------------------------------------------------


def test_the_chair_and_the_vice_chair_may_lead_the_meeting(world):
    minutes = world.minutes()
    _header(world, minutes, chair=world.chair)
    vice = GroupMemberFactory(group=world.group, role=MemberRole.VICE_CHAIR).user
    _header(world, minutes, chair=vice)
    minutes.refresh_from_db()
    assert minutes.chair == vice


# "secretary" is the reported hole: the secretary made themselves chair and approved their own
# minutes.
@pytest.mark.parametrize("who", ["member", "checker", "outsider", "staff", "secretary"])
def test_a_chair_who_is_not_chair_or_vice_chair_of_the_group_is_refused(world, who):
    minutes = world.minutes()
    with pytest.raises(ValidationError) as excinfo:
        _header(world, minutes, chair=getattr(world, who), checkers=[])
    assert "chair" in _errors(excinfo)
    minutes.refresh_from_db()
    assert minutes.chair == world.chair


def test_the_person_keeping_the_minutes_cannot_also_be_the_chair(world):
    """Even the group's chair: whoever keeps the minutes does not approve them as chair."""
    minutes = world.minutes()
    with pytest.raises(ValidationError) as excinfo:
        _header(world, minutes, chair=world.chair, secretary=world.chair)
    assert "chair" in _errors(excinfo)


def test_a_chair_out_of_office_on_the_meeting_day_is_refused(world):
    day = _meeting_day(world)
    former = _former(world, MemberRole.CHAIR)
    future = GroupMemberFactory(
        group=world.group, role=MemberRole.VICE_CHAIR, term_start=day + datetime.timedelta(days=1)
    ).user
    minutes = world.minutes()
    for person in (former, future):
        with pytest.raises(ValidationError) as excinfo:
            _header(world, minutes, chair=person)
        assert "chair" in _errors(excinfo)


def test_a_chair_of_another_group_is_refused(world):
    other = GroupMemberFactory(role=MemberRole.CHAIR).user
    with pytest.raises(ValidationError):
        _header(world, world.minutes(), chair=other)


# --- The checkers ---------------------------------------------------------------------------


def test_members_and_deputies_may_check_the_minutes(world):
    deputy = GroupMemberFactory(group=world.group, role=MemberRole.DEPUTY).user
    minutes = world.minutes()
    _header(world, minutes, chair=world.chair, checkers=[world.member, deputy])
    assert set(minutes.checkers.all()) == {world.member, deputy}


@pytest.mark.parametrize("who", ["secretary", "outsider", "staff", "vice_chair"])
def test_a_checker_who_is_not_a_member_or_deputy_is_refused(world, who):
    if who == "vice_chair":
        person = GroupMemberFactory(group=world.group, role=MemberRole.VICE_CHAIR).user
    else:
        person = getattr(world, who)
    minutes = world.minutes()
    with pytest.raises(ValidationError) as excinfo:
        _header(world, minutes, chair=world.chair, checkers=[person])
    assert "checkers" in _errors(excinfo)
    assert not minutes.checkers.exists()


def test_the_person_keeping_the_minutes_cannot_check_them(world):
    """A member who keeps the minutes for once still does not check them."""
    minutes = world.minutes()
    with pytest.raises(ValidationError) as excinfo:
        _header(world, minutes, chair=world.chair, secretary=world.member, checkers=[world.member])
    assert "checkers" in _errors(excinfo)


def test_a_checker_whose_term_ended_before_the_meeting_is_refused(world):
    former = _former(world, MemberRole.MEMBER)
    with pytest.raises(ValidationError):
        _header(world, world.minutes(), chair=world.chair, checkers=[former])


def test_the_errors_are_in_swedish_with_an_english_translation(world):
    minutes = world.minutes()
    with pytest.raises(ValidationError) as swedish:
        _header(world, minutes, chair=world.secretary, checkers=[world.outsider])
    with translation.override("en"), pytest.raises(ValidationError) as english:
        _header(world, minutes, chair=world.secretary, checkers=[world.outsider])
    assert "protokollet" in " ".join(_errors(swedish)["chair"])
    assert "minutes" in " ".join(_errors(english)["chair"])
    assert "justerare" in " ".join(_errors(swedish)["checkers"])
    assert "minutes checker" in " ".join(_errors(english)["checkers"])


# --- Sending and approving --------------------------------------------------------------------


def _force_header(minutes, *, chair=None, secretary=None, checkers=()):
    """Roles as the old service allowed them (data from before the rules)."""
    fields = {"chair": chair, "secretary": secretary}
    Minutes.objects.filter(pk=minutes.pk).update(**{k: v for k, v in fields.items() if v})
    if checkers:
        minutes.checkers.set(checkers)


def test_minutes_with_roles_that_break_the_rules_are_not_sent(world):
    minutes = draft_with_items(world)
    _force_header(minutes, chair=world.secretary)
    with pytest.raises(ValidationError):
        services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT


def test_the_secretary_cannot_approve_even_when_named_chair_or_checker(world):
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    # Forced after sending, as older data may be.
    _force_header(minutes, chair=world.secretary, checkers=[world.checker, world.secretary])
    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=minutes, by=world.secretary)
    assert not MinutesApproval.objects.filter(user=world.secretary).exists()


def test_the_secretary_cannot_make_themselves_chair_through_the_page(client, world):
    minutes = world.minutes()
    client.force_login(world.secretary)
    url = reverse("meetings:minutes_edit", args=[world.meeting.pk])
    response = client.post(
        url,
        {
            "part": "header",
            "chair": world.secretary.pk,
            "secretary": world.secretary.pk,
            "checker_1": world.checker.pk,
        },
    )
    assert response.status_code == 200
    assert "Den som för protokollet kan inte" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.chair == world.chair


def test_the_secretary_gets_no_approval_page_when_forced_in_as_checker(client, world):
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    _force_header(minutes, checkers=[world.checker, world.secretary])
    client.force_login(world.secretary)
    url = reverse("meetings:minutes_answer", args=[world.meeting.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"answer": "approve", "comment": ""}).status_code == 403
    assert not MinutesApproval.objects.exists()


def test_a_checker_and_the_chair_still_approve_as_before(world):
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_approve(minutes=minutes, by=world.checker)
    services.minutes_approve(minutes=minutes, by=world.chair)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED


def test_an_outsider_cannot_be_forced_past_the_rules_by_a_staff_member(world):
    staff = UserFactory(staff=True)
    with pytest.raises(ValidationError):
        _header(world, world.minutes(), chair=world.chair, checkers=[staff])
