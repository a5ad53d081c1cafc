import datetime

import pytest
from django.core.files.base import ContentFile

from lov_portal.reports.models import EditionStatus, ReportEdition
from tests.accounts.factories import UserFactory
from tests.reminders.factories import GroupMemberFactory

pytestmark = pytest.mark.django_db

LIST = "/rapporter/"


@pytest.fixture
def done_edition(db):
    edition = ReportEdition.objects.create(year=2025, edition=1, status=EditionStatus.DONE)
    edition.file.save("x.pdf", ContentFile(b"%PDF-1.7 test"))
    return edition


@pytest.fixture
def group_member(db):
    return GroupMemberFactory(term_start=datetime.date(2020, 1, 1)).user


def test_anonymous_visitors_are_sent_to_log_in(client, done_edition):
    assert client.get(LIST).status_code == 302
    assert client.get(f"/rapporter/{done_edition.pk}/ladda-ner/").status_code == 403


def test_an_ordinary_user_may_neither_see_nor_download(client, done_edition):
    client.force_login(UserFactory())
    assert client.get(LIST).status_code == 403
    assert client.get(f"/rapporter/{done_edition.pk}/ladda-ner/").status_code == 403
    assert client.get(f"/rapporter/{done_edition.pk}/status/").status_code == 403


def test_a_group_member_may_download_but_not_start(client, done_edition, group_member):
    client.force_login(group_member)
    response = client.get(f"/rapporter/{done_edition.pk}/ladda-ner/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert client.post(LIST, {"year": 2025}).status_code == 403
    assert ReportEdition.objects.count() == 1


NAV_LINK = f'<a href="{LIST}"'


def test_the_navigation_links_to_the_reports_for_those_who_may_read_them(client, group_member):
    client.force_login(group_member)
    assert NAV_LINK in client.get("/").content.decode()
    client.force_login(UserFactory(staff=True))
    assert NAV_LINK in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert NAV_LINK not in client.get("/").content.decode()
    client.logout()
    assert NAV_LINK not in client.get("/").content.decode()


def test_a_former_group_member_may_not_download(client, done_edition):
    former = GroupMemberFactory(
        term_start=datetime.date(2018, 1, 1), term_end=datetime.date(2020, 1, 1)
    ).user
    client.force_login(former)
    assert client.get(f"/rapporter/{done_edition.pk}/ladda-ner/").status_code == 403


def test_staff_start_a_report_and_it_is_listed_with_its_file(
    client, lov, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"year": 2025})
    assert response.status_code == 302
    edition = ReportEdition.objects.get()
    assert edition.status == EditionStatus.DONE  # tasks run in-process in tests
    page = client.get(LIST).content.decode()
    assert f"/rapporter/{edition.pk}/ladda-ner/" in page


def test_a_year_in_the_future_is_refused_and_the_input_kept(client):
    client.force_login(UserFactory(staff=True))
    response = client.post(LIST, {"year": 2999})
    assert response.status_code == 200
    assert 'value="2999"' in response.content.decode()
    assert 'aria-describedby="year-errors"' in response.content.decode()
    assert not ReportEdition.objects.exists()


def test_an_unfinished_edition_polls_and_a_finished_one_stops(client, done_edition):
    running = ReportEdition.objects.create(
        year=2025, edition=2, status=EditionStatus.RUNNING, progress=40
    )
    client.force_login(UserFactory(staff=True))
    html = client.get(f"/rapporter/{running.pk}/status/").content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'value="40"' in html
    html = client.get(f"/rapporter/{done_edition.pk}/status/").content.decode()
    assert "hx-trigger" not in html
    assert "ladda-ner" in html


def test_the_list_page_makes_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, done_edition
):
    client.force_login(UserFactory(staff=True))
    for n in range(2, 12):
        ReportEdition.objects.create(year=2024, edition=n, status=EditionStatus.DONE)
    with django_assert_max_num_queries(6):
        client.get(LIST)


def test_a_download_is_recorded_in_the_audit_log_and_a_refused_one_is_not(
    client, done_edition, group_member
):
    from lov_portal.audit.models import AuditEvent

    client.force_login(UserFactory())
    assert client.get(f"/rapporter/{done_edition.pk}/ladda-ner/").status_code == 403
    assert not AuditEvent.objects.filter(action="report.downloaded").exists()
    client.force_login(group_member)
    b"".join(client.get(f"/rapporter/{done_edition.pk}/ladda-ner/").streaming_content)
    event = AuditEvent.objects.get(action="report.downloaded")
    assert event.actor == group_member
    assert event.object_id == str(done_edition.pk)
    assert event.data == {"year": 2025, "edition": 1}
    unfinished = ReportEdition.objects.create(year=2025, edition=2)
    assert client.get(f"/rapporter/{unfinished.pk}/ladda-ner/").status_code == 404
    assert client.get("/rapporter/999999/status/").status_code == 404
    assert AuditEvent.objects.filter(action="report.downloaded").count() == 1
