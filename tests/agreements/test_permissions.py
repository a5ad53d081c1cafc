"""Who may use the register, signing and receipt pages and the open data (the permissions
matrix, tests/permissions.py)."""

from tests.permissions import (
    LOGIN,
    Row,
    World,
    everyone,
    expect,
    logged_in,
    matrix_test,
    staff_only,
)


def _signature(world: World):
    """The member's organisation has signed the current version (a receipt exists)."""
    from agreements.models import Signature
    from agreements.selectors import agreement_current_version
    from agreements.services import signature_create

    existing = Signature.objects.filter(organisation=world.organisation).first()
    if existing is not None:
        return existing
    return signature_create(
        organisation=world.organisation,
        version=agreement_current_version(agreement=world.agreement),
        signer_name="Anna Andersson",
    )


def _signed_slug(world: World) -> dict:
    return {"slug": _signature(world).organisation.slug}


def _receipt(world: World) -> dict:
    return {"code": _signature(world).receipt_code}


def _org(world: World) -> dict:
    return {"slug": world.organisation.slug}


# The organisation's own signature page: its members and staff; members of other
# organisations and the group (who are not members of it) get 403.
OWN_ORGANISATION = expect(403, anonymous=LOGIN, member=200, staff=200)
# Signing and withdrawing are acts of the organisation's signatory/administrator only: a plain
# member, staff and everyone else get 403 (staff sign nothing on an organisation's behalf).
ORGANISATION_ACT = {**logged_in(403)}

PERMISSIONS = [
    # Public register, profile, receipts.
    Row("agreements:register", everyone(200)),
    Row("agreements:profile", everyone(200), kwargs=_signed_slug),
    # An organisation that has never signed has no public profile.
    Row("agreements:profile", everyone(404), kwargs=lambda w: {"slug": w.other_organisation.slug}),
    Row("agreements:verify_lookup", everyone(200)),
    Row("agreements:verify", everyone(200), kwargs=_receipt),
    Row("agreements:verify", everyone(404), kwargs=lambda w: {"code": "FINNS-INTE"}),
    Row("agreements:verify", everyone(405), kwargs=_receipt, method="post"),
    # The organisation's own signature status.
    Row("agreements:organisation_signature", OWN_ORGANISATION, kwargs=_org),
    # The sealed receipt, downloaded again: like the signature page; another organisation's
    # address with this organisation's receipt code finds nothing (404) for those who may see it.
    Row(
        "agreements:receipt_download",
        OWN_ORGANISATION,
        kwargs=lambda w: {**_signed_slug(w), **_receipt(w)},
    ),
    Row(
        "agreements:receipt_download",
        expect(OWN_ORGANISATION, member=403, other_member=404, staff=404),
        kwargs=lambda w: {"slug": w.other_organisation.slug, **_receipt(w)},
    ),
    Row("agreements:sign", ORGANISATION_ACT, kwargs=_org),
    Row("agreements:sign", ORGANISATION_ACT, kwargs=_org, method="post"),
    # Signing with BankID: the same people as signing (the permission is checked first).
    Row("agreements:sign_bankid_start", ORGANISATION_ACT, kwargs=_org, method="post"),
    Row("agreements:sign_bankid", ORGANISATION_ACT, kwargs=_org),
    Row("agreements:sign_bankid_qr", ORGANISATION_ACT, kwargs=_org),
    Row("agreements:sign_bankid_collect", ORGANISATION_ACT, kwargs=_org, method="post"),
    Row("agreements:sign_bankid_cancel", ORGANISATION_ACT, kwargs=_org, method="post"),
    Row("agreements:withdraw", ORGANISATION_ACT, kwargs=_org),
    Row("agreements:withdraw", ORGANISATION_ACT, kwargs=_org, method="post"),
    # Registering the region's decision: staff only (an empty POST shows the form's errors).
    Row("agreements:region_decision", staff_only()),
    Row("agreements:region_decision", staff_only(), method="post"),
    # Open data, language-neutral.
    Row("register_csv", everyone(200)),
    Row("register_json", everyone(200)),
    Row("register_feed", everyone(200)),
    Row("register_json", everyone(405), method="post"),
    # The read-only API.
    Row("api_v1:api-root", everyone(404)),
    Row("api_v1:openapi-json", everyone(200)),
    Row("api_v1:signatory_list", everyone(200)),
    Row("api_v1:signatory_detail", everyone(200), kwargs=_signed_slug),
    Row("api_v1:signatory_detail", everyone(404), kwargs=lambda w: {"slug": "finns-inte"}),
    Row("api_v1:receipt_detail", everyone(200), kwargs=_receipt),
    Row("api_v1:signatory_list", everyone(405), method="post"),
]


test_agreements_permissions = matrix_test(PERMISSIONS)
