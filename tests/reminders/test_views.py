import pytest
from django.urls import reverse

from lov_portal.reminders.models import ReminderOptOut
from tests.accounts.factories import UserFactory

from .factories import CommitmentFactory, GroupMemberFactory

pytestmark = pytest.mark.django_db

URL = "/konto/paminnelser/"


def test_the_preferences_page_has_its_swedish_address():
    assert reverse("reminders:preferences") == URL


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_a_user_sees_only_the_reminders_meant_for_them(client):
    member = GroupMemberFactory().user
    client.force_login(member)
    response = client.get(URL)
    assert response.status_code == 200
    keys = [row.key for row in response.context["rows"]]
    # Group members may become checkers or chair (or the secretary), so they see the minutes
    # reminder and the notices about minutes too.
    assert keys == [
        "meeting_upcoming",
        "minutes_approval",
        "minutes_sent_notice",
        "minutes_answered_notice",
    ]


def test_a_checker_sees_the_minutes_reminder_as_required_and_cannot_switch_it_off(client):
    from meetings.models import Minutes

    from .factories import MeetingFactory

    checker = UserFactory()
    Minutes.objects.create(meeting=MeetingFactory()).checkers.add(checker)
    client.force_login(checker)
    rows = {row.key: row for row in client.get(URL).context["rows"]}
    assert rows["minutes_approval"].required
    client.post(URL, {"kind": []})
    # The notices sent at once may be switched off; the reminder itself may not.
    assert not ReminderOptOut.objects.filter(user=checker, kind="minutes_approval").exists()


def test_a_plain_user_without_roles_has_no_reminders(client):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.context["rows"] == []
    assert "Det finns inga påminnelser för dig just nu." in response.content.decode()


def test_a_user_can_switch_off_a_reminder_and_on_again(client):
    owner = UserFactory()
    CommitmentFactory().owners.add(owner)
    client.force_login(owner)
    response = client.post(URL, {"kind": ["follow_up_conference"]})
    assert response.status_code == 302
    assert list(ReminderOptOut.objects.filter(user=owner).values_list("kind", flat=True)) == [
        "commitment_stale"
    ]
    client.post(URL, {"kind": ["follow_up_conference", "commitment_stale"]})
    assert not ReminderOptOut.objects.filter(user=owner).exists()


def test_staff_cannot_switch_off_the_reminders_their_role_requires(client):
    staff = UserFactory(staff=True)
    client.force_login(staff)
    response = client.get(URL)
    rows = {row.key: row for row in response.context["rows"]}
    assert rows["staff_few_meetings"].required
    assert rows["staff_review_due"].required
    assert not rows["meeting_upcoming"].required
    html = response.content.decode()
    assert 'value="staff_few_meetings" id="kind-staff_few_meetings"' in html
    client.post(URL, {"kind": []})
    off = set(ReminderOptOut.objects.filter(user=staff).values_list("kind", flat=True))
    assert "staff_few_meetings" not in off
    assert "staff_review_due" not in off
    assert "meeting_upcoming" in off


def test_a_user_cannot_switch_off_a_kind_not_meant_for_them(client):
    user = UserFactory()
    client.force_login(user)
    client.post(URL, {"kind": []})
    assert not ReminderOptOut.objects.filter(user=user).exists()


def test_the_page_is_in_english_under_en(client):
    client.force_login(GroupMemberFactory().user)
    response = client.get("/en" + URL)
    assert "Send me these reminders" in response.content.decode()


def test_the_page_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    staff = UserFactory(staff=True)
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        client.get(URL)
