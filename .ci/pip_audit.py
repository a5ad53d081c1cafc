"""Run pip-audit on the installed dependencies; fail on any known vulnerability.

When no vulnerability service can be reached (an offline CI machine: every dependency comes
back "not found"), say so plainly instead of passing as if audited.
"""

import json
import subprocess
import sys

result = subprocess.run(
    [
        sys.executable,
        "-m",
        "pip_audit",
        "--skip-editable",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ],
    capture_output=True,
    text=True,
    check=False,
)
try:
    report = json.loads(result.stdout)
except json.JSONDecodeError:
    print(result.stdout, result.stderr)
    print("pip-audit: could not run (see above)")
    sys.exit(1)
dependencies = report.get("dependencies", [])
audited = [d for d in dependencies if "skip_reason" not in d]
vulnerable = [d for d in audited if d.get("vulns")]
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        print(
            f"{dependency['name']} {dependency['version']}: {vuln['id']} fix {vuln['fix_versions']}"
        )
if vulnerable:
    sys.exit(1)
if not audited:
    print(
        f"pip-audit: NOT AUDITED - no vulnerability service reachable from this machine "
        f"({len(dependencies)} dependencies skipped). Run `.venv/bin/python .ci/pip_audit.py` where PyPI's JSON API "
        "or OSV can be reached."
    )
else:
    print(f"pip-audit: {len(audited)} dependencies audited, no known vulnerabilities.")
