import factory

from lov_portal.accounts.models import User


def _totp_authenticator(user: User, create: bool, extracted: object, **kwargs: object) -> None:
    from allauth.mfa.models import Authenticator

    if create:
        Authenticator.objects.get_or_create(
            user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "test"}}
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    full_name = factory.Faker("name", locale="sv_SE")
    password = factory.django.Password("korrekt-hast-batteri")

    class Params:
        # A staff member as the portal requires them: with an authenticator app (MFA) set up.
        # `is_staff=True` alone gives staff without MFA (for the tests of the MFA redirect).
        staff = factory.Trait(is_staff=True)

    mfa = factory.Maybe("staff", yes_declaration=factory.PostGeneration(_totp_authenticator))
