from django import template

register = template.Library()


@register.filter
def sv_int(value: int) -> str:
    """A whole number the Swedish way: 12 345 (non-breaking space between thousands)."""
    return f"{int(value):,}".replace(",", "\u00a0")
