"""commitments' views are thin (issue 17): no ORM query, no audit record, one permission
vocabulary, and no module takes another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import commitments

APP = Path(commitments.__file__).resolve().parent
VIEWS = sorted((APP / "views").glob("*.py"))


def thin_view_problems(path: Path) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            problems.append(f"{path.name}:{node.lineno}: ORM query (.objects)")
        if isinstance(node, ast.Name) and node.id == "audit_record":
            problems.append(f"{path.name}:{node.lineno}: audit_record")
        if isinstance(node, ast.Attribute) and node.attr in {"is_staff", "is_superuser"}:
            problems.append(f"{path.name}:{node.lineno}: user.{node.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "has_perm"
        ):
            problems.append(f"{path.name}:{node.lineno}: user.has_perm")
    return problems


def private_imports(path: Path) -> list[str]:
    return [
        f"{path.name}:{node.lineno}: {alias.name}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_")
    ]


def test_the_views_are_a_package_by_sub_domain():
    assert {p.stem for p in VIEWS} >= {"public", "updates", "dashboard", "manage", "csv"}
    assert not (APP / "views.py").exists()
    assert not list(APP.glob("views_*.py"))


def test_the_views_hold_no_orm_query_audit_call_or_second_permission_vocabulary():
    assert [problem for path in VIEWS for problem in thin_view_problems(path)] == []


def test_no_commitments_module_imports_a_private_name():
    modules = [p for p in APP.rglob("*.py") if "migrations" not in p.parts]
    assert [problem for path in modules for problem in private_imports(path)] == []
