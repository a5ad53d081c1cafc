"""What the browser tests share: the pages to scan, roles, axe-core and logging in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.urls import reverse
from django.utils import translation

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_SCRIPT = VENDOR / "axe-core" / "axe.min.js"
AXE_VERSION = (VENDOR / "axe-core" / "VERSION").read_text().split()[1]
# A same-origin URL the browser context answers itself with the vendored file (never a page
# of the portal): axe then loads under the portal's own Content-Security-Policy.
AXE_ROUTE = "/__e2e__/axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: what the Swedish accessibility law requires (EN 301 549).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# name: (width, height, device scale factor)
VIEWPORTS: dict[str, tuple[int, int, float]] = {
    "desktop": (1280, 800, 1),
    "mobile": (375, 740, 2),
    # WCAG 1.4.10 Reflow: 320 CSS px wide content without scrolling in two directions.
    "narrow": (320, 640, 1),
    # 200 % zoom of a 1280 px window: the page lays out in 640 CSS px at twice the pixel size,
    # which is what browser zoom does to the layout viewport.
    "zoom200": (640, 400, 2),
}
LANGUAGES = ["sv", "en"]


@dataclass(frozen=True)
class E2EServer:
    base_url: str


@dataclass(frozen=True)
class PageSpec:
    """A page every scan visits. Add one line to PAGES for each new page."""

    url_name: str
    kwargs: dict[str, object] = field(default_factory=dict)
    roles: tuple[str, ...] = ("anonymous",)
    # For pages without a URL name (error pages): the Swedish path, and the status expected.
    raw_path: str = ""
    status: int = 200

    def path(self, language: str) -> str:
        if self.raw_path:
            return self.raw_path if language == "sv" else f"/{language}{self.raw_path}"
        with translation.override(language):
            return reverse(self.url_name, kwargs=self.kwargs or None)

    @property
    def id(self) -> str:
        return self.url_name


# Every page a person can reach, with the roles that should see it. Pages of logged-in roles
# go here too (roles=("staff",) etc.): the scan logs in through the real form for them.
PAGES: list[PageSpec] = [
    PageSpec("home"),
    PageSpec("agreement"),
    PageSpec("accessibility"),
    PageSpec("privacy"),
    PageSpec("account_login"),
    PageSpec("account_signup"),
    PageSpec("account_reset_password"),
    PageSpec("account_reset_password_done"),
    PageSpec("account_email_verification_sent"),
    PageSpec("not_found", raw_path="/finns-inte/", status=404),
]


def scan_cases() -> list[tuple[PageSpec, str]]:
    return [(spec, role) for spec in PAGES for role in spec.roles]


# Who each role is. A role's user is created on demand with a verified e-mail address.
ROLE_PASSWORD = "korrekt-hast-batteri-e2e"
ROLES: dict[str, dict[str, object]] = {
    "member": {"is_staff": False},
    "staff": {"is_staff": True},
}


def role_user_create(*, role: str) -> tuple[str, str]:
    from allauth.account.models import EmailAddress

    from lov_portal.accounts.models import User

    email = f"e2e-{role}@example.se"
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": f"E2E {role.title()}", **ROLES[role]}
    )
    if created:
        user.set_password(ROLE_PASSWORD)
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if user.is_staff:
            # Staff pages require MFA: staff log in with an authenticator app (log_in types
            # the current code).
            from allauth.mfa.totp.internal.auth import TOTP

            TOTP.activate(user, STAFF_TOTP_SECRET)
    return email, ROLE_PASSWORD


STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = STAFF_TOTP_SECRET) -> str:
    """The authenticator app's current code."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def log_in(page: object, *, email: str, password: str, language: str = "sv") -> None:
    """Log in like a person: open the login page, type, press the button."""
    page.goto(PageSpec("account_login").path(language))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form.login-form button[type=submit]").click()
    code = page.locator("input[name=code]")
    if code.count():
        # An account with MFA (staff): type the authenticator app's code.
        code.fill(totp_code())
        with page.expect_navigation():
            code.press("Enter")
    page.locator(".site-tools form[action*='logout'] button").wait_for()


def axe_run(page: object) -> list[dict]:
    """Run axe-core with the WCAG 2.0/2.1 A and AA rules; return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_ROUTE)
        page.wait_for_function("() => typeof window.axe !== 'undefined'")
    return page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations;
        }""",
        WCAG_TAGS,
    )


def axe_report(violations: list[dict], *, where: str) -> str:
    """The violations as text a person can act on: rule, impact, help, and each element."""
    lines = [f"{len(violations)} accessibility violation(s) on {where} (axe-core {AXE_VERSION}):"]
    for violation in violations:
        lines.append(
            f"\n[{violation['impact']}] {violation['id']}: {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(map(str, node['target']))}")
            lines.append(f"    {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            lines.append(f"      {summary}")
    return "\n".join(lines)


def csp_errors(page: object) -> list[str]:
    return [text for text in page.console_errors if "Content Security Policy" in text]


def htmx_settled(page: object) -> None:
    """Wait until no htmx request is in flight and the swap has settled."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def focus_description(page: object) -> dict | None:
    """What has focus (None when focus fell back to <body>, i.e. it was lost)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body || !el.isConnected) return null;
            return {tag: el.tagName.toLowerCase(), id: el.id,
                    text: (el.textContent || "").trim().slice(0, 60)};
        }"""
    )


def assert_focus_kept(page: object, *, inside: str | None = None) -> None:
    """After an htmx update: focus is on an element still in the page (optionally inside
    `inside`, a CSS selector), never dropped to <body>."""
    htmx_settled(page)
    focused = focus_description(page)
    assert focused is not None, "focus was lost (it fell back to <body>) after the update"
    if inside:
        assert page.evaluate("(sel) => !!document.activeElement.closest(sel)", inside), (
            f"focus {focused} is not inside {inside}"
        )
