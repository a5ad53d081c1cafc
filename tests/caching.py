"""For tests of the public page cache (lov_portal.core.cache, PublicPageCacheMiddleware)."""

from __future__ import annotations


def cached_page(client, url: str) -> str:
    """Fetch twice so the second answer comes from the cache, and return it."""
    client.get(url)
    second = client.get(url)
    assert second.headers["X-Cache"] == "hit"
    return second.content.decode()
