"""Views are thin (docs/architecture.md, issue 17): the meetings views read through
`meetings.selectors` and write through `meetings.services`, which own the audit log. No ORM
query and no audit call sits in a view module."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
VIEW_MODULES = sorted((ROOT / "meetings" / "views").glob("*.py"))

# Queryset and manager methods that run or build a query; dict.get and friends are not here.
QUERY_METHODS = {
    "aggregate",
    "annotate",
    "bulk_create",
    "create",
    "delete",
    "exclude",
    "exists",
    "filter",
    "get_or_create",
    "only",
    "order_by",
    "prefetch_related",
    "select_for_update",
    "select_related",
    "update",
    "update_or_create",
    "values",
    "values_list",
}
FORBIDDEN_NAMES = {"audit_record", "get_object_or_404", "get_list_or_404", "get_user_model"}


def queries_in(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"line {node.lineno}: .objects")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_METHODS
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}()")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            ("lov_portal.audit", "django.db")
        ):
            found.append(f"line {node.lineno}: imports {node.module}")
        elif isinstance(node, ast.alias) and node.name in FORBIDDEN_NAMES:
            found.append(f"imports {node.name}")
    return found


def test_there_are_view_modules_to_check():
    assert len(VIEW_MODULES) >= 6


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: p.name)
def test_a_meetings_view_module_runs_no_query_and_no_audit(path):
    assert queries_in(path.read_text(encoding="utf-8")) == []


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
    assert sorted(queries_in(source)) == [
        "imports audit_record",
        "imports get_object_or_404",
        "line 2: imports lov_portal.audit.services",
        "line 4: get_object_or_404",
        "line 5: .objects",
        "line 6: .exists()",
        "line 6: .filter()",
        "line 8: audit_record",
    ]
