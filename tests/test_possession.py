"""RFC 9883 requests: a KEM key, signed by the key of a signature certificate the request names.

Signature certificates come from openssl (skipped without it), cryptography
(skipped where it cannot run) and, everywhere, tests/kem_helpers.py.  The
KEM keys are kyber-py's (there are no Wycheproof ``mlkem_*`` files).
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kyber_py.ml_kem import ML_KEM_768

import csrlib
from csrlib import (
    BuildError,
    Certificate,
    CertificateRequestBuilder,
    DecodeError,
    InvalidSignature,
    MlKemPublicKey,
    PossessionStatement,
    SignerCertificateRequired,
    UnsupportedAlgorithm,
    signers,
)
from tests.helpers import csr_der, oid, tlv
from tests.kem_helpers import make_certificate

OPENSSL = shutil.which("openssl")
VECTORS = Path(__file__).parent / "vectors"
STATEMENT = "1.3.6.1.4.1.22112.2.1"
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command")


@pytest.fixture(scope="module")
def kem() -> MlKemPublicKey:
    return MlKemPublicKey.from_bytes(768, ML_KEM_768.key_derive(bytes(range(64)))[0])


@pytest.fixture(scope="module")
def ca() -> signers.Signer:
    return signers.generate("ec:P-384")


@pytest.fixture(scope="module")
def signer() -> signers.Signer:
    return signers.generate("ec:P-256")


@pytest.fixture(scope="module")
def cert(signer: signers.Signer, ca: signers.Signer) -> bytes:
    return make_certificate(signer, 0x1234, issuer_signer=ca)


def _build(kem: MlKemPublicKey, cert: bytes | str, signer: signers.Signer,
           include: bool = True) -> csrlib.CertificateRequest:
    return (CertificateRequestBuilder().subject("CN=kem.example").public_key(kem)
            .possession_statement(cert, include_certificate=include).sign(signer))


def test_build_and_verify(kem: MlKemPublicKey, cert: bytes, signer: signers.Signer) -> None:
    req = _build(kem, cert, signer)
    assert req.public_key == kem and req.signature_algorithm.name == "ecdsa-with-SHA256"
    statement = req.possession_statement
    assert statement is not None
    parsed = Certificate.from_der(cert)
    assert statement.serial_number == 0x1234 == parsed.serial_number
    assert statement.issuer.rfc4514() == "CN=Test CA,O=Example"
    assert statement.certificate == parsed and statement.certificate.der == cert
    assert statement.names(parsed)
    # The attribute as RFC 9883 3 encodes it, built here from the ASN.1.
    signer_der = tlv(0x30, parsed.issuer_der + tlv(0x02, b"\x12\x34"))
    attribute = req.attributes.get(STATEMENT)
    assert attribute is not None and attribute.name == "privateKeyPossessionStatement"
    assert attribute.values[0].to_der() == tlv(0x30, signer_der + cert)  # type: ignore[union-attr]
    assert PossessionStatement.from_der(tlv(0x30, signer_der + cert)) == statement
    req.verify(signer_certificate=cert)
    req.verify(signer_certificate=parsed)
    req.verify(signer_certificate=csrlib.pem.encode_pem("CERTIFICATE", cert))
    assert csrlib.load(req.to_pem()) == req and req.to_der() == req.der


def test_without_the_certificate(kem: MlKemPublicKey, cert: bytes,
                                 signer: signers.Signer) -> None:
    req = _build(kem, cert, signer, include=False)
    statement = req.possession_statement
    assert statement is not None and statement.certificate is None
    assert "certificate=absent" in repr(statement)
    req.verify(signer_certificate=cert)


def test_verify_without_the_certificate_names_the_signer(
        kem: MlKemPublicKey, cert: bytes, signer: signers.Signer) -> None:
    req = _build(kem, cert, signer)
    with pytest.raises(SignerCertificateRequired) as info:
        req.verify()
    assert isinstance(info.value, UnsupportedAlgorithm)
    text = str(info.value)
    assert "signed by another key" in text and "0x1234" not in text  # 16 bits: decimal
    assert "serial number 4660" in text and "'CN=Test CA,O=Example'" in text


def test_wrong_certificates(kem: MlKemPublicKey, cert: bytes, signer: signers.Signer,
                            ca: signers.Signer) -> None:
    req = _build(kem, cert, signer)
    other = signers.generate("ec:P-256")
    # Another key: named by nothing, and its key would not verify either.
    with pytest.raises(InvalidSignature, match="names another certificate"):
        req.verify(signer_certificate=make_certificate(other, 0x1234, "CN=Other CA"))
    # The same key certified again: another serial, another issuer.
    with pytest.raises(InvalidSignature, match="names another certificate: serial number 4660"):
        req.verify(signer_certificate=make_certificate(signer, 0x1235, issuer_signer=ca))
    with pytest.raises(InvalidSignature, match="not serial number 4660 issued by 'CN=Else'"):
        req.verify(signer_certificate=make_certificate(signer, 0x1234, "CN=Else",
                                                       issuer_signer=ca))
    # Same issuer and serial, another certificate (another subject): the one
    # carried is not the one given.
    twin = make_certificate(signer, 0x1234, subject="CN=twin", issuer_signer=ca)
    with pytest.raises(InvalidSignature, match="carries is not the signer certificate given"):
        req.verify(signer_certificate=twin)
    # Without a carried certificate, issuer and serial are all there is to match.
    _build(kem, cert, signer, include=False).verify(signer_certificate=twin)
    # A certificate naming the right issuer and serial with another key.
    impostor = make_certificate(other, 0x1234, issuer_signer=ca)
    with pytest.raises(InvalidSignature, match="ECDSA signature does not match"):
        _build(kem, cert, signer, include=False).verify(signer_certificate=impostor)


def test_tampering(kem: MlKemPublicKey, cert: bytes, signer: signers.Signer) -> None:
    der = _build(kem, cert, signer).der
    tampered_signature = der[:-3] + bytes((der[-3] ^ 1,)) + der[-2:]
    with pytest.raises(InvalidSignature):
        csrlib.load_der(tampered_signature).verify(signer_certificate=cert)
    at = der.index(kem.public_bytes[:16])
    tampered_key = der[:at] + bytes((der[at] ^ 0x80,)) + der[at + 1:]
    with pytest.raises(InvalidSignature, match="does not match"):
        csrlib.load_der(tampered_key).verify(signer_certificate=cert)


def test_missing_statement(cert: bytes, signer: signers.Signer, kem: MlKemPublicKey) -> None:
    plain = CertificateRequestBuilder().subject("CN=plain").sign(signer)
    plain.verify()
    assert plain.possession_statement is None
    with pytest.raises(InvalidSignature, match="no privateKeyPossessionStatement"):
        plain.verify(signer_certificate=cert)
    # An ML-KEM request without a statement has no proof of possession.
    req = csrlib.load_der(csr_der(spki=kem.to_der()))
    with pytest.raises(InvalidSignature, match="ml-kem-768 key cannot sign"):
        req.verify()


def _resigned(req: csrlib.CertificateRequest, spki: bytes, signer: signers.Signer) -> bytes:
    """Return ``req`` with ``spki`` for its key, signed again by ``signer``."""
    tbs = req.tbs_der
    head = 2 + (tbs[1] & 0x7F if tbs[1] & 0x80 else 0)
    new_tbs = tlv(0x30, tbs[head:].replace(req.public_key.to_der(), spki))
    return tlv(0x30, new_tbs + signer.signature_algorithm.to_der()
               + tlv(0x03, b"\x00" + signer.sign(new_tbs)))


@pytest.mark.parametrize(("params", "first", "reason"), [
    (b"", b"\xff\x0f", "fails the FIPS 203 7.2 modulus check"),  # a coefficient 0xfff
    (b"\x05\x00", b"", "its algorithm parameters must be absent (RFC 9935 3)"),
    (oid("1.2.3"), b"", "its algorithm parameters must be absent (RFC 9935 3)"),
], ids=["modulus", "null-parameters", "oid-parameters"])
def test_an_invalid_kem_key_does_not_verify(kem: MlKemPublicKey, cert: bytes,
                                            signer: signers.Signer, params: bytes,
                                            first: bytes, reason: str) -> None:
    # A lenient load keeps such a key, and the signer's signature over it is
    # good: verify() still refuses it, as it refuses ML-DSA keys with parameters.
    raw = first + kem.public_bytes[len(first):]
    spki = tlv(0x30, tlv(0x30, oid("2.16.840.1.101.3.4.4.2") + params)
               + tlv(0x03, b"\x00" + raw))
    der = _resigned(_build(kem, cert, signer), spki, signer)
    with pytest.raises(DecodeError):
        csrlib.load_der(der)
    req = csrlib.load_der(der, strict=False)
    assert req.public_key.to_der() == spki and req.deviations
    with pytest.raises(InvalidSignature, match=f"the request's ml-kem-768 key is not valid: "
                       f".*{reason[:30]}"):
        req.verify(signer_certificate=cert)
    # The same request with the valid key verifies: the refusal is the key's.
    csrlib.load_der(_resigned(_build(kem, cert, signer), kem.to_der(), signer)).verify(
        signer_certificate=cert)


def test_builder_refusals(kem: MlKemPublicKey, cert: bytes, signer: signers.Signer) -> None:
    other = signers.generate("ec:P-256")
    base = CertificateRequestBuilder().subject("CN=kem.example")
    with pytest.raises(BuildError, match="not the key of the certificate"):
        base.public_key(kem).possession_statement(cert).sign(other)
    with pytest.raises(BuildError, match="set it with public_key"):
        base.possession_statement(cert).sign(signer)
    with pytest.raises(BuildError, match="needs possession_statement"):
        base.public_key(kem).sign(signer)
    with pytest.raises(BuildError, match="already set"):
        base.public_key(kem).public_key(kem)
    with pytest.raises(BuildError, match="already set"):
        base.possession_statement(cert).possession_statement(cert)
    with pytest.raises(BuildError, match="possession_statement"):
        base.add_attribute(STATEMENT, b"\x05\x00")
    with pytest.raises(BuildError, match="not a certificate"):
        base.possession_statement(b"\x30\x03\x02\x01\x00")
    with pytest.raises(BuildError, match="not a public key"):
        base.public_key(b"\x30\x00")
    # The key as SPKI DER or PEM; the signer's own key needs no statement.
    assert base.public_key(kem.to_der()) == base.public_key(kem)
    pem = csrlib.pem.encode_pem("PUBLIC KEY", kem.to_der())
    assert base.public_key(pem) == base.public_key(kem)
    own = base.public_key(signer.public_key).sign(signer)
    own.verify()
    # Other builder calls keep the key and the statement.
    req = (CertificateRequestBuilder().public_key(kem).possession_statement(cert)
           .subject("CN=late").add_attribute("challengePassword", "pw").sign(signer))
    assert req.public_key == kem and req.subject.rfc4514() == "CN=late"
    req.verify(signer_certificate=cert)


def _with_attribute(kem: MlKemPublicKey, *attributes: bytes) -> bytes:
    return csr_der(spki=kem.to_der(), attributes=tlv(0xA0, b"".join(sorted(attributes))))


def _statement_attribute(*values: bytes) -> bytes:
    return tlv(0x30, oid(STATEMENT) + tlv(0x31, b"".join(sorted(values))))


def test_load_checks_the_statement(kem: MlKemPublicKey, cert: bytes) -> None:
    parsed = Certificate.from_der(cert)
    good = tlv(0x30, tlv(0x30, parsed.issuer_der + tlv(0x02, b"\x12\x34")))
    req = csrlib.load_der(_with_attribute(kem, _statement_attribute(good)))
    assert req.possession_statement is not None
    assert req.possession_statement.serial_number == 0x1234
    value = "certificationRequestInfo.attributes[0].values[0]"
    cases = {
        "not-a-sequence": (_statement_attribute(b"\x05\x00"), "unexpected-tag", value),
        "no-serial": (_statement_attribute(tlv(0x30, tlv(0x30, parsed.issuer_der))),
                      "missing-component", f"{value}.signer"),
        "not-a-certificate": (_statement_attribute(tlv(0x30, good[2:] + b"\x05\x00")),
                              "unexpected-tag", value),
        "bad-certificate": (_statement_attribute(tlv(0x30, good[2:]
                                                     + tlv(0x30, b"\x02\x01\x00"))),
                            "unexpected-tag", f"{value}.cert.tbsCertificate"),
        "two-values": (_statement_attribute(good, tlv(0x30, tlv(0x30, parsed.issuer_der
                                                                + tlv(0x02, b"\x07")))),
                       "single-valued", "certificationRequestInfo.attributes[0]"),
    }
    for name, (attribute, kind, path) in cases.items():
        for strict in (True, False):
            with pytest.raises(DecodeError) as info:
                csrlib.load_der(_with_attribute(kem, attribute), strict=strict)
            assert (info.value.kind, info.value.path) == (kind, path), name
    twice = _with_attribute(kem, _statement_attribute(good), _statement_attribute(good))
    with pytest.raises(DecodeError) as info:
        csrlib.load_der(twice)
    assert info.value.kind == "duplicate-attribute"


def test_rfc9883_example() -> None:
    # RFC 9883's example: an ECDH P-384 key (id-ecDH, read as an unknown key),
    # the signature certificate carried; the serial as pyasn1-alt-modules'
    # RFC 9883 test states it.
    req = csrlib.load((VECTORS / "rfc9883-example.csr").read_bytes())
    statement = req.possession_statement
    assert statement is not None and statement.certificate is not None
    assert statement.serial_number == 727642999395973550353183637270955000389184235641
    assert statement.issuer.rfc4514() == "CN=ca.example,O=Example CA,C=US"
    assert statement.certificate.subject.rfc4514() == "CN=Alice,L=Herndon,ST=VA,C=US"
    assert statement.names(statement.certificate)
    assert req.public_key.key_type == "unknown"
    with pytest.raises(SignerCertificateRequired):
        req.verify()
    # The example's signature does not verify with the certificate it
    # carries; cryptography agrees (test_rfc9883_example_in_cryptography).
    with pytest.raises(InvalidSignature, match="does not match"):
        req.verify(signer_certificate=statement.certificate)


def test_rfc9883_example_in_cryptography() -> None:
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature as TheirInvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding

    theirs = x509.load_pem_x509_csr((VECTORS / "rfc9883-example.csr").read_bytes())
    req = csrlib.load_der(theirs.public_bytes(Encoding.DER))
    assert req.possession_statement is not None and req.possession_statement.certificate
    cert = x509.load_der_x509_certificate(req.possession_statement.certificate.der)
    key = cert.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey)
    with pytest.raises(TheirInvalidSignature):
        key.verify(theirs.signature, theirs.tbs_certrequest_bytes, ec.ECDSA(hashes.SHA384()))


def _openssl(cwd: Path, *args: str) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True)


@needs_openssl
@pytest.mark.parametrize("key", [["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
                                 ["-newkey", "rsa:2048"], ["-newkey", "ed25519"]],
                         ids=["p384", "rsa", "ed25519"])
def test_openssl_signature_certificate(key: list[str], tmp_path: Path,
                                       kem: MlKemPublicKey) -> None:
    _openssl(tmp_path, "req", "-x509", *key, "-nodes", "-keyout", "sig.key", "-out", "sig.pem",
             "-subj", "/O=Example/CN=signer.example", "-days", "30", "-set_serial", "0x0a0b0c")
    signer = signers.load_private_key((tmp_path / "sig.key").read_bytes())
    cert = (tmp_path / "sig.pem").read_text()
    req = _build(kem, cert, signer)
    assert req.possession_statement is not None
    assert req.possession_statement.serial_number == 0x0A0B0C
    assert req.possession_statement.issuer.rfc4514() == "CN=signer.example,O=Example"
    req.verify(signer_certificate=cert)
    with pytest.raises(SignerCertificateRequired, match="serial number 658188 "):
        req.verify()


def test_cryptography_certificate_and_reading(kem: MlKemPublicKey) -> None:
    pytest.importorskip("cryptography")
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.x509.oid import NameOID

    key = ed25519.Ed25519PrivateKey.generate()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ed.example")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(77)
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, None))
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    req = _build(kem, cert_der, signers.from_cryptography(key))
    req.verify(signer_certificate=cert_der)
    theirs = x509.load_der_x509_csr(req.der)
    try:
        their_key = theirs.public_key()
    except Exception as exc:  # an older cryptography without ML-KEM
        pytest.skip(f"this cryptography cannot read ML-KEM keys: {exc}")
    assert their_key.public_bytes_raw() == kem.public_bytes  # type: ignore[union-attr]
    # cryptography checks the signature with the certificate's key.
    cert.public_key().verify(theirs.signature, theirs.tbs_certrequest_bytes)  # type: ignore[call-arg]
    assert theirs.subject.rfc4514_string() == "CN=kem.example"


def test_kyber_and_cryptography_keys_in_requests(cert: bytes, signer: signers.Signer) -> None:
    for level in (512, 1024):
        from kyber_py.ml_kem import ML_KEM_512, ML_KEM_1024

        ek = (ML_KEM_512 if level == 512 else ML_KEM_1024).keygen()[0]
        req = _build(MlKemPublicKey.from_bytes(level, ek), cert, signer)
        assert csrlib.load_der(req.der).public_key.key_type == f"ml-kem-{level}"
        req.verify(signer_certificate=cert)


def test_every_prefix_and_trailing_bytes_fail_cleanly(kem: MlKemPublicKey, cert: bytes,
                                                      signer: signers.Signer) -> None:
    der = _build(kem, cert, signer).der
    for end in range(len(der)):
        with pytest.raises(DecodeError):
            csrlib.load_der(der[:end])
    with pytest.raises(DecodeError) as info:
        csrlib.load_der(der + b"\x00")
    assert info.value.kind == "trailing-data"


@settings(max_examples=100)
@given(data=st.data())
def test_mutations_raise_only_csrlib_errors(data: st.DataObject, kem: MlKemPublicKey,
                                            cert: bytes, signer: signers.Signer) -> None:
    der = bytearray(_kem_request(kem, cert, signer))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(der) - 1))
        der[at] = data.draw(st.integers(0, 255))
    for strict in (True, False):
        try:
            req = csrlib.load_der(bytes(der), strict=strict)
        except DecodeError:
            continue
        for certificate in (cert, None):
            with contextlib.suppress(csrlib.CSRError):
                req.verify(signer_certificate=certificate)
        csrlib.load_der(req.to_der(), strict=False)


_BUILT: dict[str, bytes] = {}


def _kem_request(kem: MlKemPublicKey, cert: bytes, signer: signers.Signer) -> bytes:
    """Return one RFC 9883 request per test session (hypothesis draws many examples)."""
    if "der" not in _BUILT:
        _BUILT["der"] = _build(kem, cert, signer).der
    return _BUILT["der"]
