import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lov_portal.audit.models import AuditEvent
from lov_portal.audit.services import audit_record
from tests.accounts.factories import UserFactory
from tests.evidence import forced
from tests.permissions import make_staff_with_mfa

pytestmark = pytest.mark.django_db


def make_events(count: int, action: str = "signature.register", actor=None) -> None:
    for _ in range(count):
        audit_record(actor=actor, action=action)


@pytest.mark.parametrize("count", [1, 120])
def test_the_log_lists_events_with_a_pinned_query_count(
    client, django_assert_max_num_queries, count
):
    staff = make_staff_with_mfa()
    make_events(count, actor=staff)
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("audit:event_list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 50)


def test_the_log_filters_by_action_actor_and_date(client):
    staff = make_staff_with_mfa()
    other = UserFactory(email="annan@example.se", is_staff=True)
    make_events(2, action="minutes.approve", actor=staff)
    make_events(3, action="signature.register", actor=other)
    old = audit_record(actor=other, action="signature.register")
    with forced():  # backdated; the database refuses changes to events otherwise
        AuditEvent.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=40)
        )
    client.force_login(staff)
    url = reverse("audit:event_list")
    assert client.get(url, {"action": "minutes.approve"}).context["page"].paginator.count == 2
    assert client.get(url, {"actor": "annan@"}).context["page"].paginator.count == 4
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert client.get(url, {"date_from": since}).context["page"].paginator.count == 5
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert client.get(url, {"date_to": until}).context["page"].paginator.count == 1


def test_the_log_paginates(client):
    staff = make_staff_with_mfa()
    make_events(60)
    client.force_login(staff)
    response = client.get(reverse("audit:event_list"), {"sida": 2})
    assert len(response.context["page"].object_list) == 10


def test_the_admin_cannot_add_change_or_delete_events(client):
    staff = make_staff_with_mfa()
    staff.is_superuser = True
    staff.save()
    event = audit_record(actor=staff, action="x")
    client.force_login(staff)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    response = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "y"})
    assert response.status_code == 403
    assert AuditEvent.objects.get().action == "x"


def test_staff_without_mfa_are_sent_to_set_it_up(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("audit:event_list"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_see_the_audit_link_in_the_menu(client):
    client.force_login(make_staff_with_mfa())
    assert reverse("audit:event_list") in client.get("/").content.decode()
    client.logout()
    assert reverse("audit:event_list") not in client.get("/").content.decode()
