"""base.html's menus and footer, rendered once per process for each set of what they show.

Rendering them took about a fifth of a logged-in page (18 `reverse()` and 25 translations a
page, docs/benchmarks.md, session 23). Their output depends on nothing but the language, the
path (which link is the current page) and, for the work menu, four facts: staff or not, the
"Att göra" count and the two links shown only to some. Each is a pure function of those, so it
is kept in this process under exactly them: nothing needs invalidating (the facts themselves are
read per request, lov_portal.portal.nav), and two people with the same facts get the same
markup because it holds nothing else of either. URLs and templates change only with a deploy,
which restarts the process.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString

register = template.Library()

# Bounds the memory: a path per page visited, times the work menu's fact combinations.
ENTRIES = 1024


@lru_cache(maxsize=ENTRIES)
def _menus(language: str, path: str, work: tuple[bool, int, bool, bool] | None) -> SafeString:
    staff, todo_count, owns_commitments, may_read_reports = work or (False, 0, False, False)
    # A template's own output is already a SafeString (autoescaped as it rendered).
    return get_template("components/site_menus.html").render(
        {
            "path": path,
            "work": work is not None,
            "staff": staff,
            "todo_count": todo_count,
            "owns_commitments": owns_commitments,
            "may_read_reports": may_read_reports,
        }
    )


@lru_cache(maxsize=ENTRIES)
def _footer(language: str, path: str) -> SafeString:
    return get_template("components/site_footer.html").render({"path": path})


@register.simple_tag(takes_context=True)
def site_menus(context: template.Context) -> SafeString:
    """The main menu and, for a logged-in person, the work menu (the facts from the `nav`
    context processor)."""
    user = context.get("user")
    work = None
    if user is not None and user.is_authenticated:
        work = (
            bool(user.is_staff),
            int(str(context.get("todo_count") or 0)),  # str(): a lazy object, proxied
            bool(context.get("owns_commitments")),
            bool(context.get("may_read_reports")),
        )
    return _menus(translation.get_language(), _path(context), work)


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    return _footer(translation.get_language(), _path(context))


def _path(context: template.Context) -> str:
    request = context.get("request")  # none on a page rendered without one (a server error)
    return request.path if request is not None else ""


def _clear(**kwargs: object) -> None:
    _menus.cache_clear()
    _footer.cache_clear()


# Tests that change settings (URLs, languages), and a developer's edited template.
setting_changed.connect(_clear, dispatch_uid="menus-clear-settings")
file_changed.connect(_clear, dispatch_uid="menus-clear-files")
