"""Facts the accessibility statement states, kept by hand so it never claims more than is true.

Update them when the assessment is redone (docs/accessibility.md says how). A browser test
checks AXE_CORE_VERSION against the axe-core the tests actually run (tests/e2e/vendor).
"""

import datetime

ASSESSED_ON = datetime.date(2026, 11, 23)
STATEMENT_UPDATED_ON = datetime.date(2026, 11, 23)
AXE_CORE_VERSION = "4.14.1"
