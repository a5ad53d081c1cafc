"""Every Celery task of the portal has one shape (docs/decisions.md; ENGINEERING.md): named
`lov.<app>.<verb>`, on TransactionAwareTask with RETRY_OPTIONS, taking primary keys and plain
values, and enqueued on commit."""

from __future__ import annotations

import ast
import typing
from pathlib import Path
from types import NoneType, UnionType

import pytest

from lov_portal.celery import app
from lov_portal.core.celery_tasks import RETRY_OPTIONS, TransactionAwareTask

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = ["organisations", "agreements", "commitments", "meetings", "lov_portal"]
PLAIN = {int, str, bool, NoneType}


def portal_tasks():
    app.loader.import_default_modules()  # autodiscovery is lazy
    return sorted(
        (task for name, task in app.tasks.items() if name.startswith("lov.")),
        key=lambda task: task.name,
    )


def test_the_portal_has_tasks_and_every_task_of_its_modules_is_named_lov():
    app.loader.import_default_modules()
    ours = [
        task for task in app.tasks.values() if task.run.__module__.split(".")[0] in APP_PACKAGES
    ]
    assert [task.name for task in ours if not task.name.startswith("lov.")] == []
    assert len(ours) >= 8
    for task in ours:
        app_label = task.run.__module__.split(".")[-2]
        assert task.name.startswith(f"lov.{app_label}."), task.name


@pytest.mark.parametrize("task", portal_tasks(), ids=lambda task: task.name)
def test_task_is_transaction_aware_and_retried(task):
    assert isinstance(task, TransactionAwareTask)
    for option, value in RETRY_OPTIONS.items():
        assert getattr(task, option) == value, option


def _plain(hint: object) -> bool:
    origin = typing.get_origin(hint)
    if origin in (UnionType, typing.Union):
        return all(_plain(arg) for arg in typing.get_args(hint))
    if origin is list:
        return all(_plain(arg) for arg in typing.get_args(hint))
    return hint in PLAIN


@pytest.mark.parametrize("task", portal_tasks(), ids=lambda task: task.name)
def test_task_takes_primary_keys_and_plain_values(task):
    hints = typing.get_type_hints(task.run)
    hints.pop("return", None)
    assert {name: hint for name, hint in hints.items() if not _plain(hint)} == {}


def test_no_task_is_enqueued_before_the_commit():
    """`.delay(`/`.apply_async(` outside the task base would publish before the commit."""
    found = []
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or path.name == "celery_tasks.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in ("delay", "apply_async"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
