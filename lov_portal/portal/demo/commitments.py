"""Demo commitments: two years of status updates, owners, due dates and progress for the
actions, a few actions under commitments, and development areas linking them."""

from __future__ import annotations

import datetime

from commitments.models import (
    Action,
    ActionStatus,
    Commitment,
    CommitmentStatus,
    DevelopmentArea,
    StatusUpdate,
)

NARRATIVES = [
    "Dialogmöte genomfört med representanter från båda parter.",
    "Arbetsgrupp tillsatt; första mötet hölls under perioden.",
    "Underlag har tagits fram och remitterats till föreningarna.",
    "Arbetet har stannat av i väntan på beslut om resurser.",
    "Rutin för samråd är införd i två förvaltningar.",
    "Utbildningsinsats genomförd för handläggare och föreningsföreträdare.",
]


def demo_status_updates(rng, agreement, users, now) -> int:
    commitments = list(Commitment.objects.filter(principle__agreement=agreement))
    statuses = list(CommitmentStatus.values)
    updates: list[StatusUpdate] = []
    latest: dict[int, StatusUpdate] = {}
    for commitment in commitments:
        commitment.owners.add(users["personal"])
        count = rng.randint(0, 4)
        moments = sorted(now - datetime.timedelta(days=rng.randint(1, 720)) for _ in range(count))
        for moment in moments:
            update = StatusUpdate(
                commitment=commitment,
                status=rng.choice(statuses),
                narrative=rng.choice(NARRATIVES),
                refers_to=moment.date(),
                author=users["personal"],
                is_internal=rng.random() < 0.1,
                # History spreads over two years; an update is never backdated afterwards.
                created_at=moment,
            )
            updates.append(update)
            latest[commitment.pk] = update
    StatusUpdate.objects.bulk_create(updates)
    for commitment in commitments:
        update = latest.get(commitment.pk)
        if update is not None:
            commitment.status = update.status
            commitment.last_update_at = update.created_at
    Commitment.objects.bulk_update(commitments, ["status", "last_update_at"])
    return len(updates)


DEMO_AREAS = [
    (
        "Finansiering och långsiktiga bidrag",
        "Former för långsiktig finansiering av idéburna organisationer.",
    ),
    (
        "Dialog i planeringsprocesser",
        "Hur idéburna organisationer kommer in tidigt i regionens planering.",
    ),
    ("Kunskap om varandra", "Utbildning och studiebesök mellan parterna."),
]


def demo_actions_and_areas(rng, agreement, users, now) -> None:
    """Owners, due dates and progress for the actions load_lov created, a few actions under
    commitments, and development areas linking them (demo only)."""
    today = now.date()
    statuses = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE]
    loaded = list(Action.objects.filter(principle__agreement=agreement))
    for action in loaded:
        action.owner = rng.choice([users["personal"], users["sekreterare"], users["ordforande"]])
        action.due_date = today + datetime.timedelta(days=rng.randint(-240, 365))
        action.status = rng.choice(statuses)
    Action.objects.bulk_update(loaded, ["owner", "due_date", "status"])
    commitments = list(Commitment.objects.filter(principle__agreement=agreement))
    # The association's administrator reports on the civil-society party's commitments.
    Commitment.owners.through.objects.bulk_create(
        [
            Commitment.owners.through(commitment_id=c.pk, user_id=users["foreningsadmin"].pk)
            for c in commitments
            if c.responsible_side == "civil_society"
        ],
        ignore_conflicts=True,
    )
    extra = [
        Action(
            principle_id=commitment.principle_id,
            commitment=commitment,
            order=100 + n,
            title=title,
            owner=users["personal"],
            due_date=today + datetime.timedelta(days=rng.randint(-120, 300)),
            status=rng.choice(statuses),
            source="Samverkansgruppen",
        )
        for n, (commitment, title) in enumerate(
            zip(
                rng.sample(commitments, k=min(6, len(commitments))),
                [
                    "Ta fram en rutin för tidig dialog",
                    "Genomföra en utbildningsdag för handläggare",
                    "Sammanställa regionens bidragsformer",
                    "Bjuda in till öppet dialogmöte i varje kommun",
                    "Följa upp upphandlingar med sociala hänsyn",
                    "Publicera protokoll och underlag på portalen",
                ],
                strict=False,
            )
        )
    ]
    Action.objects.bulk_create(extra)
    areas = DevelopmentArea.objects.bulk_create(
        [
            DevelopmentArea(
                agreement=agreement,
                name=name,
                description=description,
                identified_on=today - datetime.timedelta(days=200 - 60 * n),
                order=n,
            )
            for n, (name, description) in enumerate(DEMO_AREAS, start=1)
        ]
    )
    actions = loaded + extra
    DevelopmentArea.commitments.through.objects.bulk_create(
        [
            DevelopmentArea.commitments.through(developmentarea_id=area.pk, commitment_id=c.pk)
            for area in areas
            for c in rng.sample(commitments, k=min(4, len(commitments)))
        ]
    )
    DevelopmentArea.actions.through.objects.bulk_create(
        [
            DevelopmentArea.actions.through(developmentarea_id=area.pk, action_id=a.pk)
            for area in areas
            for a in rng.sample(actions, k=min(3, len(actions)))
        ]
    )
