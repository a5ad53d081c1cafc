"""What the work menu in base.html shows a logged-in person, cached per person.

Three facts, each a query or more when computed (the "Att göra" count alone is a query with four
counted subqueries, half of a logged-in page's time before it was cached): the count of what
waits, whether the person reports on a commitment, whether they may read the follow-up reports.
They are kept in the cache per person under the public and the work content versions
(`lov_portal.core.cache`), which the signals in `lov_portal.portal.signals` bump whenever a row
they are computed from changes (commitments, minutes, signatures, group members: the public
version; memberships and applications: the work version). The key also holds the person's staff
and active flags (read with the user on every request anyway) and the day; what changes with
time alone (a commitment turning six months stale) shows within PERSON_TIMEOUT.
"""

from __future__ import annotations

from django.core.cache import cache

from commitments.selectors import user_owns_commitments
from lov_portal.core.cache import PERSON_TIMEOUT, person_key, versioned_get
from lov_portal.reports.selectors import user_may_read_reports

from .todo import todo_count

ANONYMOUS = {"todo_count": 0, "owns_commitments": False, "may_read_reports": False}


def nav_facts(*, user: object) -> dict[str, object]:
    """The work menu's facts: one cache round trip when they are current."""
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    key = "nav:" + person_key(user)
    versions, facts = versioned_get(key)
    if facts is None:
        facts = {
            "todo_count": todo_count(user=user),
            "owns_commitments": user_owns_commitments(user=user),
            "may_read_reports": user_may_read_reports(user),
        }
        cache.set(key, (versions, facts), PERSON_TIMEOUT)
    return facts
