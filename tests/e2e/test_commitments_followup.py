"""The follow-up pages in a real browser: charts render, the htmx update form posts and moves
focus to the result (journey 3 of issue 7, from the staff side)."""

import pytest

pytestmark = [pytest.mark.e2e]


def test_charts_render_and_the_dashboard_form_posts_with_htmx(
    server, new_page, logged_in_as, screenshot
):
    from commitments.models import StatusUpdate

    public = new_page()
    public.goto("/ataganden/")
    public_width = public.evaluate(
        "document.querySelector('#chart-status-public').getBoundingClientRect().width"
    )
    before = StatusUpdate.objects.count()

    page = logged_in_as("staff")
    page.goto("/uppfoljning/")
    chart_width = page.evaluate(
        "document.querySelector('#chart-updates').getBoundingClientRect().width"
    )
    page.select_option("#update-form select[name=commitment]", index=1)
    page.select_option("#update-form select[name=status]", "achieved")
    page.click("#update-form button[type=submit]")
    page.wait_for_selector("#update-form .message--success")
    focused = page.evaluate("document.activeElement.classList.contains('message--success')")
    screenshot(page, "commitments-dashboard-after-update")

    assert public_width > 100 and chart_width > 100
    assert focused
    assert page.url.endswith("/uppfoljning/")
    assert StatusUpdate.objects.count() == before + 1
    assert StatusUpdate.objects.order_by("-pk").first().status == "achieved"

    # The public view shows it at once (no stale cache).
    commitment = StatusUpdate.objects.order_by("-pk").first().commitment
    public.goto(f"/ataganden/{commitment.pk}/")
    assert "Uppnått" in public.content()
