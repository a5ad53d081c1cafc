import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_health_reports_database_ok(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_health_reports_a_broken_database_with_503(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def broken(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr("lov_portal.portal.selectors.connection.cursor", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"


@pytest.mark.django_db
def test_health_reports_redis_when_configured(client, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    class BrokenCache:
        def set(self, *args, **kwargs):
            raise ConnectionError("no redis")

    monkeypatch.setattr("lov_portal.portal.selectors.cache", BrokenCache())
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "error"


@pytest.mark.redis
@pytest.mark.django_db
def test_health_reports_real_redis_ok(client):
    response = client.get("/health/")
    assert response.json()["checks"]["redis"] == "ok"
