"""The demo logins: staff, the group's chair, secretary and checkers, an association's
administrator and signatory, all with one password and verified e-mail addresses."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from lov_portal.accounts.models import User

# Printed for local demo logins only (bandit B105, ruff S105).
DEMO_PASSWORD = "demo-lov-2026"  # noqa: S105  # nosec B105
DEMO_DOMAIN = "demo.lov.example.se"

# (e-mail local part, full name, role description)
DEMO_LOGINS = [
    ("personal", "Karin Personal", "personal (kansliet), administratör"),
    ("ordforande", "Anders Ordförande", "samverkansgruppens ordförande"),
    ("sekreterare", "Sara Sekreterare", "samverkansgruppens sekreterare"),
    ("justerare1", "Jonas Justerare", "ledamot och justerare"),
    ("justerare2", "Eva Justerare", "ledamot och justerare"),
    ("foreningsadmin", "Maja Föreningsadmin", "administratör för en demoförening"),
    ("firmatecknare", "Per Firmatecknare", "behörig firmatecknare för en demoförening"),
]


def demo_exists() -> bool:
    return User.objects.filter(email=f"personal@{DEMO_DOMAIN}").exists()


def demo_users() -> dict[str, User]:
    """The demo logins by e-mail local part."""
    password = make_password(DEMO_PASSWORD)
    users = {
        local: User(
            email=f"{local}@{DEMO_DOMAIN}",
            full_name=name,
            password=password,
            is_staff=(local == "personal"),
            is_superuser=(local == "personal"),
        )
        for local, name, _role in DEMO_LOGINS
    }
    User.objects.bulk_create(users.values())
    users = {local: User.objects.get(email=f"{local}@{DEMO_DOMAIN}") for local in users}
    _verify_emails(list(users.values()))
    return users


def _verify_emails(users: list[User]) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
