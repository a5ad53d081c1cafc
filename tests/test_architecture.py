"""Imports between the apps run one way (docs/architecture.md)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Higher number = higher layer. A module may import its own layer or lower ones.
LAYERS = {
    "lov_portal.core": 0,
    "lov_portal.accounts": 0,
    "lov_portal.audit": 0,
    # The transparency log knows nothing of agreements; tools/ is the standalone verifier.
    "lov_portal.tlog": 0,
    # The BankID adapter and its simulator know nothing of what is signed.
    "lov_portal.bankid": 0,
    "tools": 0,
    "organisations": 1,
    "agreements": 2,
    "commitments": 3,
    "meetings": 4,
    "lov_portal.portal": 5,
    "lov_portal.reports": 5,
    "lov_portal.privacy": 5,
    "lov_portal.reminders": 5,
}


def layer_of(module: str) -> tuple[str, int] | None:
    for name in sorted(LAYERS, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name, LAYERS[name]
    return None


def app_modules():
    for package in ["organisations", "agreements", "commitments", "meetings", "lov_portal"]:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            if layer_of(module):
                yield path, module


def imported_modules(path: Path, module: str):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                if node.level > 1:
                    base = base[: -(node.level - 1)]
                yield ".".join([*base, node.module] if node.module else base)
            elif node.module:
                yield node.module


def violations_in(path: Path, module: str) -> list[str]:
    own_name, own_layer = layer_of(module)
    found = []
    for imported in imported_modules(path, module):
        target = layer_of(imported)
        if target and target[1] > own_layer:
            found.append(f"{module} imports {imported} ({target[0]} is above {own_name})")
    return found


def test_no_app_imports_an_app_above_it():
    violations = [v for path, module in app_modules() for v in violations_in(path, module)]
    assert violations == []


def test_the_checker_sees_upward_imports(tmp_path):
    source = tmp_path / "selectors.py"
    source.write_text(
        "from meetings.models import Meeting\n"
        "from ..commitments import models\n"
        "import organisations\n"
    )
    found = violations_in(source, "agreements.selectors")
    assert found == [
        "agreements.selectors imports meetings.models (meetings is above agreements)",
        "agreements.selectors imports commitments (commitments is above agreements)",
    ]
    assert violations_in(source, "lov_portal.portal.views") == []


def test_a_module_longer_than_400_lines_says_why_at_its_top():
    """Issue 17: modules are split by sub-domain; one that stays long says why, at its top."""
    skip = {".venv", "var", "tests", "bench", "migrations", "node_modules", ".git"}
    unexplained = []
    for path in ROOT.rglob("*.py"):
        if skip & set(path.relative_to(ROOT).parts):
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > 400 and not any("400 lines" in line for line in lines[:30]):
            unexplained.append(f"{path.relative_to(ROOT)} ({len(lines)} lines)")
    assert unexplained == [], "split these by sub-domain or say why at the top"
