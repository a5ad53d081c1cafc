import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment, CommitmentStatus, StatusUpdate
from lov_portal.core.cache import public_cache_bump
from tests.accounts.factories import UserFactory
from tests.commitments.factories import ActionFactory, CommitmentFactory, StatusUpdateFactory
from tests.sessions import session_queries

pytestmark = pytest.mark.django_db

LIST = reverse("commitments:list")
DASHBOARD = reverse("commitments:dashboard")
POST = reverse("commitments:update_post")


def post_data(commitment: Commitment, **extra: object) -> dict:
    return {
        "commitment": commitment.pk,
        "status": CommitmentStatus.IN_PROGRESS,
        "refers_to": "2026-03-01",
        "narrative": "Ett första möte är hållet.",
        "links": "",
        **extra,
    }


def add_history(agreement, per_commitment: int) -> None:
    commitments = list(Commitment.objects.filter(principle__agreement=agreement))
    author = UserFactory()
    for commitment in commitments:
        for n in range(per_commitment):
            StatusUpdateFactory(commitment=commitment, author=author, is_internal=n % 3 == 2)
    ActionFactory.create_batch(per_commitment, principle=commitments[0].principle)


# --- public view -----------------------------------------------------------------------------


def test_public_view_lists_every_principle_and_commitment_with_status(client, lov):
    commitment = Commitment.objects.get(source_key="v1:2.1")
    StatusUpdateFactory(commitment=commitment, status=CommitmentStatus.ACHIEVED)
    Commitment.objects.filter(pk=commitment.pk).update(
        status=CommitmentStatus.ACHIEVED, last_update_at=timezone.now()
    )
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    for principle in lov.principles.all():
        assert principle.name in html
    assert html.count('class="commitment-card"') == 23
    assert "Uppnått" in html


def test_a_member_of_the_public_cannot_see_internal_updates(client):
    commitment = CommitmentFactory()
    StatusUpdateFactory(commitment=commitment, narrative="Offentlig rapport.")
    StatusUpdateFactory(
        commitment=commitment, narrative="Hemlig intern anteckning.", is_internal=True
    )
    for url in (
        reverse("commitments:list"),
        reverse("commitments:detail", args=[commitment.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Hemlig intern anteckning." not in html
    assert (
        "Offentlig rapport."
        in client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    )


def test_the_public_pages_show_the_status_of_the_latest_public_update_only(client):
    from commitments.services import status_update_create

    staff = UserFactory(staff=True)
    commitment = CommitmentFactory()
    status_update_create(
        commitment=commitment,
        author=staff,
        status=CommitmentStatus.ACHIEVED,
        refers_to=datetime.date(2026, 1, 15),
    )
    status_update_create(
        commitment=commitment,
        author=staff,
        status=CommitmentStatus.STALLED,
        refers_to=datetime.date(2026, 1, 16),
        is_internal=True,
    )
    detail = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "Uppnått" in detail
    assert "Avstannat" not in detail
    listed = client.get(reverse("commitments:list"), {"status": "stalled"}).content.decode()
    assert commitment.text not in listed


def test_staff_see_internal_updates_on_the_commitment_page(client):
    commitment = CommitmentFactory()
    StatusUpdateFactory(
        commitment=commitment, narrative="Hemlig intern anteckning.", is_internal=True
    )
    client.force_login(UserFactory(staff=True))
    html = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "Hemlig intern anteckning." in html


def test_an_owner_sees_internal_updates_only_if_staff(client):
    owner = UserFactory()
    commitment = CommitmentFactory(owners=[owner])
    StatusUpdateFactory(
        commitment=commitment, narrative="Hemlig intern anteckning.", is_internal=True
    )
    client.force_login(owner)
    html = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "Hemlig intern anteckning." not in html
    assert "Rapportera status" in html


def test_commitment_page_shows_the_full_history_and_corrections(client):
    commitment = CommitmentFactory()
    old = StatusUpdateFactory(commitment=commitment, narrative="Först.")
    StatusUpdateFactory(commitment=commitment, narrative="Rättat.", corrects=old)
    html = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "Först." in html and "Rättat." in html
    assert "Rättar uppdateringen från" in html


def test_retired_commitment_page_keeps_its_history(client):
    commitment = CommitmentFactory(retired_at=timezone.now())
    StatusUpdateFactory(commitment=commitment, narrative="Gammal historik.")
    response = client.get(reverse("commitments:detail", args=[commitment.pk]))
    assert response.status_code == 200
    assert "Gammal historik." in response.content.decode()
    assert commitment.text not in client.get(LIST).content.decode()


def test_unknown_commitment_is_404(client):
    assert client.get(reverse("commitments:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("per_commitment", [1, 6])
def test_public_view_runs_a_fixed_number_of_queries(
    client, lov, per_commitment, django_assert_num_queries
):
    add_history(lov, per_commitment)
    # agreement, principles, commitments, their updates, their actions, principle actions
    with django_assert_num_queries(6):
        response = client.get(LIST)
    assert response.status_code == 200


@pytest.mark.parametrize("per_commitment", [1, 6])
def test_commitment_page_runs_a_fixed_number_of_queries(
    client, per_commitment, django_assert_num_queries
):
    commitment = CommitmentFactory()
    for _ in range(per_commitment):
        StatusUpdateFactory(commitment=commitment)
    with django_assert_num_queries(6):
        client.get(reverse("commitments:detail", args=[commitment.pk]))


# --- posting ---------------------------------------------------------------------------------


def test_anonymous_cannot_post_and_is_sent_to_login(client):
    commitment = CommitmentFactory()
    response = client.post(POST, post_data(commitment))
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]
    assert not StatusUpdate.objects.exists()


def test_an_owner_of_one_commitment_cannot_post_on_another_through_the_form(client, lov):
    owner = UserFactory()
    mine, other = Commitment.objects.all()[:2]
    mine.owners.add(owner)
    client.force_login(owner)
    response = client.post(POST, post_data(other))
    assert response.status_code == 403
    assert not StatusUpdate.objects.exists()


def test_a_user_who_owns_nothing_cannot_post(client, lov):
    client.force_login(UserFactory())
    response = client.post(POST, post_data(Commitment.objects.first()))
    assert response.status_code == 403


def test_an_owner_posts_on_their_own_commitment(client, lov):
    owner = UserFactory()
    mine = Commitment.objects.first()
    mine.owners.add(owner)
    client.force_login(owner)
    response = client.post(POST, post_data(mine, next="/ataganden/"))
    assert response.status_code == 302
    assert response["Location"] == "/ataganden/"
    mine.refresh_from_db()
    assert mine.status == CommitmentStatus.IN_PROGRESS
    assert StatusUpdate.objects.get().author == owner


def test_an_owner_cannot_sneak_in_an_internal_flag(client, lov):
    owner = UserFactory()
    mine = Commitment.objects.first()
    mine.owners.add(owner)
    client.force_login(owner)
    client.post(POST, post_data(mine, is_internal="on"))
    assert StatusUpdate.objects.get().is_internal is False


def test_staff_post_from_the_dashboard_with_htmx_gets_the_fragment(client, lov):
    client.force_login(UserFactory(staff=True))
    commitment = Commitment.objects.last()
    response = client.post(
        POST, post_data(commitment, status="stalled", is_internal="on"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-focus" in html and 'id="update-form"' not in html
    assert "<html" not in html
    update = StatusUpdate.objects.get()
    assert update.is_internal and update.status == "stalled"


def test_invalid_post_keeps_what_was_typed_and_links_errors(client, lov):
    client.force_login(UserFactory(staff=True))
    commitment = Commitment.objects.first()
    response = client.post(
        POST, post_data(commitment, refers_to="inte ett datum", narrative="Mitt utkast")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mitt utkast" in html
    assert 'aria-describedby="id_refers_to_error"' in html
    assert not StatusUpdate.objects.exists()


def test_invalid_htmx_post_returns_the_form_with_errors(client, lov):
    client.force_login(UserFactory(staff=True))
    commitment = Commitment.objects.first()
    response = client.post(
        POST, post_data(commitment, links="inte en länk"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize("htmx", [True, False])
def test_the_update_forms_errors_are_the_site_wide_summary_linking_each_field(client, lov, htmx):
    client.force_login(UserFactory(staff=True))
    commitment = Commitment.objects.first()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    html = client.post(
        POST, post_data(commitment, links="inte en länk", refers_to=""), **headers
    ).content.decode()
    summary = html[
        html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))
    ]
    assert 'role="alert"' in html
    assert 'href="#id_links"' in summary and 'href="#id_refers_to"' in summary
    assert 'aria-describedby="id_links_error"' in html
    assert not StatusUpdate.objects.exists()


def test_post_ignores_an_offsite_next(client, lov):
    client.force_login(UserFactory(staff=True))
    commitment = Commitment.objects.first()
    response = client.post(POST, post_data(commitment, next="https://evil.example/"))
    assert response["Location"] == reverse("commitments:detail", args=[commitment.pk])


# --- dashboard -------------------------------------------------------------------------------


def test_dashboard_sends_anonymous_to_login(client, lov):
    response = client.get(DASHBOARD)
    assert response.status_code == 302


def test_dashboard_is_forbidden_for_owners_who_are_not_staff(client, lov):
    owner = UserFactory()
    Commitment.objects.first().owners.add(owner)
    client.force_login(owner)
    assert client.get(DASHBOARD).status_code == 403


def test_dashboard_shows_matrix_stale_overdue_and_recent(client, lov):
    staff = UserFactory(staff=True)
    client.force_login(staff)
    fresh = Commitment.objects.get(source_key="v1:1.1")
    StatusUpdateFactory(commitment=fresh, narrative="x")
    Commitment.objects.filter(pk=fresh.pk).update(
        status=CommitmentStatus.ACHIEVED, last_update_at=timezone.now()
    )
    ActionFactory(
        principle=fresh.principle, title="Försenad sak", due_date=datetime.date(2020, 1, 1)
    )
    ActionFactory(
        principle=fresh.principle, title="Framtida sak", due_date=datetime.date(2099, 1, 1)
    )
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    data = response.context["data"]
    assert len(data.stale) == 22
    assert fresh not in data.stale
    assert [a.title for a in data.overdue_actions] == ["Försenad sak"]
    assert len(data.recent_updates) == 1
    first_row = dict(data.matrix[0][1])
    assert first_row["achieved"] == 1 and first_row["not_started"] == 4


def test_dashboard_filters_by_principle_side_and_status(client, lov):
    client.force_login(UserFactory(staff=True))
    principle = lov.principles.get(order=1)
    response = client.get(DASHBOARD, {"principle": principle.pk, "side": "civil_society"})
    commitments = response.context["data"].commitments
    assert commitments
    assert all(
        c.principle_id == principle.pk and c.responsible_side == "civil_society"
        for c in commitments
    )
    response = client.get(DASHBOARD, {"status": "achieved"})
    assert response.context["data"].commitments == []


@pytest.mark.parametrize("per_commitment", [1, 6])
@pytest.mark.parametrize(
    ("filters", "queries"),
    # No owners to prefetch when the filter leaves no commitments: one query less. One of
    # them checks that the staff member has MFA (asked once a request, by the middleware).
    # Plus the session's query when sessions are not read from the cache.
    [({}, 14), ({"side": "public", "status": "in_progress"}, 13)],
)
def test_dashboard_runs_a_fixed_number_of_queries(
    filters, queries, client, lov, per_commitment, django_assert_num_queries
):
    add_history(lov, per_commitment)
    client.force_login(UserFactory(staff=True))
    client.get(DASHBOARD)
    public_cache_bump()  # measure a fresh render, not the cached dashboard data
    # session, user, agreement, principles (filter), matrix principles + counts, commitments +
    # owners, overdue actions, recent updates, updates per month, form choices, and the
    # "Mina åtaganden" EXISTS in base.html
    with django_assert_num_queries(queries + session_queries()):
        response = client.get(DASHBOARD, filters)
    assert response.status_code == 200


def test_a_cached_dashboard_runs_none_of_its_reads(client, lov, django_assert_num_queries):
    """The parts are template fragments cached per content version; their reads are lazy, so
    a hit asks only what every staff page asks: the session (unless sessions are cached) and
    the user; the navigation's counts and the MFA check come from the per-person cache, the
    agreement is kept per content version."""
    add_history(lov, 2)
    client.force_login(UserFactory(staff=True))
    client.get(DASHBOARD)
    with django_assert_num_queries(1 + session_queries()):
        response = client.get(DASHBOARD)
    assert "chart-status" in response.content.decode()


def test_dashboard_principle_filter_also_filters_overdue_actions(client, lov):
    client.force_login(UserFactory(staff=True))
    first, second = lov.principles.order_by("order")[:2]
    ActionFactory(principle=first, title="Första", due_date=datetime.date(2020, 1, 1))
    ActionFactory(principle=second, title="Andra", due_date=datetime.date(2020, 1, 1))
    response = client.get(DASHBOARD, {"principle": second.pk})
    assert [a.title for a in response.context["data"].overdue_actions] == ["Andra"]


def test_admin_lists_actions_and_development_areas(client, lov):
    from tests.permissions import make_staff_with_mfa

    admin = make_staff_with_mfa("admin@example.se")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get("/admin/commitments/action/").status_code == 200
    assert client.get("/admin/commitments/developmentarea/").status_code == 200


@pytest.mark.parametrize("page", ["dashboard", "detail"])
def test_the_update_form_carries_a_csrf_token_that_works(lov, page):
    import re

    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(staff=True))
    commitment = Commitment.objects.first()
    url = DASHBOARD if page == "dashboard" else reverse("commitments:detail", args=[commitment.pk])
    html = client.get(url).content.decode()
    form = html[html.index('id="update-form"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = client.post(
        POST, {**post_data(commitment), "csrfmiddlewaretoken": token}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert StatusUpdate.objects.count() == 1
    # The fragment that replaces the form carries a token too, for the next post.
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_dashboard_has_no_duplicate_ids(client, lov):
    import re
    from collections import Counter

    client.force_login(UserFactory(staff=True))
    html = client.get(DASHBOARD).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []


# --- attachments -----------------------------------------------------------------------------


def _post_with_file(client, commitment, name="rapport.pdf", **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, b"%PDF-1.4 underlag", content_type="application/pdf")
    return client.post(POST, {**post_data(commitment), "attachment": upload, **extra})


def test_an_update_can_carry_an_attachment_that_the_public_can_download(client, lov):
    staff = UserFactory(staff=True)
    client.force_login(staff)
    commitment = Commitment.objects.first()
    assert _post_with_file(client, commitment).status_code == 302
    update = StatusUpdate.objects.get()
    assert update.attachment_name == f"underlag-{update.pk}.pdf"
    assert "rapport" not in update.attachment.name
    client.logout()
    page = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    url = reverse("commitments:attachment", args=[update.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 underlag"
    assert "attachment;" in response["Content-Disposition"]
    # The type the content proves, never sniffed by the browser (issue 15).
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_internal_update_attachment_is_hidden_from_the_public(client, lov):
    staff = UserFactory(staff=True)
    client.force_login(staff)
    _post_with_file(client, Commitment.objects.first(), is_internal="on")
    url = reverse("commitments:attachment", args=[StatusUpdate.objects.get().pk])
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 404
    owner = UserFactory()
    client.force_login(owner)
    assert client.get(url).status_code == 404


def test_an_attachment_of_a_forbidden_type_is_refused(client, lov):
    client.force_login(UserFactory(staff=True))
    response = _post_with_file(client, Commitment.objects.first(), name="virus.exe")
    assert response.status_code == 400
    assert not StatusUpdate.objects.exists()


def test_an_owner_is_not_offered_internal_updates_to_correct(client, lov):
    owner = UserFactory()
    commitment = Commitment.objects.first()
    commitment.owners.add(owner)
    public = StatusUpdateFactory(commitment=commitment)
    internal = StatusUpdateFactory(commitment=commitment, is_internal=True)
    client.force_login(owner)
    form = client.get(reverse("commitments:detail", args=[commitment.pk])).context["form"]
    assert list(form.fields["corrects"].queryset) == [public]
    response = client.post(POST, {**post_data(commitment), "corrects": internal.pk})
    assert response.status_code == 400
    assert StatusUpdate.objects.count() == 2


# --- Mina åtaganden -------------------------------------------------------------------------

MINE = reverse("commitments:mine")


def test_my_commitments_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get(MINE)
    assert response.status_code == 302 and "login" in response["Location"]


def test_my_commitments_lists_what_the_owner_reports_on_with_a_link_to_post(client, db):
    owner = UserFactory()
    mine = CommitmentFactory(text="Mitt åtagande", status=CommitmentStatus.IN_PROGRESS)
    mine.owners.add(owner)
    CommitmentFactory(text="Någon annans åtagande")
    client.force_login(owner)
    response = client.get(MINE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mitt åtagande" in html and "Någon annans åtagande" not in html
    assert "Pågår" in html
    assert reverse("commitments:detail", args=[mine.pk]) + "#post-heading" in html
    assert f'href="{MINE}"' in html  # the nav link, since the user owns a commitment


@pytest.mark.parametrize("staff", [False, True])
def test_my_commitments_has_an_empty_state_and_no_nav_link_for_non_owners(client, db, staff):
    CommitmentFactory(text="Någon annans åtagande").owners.add(UserFactory())
    client.force_login(UserFactory(staff=staff))
    response = client.get(MINE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Du rapporterar inte på något åtagande" in html
    assert "Någon annans åtagande" not in html
    assert f'href="{MINE}"' not in html


def test_the_my_commitments_link_disappears_when_the_only_commitment_is_retired(client, db):
    owner = UserFactory()
    commitment = CommitmentFactory()
    commitment.owners.add(owner)
    client.force_login(owner)
    assert f'href="{MINE}"' in client.get(reverse("commitments:list")).content.decode()
    commitment.retired_at = timezone.now()
    commitment.save()
    assert f'href="{MINE}"' not in client.get(reverse("commitments:list")).content.decode()


def test_my_commitments_queries_do_not_grow_with_the_commitments(
    client, db, django_assert_num_queries
):
    owner = UserFactory()
    CommitmentFactory().owners.add(owner)
    client.force_login(owner)
    # user, the commitments, the work menu's facts (first visit: not cached yet), and the
    # session when sessions are not read from the cache
    with django_assert_num_queries(5 + session_queries()) as few:
        client.get(MINE)
    for _ in range(20):
        CommitmentFactory().owners.add(owner)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(MINE)
