"""What the browser tests share: the pages to scan, roles, axe-core and logging in."""

from __future__ import annotations

from collections.abc import Callable
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

# Computed focus indicator of the element that has focus: outline or box-shadow.
FOCUS_STYLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    return {
        tag: el.tagName, text: (el.textContent || "").trim().slice(0, 40),
        outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
        shadow: s.boxShadow !== "none",
        visible: el.matches(":focus-visible"),
    };
}"""

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
    # For pages about objects that only exist once e2e_data has run: a function returning the
    # URL kwargs, called in the test (after the data is there).
    lookup: Callable[[], dict[str, object]] | None = None
    query: str = ""
    name: str = ""
    # The widths the axe scan uses.
    viewports: tuple[str, ...] = ("desktop", "mobile")

    def path(self, language: str) -> str:
        if self.raw_path:
            return self.raw_path if language == "sv" else f"/{language}{self.raw_path}"
        kwargs = self.lookup() if self.lookup else self.kwargs
        with translation.override(language):
            return reverse(self.url_name, kwargs=kwargs or None) + self.query

    @property
    def id(self) -> str:
        return self.name or self.url_name.replace(":", "-")


# Lookups of objects e2e_data creates (demo data): the kwargs of pages about them.
def _organisation_slug() -> dict[str, object]:
    from agreements.models import Signature

    signature = Signature.objects.filter(organisation__side="civil_society").order_by("pk").first()
    return {"slug": signature.organisation.slug}


def _receipt_code() -> dict[str, object]:
    from agreements.models import Signature

    return {"code": Signature.objects.exclude(receipt_code="").order_by("pk").first().receipt_code}


def _commitment_pk() -> dict[str, object]:
    from commitments.models import Commitment

    return {"pk": Commitment.objects.order_by("pk").first().pk}


def _published_minutes_meeting_pk() -> dict[str, object]:
    from meetings.models import Minutes, MinutesStatus

    minutes = Minutes.objects.filter(status=MinutesStatus.PUBLISHED).order_by("pk").first()
    return {"pk": minutes.meeting_id}


def _draft_minutes_meeting_pk() -> dict[str, object]:
    """A meeting whose minutes are a draft the secretary can edit (created when missing)."""
    from meetings import services
    from meetings.models import Meeting, Minutes, MinutesStatus

    minutes = Minutes.objects.filter(status=MinutesStatus.DRAFT).order_by("pk").first()
    if minutes is None:
        meeting = Meeting.objects.filter(minutes__isnull=True).order_by("starts_at").first()
        minutes = services.minutes_create(meeting=meeting)
    return {"pk": minutes.meeting_id}


def _signable_organisation_slug() -> dict[str, object]:
    from organisations.models import Membership, MembershipRole

    membership = Membership.objects.filter(
        user__email=f"firmatecknare@{DEMO_DOMAIN}", role=MembershipRole.SIGNATORY
    ).first()
    return {"slug": membership.organisation.slug}


def _applying_organisation_slug() -> dict[str, object]:
    """A demo organisation whose application waits, administered by the demo's association
    administrator."""
    from organisations.models import OrganisationApplication, OrganisationStatus

    application = (
        OrganisationApplication.objects.filter(organisation__status=OrganisationStatus.APPLIED)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return {"slug": application.organisation.slug}


def _waiting_application_pk() -> dict[str, object]:
    from organisations.models import OrganisationApplication, OrganisationStatus

    application = (
        OrganisationApplication.objects.filter(organisation__status=OrganisationStatus.APPLIED)
        .order_by("pk")
        .first()
    )
    return {"pk": application.pk}


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
    # Public pages of the register, commitments and meetings (issues 3-5).
    PageSpec("agreements:register"),
    PageSpec("agreements:register", query="?q=Sundsvall", name="agreements-register-search"),
    PageSpec("agreements:profile", lookup=_organisation_slug),
    PageSpec("agreements:verify", lookup=_receipt_code),
    PageSpec("commitments:list"),
    PageSpec("commitments:detail", lookup=_commitment_pk),
    PageSpec("meetings:meeting_list"),
    PageSpec("meetings:group_detail"),
    PageSpec("meetings:minutes_detail", lookup=_published_minutes_meeting_pk),
    PageSpec("meetings:year_overview"),
    # The main page of each logged-in role.
    PageSpec("organisations:mine", roles=("org_admin",)),
    PageSpec("organisations:apply", roles=("member",)),
    PageSpec("agreements:sign", lookup=_signable_organisation_slug, roles=("signatory",)),
    PageSpec("commitments:mine", roles=("org_admin",)),
    PageSpec("reminders:preferences", roles=("member",)),
    PageSpec("privacy:overview", roles=("member",)),
    PageSpec("meetings:minutes_edit", lookup=_draft_minutes_meeting_pk, roles=("secretary",)),
    PageSpec("organisations:review_queue", roles=("staff",)),
    PageSpec("organisations:documents", lookup=_applying_organisation_slug, roles=("org_admin",)),
    PageSpec("organisations:review_detail", lookup=_waiting_application_pk, roles=("staff",)),
    PageSpec("commitments:dashboard", roles=("staff",)),
    PageSpec("reports:list", roles=("staff",)),
    PageSpec("audit:event_list", roles=("staff",)),
]


def scan_cases() -> list[tuple[PageSpec, str]]:
    return [(spec, role) for spec in PAGES for role in spec.roles]


def scan_cases_by_viewport() -> list[tuple[PageSpec, str, str]]:
    return [
        (spec, role, viewport)
        for spec, role in scan_cases()
        for viewport in ("desktop", "mobile")
        if role == "anonymous" or viewport in spec.viewports
    ]


# Who each role is. A role's user is created on demand with a verified e-mail address.
ROLE_PASSWORD = "korrekt-hast-batteri-e2e"
ROLES: dict[str, dict[str, object]] = {
    "member": {"is_staff": False},
    # Staff pages such as the audit log (/granskning/) need two-step verification.
    "staff": {"is_staff": True, "totp": True},
    # Demo users e2e_data creates (lov_portal/portal/demo.py), logged in with the demo password.
    "org_admin": {"demo": "foreningsadmin"},  # administers a demo association, owns commitments
    "signatory": {"demo": "firmatecknare", "totp": True},  # may sign (with TOTP)
    "secretary": {"demo": "sekreterare"},
    # Justering asks for a second factor as signing does (issue 18).
    "chair": {"demo": "ordforande", "totp": True},
    "checker1": {"demo": "justerare1", "totp": True},
    "checker2": {"demo": "justerare2", "totp": True},
}
DEMO_DOMAIN = "demo.lov.example.se"
# The TOTP secret of roles with "totp" (base32): the test computes codes from it like an app.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class TotpClock:
    """The clock allauth's TOTP check reads in the browser tests: real time plus an offset that
    only grows.

    The portal accepts a code only in its own 30-second window (MFA_TOTP_TOLERANCE 0) and
    refuses a code used before, so a test that needs a new code must wait for the next window,
    as a person waits for the app's next code. The live server runs in a thread of the test
    process, so instead of sleeping the tests move this clock on to the next window: the codes
    they compute (`totp_code()`) and the codes allauth expects then agree, and nothing else sees
    the offset (Playwright, Django, sessions and the cache keep real time). conftest.py's
    `_totp_clock` makes allauth read it (`allauth.mfa.totp.internal.auth` calls `time.time()`
    in `yield_hotp_counters_from_time`, and nowhere else) for the e2e modules only, and checks
    that allauth really does."""

    period = 30

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        import time

        return time.time() + self.offset

    def counter(self) -> int:
        return int(self.time()) // self.period

    def next_window(self) -> None:
        """Move on to 0.2 seconds into the next 30-second window, as a sleep until then would."""
        self.offset += self.period - self.time() % self.period + 0.2


TOTP_CLOCK = TotpClock()


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The current RFC 6238 code for `secret` on TOTP_CLOCK, computed with allauth.mfa's own
    helpers.

    A code computed in the window's last seconds could be stale by the time a busy machine posts
    it: the clock moves on to the next window first then, as a person would wait for the app's
    next code."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if TOTP_CLOCK.period - TOTP_CLOCK.time() % TOTP_CLOCK.period < 5:
        TOTP_CLOCK.next_window()
    return format_hotp_value(hotp_value(secret, TOTP_CLOCK.counter()))


def next_totp_code(secret: str = TOTP_SECRET) -> str:
    """The code of the next 30-second window (the current one was used, e.g. by the login, and
    allauth refuses a code twice)."""
    TOTP_CLOCK.next_window()
    return totp_code(secret)


def fresh_totp_code(secret: str, used: set[str]) -> str:
    """A code an authenticator app would show; allauth refuses a code twice, so move on to the
    next 30-second window when the current one was used already (`used` remembers them)."""
    code = totp_code(secret)
    while code in used:
        TOTP_CLOCK.next_window()
        code = totp_code(secret)
    used.add(code)
    return code


def application_step_1(
    page: object, *, name: str, number: str, municipality: str, description: str
) -> None:
    """Step 1 of the application form filled in: the organisation (not yet sent)."""
    page.get_by_label("Organisationens namn").fill(name)
    page.get_by_label("Organisationsnummer").fill(number)
    page.get_by_label("Juridisk form").select_option(index=1)
    page.get_by_label(municipality).check()
    page.get_by_label("Kort beskrivning").fill(description)


def application_step_2(page: object, *, contact: str) -> None:
    """Step 1 sent; step 2, the contact person (the chair), filled and sent; step 3's
    conditions all ticked (not yet sent)."""
    with page.expect_navigation():
        page.get_by_role("button", name="Nästa steg").click()
    page.get_by_label("Ditt namn").fill(contact)
    page.get_by_label("Din roll i organisationen").fill("Ordförande")
    with page.expect_navigation():
        page.get_by_role("button", name="Nästa steg").click()
    for box in page.locator("main form input[type=checkbox]").all():
        box.check()


def role_user_create(*, role: str) -> tuple[str, str]:
    from allauth.account.models import EmailAddress

    from lov_portal.accounts.models import User
    from lov_portal.portal.demo import DEMO_PASSWORD

    spec = {k: v for k, v in ROLES[role].items() if k not in {"demo", "totp"}}
    if "demo" in ROLES[role]:
        email = f"{ROLES[role]['demo']}@{DEMO_DOMAIN}"
        password = DEMO_PASSWORD
        user = User.objects.get(email=email)
    else:
        email = f"e2e-{role}@example.se"
        password = ROLE_PASSWORD
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": f"E2E {role.title()}", **spec}
        )
        if created:
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if ROLES[role].get("totp"):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, TOTP_SECRET)
    return email, password


def log_in(page: object, *, email: str, password: str, language: str = "sv") -> None:
    """Log in like a person: open the login page, type, press the button."""
    page.goto(PageSpec("account_login").path(language))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form.login-form button[type=submit]").click()
    if "/2fa/" in page.url:  # a user with TOTP: type the code an authenticator app would show
        page.locator("input[name=code]").fill(totp_code())
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
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
