import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from commitments.models import Action, ActionStatus, CommitmentStatus, StatusUpdate
from lov_portal.core.models import ImmutableRecordError
from meetings import services
from meetings.models import (
    ApprovalDecision,
    AttendanceStatus,
    MemberRole,
    MinutesApproval,
    MinutesItem,
    MinutesStatus,
    ParagraphCounter,
    RevisionKind,
)
from tests.agreements.factories import PrincipleFactory
from tests.concurrency import run_at_once

from .conftest import approved, draft_with_items, group_commitment, published
from .factories import GroupMemberFactory, MeetingFactory, local_dt

pytestmark = pytest.mark.django_db


def numbers_of(minutes):
    return list(minutes.items.order_by("number").values_list("number", flat=True))


# --- § numbering --------------------------------------------------------------------------


def test_paragraph_numbers_run_on_across_the_meetings_of_a_year(world):
    first = MeetingFactory(group=world.group, starts_at=local_dt(2025, 2, 12))
    second = MeetingFactory(group=world.group, starts_at=local_dt(2025, 4, 23))
    m1 = services.minutes_create(meeting=first)
    m2 = services.minutes_create(meeting=second)
    for heading in ("Mötets öppnande", "Val av justerare", "Dagordning"):
        services.minutes_item_create(minutes=m1, heading=heading)
    for heading in ("Mötets öppnande", "Uppföljning"):
        services.minutes_item_create(minutes=m2, heading=heading)
    assert numbers_of(m1) == [1, 2, 3]
    assert numbers_of(m2) == [4, 5]


def test_paragraph_numbers_restart_in_january(world):
    december = MeetingFactory(group=world.group, starts_at=local_dt(2025, 12, 3))
    january = MeetingFactory(group=world.group, starts_at=local_dt(2026, 1, 14))
    m_dec = services.minutes_create(meeting=december)
    m_jan = services.minutes_create(meeting=january)
    for _ in range(3):
        services.minutes_item_create(minutes=m_dec, heading="Punkt")
    services.minutes_item_create(minutes=m_jan, heading="Mötets öppnande")
    services.minutes_item_create(minutes=m_dec, heading="Sen punkt")
    assert numbers_of(m_dec) == [1, 2, 3, 4]
    assert numbers_of(m_jan) == [1]
    assert list(MinutesItem.objects.filter(minutes=m_jan).values_list("year", flat=True)) == [2026]


def test_the_year_of_a_paragraph_is_the_swedish_calendar_year_of_the_meeting(world):
    # 23:30 on New Year's Eve in Stockholm is still 31 December; 00:30 on 1 January is not.
    late = MeetingFactory(group=world.group, starts_at=local_dt(2025, 12, 31, 23))
    early = MeetingFactory(group=world.group, starts_at=local_dt(2026, 1, 1, 0))
    item_late = services.minutes_item_create(
        minutes=services.minutes_create(meeting=late), heading="x"
    )
    item_early = services.minutes_item_create(
        minutes=services.minutes_create(meeting=early), heading="y"
    )
    assert (item_late.year, item_late.number) == (2025, 1)
    assert (item_early.year, item_early.number) == (2026, 1)


def test_two_groups_number_independently(world):
    other = MeetingFactory()
    services.minutes_item_create(minutes=world.minutes(), heading="a")
    item = services.minutes_item_create(minutes=services.minutes_create(meeting=other), heading="b")
    assert item.number == 1


def test_the_database_refuses_two_items_with_the_same_number_in_a_year(world):
    minutes = world.minutes()
    item = services.minutes_item_create(minutes=minutes, heading="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesItem.objects.create(
            minutes=minutes, group=world.group, year=item.year, number=item.number, heading="dup"
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_never_hands_out_the_same_number(world):
    year = 2031

    def take() -> list[int]:
        return [services.paragraph_number_allocate(group=world.group, year=year) for _ in range(5)]

    # run_at_once raises what any of the eight workers raised.
    results = [number for numbers in run_at_once(*[take] * 8) for number in numbers]
    assert sorted(results) == list(range(1, 41))
    assert ParagraphCounter.objects.get(group=world.group, year=year).last_number == 40


# --- The life of minutes ------------------------------------------------------------------


def test_minutes_start_with_the_groups_chair_and_secretary(world):
    minutes = world.minutes()
    assert minutes.chair == world.chair
    assert minutes.secretary == world.secretary
    assert minutes.status == MinutesStatus.DRAFT


def test_the_whole_life_of_minutes(world):
    minutes = draft_with_items(world)
    second_checker = world.member
    services.minutes_header_update(
        minutes=minutes,
        chair=world.chair,
        secretary=world.secretary,
        checkers=[world.checker, second_checker],
    )
    revision = services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.SENT
    assert revision.number == 1 and revision.kind == RevisionKind.FIRST
    assert [i["heading"] for i in revision.content["items"]] == ["Punkt 1", "Punkt 2"]

    services.minutes_approve(minutes=minutes, by=world.checker)
    services.minutes_approve(minutes=minutes, by=second_checker)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.SENT  # the chair has not approved yet

    services.minutes_approve(minutes=minutes, by=world.chair)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    approvals = MinutesApproval.objects.filter(revision=revision)
    assert {(a.user_id, a.role, a.decision) for a in approvals} == {
        (world.checker.pk, "checker", ApprovalDecision.APPROVED),
        (second_checker.pk, "checker", ApprovalDecision.APPROVED),
        (world.chair.pk, "chair", ApprovalDecision.APPROVED),
    }
    assert all(a.created_at is not None for a in approvals)

    services.minutes_publish(minutes=minutes, by=world.secretary)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.PUBLISHED
    assert minutes.published_revision == revision


def test_a_return_with_a_comment_makes_the_minutes_a_draft_and_a_new_revision_follows(world):
    minutes = draft_with_items(world)
    first = services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_approve(minutes=minutes, by=world.chair)
    services.minutes_return(minutes=minutes, by=world.checker, comment="§ 2: fel datum.")
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT
    item = minutes.items.order_by("number").last()
    services.minutes_item_update(item=item, heading=item.heading, decision="Rätt datum.")
    second = services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    assert (second.number, second.kind) == (2, RevisionKind.AFTER_RETURN)
    # The chair's approval of revision 1 does not count for revision 2.
    services.minutes_approve(minutes=minutes, by=world.checker)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.SENT
    services.minutes_approve(minutes=minutes, by=world.chair)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    assert first.approvals.get(user=world.checker).comment == "§ 2: fel datum."


def test_a_return_needs_a_comment(world):
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    with pytest.raises(ValidationError):
        services.minutes_return(minutes=minutes, by=world.checker, comment="  ")


def test_only_checkers_and_the_chair_can_approve(world):
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=minutes, by=world.member)


def test_a_person_approves_a_revision_only_once(world):
    minutes = draft_with_items(world)
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_approve(minutes=minutes, by=world.checker)
    with pytest.raises(ValidationError):
        services.minutes_approve(minutes=minutes, by=world.checker)


def test_the_database_allows_one_approval_per_person_per_revision(world):
    minutes = draft_with_items(world)
    revision = services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    MinutesApproval.objects.create(
        revision=revision, user=world.checker, role="checker", decision="approved"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MinutesApproval.objects.create(
            revision=revision, user=world.checker, role="checker", decision="returned"
        )


def test_approvals_and_revisions_are_append_only(world):
    minutes = approved(world)
    approval = MinutesApproval.objects.filter(revision__minutes=minutes).first()
    approval.comment = "ändrad i efterhand"
    with pytest.raises(ImmutableRecordError):
        approval.save()
    with pytest.raises(ImmutableRecordError):
        approval.delete()
    revision = minutes.current_revision
    revision.content = {}
    with pytest.raises(ImmutableRecordError):
        revision.save()


def test_sending_needs_a_chair_a_checker_and_items(world):
    minutes = world.minutes()
    with pytest.raises(ValidationError):
        services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_header_update(
        minutes=minutes, chair=world.chair, secretary=world.secretary, checkers=[world.checker]
    )
    with pytest.raises(ValidationError):
        services.minutes_send_for_approval(minutes=minutes, by=world.secretary)


def test_at_most_two_checkers_and_the_chair_is_not_one_of_them(world):
    minutes = world.minutes()
    with pytest.raises(ValidationError):
        services.minutes_header_update(
            minutes=minutes,
            chair=world.chair,
            secretary=world.secretary,
            checkers=[world.checker, world.member, world.secretary],
        )
    with pytest.raises(ValidationError):
        services.minutes_header_update(
            minutes=minutes, chair=world.chair, secretary=world.secretary, checkers=[world.chair]
        )


@pytest.mark.parametrize("state", ["sent", "approved", "published"])
def test_minutes_that_are_not_a_draft_cannot_be_edited(world, state):
    if state == "sent":
        minutes = draft_with_items(world)
        services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    elif state == "approved":
        minutes = approved(world)
    else:
        minutes = published(world)
    item = minutes.items.first()
    with pytest.raises(services.MinutesLockedError):
        services.minutes_item_update(item=item, heading="Ändrad", decision="Annat beslut")
    with pytest.raises(services.MinutesLockedError):
        services.minutes_item_create(minutes=minutes, heading="Ny")
    with pytest.raises(services.MinutesLockedError):
        services.minutes_header_update(
            minutes=minutes, chair=world.chair, secretary=world.secretary, checkers=[]
        )
    with pytest.raises(services.MinutesLockedError):
        services.decision_action_create(item=item, text="Göra något")
    item.refresh_from_db()
    assert item.heading != "Ändrad"


def test_a_correction_is_a_new_revision_with_a_reason_and_the_old_one_stays(world):
    minutes = published(world)
    first = minutes.current_revision
    with pytest.raises(ValidationError):
        services.minutes_correction_start(minutes=minutes, by=world.secretary, reason="")
    services.minutes_correction_start(
        minutes=minutes, by=world.secretary, reason="Fel namn på närvarande ledamot."
    )
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT
    assert minutes.published_revision == first  # still public while the correction is drafted
    item = minutes.items.order_by("number").first()
    services.minutes_item_update(item=item, heading="Rättad rubrik", decision="Beslutades.")
    second = services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    assert (second.number, second.kind) == (2, RevisionKind.CORRECTION)
    assert second.reason == "Fel namn på närvarande ledamot."
    services.minutes_approve(minutes=minutes, by=world.checker)
    services.minutes_approve(minutes=minutes, by=world.chair)
    services.minutes_publish(minutes=minutes, by=world.secretary)
    minutes.refresh_from_db()
    assert minutes.published_revision == second
    assert minutes.pending_correction_reason == ""
    first.refresh_from_db()
    assert first.content["items"][0]["heading"] == "Punkt 1"
    assert second.content["items"][0]["heading"] == "Rättad rubrik"
    assert list(minutes.revisions.values_list("number", flat=True)) == [1, 2]


def test_a_draft_cannot_be_corrected_or_published(world):
    minutes = draft_with_items(world)
    with pytest.raises(ValidationError):
        services.minutes_correction_start(minutes=minutes, by=world.secretary, reason="x")
    with pytest.raises(ValidationError):
        services.minutes_publish(minutes=minutes, by=world.secretary)


# --- Attendance and rich text -------------------------------------------------------------


def test_attendance_records_present_absent_and_a_deputy_serving(world):
    deputy = GroupMemberFactory(group=world.group, role=MemberRole.DEPUTY)
    chair_m, checker_m = world.members[:2]
    minutes = world.minutes()
    services.minutes_attendance_set(
        minutes=minutes,
        entries=[
            services.AttendanceEntry(member=chair_m, status=AttendanceStatus.PRESENT),
            services.AttendanceEntry(member=checker_m, status=AttendanceStatus.ABSENT),
            services.AttendanceEntry(
                member=deputy, status=AttendanceStatus.DEPUTY_SERVING, serving_for=checker_m
            ),
        ],
    )
    rows = {a.member_id: (a.status, a.serving_for_id) for a in minutes.attendance.all()}
    assert rows == {
        chair_m.pk: ("present", None),
        checker_m.pk: ("absent", None),
        deputy.pk: ("deputy", checker_m.pk),
    }


def test_a_serving_deputy_must_say_for_whom(world):
    deputy = GroupMemberFactory(group=world.group, role=MemberRole.DEPUTY)
    with pytest.raises(ValidationError):
        services.minutes_attendance_set(
            minutes=world.minutes(),
            entries=[services.AttendanceEntry(member=deputy, status="deputy")],
        )


def test_rich_text_is_sanitised_before_it_is_stored(world):
    item = services.minutes_item_create(
        minutes=world.minutes(),
        heading="Rubrik",
        notes='<p onclick="x()">Hej <script>alert(1)</script><strong>du</strong></p>'
        '<a href="javascript:alert(1)">länk</a><img src=x onerror=alert(1)>',
        decision="Rad ett\n\nRad två",
    )
    item.refresh_from_db()
    assert "script" not in item.notes
    assert "onclick" not in item.notes
    assert "javascript:" not in item.notes
    assert "<img" not in item.notes
    assert "<strong>du</strong>" in item.notes
    assert item.decision == "<p>Rad ett</p>\n\n<p>Rad två</p>"


def test_agenda_items_are_numbered_in_order(world):
    a = services.agenda_item_create(meeting=world.meeting, title="Mötets öppnande")
    b = services.agenda_item_create(
        meeting=world.meeting, title="Uppföljning", description="<em>kort</em><script>x</script>"
    )
    assert (a.position, b.position) == (1, 2)
    assert b.description == "<em>kort</em>"


# --- Decisions that do something ----------------------------------------------------------


def test_an_approved_decision_posts_a_status_update_on_its_commitments_once(world):
    commitment = group_commitment(world)
    minutes = draft_with_items(world, count=1)
    item = minutes.items.get()
    services.minutes_item_update(
        item=item,
        heading="Dialogmöten",
        decision="Dialogmöte hålls i mars.",
        commitments=[commitment],
        commitment_status=CommitmentStatus.IN_PROGRESS,
    )
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_approve(minutes=minutes, by=world.checker)
    assert StatusUpdate.objects.count() == 0  # not before the minutes are approved
    services.minutes_approve(minutes=minutes, by=world.chair)
    update = StatusUpdate.objects.get()
    commitment.refresh_from_db()
    assert update.status == CommitmentStatus.IN_PROGRESS
    assert "Dialogmöte hålls i mars." in update.narrative
    assert f"§ {item.number}" in update.narrative
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    assert commitment.last_update_at == update.created_at
    assert list(item.status_updates.all()) == [update]
    # A correction approved again does not post the same decision twice.
    services.minutes_correction_start(minutes=minutes, by=world.secretary, reason="Stavfel.")
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_approve(minutes=minutes, by=world.checker)
    services.minutes_approve(minutes=minutes, by=world.chair)
    assert StatusUpdate.objects.count() == 1


def _invitation_action(world, item, **more):
    """The action two tests below draft on `item`: "Bjud in till dialogmöte", owned by the
    group's member and due on 1 March 2026."""
    return services.decision_action_create(
        item=item,
        text="Bjud in till dialogmöte",
        owner=world.member,
        due_on=datetime.date(2026, 3, 1),
        **more,
    )


def test_a_decision_can_create_actions_with_owner_and_due_date(world):
    minutes = draft_with_items(world, count=1)
    item = minutes.items.get()
    action = _invitation_action(world, item)
    assert item.actions.get() == action
    revision = services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    assert revision.content["items"][0]["actions"] == [
        {"text": "Bjud in till dialogmöte", "owner": str(world.member), "due_on": "2026-03-01"}
    ]


def _approve(world, minutes):
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_approve(minutes=minutes, by=world.checker)
    services.minutes_approve(minutes=minutes, by=world.chair)


def test_approving_the_minutes_turns_the_decisions_actions_into_commitment_actions_once(world):
    commitment = group_commitment(world)
    other_principle = PrincipleFactory(agreement=world.group.agreement)
    minutes = draft_with_items(world, count=1)
    item = minutes.items.get()
    under_commitment = _invitation_action(world, item, commitment=commitment)
    under_principle = services.decision_action_create(
        item=item, text="Ta fram en vägledning", principle=other_principle
    )
    services.minutes_send_for_approval(minutes=minutes, by=world.secretary)
    services.minutes_approve(minutes=minutes, by=world.checker)
    assert Action.objects.count() == 0  # not before the minutes are approved
    services.minutes_approve(minutes=minutes, by=world.chair)
    under_commitment.refresh_from_db()
    under_principle.refresh_from_db()
    action = under_commitment.action
    assert action.commitment == commitment and action.principle == commitment.principle
    assert action.title == "Bjud in till dialogmöte"
    assert action.owner == world.member and action.due_date == datetime.date(2026, 3, 1)
    assert action.status == ActionStatus.PLANNED
    assert f"Beslutad av samverkansgruppen § {item.number}" in action.source
    assert under_principle.action.principle == other_principle
    assert under_principle.action.commitment is None
    # A correction approved again creates nothing twice, and neither does a second call.
    services.minutes_correction_start(minutes=minutes, by=world.secretary, reason="Stavfel.")
    _approve(world, minutes)
    assert services.decisions_create_actions(minutes=minutes) == []
    assert Action.objects.count() == 2


def test_a_drafted_action_without_commitment_or_principle_stays_on_the_minutes(world):
    minutes = draft_with_items(world, count=1)
    draft = services.decision_action_create(item=minutes.items.get(), text="Fundera vidare")
    _approve(world, minutes)
    draft.refresh_from_db()
    assert draft.action is None
    assert Action.objects.count() == 0


def test_a_drafted_action_refuses_a_principle_that_contradicts_itsgroup_commitment(world):
    commitment = group_commitment(world)
    minutes = draft_with_items(world, count=1)
    with pytest.raises(ValidationError):
        services.decision_action_create(
            item=minutes.items.get(),
            text="Fel",
            commitment=commitment,
            principle=PrincipleFactory(agreement=world.group.agreement),
        )


# --- The private calendar -----------------------------------------------------------------


def test_renewing_the_calendar_token_replaces_the_secret(world):
    first = services.calendar_token_get_or_create(user=world.member).token
    assert services.calendar_token_get_or_create(user=world.member).token == first
    renewed = services.calendar_token_renew(user=world.member).token
    assert renewed != first and len(renewed) >= 40


def test_items_can_be_made_from_the_agenda_once(world):
    for title in ("Mötets öppnande", "Uppföljning", "Mötets avslutande"):
        services.agenda_item_create(meeting=world.meeting, title=title)
    minutes = world.minutes()
    services.minutes_item_create(minutes=minutes, heading="Extra punkt")
    created = services.minutes_items_from_agenda(minutes=minutes)
    assert [(i.number, i.heading) for i in created] == [
        (2, "Mötets öppnande"),
        (3, "Uppföljning"),
        (4, "Mötets avslutande"),
    ]
    assert services.minutes_items_from_agenda(minutes=minutes) == []


def _titles(meeting):
    return list(meeting.agenda_items.order_by("position").values_list("position", "title"))


def test_agenda_items_move_and_are_removed_with_the_rest_renumbered(world):
    a, b, c = (services.agenda_item_create(meeting=world.meeting, title=t) for t in ("A", "B", "C"))
    services.agenda_item_move(item=c, up=True)
    assert _titles(world.meeting) == [(1, "A"), (2, "C"), (3, "B")]
    services.agenda_item_move(item=a, up=True)  # already first: nothing happens
    assert _titles(world.meeting) == [(1, "A"), (2, "C"), (3, "B")]
    services.agenda_item_delete(item=a)
    assert _titles(world.meeting) == [(1, "C"), (2, "B")]
    services.agenda_item_move(item=b, up=False)  # already last
    assert _titles(world.meeting) == [(1, "C"), (2, "B")]


# --- Members ------------------------------------------------------------------------------


def test_a_member_added_for_a_term_counts_only_during_it(world):
    from meetings.selectors import group_member_roster
    from tests.accounts.factories import UserFactory

    user = UserFactory()

    def appoint(role: str, term_start: datetime.date):
        return services.group_member_add(
            group=world.group, user=user, side="public", role=role, term_start=term_start
        )

    member = appoint("member", datetime.date(2030, 1, 1))
    roster = group_member_roster(group=world.group, on=datetime.date(2029, 12, 31))
    assert member in roster.upcoming
    services.group_member_end_term(member=member, term_end=datetime.date(2030, 6, 30))
    roster = group_member_roster(group=world.group, on=datetime.date(2030, 7, 1))
    assert member in roster.former
    with pytest.raises(ValidationError):
        services.group_member_end_term(member=member, term_end=datetime.date(2029, 1, 1))
    # After the term, the same person may be appointed again.
    again = appoint("chair", datetime.date(2030, 7, 1))
    assert again.pk != member.pk
