"""The public log and the recipe page: open to everyone, with no personal data (the
permissions matrix, tests/permissions.py)."""

from tests.permissions import Row, World, everyone, matrix_test


def _signed(world: World) -> dict:
    """The world's organisation has signed and a checkpoint covers it."""
    from agreements.models import Signature
    from agreements.selectors import agreement_current_version
    from agreements.services import signature_create
    from lov_portal.tlog.services import checkpoints_sign_all

    if not Signature.objects.filter(organisation=world.organisation).exists():
        signature_create(
            organisation=world.organisation,
            version=agreement_current_version(agreement=world.agreement),
            signer_name="Anna Andersson",
        )
    checkpoints_sign_all()
    return {}


def _named(world: World) -> dict:
    return {**_signed(world), "name": world.agreement.slug}


def _size(world: World) -> dict:
    from lov_portal.tlog.models import Checkpoint

    _signed(world)
    return {"size": Checkpoint.objects.latest().size}


def _number(world: World) -> dict:
    from agreements.selectors import agreement_current_version

    _signed(world)
    return {"number": agreement_current_version(agreement=world.agreement).number}


def _named_size(world: World) -> dict:
    return {**_size(world), "name": world.agreement.slug}


PERMISSIONS = [
    Row("agreements:how_to_verify", everyone(200), kwargs=_signed),
    Row("tlog:verifier", everyone(200)),
    Row("tlog:checkpoint", everyone(200), kwargs=_signed),
    Row("tlog:checkpoint_named", everyone(200), kwargs=_named),
    Row("tlog:checkpoint_at", everyone(200), kwargs=_size),
    Row("tlog:checkpoint_at_named", everyone(200), kwargs=_named_size),
    Row("tlog:vkey", everyone(200), kwargs=_signed),
    Row("tlog:vkey_named", everyone(200), kwargs=_named),
    Row("tlog:entries", everyone(200), kwargs=_signed),
    Row("tlog:entries_named", everyone(200), kwargs=_named),
    # Without their parameters the proofs are a bad request, never a server error.
    Row("tlog:inclusion", everyone(400), kwargs=_signed),
    Row("tlog:inclusion_named", everyone(400), kwargs=_named),
    Row("tlog:consistency", everyone(400), kwargs=_signed),
    Row("tlog:consistency_named", everyone(400), kwargs=_named),
    Row("agreements_log:register", everyone(200), kwargs=_signed),
    Row("agreements_log:register_named", everyone(200), kwargs=_named),
    Row("agreements_log:text", everyone(200), kwargs=_number),
    Row(
        "agreements_log:text_named",
        everyone(200),
        kwargs=lambda w: {**_number(w), "name": w.agreement.slug},
    ),
    Row("tlog:checkpoint", everyone(405), kwargs=_signed, method="post"),
]


test_permissions = matrix_test(PERMISSIONS)
