import datetime

import factory

from agreements.models import Agreement, AgreementVersion, Principle, Signature


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    slug = factory.Sequence(lambda n: f"agreement-{n}")
    name = factory.Sequence(lambda n: f"Överenskommelse {n}")
    short_name = "ÖK"
    public_party_name = "Region Exempel"
    civil_society_party_name = "Idéburna organisationer i Exempel län"


class AgreementVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementVersion

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Överenskommelsens text."
    adopted_on = datetime.date(2024, 1, 15)
    effective_from = datetime.date(2024, 2, 1)
    review_due_on = datetime.date(2029, 2, 1)
    is_current = True


class PrincipleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Principle

    agreement = factory.SubFactory(AgreementFactory)
    order = factory.Sequence(lambda n: n + 1)
    key = factory.Sequence(lambda n: f"principle-{n}")
    name = factory.Sequence(lambda n: f"Princip {n}")


def reauthenticate(client, user) -> None:
    """Mark the client's session as having just re-entered the password (allauth's record)."""
    import time

    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    ]
    session.save()


SIGN_DATA = {
    "signer_name": "Per Firmatecknare",
    "signer_title": "Ordförande",
    "authority_basis": "beslut",
    "authority_reference": "Styrelsemöte 2026-03-12, § 7",
    "confirm": "on",
}


def enable_mfa(user) -> None:
    """Give the user a TOTP authenticator, as allauth's activation does."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())


class SignatureFactory(factory.Factory):
    """A signature made through `agreements.services.signature_create`, so it is chained and
    enters the evidence log like a real one. Any argument of the service may be given
    (`version=`, `signed_at=`, `signer=` ...)."""

    class Meta:
        model = Signature

    organisation = factory.SubFactory("tests.organisations.factories.OrganisationFactory")
    version = factory.SubFactory(AgreementVersionFactory)
    signer_name = "Per Firmatecknare"
    signed_at = None

    @classmethod
    def _build(cls, model_class: type, *args: object, **kwargs: object) -> Signature:
        raise TypeError("A signature exists only through the service: use create().")

    @classmethod
    def _create(cls, model_class: type, *args: object, **kwargs: object) -> Signature:
        from agreements.services import signature_create

        return signature_create(**kwargs)


def signed_organisation(agreement: Agreement, **organisation: object):
    """A new organisation (OrganisationFactory with these fields) that has signed the
    agreement's current version through the service."""
    from agreements.selectors import agreement_current_version

    version = agreement_current_version(agreement=agreement)
    signature = SignatureFactory(
        version=version,
        signer_name="Anna Andersson",
        **{f"organisation__{name}": value for name, value in organisation.items()},
    )
    return signature.organisation


def signatures_for(
    organisations: list, *, version: AgreementVersion, signer_name: str, apart: datetime.timedelta
) -> list[Signature]:
    """Each organisation signs through the service: the first now, each next one `apart`
    earlier (for registers sorted by date)."""
    from django.utils import timezone

    now = timezone.now()
    return [
        SignatureFactory(
            organisation=organisation,
            version=version,
            signer_name=signer_name,
            signed_at=now - n * apart,
        )
        for n, organisation in enumerate(organisations)
    ]
