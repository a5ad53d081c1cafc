"""Every write to organisations goes through these functions."""

from __future__ import annotations

from .models import Municipality


def municipality_ensure(*, code: str, name: str, province: str, county: str) -> Municipality:
    """Create the municipality if missing; an existing one is left as it is."""
    municipality, _created = Municipality.objects.get_or_create(
        code=code, defaults={"name": name, "province": province, "county": county}
    )
    return municipality
