"""Read pip-audit's JSON report; fail on any known vulnerability.

When no vulnerability service can be reached (an offline CI machine: every dependency comes
back "not found"), say so plainly instead of passing as if audited.
"""

import json
import sys

# Usage: pip-audit --skip-editable --format json > report.json; python .ci/pip_audit.py report.json
with open(sys.argv[1], encoding="utf-8") as handle:
    raw = handle.read()
try:
    report = json.loads(raw)
except json.JSONDecodeError:
    print(raw)
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
        f"({len(dependencies)} dependencies skipped). Run the pip-audit step "
        "where PyPI's JSON API or OSV can be reached."
    )
else:
    print(f"pip-audit: {len(audited)} dependencies audited, no known vulnerabilities.")
