"""Rendering the minutes as a tagged PDF (PDF/UA): used by the task that stores a published
revision's PDF and, for unpublished revisions, by the view for the group."""

from __future__ import annotations

from django.template.loader import render_to_string

from lov_portal.core.pdf import render_pdf

from .models import MinutesRevision
from .selectors import document_for_display


def minutes_pdf_render(*, revision: MinutesRevision) -> bytes:
    """The revision as a PDF, in the active language."""
    minutes = revision.minutes
    html = render_to_string(
        "meetings/minutes_pdf.html",
        {
            "meeting": minutes.meeting,
            "minutes": minutes,
            "revision": revision,
            "doc": document_for_display(revision.content),
            "approvals": list(revision.approvals.select_related("user")),
        },
    )
    # Tagged PDF/UA with title, language and author: a published public document.
    return render_pdf(html, stylesheets=["meetings/minutes-pdf.css"])
