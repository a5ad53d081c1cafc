"""Who may read, report on and manage commitments (the permissions matrix,
tests/permissions.py).

The world's member owns one commitment (`_commitment`); the other organisation's member, the
secretary and the checker own none.
"""

from tests.permissions import (
    LOGIN,
    MEMBER,
    STAFF,
    Row,
    World,
    everyone,
    expect,
    logged_in,
    matrix_test,
    staff_only,
)


def _commitment(world: World):
    """A commitment of the world's agreement, owned by the world's member."""
    if "commitment" not in world.extra:
        from tests.agreements.factories import PrincipleFactory
        from tests.commitments.factories import CommitmentFactory

        principle = PrincipleFactory(agreement=world.agreement)
        world.extra["commitment"] = CommitmentFactory(
            principle=principle, owners=[world.users[MEMBER]]
        )
    return world.extra["commitment"]


def _commitment_pk(world: World) -> dict:
    return {"pk": _commitment(world).pk}


def _attachment(world: World, *, is_internal: bool) -> dict:
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from commitments.models import CommitmentStatus
    from commitments.services import status_update_create

    update = status_update_create(
        commitment=_commitment(world),
        author=world.users[STAFF],
        status=CommitmentStatus.IN_PROGRESS,
        refers_to=datetime.date(2026, 3, 1),
        narrative="Underlag bifogat.",
        is_internal=is_internal,
        attachment=SimpleUploadedFile(
            "rapport.pdf", b"%PDF-1.4 underlag", content_type="application/pdf"
        ),
    )
    return {"pk": update.pk}


def _update_data(world: World) -> dict:
    return {
        "commitment": _commitment(world).pk,
        "status": "in_progress",
        "refers_to": "2026-03-01",
        "narrative": "Ett första möte är hållet.",
        "links": "",
    }


def _action_pk(world: World) -> dict:
    from tests.commitments.factories import ActionFactory

    return {"pk": ActionFactory(principle=_commitment(world).principle).pk}


def _area_pk(world: World) -> dict:
    from tests.commitments.factories import DevelopmentAreaFactory

    return {"pk": DevelopmentAreaFactory(agreement=world.agreement).pk}


# Owners report on their own commitments, staff on every one.
OWNER_OR_STAFF = expect(403, anonymous=LOGIN, member=302, staff=302)

PERMISSIONS = [
    # Mina åtaganden: every logged-in user's own list (empty for those who own none).
    Row("commitments:mine", logged_in(200)),
    # Public follow-up.
    Row("commitments:list", everyone(200)),
    Row("commitments:detail", everyone(200), kwargs=_commitment_pk),
    Row("commitments:detail", everyone(404), kwargs=lambda w: {"pk": 999999}),
    Row("commitments:feed", everyone(200), kwargs=_commitment_pk),
    Row("commitments:feed", everyone(404), kwargs=lambda w: {"pk": 999999}),
    Row("commitments:list", everyone(405), method="post"),
    # Attachments: public updates' files for everyone, internal ones only for staff (404, not
    # 403, so their existence is not revealed).
    Row(
        "commitments:attachment",
        everyone(200),
        kwargs=lambda w: _attachment(w, is_internal=False),
    ),
    Row(
        "commitments:attachment",
        expect(404, staff=200),
        kwargs=lambda w: _attachment(w, is_internal=True),
    ),
    # Posting a status update.
    *Row.post_only("commitments:update_post", OWNER_OR_STAFF, data=_update_data),
    # Staff follow-up and management.
    Row("commitments:dashboard", staff_only()),
    Row("commitments:import", staff_only()),
    Row("commitments:manage", staff_only()),
    Row("commitments:commitment_create", staff_only()),
    Row("commitments:commitment_edit", staff_only(), kwargs=_commitment_pk),
    Row(
        "commitments:commitment_move",
        expect(staff_only(), staff=302),
        kwargs=_commitment_pk,
        method="post",
        data=lambda w: {"direction": "up"},
    ),
    Row("commitments:commitment_retire", staff_only(), kwargs=_commitment_pk),
    Row("commitments:action_create", staff_only()),
    Row("commitments:action_edit", staff_only(), kwargs=_action_pk),
    Row("commitments:area_create", staff_only()),
    Row("commitments:area_edit", staff_only(), kwargs=_area_pk),
    # Exports with every commitment's current status: staff only.
    Row("commitments_export:csv", staff_only()),
    Row("commitments_export:csv_excel", staff_only()),
]


test_commitments_permissions = matrix_test(PERMISSIONS)
