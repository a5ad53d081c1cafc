"""Read pip-audit's JSON report; fail on any known vulnerability.

pip-audit asks PyPI for each installed release (`/pypi/<name>/<version>/json`) or OSV. From a
machine where neither answers (this workplace's CI reaches only PyPI's package index and the
unversioned `/pypi/<name>/json` document), every dependency comes back "not found". For those,
this script falls back to the one source it can reach: the unversioned document lists the
known vulnerabilities of a project's *latest* release, so a dependency installed at its latest
release is audited from it. A dependency behind its latest release cannot be audited here and
is named, never passed as if audited.

Usage: pip-audit --skip-editable --format json > report.json; python .ci/pip_audit.py report.json
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

PYPI_PROJECT_URL = "https://pypi.org/pypi/{name}/json"

Fetch = Callable[[str], "dict | None"]


def fetch_pypi_project(name: str) -> dict | None:
    """PyPI's JSON document for a project, or None when it cannot be fetched."""
    url = PYPI_PROJECT_URL.format(name=name)
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310  # nosec B310 - fixed https URL
            return json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None


def installed_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@dataclass
class Audit:
    by_pip_audit: int = 0
    by_latest_release: int = 0
    findings: list[str] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)


def audit(report: dict, fetch: Fetch = fetch_pypi_project, version_of=installed_version) -> Audit:
    result = Audit()
    for dependency in report.get("dependencies", []):
        name = dependency["name"]
        if "skip_reason" not in dependency:
            result.by_pip_audit += 1
            for vuln in dependency.get("vulns", []):
                result.findings.append(
                    f"{name} {dependency['version']}: {vuln['id']} fix {vuln['fix_versions']}"
                )
            continue
        if "editable" in dependency["skip_reason"].lower():
            continue  # the project itself
        version = version_of(name)
        project = fetch(name)
        if version is None or project is None:
            result.not_audited.append(f"{name} {version or '?'}: PyPI could not be reached")
            continue
        latest = project.get("info", {}).get("version")
        if latest != version:
            result.not_audited.append(
                f"{name} {version}: behind the latest release {latest}, whose record is all "
                "this machine can read"
            )
            continue
        result.by_latest_release += 1
        for vuln in project.get("vulnerabilities") or []:
            if vuln.get("withdrawn"):
                continue
            result.findings.append(
                f"{name} {version}: {vuln.get('id')} fix {vuln.get('fixed_in') or []}"
            )
    return result


def main(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        raw = handle.read()
    try:
        report = json.loads(raw)
    except json.JSONDecodeError:
        print(raw)
        print("pip-audit: could not run (see above)")
        return 1
    result = audit(report)
    for finding in result.findings:
        print(f"VULNERABLE {finding}")
    print(
        f"pip-audit: {result.by_pip_audit} dependencies audited by pip-audit, "
        f"{result.by_latest_release} audited against PyPI's record of their latest release."
    )
    if result.not_audited:
        print(
            f"pip-audit: NOT AUDITED here ({len(result.not_audited)}); audit them where "
            "PyPI's per-release JSON API or OSV can be reached:"
        )
        for line in result.not_audited:
            print(f"  {line}")
    if result.findings:
        return 1
    print("pip-audit: no known vulnerabilities among the audited dependencies.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
