"""Every write to the cooperation group, its meetings and minutes goes through these functions,
one module per sub-domain. This package is the app's one public surface for writes: views,
tasks, the other apps and the tests import `meetings.services` and call `services.<name>`; the
modules below import each other directly (docs/decisions.md)."""

from .approval import (
    minutes_approve,
    minutes_correction_start,
    minutes_return,
    minutes_send_for_approval,
)
from .attachments import attachment_create
from .calendar import calendar_token_get_or_create, calendar_token_renew
from .common import MinutesLockedError, MinutesStateError
from .decisions import (
    commitment_status_update_from_decision,
    decision_action_source,
    decisions_create_actions,
    decisions_post_status_updates,
)
from .group import group_member_add, group_member_end_term
from .meetings import (
    agenda_item_create,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_update,
    meeting_create,
    meeting_update,
)
from .minutes import (
    CHAIR_ROLES,
    CHECKER_ROLES,
    MAX_CHECKERS,
    AttendanceEntry,
    decision_action_create,
    minutes_attendance_set,
    minutes_create,
    minutes_header_update,
    minutes_item_create,
    minutes_item_update,
    minutes_items_from_agenda,
    minutes_roles_check,
    paragraph_number_allocate,
)
from .publishing import minutes_pdf_store, minutes_pdfs_store, minutes_publish

__all__ = [
    "CHAIR_ROLES",
    "CHECKER_ROLES",
    "MAX_CHECKERS",
    "AttendanceEntry",
    "MinutesLockedError",
    "MinutesStateError",
    "agenda_item_create",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_update",
    "attachment_create",
    "calendar_token_get_or_create",
    "calendar_token_renew",
    "commitment_status_update_from_decision",
    "decision_action_create",
    "decision_action_source",
    "decisions_create_actions",
    "decisions_post_status_updates",
    "group_member_add",
    "group_member_end_term",
    "meeting_create",
    "meeting_update",
    "minutes_approve",
    "minutes_attendance_set",
    "minutes_correction_start",
    "minutes_create",
    "minutes_header_update",
    "minutes_item_create",
    "minutes_item_update",
    "minutes_items_from_agenda",
    "minutes_pdf_store",
    "minutes_pdfs_store",
    "minutes_publish",
    "minutes_return",
    "minutes_roles_check",
    "minutes_send_for_approval",
    "paragraph_number_allocate",
]
