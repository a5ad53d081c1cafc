import pytest
from django.test import RequestFactory

from lov_portal.audit.models import AuditEvent
from lov_portal.audit.services import audit_record
from lov_portal.core.models import ImmutableRecordError
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_audit_record_stores_who_what_which_object_and_from_where():
    user = UserFactory(is_staff=True)
    organisation = OrganisationFactory(name="Kvinnojouren")
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Firefox")
    event = audit_record(
        actor=user,
        action="organisation.approve",
        obj=organisation,
        data={"note": "ok"},
        request=request,
    )
    event.refresh_from_db()
    assert event.actor == user
    assert event.action == "organisation.approve"
    assert event.object_type == "organisations.organisation"
    assert event.object_id == str(organisation.pk)
    assert event.object_repr == "Kvinnojouren"
    assert event.data == {"note": "ok"}
    assert event.ip_address == "192.0.2.7"
    assert event.user_agent == "Firefox"
    assert event.created_at is not None


def test_audit_record_ignores_a_forwarded_address_it_cannot_trust():
    # The leftmost X-Forwarded-For entry is written by the client (issue 15): with no trusted
    # proxy configured the connecting address is recorded (lov_portal.core.http.client_ip).
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="198.51.100.1, 10.0.0.1")
    event = audit_record(actor=None, action="x", request=request)
    assert event.ip_address == "127.0.0.1"
    assert event.actor is None


def test_audit_events_cannot_be_changed_or_deleted():
    event = audit_record(actor=None, action="x")
    event.action = "y"
    with pytest.raises(ImmutableRecordError):
        event.save()
    with pytest.raises(ImmutableRecordError):
        event.delete()
    assert AuditEvent.objects.get().action == "x"


def test_staff_login_and_logout_are_logged(client):
    user = UserFactory(email="kansli@example.se", is_staff=True)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        "/konto/login/", {"login": user.email, "password": "korrekt-hast-batteri"}
    )
    assert response.status_code == 302
    client.post("/konto/logout/")
    assert list(AuditEvent.objects.order_by("pk").values_list("action", "actor")) == [
        ("staff.login", user.pk),
        ("staff.logout", user.pk),
    ]


def test_logins_of_others_are_not_logged(client):
    user = UserFactory(email="medlem@example.se")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post("/konto/login/", {"login": user.email, "password": "korrekt-hast-batteri"})
    client.post("/konto/logout/")
    assert not AuditEvent.objects.exists()
