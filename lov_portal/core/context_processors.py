from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


def portal(request: HttpRequest) -> dict:
    """The language switch: a plain link to this page in the other language."""
    current = get_language() or settings.LANGUAGE_CODE
    other = "en" if current == "sv" else "sv"
    return {
        "other_language": other,
        "other_language_url": translate_url(request.get_full_path(), other),
        "site_url": settings.SITE_URL,
        "contact_email": settings.PORTAL_CONTACT_EMAIL,
    }
