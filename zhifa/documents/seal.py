"""The agency's electronic seal on documents: an X.509 seal certificate per agency, issued by a deployment-local
CA, and a PAdES signature (ETSI EN 319 142, baseline B-B) made with pyHanko on every issued PDF.

Both keys live in the data directory (``ZHIFA_KEYS_DIR/documents``, mode 0600, see zhifa.core.keyfiles): the CA
is generated there on first use, each agency's seal certificate when the agency first issues a document (again
when the agency is renamed or its certificate nears expiry: older documents keep validating, they embed the
certificate that signed them). ``ca_certificate_pem()`` is the trust root a third party loads to validate.

Why ECDSA P-256 (with SHA-256) and not SM2/SM3, although the record itself uses SM2/SM3 (GB/T 39786-2021):
pyHanko, like every PDF reader that validates signatures (Adobe Acrobat/Reader, Foxit, pdf.js, Poppler), knows
the PAdES algorithms of ISO 32000-2 / ETSI TS 119 312 — RSA and ECDSA on NIST or Brainpool curves — and neither
signs nor validates SM2 CMS signatures (nor can `cryptography`, which has no SM2). An SM2 seal would be a seal
nobody outside could check. The Chinese electronic seal format proper (GB/T 38540-2020, SM2-based SES_Signature)
belongs to OFD documents and a national seal platform, not to PDF. Integrity in the national algorithms is still
there: the `document.issued` event carries the PDF's SHA-256 and its SM3 hash (under ZHIFA_CRYPTO=gm) into the
SM3 Merkle tree whose checkpoints are signed with SM2.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

from zhifa.core import keyfiles

CA_FILE = "seal-ca.pem"
CA_YEARS = 20
SEAL_YEARS = 5
RENEW_BEFORE = dt.timedelta(days=30)
ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")  # ETSI EN 319 412-1: NTRCN-<credit code>
SIGNATURE_FIELD = "AgencySeal"
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----\r?\n?", re.S)


def keys_dir() -> Path:
    return Path(settings.ZHIFA_KEYS_DIR) / "documents"


@dataclass(frozen=True)
class SealIdentity:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    ca: x509.Certificate

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the seal certificate (DER), as stored on each document."""
        return self.certificate.fingerprint(hashes.SHA256()).hex()


def _create_once(path: Path, make: Callable[[], bytes]) -> bytes:
    """The file's bytes, made first if missing. Made whole under a private name, then linked into place: of two
    processes creating it at once, the first link wins and both read the same key."""
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        keyfiles.write_private(temporary, make())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError:  # no hard links on this file system: last writer wins
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return path.read_bytes()


def _bundle(key: ec.EllipticCurvePrivateKey, certificate: x509.Certificate) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()) + certificate.public_bytes(serialization.Encoding.PEM)


def _unbundle(data: bytes) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    blocks = {match.group(1).decode(): match.group(0) for match in _PEM_BLOCK.finditer(data)}
    key = serialization.load_pem_private_key(blocks["PRIVATE KEY"], password=None)
    return key, x509.load_pem_x509_certificate(blocks["CERTIFICATE"])  # type: ignore[return-value]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _make_ca() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "zhifa"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"zhifa 文书签章根证书 {settings.ZHIFA_LOG_ORIGIN}"[:64]),
    ])
    now = _now()
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return _bundle(key, certificate)


def local_ca() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """The deployment's document-seal CA, generated into the data directory on first use."""
    return _unbundle(_create_once(keys_dir() / CA_FILE, _make_ca))


def ca_certificate_pem() -> bytes:
    return local_ca()[1].public_bytes(serialization.Encoding.PEM)


def _make_seal(agency, ca_key: ec.EllipticCurvePrivateKey, ca_certificate: x509.Certificate) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency.name[:64]),
        x509.NameAttribute(ORGANIZATION_IDENTIFIER, f"NTRCN-{agency.credit_code}"),
        x509.NameAttribute(NameOID.COMMON_NAME, agency.name[:64]),
    ])
    now = _now()
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(ca_certificate.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(min(now + dt.timedelta(days=365 * SEAL_YEARS), ca_certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return _bundle(key, certificate)


def agency_seal(agency) -> SealIdentity:
    """The agency's current seal (key and certificate), made on first use. One file per agency identity
    (credit code + name) and generation: a renamed agency, or a certificate within 30 days of expiry, gets the
    next generation."""
    ca_key, ca_certificate = local_ca()
    name_hash = hashlib.sha256(agency.name.encode()).hexdigest()[:8]
    stem = f"seal-{agency.credit_code}-{name_hash}"
    generations = sorted(int(p.stem.rsplit("-", 1)[1]) for p in keys_dir().glob(f"{stem}-*.pem")
                         if p.stem.rsplit("-", 1)[1].isdigit())
    generation = generations[-1] if generations else 1
    while True:
        key, certificate = _unbundle(_create_once(keys_dir() / f"{stem}-{generation}.pem",
                                                  lambda: _make_seal(agency, ca_key, ca_certificate)))
        if certificate.issuer == ca_certificate.subject and certificate.not_valid_after_utc - RENEW_BEFORE > _now():
            return SealIdentity(key, certificate, ca_certificate)
        generation += 1


# Signing and validation ---------------------------------------------------------------------------------------


def sign_pdf(pdf: bytes, agency, *, reason: str, location: str = "") -> tuple[bytes, str]:
    """Seal `pdf` as the agency (PAdES B-B, SHA-256). Returns the signed bytes and the certificate fingerprint."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    seal = agency_seal(agency)
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(seal.certificate.public_bytes(serialization.Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(seal.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(seal.ca.public_bytes(serialization.Encoding.DER))]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, location=location or None, name=agency.name,
    )
    output = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer, output=output)
    return output.getvalue(), seal.fingerprint


@dataclass(frozen=True)
class SealCheck:
    valid: bool  # intact, trusted, and covering the whole file
    intact: bool = False
    trusted: bool = False
    entire_file: bool = False
    signer: str = ""
    fingerprint: str = ""
    detail: str = ""


def validate_pdf(data: bytes, trust_roots: list[x509.Certificate] | None = None) -> SealCheck:
    """Validate the document's one seal against the local CA (or `trust_roots`) with pyHanko. Valid only if the
    signature is intact, chains to a trust root and covers the entire file: any byte changed in the signed range,
    or any revision added after it (an incremental update), fails."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = trust_roots if trust_roots is not None else [local_ca()[1]]
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(r.public_bytes(serialization.Encoding.DER)) for r in roots],
        allow_fetching=False,
    )
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        if len(signatures) != 1:
            return SealCheck(False, detail=f"expected one signature, found {len(signatures)}")
        status = validate_pdf_signature(signatures[0], context)
    except Exception as exc:  # noqa: BLE001 — a damaged PDF can fail anywhere in the parser: never "valid"
        return SealCheck(False, detail=f"{type(exc).__name__}: {exc}")
    entire = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    certificate = status.signing_cert
    return SealCheck(
        valid=bool(status.bottom_line and status.intact and status.trusted and entire),
        intact=bool(status.intact and status.valid), trusted=bool(status.trusted), entire_file=entire,
        signer=certificate.subject.human_friendly if certificate is not None else "",
        fingerprint=certificate.sha256.hex() if certificate is not None else "",
        detail=str(status.summary()),
    )
