"""Bounded cost (issue 15): a published revision's PDF is rendered once, when it is published,
stored with its SHA-256 and served from storage; unknown query parameters cannot make another
rendering. (A 700 KB note once took 73 s and 1.3 GB; every ?x=N rendered the PDF again.)"""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.urls import reverse

from lov_portal.core.models import ImmutableRecordError
from meetings import services
from meetings.models import MinutesPdf

from .conftest import approved, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Counts PDF renderings (wherever they are called from)."""
    import meetings.pdf
    import meetings.views.minutes

    calls = []
    real = meetings.pdf.minutes_pdf_render

    def counting(*, revision):
        calls.append(revision.pk)
        return real(revision=revision)

    monkeypatch.setattr(meetings.pdf, "minutes_pdf_render", counting)
    monkeypatch.setattr(meetings.views.minutes, "minutes_pdf_render", counting)
    return calls


def test_publishing_stores_one_pdf_per_language_with_its_sha256(
    world, renders, django_capture_on_commit_callbacks
):
    minutes = approved(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(minutes=minutes, by=world.secretary)
    minutes.refresh_from_db()
    pdfs = MinutesPdf.objects.filter(revision=minutes.published_revision)
    assert sorted(pdf.language for pdf in pdfs) == ["en", "sv"]
    for pdf in pdfs:
        with pdf.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF")
        assert hashlib.sha256(data).hexdigest() == pdf.sha256 and pdf.size == len(data)
        assert "protokoll" not in pdf.file.name  # a generated name
    assert len(renders) == 2


def test_the_public_pdf_is_served_from_storage_without_rendering(
    client, world, renders, django_capture_on_commit_callbacks
):
    minutes = approved(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(minutes=minutes, by=world.secretary)
    renders.clear()
    stored = MinutesPdf.objects.get(revision__minutes=minutes, language="sv")
    url = reverse("meetings:minutes_pdf", args=[world.meeting.pk])
    for n in range(3):
        cache.clear()
        response = client.get(f"{url}?x={n}")
        assert response.status_code == 200
        assert hashlib.sha256(response.content).hexdigest() == stored.sha256
    assert renders == []


def test_without_a_stored_pdf_the_first_request_renders_and_stores_it(client, world, renders):
    published(world)  # the task's on-commit callback does not run here
    url = reverse("meetings:minutes_pdf", args=[world.meeting.pk])
    assert not MinutesPdf.objects.exists()
    first = client.get(url)
    cache.clear()
    second = client.get(url)
    assert first.content == second.content
    assert MinutesPdf.objects.filter(language="sv").count() == 1
    assert len(renders) == 1


def test_unknown_parameters_hit_the_same_cached_pdf(client, world, renders):
    published(world)
    url = reverse("meetings:minutes_pdf", args=[world.meeting.pk])
    assert client.get(f"{url}?x=1")["X-Cache"] == "miss"
    assert client.get(f"{url}?x=2")["X-Cache"] == "hit"
    assert len(renders) == 1


def test_stored_pdfs_are_append_only(world, django_capture_on_commit_callbacks):
    minutes = approved(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(minutes=minutes, by=world.secretary)
    pdf = MinutesPdf.objects.first()
    pdf.sha256 = "0" * 64
    with pytest.raises(ImmutableRecordError):
        pdf.save()
    with pytest.raises(ImmutableRecordError):
        pdf.delete()


def test_the_working_copy_for_the_group_is_rendered_not_stored(client, world, renders):
    approved(world)
    client.force_login(world.secretary)
    response = client.get(reverse("meetings:minutes_pdf", args=[world.meeting.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not MinutesPdf.objects.exists()
    assert len(renders) == 1
