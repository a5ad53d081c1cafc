"""Quiet, useful logs: refusals are one line, real errors keep their traceback (issue 15).

Every 403 and every bad Host header used to write a 15-line traceback: cheap for anyone to
flood, and "Traceback" no longer meant a bug. `ExpectedRefusals` is attached to the loggers
Django reports them on (so every handler, and pytest's caplog, sees the short form) and to the
console handler (for anything that reaches it another way).
"""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError

# Answers the portal gives on purpose (403/400), not faults in the code.
EXPECTED = (PermissionDenied, SuspiciousOperation, BadRequest, MultiPartParserError)


class ExpectedRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc_info = record.exc_info
        if exc_info and isinstance(exc_info[1], EXPECTED):
            # One line: the message (which already names the path or the bad header, quoted
            # with repr) and the exception class; no stack.
            message = record.getMessage().replace("\r", "\\r").replace("\n", "\\n")
            record.msg = f"{message} [{type(exc_info[1]).__name__}]"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
