import pytest
from django.urls import reverse

from lov_portal.portal.accessibility import AXE_CORE_VERSION
from lov_portal.portal.models import AccessibilityReport
from lov_portal.portal.services import accessibility_report_create
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


URL = "/tillganglighet/"
VALID = {
    "description": "Knappen Skicka går inte att nå med tangentbordet.",
    "page_url": "/overenskommelsen/",
    "name": "Alva Andersson",
    "email": "alva@example.se",
}


def test_report_is_stored_and_emailed_to_staff_after_commit(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PORTAL_CONTACT_EMAIL = "kansliet@example.se"
    with django_capture_on_commit_callbacks(execute=True):
        report = accessibility_report_create(**VALID, language="en")

    stored = AccessibilityReport.objects.get()
    assert stored == report
    assert stored.language == "en"
    assert stored.handled_at is None
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["kansliet@example.se"]
    assert mail.reply_to == ["alva@example.se"]
    assert f"nr {report.pk}" in mail.subject
    assert VALID["description"] in mail.body
    assert "/overenskommelsen/" in mail.body


def test_no_email_is_sent_when_the_transaction_rolls_back(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        accessibility_report_create(description="Kontrasten är för låg.")
    assert len(callbacks) == 1
    assert mailoutbox == []


def test_anonymous_report_without_email_gets_no_reply_to(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accessibility_report_create(description="  Kontrasten är för låg.  ")
    assert AccessibilityReport.objects.get().description == "Kontrasten är för låg."
    assert mailoutbox[0].reply_to == []


def test_report_is_kept_when_the_email_cannot_be_sent(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.portal.test_accessibility_report.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        accessibility_report_create(description="Bilden saknar alternativtext.")
    assert AccessibilityReport.objects.count() == 1
    assert "Could not e-mail accessibility report" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no SMTP server")


@pytest.mark.parametrize("role", ["anonymous", "user", "staff"])
def test_everyone_can_report_a_problem_through_the_form(
    client, mailoutbox, django_capture_on_commit_callbacks, role
):
    if role != "anonymous":
        client.force_login(UserFactory(staff=role == "staff"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, VALID, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert AccessibilityReport.objects.filter(description=VALID["description"]).exists()
    assert len(mailoutbox) == 1
    assert "Tack! Din rapport har skickats" in response.content.decode()


def test_english_form_records_the_language(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en" + URL, VALID)
    assert response.status_code == 302
    assert response.url == "/en" + URL
    assert AccessibilityReport.objects.get().language == "en"


def test_invalid_report_keeps_what_was_typed_and_links_the_error(client, mailoutbox):
    response = client.post(URL, {**VALID, "description": "", "email": "inte-en-adress"})

    assert response.status_code == 400
    assert not AccessibilityReport.objects.exists()
    assert mailoutbox == []
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'href="#id_description"' in html
    assert 'id="id_description_error"' in html
    assert 'aria-describedby="id_description_helptext id_description_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="inte-en-adress"' in html
    assert 'value="Alva Andersson"' in html


def test_statement_prefills_the_page_the_visitor_came_from(client):
    response = client.get(URL + "?sida=/overenskommelsen/")
    assert response.status_code == 200
    assert 'value="/overenskommelsen/"' in response.content.decode()


def test_statement_says_what_the_law_requires_and_no_more_than_is_true(client):
    html = client.get(URL).content.decode()
    assert "delvis förenlig" in html
    assert "https://www.digg.se/tdosanmalan" in html
    assert "Innehåll som inte är tillgängligt" in html
    assert f"axe-core {AXE_CORE_VERSION}" in html
    assert "23 november 2026" in html
    assert 'id="rapportera"' in html
    assert "helt förenlig" not in html


def test_statement_is_translated_to_english(client):
    html = client.get("/en" + URL).content.decode()
    assert "partially compliant" in html
    assert "Report a problem" in html or "Report accessibility" in html


def test_every_page_footer_links_to_the_report_form_with_the_page(client, lov):
    html = client.get("/overenskommelsen/").content.decode()
    assert f'href="{URL}?sida=/overenskommelsen/#rapportera"' in html


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("user", 302), ("staff", 200)])
def test_only_staff_see_reports_in_the_admin(client, role, status):
    accessibility_report_create(description="Fokus syns inte.")
    if role == "staff":
        from tests.permissions import make_staff_with_mfa

        user = make_staff_with_mfa()
        user.is_superuser = True
        user.save()
        client.force_login(user)
    elif role != "anonymous":
        client.force_login(UserFactory())
    response = client.get(reverse("admin:portal_accessibilityreport_changelist"))
    assert response.status_code == status


def test_statement_names_the_axe_core_version_the_browser_tests_run():
    from pathlib import Path

    vendored = Path(__file__).resolve().parents[1] / "e2e/vendor/axe-core/VERSION"
    assert vendored.read_text().split()[1] == AXE_CORE_VERSION


def test_many_reports_from_one_address_are_refused_without_emailing_staff(
    client, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("lov_portal.portal.views.REPORTS_PER_HOUR_AND_ADDRESS", 2)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [client.post(URL, VALID).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert AccessibilityReport.objects.count() == 2
    assert len(mailoutbox) == 2
    refused = client.post(URL, VALID)
    html = refused.content.decode()
    assert "Du har skickat många rapporter" in html
    assert 'role="alert"' in html
    assert VALID["description"] in html  # what was typed is kept
