"""The portal's one PDF home: rendering HTML to tagged PDF (WeasyPrint) and sealing (pyHanko).

Every PDF the portal makes is rendered by `render_pdf`: tagged PDF/UA-1, with title, language
and author taken from the document's `<title>`, `<html lang>` and `<meta name="author">`.

`pdf_seal` adds a PAdES signature (baseline B-B; B-T with an RFC 3161 timestamp when
`LOV_TSA_URL` is set) made with the portal's seal: an organisation certificate and its key,
PEM files named by `LOV_SEAL_CERT` and `LOV_SEAL_KEY`. Both are required in production
(lov_portal/settings.py). Outside production, when they are not set, a self-signed development
seal is generated into `var/seal/` on first use; its name says it is not valid.
"""

from __future__ import annotations

import datetime
import fcntl
import functools
import os
from collections.abc import Callable, Iterable
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.checks import Error, register

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko.sign.timestamps import TimeStamper

T = TypeVar("T")
DEVELOPMENT_SEAL_NAME = "LÖV-portalen utvecklingssigill (ej giltigt)"
SEAL_FIELD_NAME = "LOV-sigill"


# --- Rendering ------------------------------------------------------------------------------


def render_pdf(html: str, *, base_url: str | None = None, stylesheets: Iterable[str] = ()) -> bytes:
    """Render HTML to a tagged PDF/UA-1 document.

    `stylesheets` are static file paths (found with the staticfiles finders, so the source
    style sheets are used in development and in tests alike); `base_url` resolves relative
    links and defaults to SITE_URL."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    sheets = [CSS(filename=finders.find(path)) for path in stylesheets]
    return HTML(string=html, base_url=base_url or settings.SITE_URL).write_pdf(
        stylesheets=sheets, pdf_variant="pdf/ua-1"
    )


# --- The seal -------------------------------------------------------------------------------


def seal_paths() -> tuple[Path, Path]:
    """The seal's certificate and key files: from settings, else the development seal."""
    cert = getattr(settings, "LOV_SEAL_CERT", "")
    key = getattr(settings, "LOV_SEAL_KEY", "")
    if cert and key:
        return Path(cert), Path(key)
    if settings.PRODUCTION:  # settings refuse to start without them; never invent one here
        raise RuntimeError("LOV_SEAL_CERT and LOV_SEAL_KEY must be set in production.")
    folder = Path(settings.VAR_DIR) / "seal"
    cert_path, key_path = folder / "development-seal.crt", folder / "development-seal.key"
    if not (cert_path.exists() and key_path.exists()):
        development_seal_generate(cert_path=cert_path, key_path=key_path)
    return cert_path, key_path


def development_seal_generate(
    *, cert_path: Path, key_path: Path, name: str = DEVELOPMENT_SEAL_NAME
) -> None:
    """Write a self-signed seal certificate and its key (PEM) unless another process did.

    A lock file keeps two processes starting at once from writing a key and a certificate
    that do not belong together."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    from .certificates import private_key_pem, self_signed

    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    with open(cert_path.parent / ".seal.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if cert_path.exists() and key_path.exists():
            return
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, name),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "LÖV-portalen"),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            ]
        )
        now = datetime.datetime.now(datetime.UTC)
        backdated, valid_for = datetime.timedelta(minutes=5), datetime.timedelta(days=5 * 365)
        certificate = (
            self_signed(key, subject, now=now, backdated=backdated, valid_for=valid_for)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        _write_private(key_path, private_key_pem(key))
        _write_private(cert_path, certificate.public_bytes(serialization.Encoding.PEM))


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


@functools.lru_cache(maxsize=4)
def _signer(cert_path: str, key_path: str) -> SimpleSigner:
    from pyhanko.sign.signers import SimpleSigner

    signer = SimpleSigner.load(key_file=key_path, cert_file=cert_path)
    if signer is None:  # pyHanko logs the reason and returns None
        raise RuntimeError(f"Could not load the seal from {cert_path} and {key_path}.")
    return signer


def seal_signer() -> SimpleSigner:
    cert, key = seal_paths()
    return _signer(str(cert), str(key))


def seal_timestamper() -> TimeStamper | None:
    """An RFC 3161 client for LOV_TSA_URL, or None (then the seal is PAdES B-B)."""
    url = getattr(settings, "LOV_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=10)


def pdf_seal(
    pdf_bytes: bytes,
    *,
    reason: str,
    location: str,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """Seal a PDF: an invisible PAdES signature in an incremental update.

    The document's bytes stay as they were and the seal covers all of them, so any change
    afterwards breaks it. `timestamper` defaults to the one for LOV_TSA_URL (if any)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    metadata = PdfSignatureMetadata(
        field_name=SEAL_FIELD_NAME,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,  # ETSI.CAdES.detached: PAdES baseline
        reason=reason,
        location=location,
    )
    signer = PdfSigner(
        metadata, signer=seal_signer(), timestamper=timestamper or seal_timestamper()
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    output = _outside_event_loop(lambda: signer.sign_pdf(writer))
    return output.getvalue()


def _outside_event_loop(work: Callable[[], T]) -> T:
    """pyHanko's synchronous API runs its own event loop (asyncio.run), which fails in a thread
    that already runs one (an ASGI server, Playwright in the same test process): then the work
    goes to a thread of its own."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


# --- The deployment check -------------------------------------------------------------------


@register("lov", deploy=True)
def seal_check(app_configs: object = None, **kwargs: object) -> list[Error]:
    """check --deploy: the seal's certificate and key files load and belong together."""
    cert = getattr(settings, "LOV_SEAL_CERT", "")
    key = getattr(settings, "LOV_SEAL_KEY", "")
    if not (cert and key):
        if not settings.PRODUCTION:
            return []
        return [Error("LOV_SEAL_CERT and LOV_SEAL_KEY are not set.", id="lov.E001")]
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        certificate = x509.load_pem_x509_certificate(Path(cert).read_bytes())
        private_key = serialization.load_pem_private_key(Path(key).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        message = f"The seal (LOV_SEAL_CERT, LOV_SEAL_KEY) cannot be read: {error}"
        return [Error(message, id="lov.E001")]
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if certificate.public_key().public_bytes(
        serialization.Encoding.DER, public
    ) != private_key.public_key().public_bytes(serialization.Encoding.DER, public):
        return [Error("LOV_SEAL_KEY is not the key of LOV_SEAL_CERT.", id="lov.E002")]
    return []
