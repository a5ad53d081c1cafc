"""Views are thin (docs/architecture.md): no ORM query and no audit record in the views
modules listed here; reads go through selectors, writes and audit records through services."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Modules (or packages) already thin; add a module once its queries have moved out.
THIN = ["agreements/views", "lov_portal/reports/views.py"]
FORBIDDEN_NAMES = {"get_object_or_404", "get_list_or_404", "audit_record", "connection"}
FORBIDDEN_ATTRIBUTES = {"objects", "_default_manager", "raw", "extra"}


def _modules() -> list[Path]:
    paths = []
    for entry in THIN:
        path = ROOT / entry
        if path.is_dir():
            paths += sorted(path.glob("*.py"))
        elif path.with_suffix(".py").exists() and not path.suffix:
            paths.append(path.with_suffix(".py"))
        else:
            paths.append(path)
    return paths


def _offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            found.append(f"{node.id} (line {node.lineno})")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f".{node.attr} (line {node.lineno})")
        elif isinstance(node, ast.ImportFrom):
            found += [
                f"import {a.name} (line {node.lineno})"
                for a in node.names
                if a.name in FORBIDDEN_NAMES
            ]
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_views_run_no_query_and_record_no_audit_event_themselves(path):
    assert path.exists()
    assert not _offences(path), f"{path.name}: move these into a selector or a service"
