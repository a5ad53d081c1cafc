"""The demo cooperation group: its members, a year of meetings, an agenda for the next one,
published minutes for the past ones and the latest minutes waiting for the checkers."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lov_portal.accounts.models import User
from lov_portal.core.choices import PartySide
from meetings.models import CooperationGroup, GroupMember, Meeting, MeetingKind, MemberRole

from .people import DEMO_DOMAIN


def demo_group_and_meetings(agreement, users, region, orgs, now) -> int:
    group, _created = CooperationGroup.objects.get_or_create(
        agreement=agreement, defaults={"name": "Samverkansgruppen för LÖV"}
    )
    term_start = datetime.date(now.year - 1, 1, 1)
    term_end = datetime.date(now.year + 2, 12, 31)
    password = users["personal"].password
    extra_people = [
        User(email=f"ledamot{n}@{DEMO_DOMAIN}", full_name=name, password=password)
        for n, name in enumerate(
            [
                "Lena Ledamot",
                "Olof Ledamot",
                "Fatima Ledamot",
                "Erik Ersättare",
                "Nora Ersättare",
                "Johan Ledamot",
            ],
            start=1,
        )
    ]
    User.objects.bulk_create(extra_people)
    extra = list(User.objects.filter(email__startswith="ledamot", email__endswith=DEMO_DOMAIN))
    civil_org = orgs[0] if orgs else None
    members = [
        # Civil society: five
        (users["ordforande"], PartySide.CIVIL_SOCIETY, MemberRole.CHAIR, civil_org),
        (users["justerare1"], PartySide.CIVIL_SOCIETY, MemberRole.MEMBER, civil_org),
        (extra[0], PartySide.CIVIL_SOCIETY, MemberRole.MEMBER, civil_org),
        (extra[1], PartySide.CIVIL_SOCIETY, MemberRole.MEMBER, civil_org),
        (extra[3], PartySide.CIVIL_SOCIETY, MemberRole.DEPUTY, civil_org),
        # Public: five
        (extra[2], PartySide.PUBLIC, MemberRole.VICE_CHAIR, region),
        (users["sekreterare"], PartySide.PUBLIC, MemberRole.SECRETARY, region),
        (users["justerare2"], PartySide.PUBLIC, MemberRole.MEMBER, region),
        (extra[5], PartySide.PUBLIC, MemberRole.MEMBER, region),
        (extra[4], PartySide.PUBLIC, MemberRole.DEPUTY, region),
    ]
    GroupMember.objects.bulk_create(
        [
            GroupMember(
                group=group,
                user=user,
                side=side,
                role=role,
                organisation=org,
                term_start=term_start,
                term_end=term_end,
            )
            for user, side, role, org in members
        ]
    )
    year = now.year
    plan = [
        (datetime.date(year, 2, 12), MeetingKind.GROUP_MEETING, "Härnösand, Regionens hus"),
        (datetime.date(year, 3, 26), MeetingKind.DIALOGUE, "Vårsta diakonigård, Härnösand"),
        (datetime.date(year, 4, 23), MeetingKind.GROUP_MEETING, "Sundsvall, Folkets hus"),
        (datetime.date(year, 9, 10), MeetingKind.GROUP_MEETING, "Digitalt möte"),
        (
            datetime.date(year, 10, 15),
            MeetingKind.FOLLOW_UP_CONFERENCE,
            "Örnsköldsvik, Folkhögskolan",
        ),
        (datetime.date(year, 12, 3), MeetingKind.GROUP_MEETING, "Kramfors, Kulturhuset"),
        (datetime.date(year + 1, 2, 11), MeetingKind.GROUP_MEETING, "Härnösand, Regionens hus"),
    ]
    meetings = []
    for day, kind, place in plan:
        starts = datetime.datetime.combine(
            day, datetime.time(13, 0), tzinfo=timezone.get_current_timezone()
        )
        meetings.append(
            Meeting(
                group=group,
                kind=kind,
                starts_at=starts,
                ends_at=starts
                + datetime.timedelta(hours=3 if kind != MeetingKind.FOLLOW_UP_CONFERENCE else 6),
                location=place,
                online_url="https://mote.example.se/lov" if place == "Digitalt möte" else "",
            )
        )
    Meeting.objects.bulk_create(meetings)
    demo_minutes(group, meetings, users, now)
    return len(meetings)


def demo_minutes(group, meetings, users, now) -> None:
    """An agenda for the next meeting; for past meetings, published minutes, and the latest
    past meeting's minutes waiting for the checkers (justerare1 and justerare2)."""
    from meetings import services as meeting_services
    from meetings.models import AttendanceStatus

    past = [m for m in meetings if m.ends_at < now]
    upcoming = [m for m in meetings if m.starts_at >= now]
    agenda = [
        "Mötets öppnande",
        "Val av justerare",
        "Godkännande av dagordningen",
        "Uppföljning av åtagandena",
        "Planering av dialogmöte",
        "Övriga frågor",
        "Mötets avslutande",
    ]
    if upcoming:
        for title in agenda:
            meeting_services.agenda_item_create(meeting=upcoming[0], title=title)
    members = list(GroupMember.objects.filter(group=group).select_related("user"))
    checkers = [users["justerare1"], users["justerare2"]]
    for index, meeting in enumerate(past):
        minutes = meeting_services.minutes_create(meeting=meeting)
        meeting_services.minutes_header_update(
            minutes=minutes,
            chair=users["ordforande"],
            secretary=users["sekreterare"],
            checkers=checkers,
            other_participants="Karin Personal, kansliet",
        )
        meeting_services.minutes_attendance_set(
            minutes=minutes,
            entries=[
                meeting_services.AttendanceEntry(
                    member=m,
                    status=AttendanceStatus.ABSENT
                    if m.role == MemberRole.DEPUTY
                    else AttendanceStatus.PRESENT,
                )
                for m in members
            ],
        )
        for title in agenda:
            meeting_services.minutes_item_create(
                minutes=minutes,
                heading=title,
                notes="Ordföranden redogjorde för ärendet och gruppen diskuterade.",
                decision="Samverkansgruppen beslutade i enlighet med förslaget.",
            )
        meeting_services.minutes_send_for_approval(minutes=minutes, by=users["sekreterare"])
        if index == len(past) - 1:
            continue  # waiting for the checkers
        for person in (*checkers, users["ordforande"]):
            meeting_services.minutes_approve(minutes=minutes, by=person)
        meeting_services.minutes_publish(minutes=minutes, by=users["sekreterare"])
