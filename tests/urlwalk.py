"""Every URL pattern of the project, as a concrete path a test client can request.

Walks `django.urls.get_resolver()` recursively, through `include()` and `i18n_patterns`
(each language prefix), and fills each pattern's parameters with sample values, so views
added later are covered without anyone listing them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation
from django.utils.regex_helper import normalize

# Sample values tried, in order, for a parameter of a regex pattern.
REGEX_CANDIDATES = ["1", "accounts", "x", "abc", "sv", "2025", "01"]
SAMPLE_UUID = uuid.UUID("00000000-0000-4000-8000-000000000001")


@dataclass(frozen=True)
class Endpoint:
    name: str  # "namespace:name", or "" for an unnamed pattern
    namespace: str
    route: str  # the pattern as written, for messages
    path: str  # a concrete path with sample values
    language: str
    module: str  # the module of the view function


def _sample_for_converter(converter: object) -> str:
    name = type(converter).__name__
    if name == "IntConverter":
        return "1"
    if name == "UUIDConverter":
        return str(SAMPLE_UUID)
    if name == "SlugConverter":
        return "exempel"
    if name == "PathConverter":
        return "exempel"
    if name == "StringConverter":
        return "exempel"
    # A custom converter: ask it to turn a plausible value into URL form.
    for candidate in (1, "exempel", SAMPLE_UUID):
        try:
            return converter.to_url(candidate)  # type: ignore[attr-defined]
        except Exception:  # noqa: S112 - try the next candidate
            continue
    return "1"


def _route_piece(pattern: RoutePattern) -> str:
    route = str(pattern._route)
    for parameter, converter in pattern.converters.items():
        route = re.sub(rf"<(?:[^>:]+:)?{parameter}>", _sample_for_converter(converter), route)
    return route


def _regex_piece(pattern: RegexPattern) -> str:
    regex = pattern.regex.pattern
    for template, parameters in normalize(regex):
        values = dict.fromkeys(parameters, REGEX_CANDIDATES[0])
        for parameter in parameters:
            for candidate in REGEX_CANDIDATES:
                trial = {**values, parameter: candidate}
                if re.match(regex, template % trial):
                    values = trial
                    break
        text = template % values
        if re.match(regex, text):
            return text
    return normalize(regex)[0][0]


def _piece(pattern: object, language: str) -> str:
    if isinstance(pattern, LocalePrefixPattern):
        with translation.override(language):
            return pattern.language_prefix
    if isinstance(pattern, RoutePattern):
        return _route_piece(pattern)
    if isinstance(pattern, RegexPattern):
        return _regex_piece(pattern)
    raise TypeError(f"Unknown pattern type {type(pattern).__name__}")


def _walk(
    resolver: URLResolver, prefix: str, namespace: str, language: str, route: str
) -> Iterator[Endpoint]:
    for entry in resolver.url_patterns:
        piece = _piece(entry.pattern, language)
        written = route + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + piece, inner, language, written)
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            callback = entry.callback
            module = getattr(callback, "__module__", "") or ""
            view_class = getattr(callback, "view_class", None)
            if view_class is not None:
                module = view_class.__module__
            yield Endpoint(
                name=name,
                namespace=namespace,
                route=written,
                path=prefix + piece,
                language=language,
                module=module,
            )


def all_endpoints(*, languages: list[str] | None = None) -> list[Endpoint]:
    """Every pattern once per language (patterns outside i18n_patterns come out the same)."""
    languages = languages or [code for code, _label in settings.LANGUAGES]
    found: dict[str, Endpoint] = {}
    for language in languages:
        with translation.override(language):
            for endpoint in _walk(get_resolver(), "/", "", language, ""):
                found.setdefault(endpoint.path, endpoint)
    return list(found.values())


# What the permission tables need not list: the admin, allauth's account pages, static files
# and the health check (they have their own tests and their own protection).
EXCLUDED_NAMESPACES = {"admin", "djdt"}
EXCLUDED_NAMES = {"health"}
# lov_portal.accounts.views: allauth's MFA set-up, subclassed to keep `next` (tests/accounts).
EXCLUDED_MODULE_PREFIXES = (
    "allauth.",
    "lov_portal.accounts.views",
    "django.contrib.staticfiles.",
    "django.views.static",
)


def is_project_endpoint(endpoint: Endpoint) -> bool:
    if endpoint.namespace.split(":")[0] in EXCLUDED_NAMESPACES:
        return False
    if endpoint.name in EXCLUDED_NAMES:
        return False
    return not endpoint.module.startswith(EXCLUDED_MODULE_PREFIXES)
