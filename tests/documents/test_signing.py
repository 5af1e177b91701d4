"""The agency's seal: a PAdES signature that pyHanko validates against the deployment's local CA, and that fails as
soon as the PDF changes (a byte flipped in the signed range, or an incremental update changing the content)."""

from __future__ import annotations

import datetime as dt
import io
import stat
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from zhifa.documents import seal

AGENCY = SimpleNamespace(name="渌口区市场监督管理局", credit_code="11430212000000501X", jurisdiction="株洲市渌口区")


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<html><body style='font-family: \"Noto Serif CJK SC\"'><h1>行政处罚决定书</h1>"
                       "<p>渌市监罚〔2026〕12号</p></body></html>").write_pdf()


@pytest.fixture(scope="module")
def sealed(plain_pdf) -> bytes:
    data, _fingerprint = seal.sign_pdf(plain_pdf, AGENCY, reason="行政处罚决定书 渌市监罚〔2026〕12号")
    return data


def test_seal_validates_against_the_local_ca(sealed):
    check = seal.validate_pdf(sealed)
    assert check.valid and check.intact and check.trusted and check.entire_file
    assert "渌口区市场监督管理局" in check.signer
    assert check.fingerprint == seal.agency_seal(AGENCY).fingerprint


def test_a_byte_flipped_in_the_signed_range_fails(sealed):
    from pyhanko.pdf_utils.reader import PdfFileReader

    byte_range = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0].byte_range
    position = sealed.index(b"/MediaBox")
    assert byte_range[0] <= position < byte_range[0] + byte_range[1]  # inside the first signed part
    damaged = bytearray(sealed)
    damaged[position + 1] ^= 0x01
    check = seal.validate_pdf(bytes(damaged))
    assert not check.valid and not check.intact


def test_an_incremental_update_changing_the_content_fails(sealed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 72 Td (0) Tj ET"))
    writer.update_container(page)
    changed = io.BytesIO()
    writer.write(changed)
    check = seal.validate_pdf(changed.getvalue())
    assert check.intact  # the signed revision itself is untouched …
    assert not check.entire_file and not check.valid  # … but the document shown is no longer what was sealed


def test_a_foreign_trust_root_does_not_trust_the_seal(sealed):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "another CA")])
    now = dt.datetime.now(dt.UTC)
    other = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
             .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=9))
             .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
             .sign(key, hashes.SHA256()))
    check = seal.validate_pdf(sealed, trust_roots=[other])
    assert check.intact and not check.trusted and not check.valid


def test_an_unsigned_pdf_is_not_valid(plain_pdf):
    assert not seal.validate_pdf(plain_pdf).valid


def test_seal_keys_are_private_p256_and_issued_by_the_local_ca():
    identity = seal.agency_seal(AGENCY)
    assert isinstance(identity.key.curve, ec.SECP256R1)
    assert identity.certificate.issuer == identity.ca.subject
    identity.ca.public_key().verify(identity.certificate.signature, identity.certificate.tbs_certificate_bytes,
                                    ec.ECDSA(hashes.SHA256()))
    key_usage = identity.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert key_usage.digital_signature and key_usage.content_commitment
    for path in seal.keys_dir().glob("*.pem"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert seal.agency_seal(AGENCY).fingerprint == identity.fingerprint  # made once, then reused
    renamed = SimpleNamespace(**{**vars(AGENCY), "name": "株洲市渌口区市场监督管理局"})
    assert seal.agency_seal(renamed).fingerprint != identity.fingerprint  # a renamed agency gets its own certificate
