"""The CI helper that reads pip-audit's report (.ci/pip_audit.py)."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "pip_audit.py"


@pytest.fixture(scope="module")
def pip_audit():
    spec = importlib.util.spec_from_file_location("ci_pip_audit", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def skipped(name):
    return {"name": name, "skip_reason": f"Dependency not found on PyPI: {name}"}


def pypi(latest, vulnerabilities=()):
    return {"info": {"version": latest}, "vulnerabilities": list(vulnerabilities)}


VERSIONS = {"alpha": "1.0", "beta": "2.0", "gamma": "3.0", "delta": "4.0"}


def test_findings_from_pip_audit_fail(pip_audit, tmp_path, capsys):
    report = {
        "dependencies": [
            {
                "name": "alpha",
                "version": "1.0",
                "vulns": [{"id": "PYSEC-1", "fix_versions": ["1.1"]}],
            }
        ]
    }
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    assert pip_audit.main(str(path)) == 1
    assert "VULNERABLE alpha 1.0: PYSEC-1" in capsys.readouterr().out


def test_skipped_dependency_at_latest_release_is_audited_from_pypi(pip_audit):
    projects = {
        "alpha": pypi("1.0"),
        "beta": pypi("2.0", [{"id": "GHSA-x", "fixed_in": ["2.1"], "withdrawn": None}]),
        "gamma": pypi("3.0", [{"id": "GHSA-old", "fixed_in": [], "withdrawn": "2025-01-01"}]),
    }
    result = pip_audit.audit(
        {"dependencies": [skipped("alpha"), skipped("beta"), skipped("gamma")]},
        fetch=projects.get,
        version_of=VERSIONS.get,
    )
    assert result.by_latest_release == 3
    assert result.findings == ["beta 2.0: GHSA-x fix ['2.1']"]
    assert result.not_audited == []


def test_dependency_behind_latest_or_unreachable_is_named_not_audited(pip_audit):
    projects = {"alpha": pypi("1.5")}
    result = pip_audit.audit(
        {"dependencies": [skipped("alpha"), skipped("delta")]},
        fetch=projects.get,
        version_of=VERSIONS.get,
    )
    assert result.by_latest_release == 0
    assert result.findings == []
    assert [line.split(":")[0] for line in result.not_audited] == ["alpha 1.0", "delta 4.0"]


def test_editable_project_is_not_counted(pip_audit):
    result = pip_audit.audit(
        {"dependencies": [{"name": "lov-portal", "skip_reason": "Editable install, skipped"}]},
        fetch=lambda name: pytest.fail("must not fetch the project itself"),
        version_of=VERSIONS.get,
    )
    assert (result.by_latest_release, result.not_audited) == (0, [])
