"""Named permissions of the follow-up report."""

import rules

from lov_portal.accounts.permissions import is_staff

from .selectors import user_may_read_reports


@rules.predicate
def is_report_reader(user) -> bool:
    return user_may_read_reports(user)


rules.add_perm("reports.start_report", is_staff)
rules.add_perm("reports.read_report", is_report_reader)
