"""Views are thin (docs/architecture.md, issue 17): no ORM query and no audit record in the
views modules listed here; reads go through selectors, writes and audit records through
services (which own the audit log)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Every views module of the project: `views.py`, `views/*.py`, `views_*.py`, `*_views.py`.
SKIP = {".venv", "tests", "migrations", "node_modules", "var"}


# Queryset and manager methods that run or build a query; dict.get and friends are not here.
QUERY_METHODS = {
    "aggregate",
    "annotate",
    "bulk_create",
    "create",
    "delete",
    "exclude",
    "exists",
    "extra",
    "filter",
    "get_or_create",
    "only",
    "order_by",
    "prefetch_related",
    "raw",
    "select_for_update",
    "select_related",
    "update",
    "update_or_create",
    "values",
    "values_list",
}
FORBIDDEN_NAMES = {
    "audit_record",
    "connection",
    "get_list_or_404",
    "get_object_or_404",
    "get_user_model",
}
FORBIDDEN_ATTRIBUTES = {"objects", "_default_manager"}
FORBIDDEN_MODULES = ("lov_portal.audit", "django.db")


def _modules() -> list[Path]:
    found = set()
    for pattern in ("**/views.py", "**/views/*.py", "**/views_*.py", "**/*_views.py"):
        found |= {
            path for path in ROOT.glob(pattern) if not SKIP & set(path.relative_to(ROOT).parts)
        }
    return sorted(found)


def offences(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_METHODS
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}()")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(FORBIDDEN_MODULES):
            found.append(f"line {node.lineno}: imports {node.module}")
        elif isinstance(node, ast.alias) and node.name in FORBIDDEN_NAMES:
            found.append(f"imports {node.name}")
    return found


def test_there_are_view_modules_to_check():
    assert len(_modules()) >= 30


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_run_no_query_and_record_no_audit_event_themselves(path):
    assert path.exists()
    assert offences(path.read_text(encoding="utf-8")) == [], (
        "move these into a selector or a service"
    )


def test_the_checker_sees_queries_and_audit_calls():
    source = (
        "from django.shortcuts import get_object_or_404\n"
        "from lov_portal.audit.services import audit_record\n"
        "def view(request, pk):\n"
        "    item = get_object_or_404(Item, pk=pk)\n"
        "    Item.objects.all()\n"
        "    item.children.filter(x=1).exists()\n"
        "    request.GET.get('x')\n"
        "    audit_record(actor=None, action='x', obj=item)\n"
    )
    assert sorted(offences(source)) == [
        "imports audit_record",
        "imports get_object_or_404",
        "line 2: imports lov_portal.audit.services",
        "line 4: get_object_or_404",
        "line 5: .objects",
        "line 6: .exists()",
        "line 6: .filter()",
        "line 8: audit_record",
    ]
