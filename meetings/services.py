"""Every write to the cooperation group, its meetings and minutes goes through these functions."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from agreements.models import Principle
from commitments.models import Action, ActionStatus, Commitment, StatusUpdate
from commitments.services import action_create, status_update_record
from lov_portal.audit.services import audit_record
from lov_portal.core.cache import public_cache_bump
from lov_portal.core.text import rich_text_clean

from . import signals
from .files import attachment_check
from .models import (
    AgendaItem,
    ApprovalDecision,
    Attachment,
    Attendance,
    AttendanceStatus,
    CalendarToken,
    CooperationGroup,
    DecisionAction,
    GroupMember,
    Meeting,
    MemberRole,
    Minutes,
    MinutesApproval,
    MinutesItem,
    MinutesPdf,
    MinutesPublication,
    MinutesRevision,
    MinutesStatus,
    ParagraphCounter,
    RevisionKind,
)
from .rules import approver_ids
from .selectors import minutes_document

MAX_CHECKERS = 2


class MinutesLockedError(PermissionDenied):
    """The minutes are not a draft, so their content cannot change."""


class MinutesStateError(ValidationError):
    """The step is not possible in the minutes' current state."""


def _local_year(moment: datetime.datetime) -> int:
    return timezone.localtime(moment).year


def _require_draft(minutes: Minutes) -> None:
    if minutes.status != MinutesStatus.DRAFT:
        raise MinutesLockedError(
            _("Protokollet är %(status)s och kan inte ändras. Starta en rättelse i stället.")
            % {"status": minutes.get_status_display().lower()}
        )


def _lock(minutes: Minutes) -> Minutes:
    """Re-read the minutes with a row lock so two state changes never interleave."""
    return Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)


# --- Meetings and agendas ---------------------------------------------------------------------


def meeting_create(
    *,
    group: CooperationGroup,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    title: str = "",
    location: str = "",
    online_url: str = "",
    is_internal: bool = False,
) -> Meeting:
    meeting = Meeting(
        group=group,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
        is_internal=is_internal,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def meeting_update(*, meeting: Meeting, **fields: object) -> Meeting:
    allowed = {"kind", "title", "starts_at", "ends_at", "location", "online_url"}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"meeting_update() got an unexpected field {name!r}")
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    return meeting


def agenda_item_create(*, meeting: Meeting, title: str, description: str = "") -> AgendaItem:
    """Append an item; its number is the next free position on the agenda."""
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        last = (
            AgendaItem.objects.filter(meeting=meeting)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        return AgendaItem.objects.create(
            meeting=meeting,
            position=(last or 0) + 1,
            title=title,
            description=rich_text_clean(description),
        )


def agenda_item_update(*, item: AgendaItem, title: str, description: str = "") -> AgendaItem:
    item.title = title
    item.description = rich_text_clean(description)
    item.save(update_fields=["title", "description"])
    return item


def _agenda_renumber(meeting_id: int, ordered: list[AgendaItem]) -> None:
    # Two passes keep the unique (meeting, position) constraint satisfied at every step.
    offset = 10000
    for index, item in enumerate(ordered, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(position=offset + index)
    for index, item in enumerate(ordered, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(position=index)
    public_cache_bump()


def agenda_item_move(*, item: AgendaItem, up: bool) -> None:
    """Move an item one step up or down; the agenda is renumbered 1, 2, 3, ..."""
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=item.meeting_id).first()
        ordered = list(AgendaItem.objects.filter(meeting_id=item.meeting_id).order_by("position"))
        index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
        target = index - 1 if up else index + 1
        if 0 <= target < len(ordered):
            ordered[index], ordered[target] = ordered[target], ordered[index]
            _agenda_renumber(item.meeting_id, ordered)


def agenda_item_delete(*, item: AgendaItem) -> None:
    """Remove an item; its attachments stay with the meeting and the rest are renumbered."""
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=item.meeting_id).first()
        meeting_id = item.meeting_id
        item.delete()
        _agenda_renumber(
            meeting_id, list(AgendaItem.objects.filter(meeting_id=meeting_id).order_by("position"))
        )


# --- Minutes: the draft -----------------------------------------------------------------------


def _member_with_role(group_id: int, role: str, on: datetime.date) -> GroupMember | None:
    return (
        GroupMember.objects.serving_on(on)
        .filter(group_id=group_id, role=role)
        .select_related("user")
        .first()
    )


def minutes_create(*, meeting: Meeting) -> Minutes:
    """Start the minutes of a meeting, with the group's chair and secretary filled in."""
    day = timezone.localtime(meeting.starts_at).date()
    chair = _member_with_role(meeting.group_id, MemberRole.CHAIR, day)
    secretary = _member_with_role(meeting.group_id, MemberRole.SECRETARY, day)
    try:
        with transaction.atomic():
            return Minutes.objects.create(
                meeting=meeting,
                chair=chair.user if chair else None,
                secretary=secretary.user if secretary else None,
            )
    except IntegrityError:
        return Minutes.objects.get(meeting=meeting)


CHAIR_ROLES = frozenset({MemberRole.CHAIR, MemberRole.VICE_CHAIR})
CHECKER_ROLES = frozenset({MemberRole.MEMBER, MemberRole.DEPUTY})


def _roles_on_meeting_day(minutes: Minutes, users: Iterable[object]) -> dict[int, set[str]]:
    """The roles each person held in the meeting's group on the day of the meeting."""
    day = timezone.localtime(minutes.meeting.starts_at).date()
    roles: dict[int, set[str]] = {}
    rows = (
        GroupMember.objects.serving_on(day)
        .filter(group_id=minutes.meeting.group_id, user_id__in=[u.pk for u in users])
        .values_list("user_id", "role")
    )
    for user_id, role in rows:
        roles.setdefault(user_id, set()).add(role)
    return roles


def minutes_roles_check(
    *, minutes: Minutes, chair: object | None, secretary: object | None, checkers: Sequence[object]
) -> None:
    """The people who approve minutes must hold the matching office in the group on the day of
    the meeting (chair or vice chair; member or deputy), and whoever keeps the minutes never
    approves them. Raises a ValidationError keyed by "chair" and "checkers"."""
    people = [p for p in (chair, *checkers) if p is not None]
    roles = _roles_on_meeting_day(minutes, people)
    errors: dict[str, list[str]] = {}
    keeper_id = secretary.pk if secretary is not None else None
    if chair is not None:
        if chair.pk == keeper_id:
            errors.setdefault("chair", []).append(
                _("Den som för protokollet kan inte också vara ordförande och justera det.")
            )
        elif not roles.get(chair.pk, set()) & CHAIR_ROLES:
            errors.setdefault("chair", []).append(
                _(
                    "%(name)s var inte ordförande eller vice ordförande i gruppen på mötesdagen "
                    "och kan inte justera protokollet som ordförande."
                )
                % {"name": chair}
            )
    for checker in checkers:
        if checker.pk == keeper_id:
            errors.setdefault("checkers", []).append(
                _("Den som för protokollet kan inte också vara justerare.")
            )
        elif not roles.get(checker.pk, set()) & CHECKER_ROLES:
            errors.setdefault("checkers", []).append(
                _(
                    "%(name)s var inte ledamot eller ersättare i gruppen på mötesdagen och kan "
                    "inte vara justerare."
                )
                % {"name": checker}
            )
    if errors:
        raise ValidationError(errors)


def minutes_header_update(
    *,
    minutes: Minutes,
    chair: object | None,
    secretary: object | None,
    checkers: Sequence[object],
    other_participants: str = "",
) -> Minutes:
    if len(checkers) > MAX_CHECKERS:
        raise ValidationError({"checkers": _("Välj en eller två justerare.")})
    if chair is not None and any(c.pk == chair.pk for c in checkers):
        raise ValidationError({"checkers": _("Ordföranden justerar redan; välj någon annan.")})
    with transaction.atomic():
        minutes = _lock(minutes)
        _require_draft(minutes)
        minutes_roles_check(minutes=minutes, chair=chair, secretary=secretary, checkers=checkers)
        minutes.chair = chair
        minutes.secretary = secretary
        minutes.other_participants = other_participants.strip()
        minutes.save()
        minutes.checkers.set(checkers)
    return minutes


@dataclass(frozen=True)
class AttendanceEntry:
    member: GroupMember
    status: str
    serving_for: GroupMember | None = None


def minutes_attendance_set(*, minutes: Minutes, entries: Iterable[AttendanceEntry]) -> None:
    entries = list(entries)
    for entry in entries:
        if entry.member.group_id != minutes.meeting.group_id:
            raise ValidationError(_("Bara gruppens ledamöter kan föras in i närvarolistan."))
        if entry.status == AttendanceStatus.DEPUTY_SERVING and entry.serving_for is None:
            raise ValidationError(
                _("Ange vem %(name)s tjänstgör för.") % {"name": entry.member.user}
            )
    with transaction.atomic():
        minutes = _lock(minutes)
        _require_draft(minutes)
        Attendance.objects.filter(minutes=minutes).delete()
        public_cache_bump()
        Attendance.objects.bulk_create(
            [
                Attendance(
                    minutes=minutes,
                    member=entry.member,
                    status=entry.status,
                    serving_for=(
                        entry.serving_for
                        if entry.status == AttendanceStatus.DEPUTY_SERVING
                        else None
                    ),
                )
                for entry in entries
                if entry.status
            ]
        )


def paragraph_number_allocate(*, group: CooperationGroup, year: int) -> int:
    """The next § number of the group's year. Safe when several secretaries add items at once:
    the counter row is locked for the rest of the caller's transaction."""
    with transaction.atomic():
        counter = (
            ParagraphCounter.objects.select_for_update().filter(group=group, year=year).first()
        )
        if counter is None:
            try:
                with transaction.atomic():
                    ParagraphCounter.objects.create(group=group, year=year, last_number=0)
            except IntegrityError:
                pass  # someone else created it first; lock theirs
            counter = ParagraphCounter.objects.select_for_update().get(group=group, year=year)
        ParagraphCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
        return counter.last_number + 1


def minutes_item_create(
    *,
    minutes: Minutes,
    heading: str,
    notes: str = "",
    decision: str = "",
    agenda_item: AgendaItem | None = None,
) -> MinutesItem:
    with transaction.atomic():
        minutes = _lock(minutes)
        _require_draft(minutes)
        meeting = minutes.meeting
        year = _local_year(meeting.starts_at)
        number = paragraph_number_allocate(group=meeting.group, year=year)
        return MinutesItem.objects.create(
            minutes=minutes,
            group_id=meeting.group_id,
            year=year,
            number=number,
            agenda_item=agenda_item,
            heading=heading,
            notes=rich_text_clean(notes),
            decision=rich_text_clean(decision),
        )


def minutes_items_from_agenda(*, minutes: Minutes) -> list[MinutesItem]:
    """One § per agenda item not yet in the minutes, in the agenda's order."""
    with transaction.atomic():
        minutes = _lock(minutes)
        _require_draft(minutes)
        covered = set(
            minutes.items.exclude(agenda_item=None).values_list("agenda_item_id", flat=True)
        )
        created = []
        for agenda_item in minutes.meeting.agenda_items.order_by("position"):
            if agenda_item.pk not in covered:
                created.append(
                    minutes_item_create(
                        minutes=minutes, heading=agenda_item.title, agenda_item=agenda_item
                    )
                )
    return created


def minutes_item_update(
    *,
    item: MinutesItem,
    heading: str,
    notes: str = "",
    decision: str = "",
    commitments: Sequence[Commitment] | None = None,
    commitment_status: str = "",
) -> MinutesItem:
    with transaction.atomic():
        _require_draft(_lock(item.minutes))
        item.heading = heading
        item.notes = rich_text_clean(notes)
        item.decision = rich_text_clean(decision)
        item.commitment_status = commitment_status
        item.save()
        if commitments is not None:
            item.commitments.set(commitments)
    return item


def decision_action_create(
    *,
    item: MinutesItem,
    text: str,
    owner: object | None = None,
    due_on: datetime.date | None = None,
    commitment: Commitment | None = None,
    principle: Principle | None = None,
) -> DecisionAction:
    if commitment is not None:
        if principle is not None and principle.pk != commitment.principle_id:
            raise ValidationError({"commitment": _("Åtagandet hör till en annan princip.")})
        principle = None  # the commitment says which principle
    with transaction.atomic():
        _require_draft(_lock(item.minutes))
        return DecisionAction.objects.create(
            item=item,
            text=text,
            owner=owner,
            due_on=due_on,
            commitment=commitment,
            principle=principle,
        )


# --- The group's members ----------------------------------------------------------------------


def group_member_add(
    *,
    group: CooperationGroup,
    user: object,
    side: str,
    role: str,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
    organisation: object | None = None,
    by: object | None = None,
) -> GroupMember:
    """Add a member for a term. A person holds one seat at a time: terms may not overlap."""
    with transaction.atomic():
        # Lock the group row: two staff adding the same person at once are serialised, so the
        # overlap check below sees the other's row.
        CooperationGroup.objects.select_for_update().get(pk=group.pk)
        existing = list(GroupMember.objects.filter(group=group, user=user).order_by("pk"))
        for other in existing:
            starts_before_new_ends = term_end is None or other.term_start <= term_end
            ends_after_new_starts = other.term_end is None or other.term_end >= term_start
            if starts_before_new_ends and ends_after_new_starts:
                raise ValidationError({"email": _("Personen är redan ledamot under den perioden.")})
        member = GroupMember(
            group=group,
            user=user,
            organisation=organisation,
            side=side,
            role=role,
            term_start=term_start,
            term_end=term_end,
        )
        member.full_clean()
        member.save()
        audit_record(
            actor=by,
            action="group.member_appointed",
            obj=member,
            data={
                "user": member.user_id,
                "role": member.role,
                "side": member.side,
                "term_start": member.term_start.isoformat(),
                "term_end": member.term_end.isoformat() if member.term_end else None,
            },
        )
    return member


def group_member_end_term(
    *, member: GroupMember, term_end: datetime.date, by: object | None = None
) -> GroupMember:
    """End a member's term on `term_end` (the last day). The row is kept: it is the history."""
    with transaction.atomic():
        member = GroupMember.objects.select_for_update().get(pk=member.pk)
        if term_end < member.term_start:
            raise ValidationError({"term_end": _("Mandatet kan inte sluta innan det börjar.")})
        if member.term_end is not None and member.term_end < term_end:
            raise ValidationError({"term_end": _("Mandatet har redan upphört tidigare.")})
        member.term_end = term_end
        member.save(update_fields=["term_end"])
        audit_record(
            actor=by,
            action="group.term_ended",
            obj=member,
            data={"user": member.user_id, "term_end": term_end.isoformat()},
        )
    return member


# --- Minutes: approval (justering) ------------------------------------------------------------


def minutes_send_for_approval(*, minutes: Minutes, by: object) -> MinutesRevision:
    """Freeze the draft as a new revision and ask the checkers and the chair to approve it."""
    with transaction.atomic():
        minutes = _lock(minutes)
        if minutes.status != MinutesStatus.DRAFT:
            raise MinutesStateError(_("Bara ett utkast kan skickas för justering."))
        if minutes.chair_id is None or not minutes.checkers.exists():
            raise MinutesStateError(
                _("Ange ordförande och minst en justerare innan protokollet skickas.")
            )
        if not minutes.items.exists():
            raise MinutesStateError(_("Protokollet har inga paragrafer."))
        # Again here: the header may predate the rules, or a term may have been corrected.
        minutes_roles_check(
            minutes=minutes,
            chair=minutes.chair,
            secretary=minutes.secretary,
            checkers=list(minutes.checkers.all()),
        )
        previous = minutes.revisions.order_by("-number").first()
        if minutes.pending_correction_reason:
            kind, reason = RevisionKind.CORRECTION, minutes.pending_correction_reason
        elif previous is None:
            kind, reason = RevisionKind.FIRST, ""
        else:
            kind, reason = RevisionKind.AFTER_RETURN, ""
        revision = MinutesRevision.objects.create(
            minutes=minutes,
            number=(previous.number if previous else 0) + 1,
            kind=kind,
            reason=reason,
            content=minutes_document(minutes=minutes),
            created_by=by,
        )
        minutes.current_revision = revision
        minutes.status = MinutesStatus.SENT
        minutes.save(update_fields=["current_revision", "status", "updated_at"])
        audit_record(
            actor=by,
            action="minutes.sent",
            obj=minutes,
            data={"revision": revision.number, "kind": revision.kind},
        )
        signals.minutes_sent.send(sender=Minutes, minutes=minutes)
    return revision


def _answer(*, minutes: Minutes, by: object, decision: str, comment: str) -> MinutesApproval:
    with transaction.atomic():
        minutes = _lock(minutes)
        if minutes.status != MinutesStatus.SENT:
            raise MinutesStateError(_("Protokollet väntar inte på justering."))
        required = approver_ids(minutes)
        if by.pk not in required:
            raise PermissionDenied(_("Du är inte justerare eller ordförande för protokollet."))
        if by.pk == minutes.secretary_id:
            raise PermissionDenied(_("Den som för protokollet kan inte justera det."))
        revision = minutes.current_revision
        role = "chair" if by.pk == minutes.chair_id else "checker"
        try:
            with transaction.atomic():
                approval = MinutesApproval.objects.create(
                    revision=revision, user=by, role=role, decision=decision, comment=comment
                )
        except IntegrityError as error:
            raise MinutesStateError(_("Du har redan svarat på den här versionen.")) from error
        if decision == ApprovalDecision.RETURNED:
            minutes.status = MinutesStatus.DRAFT
            minutes.save(update_fields=["status", "updated_at"])
        else:
            approved = set(
                revision.approvals.filter(decision=ApprovalDecision.APPROVED).values_list(
                    "user_id", flat=True
                )
            )
            if required <= approved:
                minutes.status = MinutesStatus.APPROVED
                minutes.pending_correction_reason = ""
                minutes.save(update_fields=["status", "pending_correction_reason", "updated_at"])
                decisions_post_status_updates(minutes=minutes, by=by)
                decisions_create_actions(minutes=minutes)
        audit_record(
            actor=by,
            action=(
                "minutes.approved" if decision == ApprovalDecision.APPROVED else "minutes.returned"
            ),
            obj=minutes,
            data={"revision": revision.number, "role": role, "comment": comment},
        )
        signals.minutes_answered.send(sender=MinutesApproval, approval=approval)
    return approval


def minutes_approve(*, minutes: Minutes, by: object, comment: str = "") -> MinutesApproval:
    return _answer(minutes=minutes, by=by, decision=ApprovalDecision.APPROVED, comment=comment)


def minutes_return(*, minutes: Minutes, by: object, comment: str) -> MinutesApproval:
    if not comment.strip():
        raise ValidationError({"comment": _("Skriv vad som behöver ändras.")})
    return _answer(minutes=minutes, by=by, decision=ApprovalDecision.RETURNED, comment=comment)


def minutes_publish(*, minutes: Minutes, by: object) -> MinutesPublication:
    with transaction.atomic():
        minutes = _lock(minutes)
        if minutes.status != MinutesStatus.APPROVED:
            raise MinutesStateError(_("Bara justerade protokoll kan publiceras."))
        publication = MinutesPublication.objects.create(
            revision=minutes.current_revision, published_by=by
        )
        minutes.status = MinutesStatus.PUBLISHED
        minutes.published_revision = minutes.current_revision
        minutes.save(update_fields=["status", "published_revision", "updated_at"])
        audit_record(actor=by, action="minutes.published", obj=minutes)
        # Rendered once, on a worker, when the publication is committed; served from storage.
        from .tasks import minutes_pdf_store

        minutes_pdf_store.delay_on_commit(publication.revision_id)
    return publication


def minutes_pdf_store(*, revision: MinutesRevision, language: str) -> MinutesPdf:
    """The stored PDF of a published revision in `language`: rendered and stored the first
    time (normally by the task at publication; by a request only if that has not happened)."""
    from .pdf import minutes_pdf_render

    existing = MinutesPdf.objects.filter(revision=revision, language=language).first()
    if existing is not None:
        return existing
    if not MinutesPublication.objects.filter(revision=revision).exists():
        raise MinutesStateError(_("Bara publicerade protokoll sparas som PDF."))
    with translation.override(language):
        data = minutes_pdf_render(revision=revision)
    pdf = MinutesPdf(
        revision=revision,
        language=language,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    pdf.file.save("protokoll.pdf", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            pdf.save()
    except IntegrityError:
        # Stored meanwhile by another worker or request: keep theirs, drop our copy.
        pdf.file.storage.delete(pdf.file.name)
        return MinutesPdf.objects.get(revision=revision, language=language)
    return pdf


def minutes_pdfs_store(*, revision_id: int) -> list[MinutesPdf]:
    revision = MinutesRevision.objects.select_related("minutes__meeting").get(pk=revision_id)
    return [
        minutes_pdf_store(revision=revision, language=code) for code, _name in settings.LANGUAGES
    ]


def minutes_correction_start(*, minutes: Minutes, by: object, reason: str) -> Minutes:
    """Open approved minutes for a correction. What was approved stays in its revision, and the
    published version stays public until the correction is approved and published."""
    if not reason.strip():
        raise ValidationError({"reason": _("Ange skälet till rättelsen.")})
    with transaction.atomic():
        minutes = _lock(minutes)
        if minutes.status not in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
            raise MinutesStateError(_("Bara justerade protokoll rättas; ett utkast ändras direkt."))
        minutes.status = MinutesStatus.DRAFT
        minutes.pending_correction_reason = reason.strip()
        minutes.save(update_fields=["status", "pending_correction_reason", "updated_at"])
        audit_record(
            actor=by, action="minutes.correction_started", obj=minutes, data={"reason": reason}
        )
    return minutes


# --- Decisions that do something --------------------------------------------------------------


def commitment_status_update_from_decision(
    *,
    commitment: Commitment,
    status: str,
    narrative: str,
    refers_to: datetime.date,
    author: object | None,
) -> StatusUpdate:
    """Post a status update on a commitment on the authority of an approved decision."""
    return status_update_record(
        commitment=commitment,
        status=status,
        narrative=narrative,
        refers_to=refers_to,
        author=author,
    )


def decisions_post_status_updates(*, minutes: Minutes, by: object | None) -> list[StatusUpdate]:
    """When minutes become approved, each decision linked to commitments posts one update per
    commitment. Idempotent: a decision already posted (for example before a correction) is not
    posted again for the same commitment."""
    meeting = minutes.meeting
    day = timezone.localtime(meeting.starts_at).date()
    posted: list[StatusUpdate] = []
    items = minutes.items.prefetch_related("commitments", "status_updates")
    for item in items:
        already = {update.commitment_id for update in item.status_updates.all()}
        for commitment in item.commitments.all():
            if commitment.pk in already:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                # Stored data: always in the portal's own language, whoever approves.
                template = _(
                    "Beslut i samverkansgruppen %(date)s, § %(number)s %(heading)s: %(text)s"
                )
            narrative = template % {
                "date": day.isoformat(),
                "number": item.number,
                "heading": item.heading,
                "text": strip_tags(item.decision).strip(),
            }
            update = commitment_status_update_from_decision(
                commitment=commitment,
                status=item.commitment_status or commitment.status,
                narrative=narrative,
                refers_to=day,
                author=by,
            )
            item.status_updates.add(update)
            posted.append(update)
    return posted


def decision_action_source(*, item: MinutesItem, day: datetime.date) -> str:
    """The Action's `source`: how the commitments pages say where the action came from."""
    with translation.override(settings.LANGUAGE_CODE):
        # Stored data: always in the portal's own language, whoever approves.
        template = _("Beslutad av samverkansgruppen § %(number)s den %(date)s")
    return template % {"number": item.number, "date": day.isoformat()}


def decisions_create_actions(*, minutes: Minutes) -> list[Action]:
    """When minutes become approved, each action a decision drafted becomes a commitments Action
    under its commitment or principle. Idempotent: a drafted action that already has its Action
    (for example before a correction) is not created again. An action with neither a commitment
    nor a principle stays on the minutes only (the commitments app needs a principle)."""
    day = timezone.localtime(minutes.meeting.starts_at).date()
    created: list[Action] = []
    with transaction.atomic():
        drafts = (
            DecisionAction.objects.select_for_update(of=("self",))
            .filter(item__minutes=minutes, action__isnull=True)
            .select_related("item", "commitment", "principle", "owner")
            .order_by("item__number", "pk")
        )
        for draft in drafts:
            principle = draft.commitment.principle if draft.commitment else draft.principle
            if principle is None:
                continue
            action = action_create(
                principle=principle,
                commitment=draft.commitment,
                title=draft.text,
                owner=draft.owner,
                due_date=draft.due_on,
                status=ActionStatus.PLANNED,
                source=decision_action_source(item=draft.item, day=day),
            )
            draft.action = action
            draft.save(update_fields=["action"])
            created.append(action)
    return created


# --- Attachments ------------------------------------------------------------------------------


def attachment_create(
    *,
    meeting: Meeting,
    upload: UploadedFile,
    title: str,
    by: object,
    agenda_item: AgendaItem | None = None,
    minutes_item: MinutesItem | None = None,
) -> Attachment:
    checked = attachment_check(upload)
    if minutes_item is not None:
        _require_draft(Minutes.objects.get(pk=minutes_item.minutes_id))
    original = (upload.name or "").rsplit("/", 1)[-1][:255]
    attachment = Attachment(
        meeting=meeting,
        agenda_item=agenda_item,
        minutes_item=minutes_item,
        title=title or original,
        original_name=original,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{checked.extension}", upload, save=False)
    attachment.save()
    return attachment


# --- The private calendar ---------------------------------------------------------------------


def calendar_token_get_or_create(*, user: object) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token


def calendar_token_renew(*, user: object) -> CalendarToken:
    """A new secret; the old feed address stops working at once."""
    token, created = CalendarToken.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not created:
        token.token = secrets.token_urlsafe(32)
        token.save(update_fields=["token", "created_at"])
    return token
