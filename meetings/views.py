"""Pages of the cooperation group: thin views that check permission, call a service or a
selector, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agreements.selectors import agreement_get, principle_list
from commitments.selectors import commitment_active_list
from lov_portal.accounts.decorators import staff_required, step_up_required, user_has_mfa
from lov_portal.accounts.permissions import has_perm, is_staff, require
from lov_portal.core.cache import cache_public_page
from lov_portal.core.http import absolute_url, positive_int
from lov_portal.core.uploads import attachment_response

from . import services
from .calendar import meetings_ics
from .forms import (
    AgendaItemForm,
    AnswerForm,
    AttachmentForm,
    AttendanceForm,
    ConfirmForm,
    CorrectionForm,
    DecisionActionForm,
    EndTermForm,
    GroupMemberForm,
    MeetingForm,
    MinutesHeaderForm,
    MinutesItemDecisionForm,
    MinutesItemForm,
)
from .models import (
    AgendaItem,
    GroupMember,
    Meeting,
    MeetingKind,
    Minutes,
    MinutesItem,
    MinutesPublication,
    MinutesStatus,
)
from .pdf import minutes_pdf_render
from .selectors import (
    ROLE_ORDER,
    attachment_get,
    calendar_meetings,
    calendar_token_user,
    decision_actions_in_follow_up,
    document_for_display,
    group_composition,
    group_get,
    group_member_current_list,
    group_member_roster,
    meeting_get,
    meeting_years,
    meetings_split,
    minutes_awaiting_user,
    minutes_document,
    minutes_get,
    minutes_revision_list,
    year_overview,
)

# PositiveIntegerField: larger numbers are no revision (and overflow the column)
MAX_REVISION = 2**31 - 1

methods = require_http_methods(["GET", "POST"])


def _group():
    group = group_get(agreement=agreement_get())
    if group is None:
        raise Http404(_("Det finns ingen samverkansgrupp ännu."))
    return group


def _meeting(pk: int) -> Meeting:
    meeting = meeting_get(pk=pk)
    if meeting is None:
        raise Http404
    return meeting


def _minutes_or_404(meeting: Meeting) -> Minutes:
    minutes = minutes_get(meeting=meeting)
    if minutes is None:
        raise Http404
    return minutes


# --- The group, meetings and the yearly overview ---------------------------------------------


@require_GET
@cache_public_page
def group_detail(request: HttpRequest) -> HttpResponse:
    group = _group()
    composition = group_composition(group=group)
    return render(
        request,
        "meetings/group_detail.html",
        {
            "group": group,
            "composition": composition,
            "show_balance_warning": has_perm(request.user, "meetings.view_balance_warning", group)
            and not composition.is_balanced,
            "can_manage": has_perm(request.user, "meetings.manage_meetings", group),
            "can_manage_members": has_perm(request.user, "meetings.manage_members", group),
        },
    )


def _approved_organisations():
    from organisations.models import Organisation, OrganisationStatus

    return Organisation.objects.filter(status=OrganisationStatus.APPROVED).order_by("name", "pk")


@staff_required
@methods
def group_members_manage(request: HttpRequest) -> HttpResponse:
    """Staff: every member the group has had, and a form to add one."""
    group = _group()
    require(request, "meetings.manage_members", group)
    form = GroupMemberForm(
        request.POST if request.method == "POST" else None,
        organisations=_approved_organisations(),
        users=get_user_model().objects.filter(is_active=True),
        initial={"term_start": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("email")
        try:
            member = services.group_member_add(group=group, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s är tillagd i gruppen.") % {"name": member.user})
            return redirect("meetings:group_members")
    composition = group_composition(group=group)
    return render(
        request,
        "meetings/group_members.html",
        {
            "group": group,
            "roster": group_member_roster(group=group),
            "composition": composition,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_required
@methods
def group_member_end(request: HttpRequest, member_pk: int) -> HttpResponse:
    """Staff: end a member's term after an explicit confirmation. Nothing is deleted."""
    group = _group()
    require(request, "meetings.manage_members", group)
    member = get_object_or_404(
        GroupMember.objects.select_related("user", "organisation"), pk=member_pk, group=group
    )
    form = EndTermForm(
        request.POST if request.method == "POST" else None,
        initial={"term_end": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.group_member_end_term(
                member=member, term_end=form.cleaned_data["term_end"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Mandatet för %(name)s är avslutat.") % {"name": member.user}
            )
            return redirect("meetings:group_members")
    return render(
        request,
        "meetings/group_member_end.html",
        {"group": group, "member": member, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
@cache_public_page
def meeting_list(request: HttpRequest) -> HttpResponse:
    group = _group()
    upcoming, past = meetings_split(group=group)
    awaiting = (
        list(minutes_awaiting_user(user=request.user)) if request.user.is_authenticated else []
    )
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "group": group,
            "upcoming": upcoming,
            "past": past,
            "awaiting": awaiting,
            "internal": has_perm(request.user, "meetings.view_meeting_details", group),
            "can_manage": has_perm(request.user, "meetings.manage_meetings", group),
            "overview": year_overview(group=group, year=timezone.localdate().year),
        },
    )


@require_GET
@cache_public_page
def year_overview_view(request: HttpRequest, year: int | None = None) -> HttpResponse:
    group = _group()
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    overview = year_overview(group=group, year=year)
    years = meeting_years(group=group)
    kinds = dict(MeetingKind.choices)
    return render(
        request,
        "meetings/year_overview.html",
        {
            "group": group,
            "overview": overview,
            "kind_counts": [(kinds.get(k, k), n) for k, n in overview.by_kind.items()],
            # Links only to years that have meetings (a crawler once walked from 1999 to 2101).
            "previous_year": max((y for y in years if y < year), default=None),
            "next_year": min((y for y in years if y > year), default=None),
        },
    )


@require_GET
@cache_public_page
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    internal = has_perm(request.user, "meetings.view_meeting_details", meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "internal": internal,
            "can_manage": has_perm(request.user, "meetings.manage_meetings", meeting.group),
            "minutes_visible": minutes is not None
            and (
                minutes.published_revision_id is not None
                or has_perm(request.user, "meetings.view_unpublished_minutes", minutes)
            ),
            "meeting_attachments": [
                a
                for a in meeting.attachments.all()
                if a.agenda_item_id is None and a.minutes_item_id is None
            ]
            if internal
            else [],
        },
    )


@login_required
@methods
def meeting_create(request: HttpRequest) -> HttpResponse:
    group = _group()
    require(request, "meetings.manage_meetings", group)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(group=group, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Mötet är skapat."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@login_required
@methods
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    require(request, "meetings.manage_meetings", meeting.group)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        services.meeting_update(meeting=meeting, **form.cleaned_data)
        messages.success(request, _("Mötet är ändrat."))
        return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
@methods
def agenda_edit(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    """The agenda: the list of numbered items and a form to add one or change one."""
    meeting = _meeting(pk)
    require(request, "meetings.manage_meetings", meeting.group)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting) if item_pk else None
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        if item is None:
            services.agenda_item_create(meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Punkten är tillagd på dagordningen."))
        else:
            services.agenda_item_update(item=item, **form.cleaned_data)
            messages.success(request, _("Punkten är ändrad."))
        return redirect("meetings:agenda_edit", pk=meeting.pk)
    return render(
        request, "meetings/agenda_edit.html", {"meeting": meeting, "form": form, "item": item}
    )


@login_required
@require_POST
def agenda_item_action(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Move an agenda item up or down, or remove it (after an explicit confirmation)."""
    meeting = _meeting(pk)
    require(request, "meetings.manage_meetings", meeting.group)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    action = request.POST.get("action")
    if action in ("up", "down"):
        services.agenda_item_move(item=item, up=action == "up")
    elif action == "delete":
        if request.POST.get("confirm") != "on":
            messages.error(request, _("Kryssa i rutan för att bekräfta att punkten ska tas bort."))
        else:
            services.agenda_item_delete(item=item)
            messages.success(request, _("Punkten är borttagen."))
    return redirect("meetings:agenda_edit", pk=meeting.pk)


# --- Minutes ----------------------------------------------------------------------------------


@require_GET
@cache_public_page(params=("version",))
def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Published minutes for everyone; the working copy for the group and the checkers."""
    meeting = _meeting(pk)
    minutes = _minutes_or_404(meeting)
    internal = has_perm(request.user, "meetings.view_unpublished_minutes", minutes)
    if not internal and minutes.published_revision_id is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    if internal and request.GET.get("version") != "publicerad":
        content = minutes_document(minutes=minutes)
        revision = minutes.current_revision if minutes.status != MinutesStatus.DRAFT else None
    else:
        revision = minutes.published_revision
        content = revision.content
    return render(
        request,
        "meetings/minutes_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "doc": document_for_display(content),
            "revision": revision,
            "approvals": list(revision.approvals.select_related("user")) if revision else [],
            "follow_up_actions": list(decision_actions_in_follow_up(minutes=minutes)),
            "internal": internal,
            "can_edit": has_perm(request.user, "meetings.edit_minutes", minutes),
            "can_approve": has_perm(request.user, "meetings.approve_minutes", minutes)
            and not (revision and revision.approvals.filter(user_id=request.user.pk).exists()),
            "published_only": not internal or request.GET.get("version") == "publicerad",
        },
    )


def _published_or_internal(request: HttpRequest, pk: int):
    meeting = _meeting(pk)
    minutes = _minutes_or_404(meeting)
    revision_number = request.GET.get("revision")
    internal = has_perm(request.user, "meetings.view_unpublished_minutes", minutes)
    number = positive_int(revision_number, maximum=MAX_REVISION)
    if number is not None:
        revisions = minutes.revisions.filter(number=number)
        if not internal:
            revisions = revisions.filter(publication__isnull=False)
        revision = revisions.first()
        if revision is None:
            raise Http404
    elif minutes.published_revision_id is not None:
        revision = minutes.published_revision
    elif internal and minutes.current_revision_id is not None:
        revision = minutes.current_revision
    else:
        raise Http404 if internal else PermissionDenied
    approvals = list(revision.approvals.select_related("user"))
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
    if MinutesPublication.objects.filter(revision=revision).exists():
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
    meeting = _meeting(pk)
    minutes = _minutes_or_404(meeting)
    internal = has_perm(request.user, "meetings.view_unpublished_minutes", minutes)
    if not internal and minutes.published_revision_id is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
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
    meeting = _meeting(pk)
    require(request, "meetings.manage_meetings", meeting.group)
    services.minutes_create(meeting=meeting)
    return redirect("meetings:minutes_edit", pk=meeting.pk)


def _group_users(meeting: Meeting):
    members = group_member_current_list(
        group=meeting.group, on=timezone.localtime(meeting.starts_at).date()
    )
    user_ids = set(members.values_list("user_id", flat=True))
    return get_user_model().objects.filter(pk__in=user_ids).order_by("full_name", "email")


@login_required
@methods
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's working page: who led, who checks, who attended; items below."""
    meeting = _meeting(pk)
    minutes = _minutes_or_404(meeting)
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
    meeting = _meeting(pk)
    minutes = _minutes_or_404(meeting)
    require(request, "meetings.edit_minutes", minutes)
    item = get_object_or_404(MinutesItem, pk=item_pk, minutes=minutes)
    commitments = commitment_active_list(agreement=meeting.group.agreement)
    form = MinutesItemDecisionForm(
        request.POST if request.POST.get("part") != "action" else None,
        commitments=commitments,
        initial={
            "heading": item.heading,
            "notes": item.notes,
            "decision": item.decision,
            "commitments": list(item.commitments.values_list("pk", flat=True)),
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
            messages.error(request, str(error))
            return render(
                request,
                "meetings/minutes_item_edit.html",
                {
                    "meeting": meeting,
                    "minutes": minutes,
                    "item": item,
                    "form": form,
                    "action_form": action_form,
                    "locked": True,
                },
                status=409,
            )
    return render(
        request,
        "meetings/minutes_item_edit.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "item": item,
            "form": form,
            "action_form": action_form,
            "locked": not minutes.is_editable,
        },
    )


def _transition_page(request, meeting, minutes, *, title, text, form, action):
    return render(
        request,
        "meetings/minutes_confirm.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "title": title,
            "text": text,
            "form": form,
            "action": action,
        },
    )


def _confirmed_transition(request, pk, *, service, done, title, text, action):
    """A confirm page for one step of the minutes' life; the step runs after confirmation."""
    meeting = _meeting(pk)
    minutes = _minutes_or_404(meeting)
    require(request, "meetings.edit_minutes", minutes)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(minutes=minutes, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
            return redirect("meetings:minutes_detail", pk=meeting.pk)
    return _transition_page(
        request, meeting, minutes, title=title, text=text, form=form, action=action
    )


@login_required
@methods
def minutes_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_transition(
        request,
        pk,
        service=services.minutes_send_for_approval,
        done=_("Protokollet är skickat för justering."),
        title=_("Skicka protokollet för justering"),
        text=_(
            "Justerarna och ordföranden får protokollet att justera. Det kan inte ändras medan "
            "det väntar på justering; om någon återsänder det blir det ett utkast igen."
        ),
        action="meetings:minutes_send",
    )


@login_required
@methods
def minutes_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    minutes = _minutes_or_404(meeting)
    require(request, "meetings.approve_minutes", minutes)
    return _minutes_answer(request, meeting=meeting, minutes=minutes)


@step_up_required(
    reason=gettext_lazy(
        "Den som justerar ett protokoll måste använda tvåstegsverifiering, som den som "
        "undertecknar. Aktivera den först; sedan kan du justera."
    )
)
def _minutes_answer(request: HttpRequest, *, meeting: Meeting, minutes: Minutes) -> HttpResponse:
    # Approving or returning minutes is a legally significant act: a second factor set up,
    # and the password or a code again just before the answer is recorded (issue 18).
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["answer"] == AnswerForm.APPROVE:
                services.minutes_approve(
                    minutes=minutes, by=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Du har justerat protokollet."))
            else:
                services.minutes_return(
                    minutes=minutes, by=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Protokollet är återsänt till sekreteraren."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("meetings:minutes_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/minutes_answer.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "doc": document_for_display(minutes.current_revision.content),
        },
    )


@login_required
@methods
def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_transition(
        request,
        pk,
        service=services.minutes_publish,
        done=_("Protokollet är publicerat."),
        title=_("Publicera protokollet"),
        text=_("Det justerade protokollet och dess bilagor blir synliga för alla på webbplatsen."),
        action="meetings:minutes_publish",
    )


@login_required
@methods
def minutes_correct(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    minutes = _minutes_or_404(meeting)
    require(request, "meetings.edit_minutes", minutes)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_correction_start(
                minutes=minutes, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Rättelsen är påbörjad. Det justerade protokollet finns kvar i historiken."),
            )
            return redirect("meetings:minutes_edit", pk=meeting.pk)
    return _transition_page(
        request,
        meeting,
        minutes,
        title=_("Rätta ett justerat protokoll"),
        text=_(
            "En rättelse blir en ny version av protokollet som ska justeras på nytt. Den "
            "justerade versionen ändras aldrig och visas i historiken."
        ),
        form=form,
        action="meetings:minutes_correct",
    )


# --- Attachments ------------------------------------------------------------------------------


@login_required
@methods
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    require(request, "meetings.manage_meetings", meeting.group)
    targets = [("meeting", _("Mötet i stort"))]
    targets += [(f"agenda-{i.pk}", f"{i.position}. {i.title}") for i in meeting.agenda_items.all()]
    minutes = getattr(meeting, "minutes", None) if hasattr(meeting, "minutes") else None
    if minutes is not None and minutes.is_editable:
        targets += [(f"item-{i.pk}", f"§ {i.number} {i.heading}") for i in minutes.items.all()]
    form = AttachmentForm(request.POST or None, request.FILES or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        agenda_item = minutes_item = None
        if target.startswith("agenda-"):
            agenda_item = get_object_or_404(AgendaItem, pk=int(target[7:]), meeting=meeting)
        elif target.startswith("item-"):
            minutes_item = get_object_or_404(MinutesItem, pk=int(target[5:]), minutes=minutes)
        try:
            services.attachment_create(
                meeting=meeting,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                by=request.user,
                agenda_item=agenda_item,
                minutes_item=minutes_item,
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


# --- Calendars --------------------------------------------------------------------------------


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(pk)
    private = has_perm(request.user, "meetings.view_meeting_details", meeting)
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return _ics_response(
        meetings_ics([meeting], name=str(meeting.group), private=private), f"mote-{day}.ics"
    )


@require_GET
@cache_public_page
def public_feed(request: HttpRequest) -> HttpResponse:
    group = _group()
    return _ics_response(
        meetings_ics(calendar_meetings(group=group), name=group.name, private=False),
        "kalender.ics",
    )


@require_GET
def private_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = calendar_token_user(token=token)
    if user is None:
        raise Http404
    group = _group()
    if not has_perm(user, "meetings.use_private_calendar", group):
        raise Http404
    if is_staff(user) and not user_has_mfa(user):
        # The feed has no session for StaffMFAMiddleware to check: staff must still have MFA
        # for the staff view of the calendar (every meeting, with internal details).
        raise Http404
    meetings = calendar_meetings(group=group) if is_staff(user) else calendar_meetings(user=user)
    return _ics_response(
        meetings_ics(meetings, name=group.name, private=True), "samverkansgruppen.ics"
    )


@login_required
@methods
def calendar_settings(request: HttpRequest) -> HttpResponse:
    group = _group()
    require(request, "meetings.use_private_calendar", group)
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if form.is_valid():
            services.calendar_token_renew(user=request.user)
            messages.success(
                request, _("Du har fått en ny adress. Den gamla adressen fungerar inte längre.")
            )
            return redirect("meetings:calendar_settings")
    else:
        form = ConfirmForm()
    token = services.calendar_token_get_or_create(user=request.user)
    return render(
        request,
        "meetings/calendar_settings.html",
        {
            "feed_url": absolute_url("meetings_private_feed", token.token),
            "public_url": absolute_url("meetings_public_feed"),
            "form": form,
        },
    )
