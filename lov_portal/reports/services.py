"""Every write of the reports app: ordering an edition and rendering it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from agreements.models import Agreement
from commitments.charts import status_by_principle_svg
from lov_portal.accounts.models import User
from lov_portal.audit.services import audit_record
from lov_portal.core.pdf import render_pdf

from .charts import bar_chart_svg
from .models import EditionStatus, ReportEdition
from .selectors import report_data

logger = logging.getLogger(__name__)


def report_edition_create(
    *, year: int, user: User | None, language: str = "sv", enqueue: bool = True
) -> ReportEdition:
    """Order a new numbered edition for `year` (never replacing an earlier one)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                latest = ReportEdition.objects.filter(year=year).aggregate(n=Max("edition"))["n"]
                edition = ReportEdition.objects.create(
                    year=year, edition=(latest or 0) + 1, language=language, created_by=user
                )
                audit_record(
                    actor=user,
                    action="report.edition_ordered",
                    obj=edition,
                    data={"year": year, "edition": edition.edition, "language": language},
                )
                if enqueue:
                    from .tasks import render_edition

                    render_edition.delay_on_commit(edition.pk)
            return edition
        except IntegrityError:
            # Two orders for the same year at once: the other took the number, take the next.
            continue
    raise RuntimeError("Could not number the report edition.")


def report_edition_download(
    *, edition: ReportEdition, user: User, request: HttpRequest | None = None
) -> None:
    """Record that `user` downloaded the edition's PDF (the file itself is read by the view)."""
    audit_record(
        actor=user,
        action="report.downloaded",
        obj=edition,
        data={"year": edition.year, "edition": edition.edition},
        request=request,
    )


def _progress(edition: ReportEdition, percent: int, **fields: object) -> None:
    ReportEdition.objects.filter(pk=edition.pk).update(progress=percent, **fields)


def report_edition_render(*, edition_id: int) -> ReportEdition:
    """Render the edition to PDF and store it. Idempotent: a finished edition is left alone."""
    edition = ReportEdition.objects.get(pk=edition_id)
    if edition.status == EditionStatus.DONE:
        return edition
    _progress(edition, 5, status=EditionStatus.RUNNING, started_at=timezone.now(), error="")
    try:
        agreement = Agreement.objects.get(slug=settings.DEFAULT_AGREEMENT_SLUG)
        with translation.override(edition.language):
            data = report_data(agreement=agreement, year=edition.year)
            _progress(edition, 30)
            html = render_to_string(
                "reports/followup_report.html",
                {
                    "data": data,
                    "edition": edition,
                    "municipality_chart": bar_chart_svg(
                        data.by_municipality, title=gettext("Undertecknare per kommun")
                    ),
                    "legal_form_chart": bar_chart_svg(
                        data.by_legal_form, title=gettext("Undertecknare per juridisk form")
                    ),
                    # The dashboard's chart, with the commitments' status at year end.
                    "status_chart": status_by_principle_svg(
                        rows=data.status_by_principle,
                        chart_id="report-status",
                        title=gettext("Åtaganden efter status per princip vid årets slut"),
                    ),
                    "action_chart": bar_chart_svg(
                        data.action_counts, title=gettext("Åtgärder efter status")
                    ),
                },
            )
            _progress(edition, 50)
            pdf = _render_pdf(html, edition=edition, agreement=agreement)
        edition.file.save(f"{edition.year}-{edition.edition}.pdf", ContentFile(pdf), save=False)
        ReportEdition.objects.filter(pk=edition.pk).update(
            file=edition.file.name,
            status=EditionStatus.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("Report edition %s failed.", edition.pk)
        ReportEdition.objects.filter(pk=edition.pk).update(
            status=EditionStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    edition.refresh_from_db()
    audit_record(
        actor=None,
        action="report.edition_rendered",
        obj=edition,
        data={"year": edition.year, "edition": edition.edition},
    )
    return edition


# A small document in each language the reports are written in, with the report's own
# headings, emphasis and lists, so the fonts a report uses are looked up once.
WARM_UP_HTML = (
    '<html lang="sv"><head><title>-</title></head><body><h1>Rapport</h1><h2>Översikt</h2>'
    "<p>Uppföljningsrapport <strong>för</strong> <em>året</em></p><ul><li>Förening</li></ul>"
    '<p lang="en">Follow-up report</p></body></html>'
)


def pdf_engine_warm_up() -> None:
    """Pay WeasyPrint's one-off costs when a worker starts, not in the first report a person
    waits for: importing it (about 0.8 s), fontconfig's first font lookups and the report's
    style sheet, and the hyphenation dictionaries (about 0.4 s; loaded by pyphen once per
    process, and WeasyPrint only asks for them when a word must be split). Connected to
    Celery's worker start-up signals in tasks.py."""
    import pyphen

    for language, _name in settings.LANGUAGES:
        pyphen.Pyphen(lang=language)
    render_pdf(WARM_UP_HTML, base_url=str(settings.BASE_DIR), stylesheets=["reports/report.css"])


def _render_pdf(html: str, *, edition: ReportEdition, agreement: Agreement) -> bytes:
    # Title, language and author come from <title>, <html lang> and <meta name="author">.
    return render_pdf(html, base_url=str(settings.BASE_DIR), stylesheets=["reports/report.css"])
