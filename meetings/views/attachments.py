"""Attachments of a meeting: uploading (the group) and downloading (whoever may see it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lov_portal.accounts.permissions import has_perm, require
from lov_portal.core.uploads import attachment_response

from .. import services
from ..forms import AttachmentForm
from ..selectors import attachment_get, attachment_targets
from .common import agenda_item_or_404, meeting_or_404, methods, minutes_item_or_404


@login_required
@methods
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(pk)
    require(request, "meetings.manage_meetings", meeting.group)
    agenda_items, minutes_items = attachment_targets(meeting=meeting)
    targets = [("meeting", _("Mötet i stort"))]
    targets += [(f"agenda-{i.pk}", f"{i.position}. {i.title}") for i in agenda_items]
    targets += [(f"item-{i.pk}", f"§ {i.number} {i.heading}") for i in minutes_items]
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    form = AttachmentForm(request.POST or None, request.FILES or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        attached_to = {}
        if target.startswith("agenda-"):
            attached_to["agenda_item"] = agenda_item_or_404(meeting, int(target[7:]))
        elif target.startswith("item-"):
            attached_to["minutes_item"] = minutes_item_or_404(minutes, int(target[5:]))
        try:
            services.attachment_create(
                meeting=meeting,
                by=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                **attached_to,
            )
        except ValidationError as error:
            form.add_error("file", error)
        except PermissionDenied as error:
            form.add_error("target", str(error))
        else:
            messages.success(request, _("Bilagan är uppladdad."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "meetings/attachment_form.html", {"meeting": meeting, "form": form}, status=status
    )


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = attachment_get(pk=pk)
    if attachment is None:
        raise Http404
    if not has_perm(request.user, "meetings.view_attachment", attachment):
        # Never reveal that an unpublished attachment exists.
        raise Http404
    return attachment_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
