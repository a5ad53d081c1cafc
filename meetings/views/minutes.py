"""Minutes: the published and working copies, their history, print and PDF, and the
secretary's editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.selectors import principle_list
from commitments.selectors import commitment_active_list
from lov_portal.accounts.permissions import has_perm, require
from lov_portal.core.cache import cache_public_page
from lov_portal.core.http import positive_int

from .. import services
from ..forms import (
    AttendanceForm,
    DecisionActionForm,
    MinutesHeaderForm,
    MinutesItemDecisionForm,
    MinutesItemForm,
)
from ..models import Meeting, Minutes, MinutesStatus
from ..pdf import minutes_pdf_render
from ..selectors import (
    ROLE_ORDER,
    decision_actions_in_follow_up,
    document_for_display,
    group_member_current_list,
    group_users_on,
    minutes_approval_list,
    minutes_document,
    minutes_item_commitment_ids,
    minutes_revision_get,
    minutes_revision_is_published,
    minutes_revision_list,
)
from .common import (
    MAX_REVISION,
    meeting_minutes_or_404,
    meeting_or_404,
    methods,
    minutes_item_or_404,
)


def _reader(request: HttpRequest, pk: int) -> tuple[Meeting, Minutes, bool]:
    """The meeting, its minutes and whether this reader sees the unpublished working copy.
    Minutes never published are refused to anyone else logged in (the caller sends anonymous
    visitors to log in)."""
    meeting, minutes = meeting_minutes_or_404(pk)
    internal = has_perm(request.user, "meetings.view_unpublished_minutes", minutes)
    if not internal and minutes.published_revision_id is None and request.user.is_authenticated:
        raise PermissionDenied
    return meeting, minutes, internal


@require_GET
@cache_public_page(params=("version",))
def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Published minutes for everyone; the working copy for the group and the checkers."""
    meeting, minutes, internal = _reader(request, pk)
    if not internal and minutes.published_revision_id is None:
        return redirect_to_login(request.get_full_path())
    if internal and request.GET.get("version") != "publicerad":
        content = minutes_document(minutes=minutes)
        revision = minutes.current_revision if minutes.status != MinutesStatus.DRAFT else None
    else:
        revision = minutes.published_revision
        content = revision.content
    approvals = minutes_approval_list(revision=revision) if revision else []
    return render(
        request,
        "meetings/minutes_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "doc": document_for_display(content),
            "revision": revision,
            "approvals": approvals,
            "follow_up_actions": list(decision_actions_in_follow_up(minutes=minutes)),
            "internal": internal,
            "can_edit": has_perm(request.user, "meetings.edit_minutes", minutes),
            "can_approve": has_perm(request.user, "meetings.approve_minutes", minutes)
            and not any(a.user_id == request.user.pk for a in approvals),
            "published_only": not internal or request.GET.get("version") == "publicerad",
        },
    )


def _published_or_internal(request: HttpRequest, pk: int):
    meeting, minutes = meeting_minutes_or_404(pk)
    revision_number = request.GET.get("revision")
    internal = has_perm(request.user, "meetings.view_unpublished_minutes", minutes)
    number = positive_int(revision_number, maximum=MAX_REVISION)
    if number is not None:
        revision = minutes_revision_get(minutes=minutes, number=number, published_only=not internal)
        if revision is None:
            raise Http404
    elif minutes.published_revision_id is not None:
        revision = minutes.published_revision
    elif internal and minutes.current_revision_id is not None:
        revision = minutes.current_revision
    else:
        raise Http404 if internal else PermissionDenied
    approvals = minutes_approval_list(revision=revision)
    return meeting, minutes, revision, approvals


@require_GET
def minutes_print(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes, revision, approvals = _published_or_internal(request, pk)
    return render(
        request,
        "meetings/minutes_print.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "revision": revision,
            "doc": document_for_display(revision.content),
            "approvals": approvals,
        },
    )


# Rendering a PDF is costly: anonymous visitors share one copy, whatever else they add.
@cache_public_page(params=("revision",))
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A published revision's PDF is rendered once (at publication) and read from storage;
    only the group's unpublished working copies are rendered per request."""
    meeting, _minutes, revision, _approvals = _published_or_internal(request, pk)
    if minutes_revision_is_published(revision=revision):
        stored = services.minutes_pdf_store(revision=revision, language=get_language())
        with stored.file.open("rb") as handle:
            pdf = handle.read()
        etag = stored.sha256
    else:
        pdf = minutes_pdf_render(revision=revision)
        etag = None
    response = HttpResponse(pdf, content_type="application/pdf")
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    response["Content-Disposition"] = f'inline; filename="protokoll-{day}.pdf"'
    if etag:
        response["ETag"] = f'"{etag}"'
    return response


@require_GET
def minutes_history(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, minutes, internal = _reader(request, pk)
    if not internal and minutes.published_revision_id is None:
        return redirect_to_login(request.get_full_path())
    revisions = list(minutes_revision_list(minutes=minutes))
    if not internal:
        # The public sees only what has been published, each version with its approvals.
        revisions = [r for r in revisions if hasattr(r, "publication")]
    return render(
        request,
        "meetings/minutes_history.html",
        {"meeting": meeting, "minutes": minutes, "revisions": revisions, "internal": internal},
    )


@login_required
@require_POST
def minutes_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(pk)
    require(request, "meetings.manage_meetings", meeting.group)
    services.minutes_create(meeting=meeting)
    return redirect("meetings:minutes_edit", pk=meeting.pk)


def _group_users(meeting: Meeting):
    return group_users_on(group=meeting.group, on=timezone.localtime(meeting.starts_at).date())


@login_required
@methods
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's working page: who led, who checks, who attended; items below."""
    meeting, minutes = meeting_minutes_or_404(pk)
    require(request, "meetings.edit_minutes", minutes)
    users = _group_users(meeting)
    members = sorted(
        group_member_current_list(
            group=meeting.group, on=timezone.localtime(meeting.starts_at).date()
        ),
        key=lambda m: (m.side, ROLE_ORDER.index(m.role), str(m.user)),
    )
    checkers = list(minutes.checkers.all())
    header = MinutesHeaderForm(
        request.POST if request.POST.get("part") == "header" else None,
        users=users,
        initial={
            "chair": minutes.chair_id,
            "secretary": minutes.secretary_id,
            "checker_1": checkers[0].pk if checkers else None,
            "checker_2": checkers[1].pk if len(checkers) > 1 else None,
            "other_participants": minutes.other_participants,
        },
    )
    rows = {a.member_id: (a.status, str(a.serving_for_id or "")) for a in minutes.attendance.all()}
    attendance = AttendanceForm(
        request.POST if request.POST.get("part") == "attendance" else None,
        members=members,
        initial_rows=rows,
        prefix="att",
    )
    item_form = MinutesItemForm(
        request.POST if request.POST.get("part") == "item" else None, prefix="item"
    )
    if request.method == "POST":
        if not minutes.is_editable:
            messages.error(request, _("Protokollet är låst och kan inte ändras."))
            return redirect("meetings:minutes_detail", pk=meeting.pk)
        part = request.POST.get("part")
        try:
            if part == "header" and header.is_valid():
                try:
                    services.minutes_header_update(
                        minutes=minutes,
                        chair=header.cleaned_data["chair"],
                        secretary=header.cleaned_data["secretary"],
                        checkers=header.checkers,
                        other_participants=header.cleaned_data["other_participants"],
                    )
                except ValidationError as error:
                    header.add_service_errors(error)
                else:
                    messages.success(request, _("Uppgifterna är sparade."))
                    return redirect("meetings:minutes_edit", pk=meeting.pk)
            if part == "attendance" and attendance.is_valid():
                by_pk = {m.pk: m for m in members}
                services.minutes_attendance_set(
                    minutes=minutes,
                    entries=[
                        services.AttendanceEntry(
                            member=m,
                            status=attendance.cleaned_data[f"status_{m.pk}"],
                            serving_for=by_pk.get(
                                int(attendance.cleaned_data.get(f"serving_{m.pk}") or 0)
                            ),
                        )
                        for m in members
                    ],
                )
                messages.success(request, _("Närvaron är sparad."))
                return redirect("meetings:minutes_edit", pk=meeting.pk)
            if part == "from_agenda":
                created = services.minutes_items_from_agenda(minutes=minutes)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s paragraf är skapad från dagordningen.",
                        "%(count)s paragrafer är skapade från dagordningen.",
                        len(created),
                    )
                    % {"count": len(created)},
                )
                return redirect("meetings:minutes_edit", pk=meeting.pk)
            if part == "item" and item_form.is_valid():
                item = services.minutes_item_create(minutes=minutes, **item_form.cleaned_data)
                messages.success(request, _("§ %(number)s är tillagd.") % {"number": item.number})
                return redirect("meetings:minutes_edit", pk=meeting.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "meetings/minutes_edit.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "header": header,
            "attendance": attendance,
            "item_form": item_form,
            "items": minutes.items.all(),
        },
    )


@login_required
@methods
def minutes_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, minutes = meeting_minutes_or_404(pk)
    require(request, "meetings.edit_minutes", minutes)
    item = minutes_item_or_404(minutes, item_pk)
    commitments = commitment_active_list(agreement=meeting.group.agreement)
    form = MinutesItemDecisionForm(
        request.POST if request.POST.get("part") != "action" else None,
        commitments=commitments,
        initial={
            "heading": item.heading,
            "notes": item.notes,
            "decision": item.decision,
            "commitments": minutes_item_commitment_ids(item=item),
            "commitment_status": item.commitment_status,
        },
    )
    action_form = DecisionActionForm(
        request.POST if request.POST.get("part") == "action" else None,
        users=_group_users(meeting),
        commitments=commitments,
        principles=principle_list(agreement=meeting.group.agreement),
        prefix="action",
    )
    locked, status = not minutes.is_editable, 200
    if request.method == "POST":
        try:
            if request.POST.get("part") == "action":
                if action_form.is_valid():
                    try:
                        services.decision_action_create(item=item, **action_form.cleaned_data)
                    except ValidationError as error:
                        action_form.add_error(None, error)
                    else:
                        messages.success(request, _("Åtgärden är tillagd."))
                        return redirect(
                            "meetings:minutes_item_edit", pk=meeting.pk, item_pk=item.pk
                        )
            elif form.is_valid():
                services.minutes_item_update(item=item, **form.cleaned_data)
                messages.success(request, _("§ %(number)s är sparad.") % {"number": item.number})
                return redirect("meetings:minutes_edit", pk=meeting.pk)
        except PermissionDenied as error:
            # Locked meanwhile (sent for approval in another tab): show it as locked.
            messages.error(request, str(error))
            locked, status = True, 409
    return render(
        request,
        "meetings/minutes_item_edit.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "item": item,
            "form": form,
            "action_form": action_form,
            "locked": locked,
        },
        status=status,
    )
