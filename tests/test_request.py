"""Loading requests: PEM and DER, the model against cryptography's view, round trips."""

from __future__ import annotations

import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from hypothesis import given
from hypothesis import strategies as st
from pyasn1_modules import rfc2986

import csrlib
from csrlib import DecodeError
from csrlib.pem import encode_pem
from tests.helpers import csr_der, tlv

_GENERAL_NAMES = {
    x509.DNSName: csrlib.DNSName,
    x509.RFC822Name: csrlib.RFC822Name,
    x509.UniformResourceIdentifier: csrlib.UniformResourceIdentifier,
    x509.IPAddress: csrlib.IPAddress,
    x509.RegisteredID: csrlib.RegisteredID,
}


def _key_facts(key: object) -> tuple[str, int | None, str | None]:
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa", key.key_size, None
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec", key.curve.key_size, key.curve.name
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "ed25519", 256, None
    assert isinstance(key, ed448.Ed448PublicKey)
    return "ed448", 448, None


def test_model_agrees_with_cryptography(all_csrs: dict[str, bytes]) -> None:
    for label, der in all_csrs.items():
        ours = csrlib.load(der)
        theirs = x509.load_der_x509_csr(der)
        assert ours.subject.rfc4514() == theirs.subject.rfc4514_string(), label
        key = ours.public_key
        assert (key.key_type, key.key_size, key.curve) == _key_facts(theirs.public_key()), label
        assert ours.signature_algorithm.oid == theirs.signature_algorithm_oid.dotted_string
        assert ours.signature == theirs.signature, label
        assert ours.tbs_der == theirs.tbs_certrequest_bytes, label
        assert [(e.oid, e.critical) for e in ours.extensions] == [
            (e.oid.dotted_string, e.critical) for e in theirs.extensions], label
        assert [a.oid for a in ours.attributes] == [
            a.oid.dotted_string for a in theirs.attributes], label
        san = ours.extensions.value(csrlib.SubjectAlternativeName)
        if san is not None:
            expected = theirs.extensions.get_extension_for_class(x509.SubjectAlternativeName)
            assert [(type(n), n.value) for n in san] == [
                (_GENERAL_NAMES[type(n)], n.value if not isinstance(n, x509.RegisteredID)
                 else n.value.dotted_string) for n in expected.value], label
        assert ours.deviations == ()
        assert ours.to_der() == der, label


def test_typed_extensions_agree_with_cryptography(openssl_csrs: dict[str, bytes]) -> None:
    der = openssl_csrs["rsa2048-sha256"]
    ours = csrlib.load(der).extensions
    theirs = x509.load_der_x509_csr(der).extensions
    bc = ours.value(csrlib.BasicConstraints)
    assert bc == csrlib.BasicConstraints(ca=False, path_length=None)
    ku = ours.value(csrlib.KeyUsage)
    assert ku is not None
    assert ku.usages == ("digital_signature", "key_encipherment")
    assert theirs.get_extension_for_class(x509.KeyUsage).value.key_encipherment
    eku = ours.value(csrlib.ExtendedKeyUsage)
    assert eku is not None and eku.names == ("serverAuth", "clientAuth")
    san = ours.value(csrlib.SubjectAlternativeName)
    assert san is not None
    assert csrlib.IPAddress(ipaddress.ip_address("192.0.2.1")) in san.names
    assert ours.get("2.5.29.19") is ours.get(csrlib.BasicConstraints)
    assert ours.get(csrlib.AuthorityKeyIdentifier) is None


def test_challenge_password_and_unstructured_name(openssl_csrs: dict[str, bytes]) -> None:
    req = csrlib.load(openssl_csrs["challenge-password"])
    assert req.challenge_password == "s3cret-pass"
    names = {a.name: a.values for a in req.attributes}
    assert names["unstructuredName"] == (csrlib.StringValue("Unit 7", "UTF8String"),)
    assert names["challengePassword"] == (csrlib.StringValue("s3cret-pass", "UTF8String"),)


def test_pss_key_and_signature(openssl_csrs: dict[str, bytes]) -> None:
    req = csrlib.load(openssl_csrs["rsa-pss-key"])
    assert isinstance(req.public_key, csrlib.RsaPublicKey)
    assert req.public_key.algorithm == "1.2.840.113549.1.1.10"
    alg = req.signature_algorithm
    assert alg.name == "RSASSA-PSS" and alg.pss is not None
    # OpenSSL signs with the longest salt a 2048-bit key allows: 256 - 32 - 2.
    assert (alg.hash, alg.pss.mgf_hash, alg.pss.salt_length) == ("sha256", "sha256", 222)
    assert csrlib.SignatureAlgorithm.from_der(alg.to_der()) == alg
    sig = csrlib.load(openssl_csrs["rsa-pss-sig"]).signature_algorithm
    assert sig.pss == csrlib.PssParameters("sha384", "sha384", 20)
    assert sig.pss.to_der() == sig.parameters


def test_pem_forms(example_der: bytes) -> None:
    pem = encode_pem("CERTIFICATE REQUEST", example_der)
    assert csrlib.load(pem) == csrlib.load(example_der)
    assert csrlib.load(pem.encode()) == csrlib.load_pem(pem)
    crlf = "Explanatory text\r\n" + pem.replace("\n", "  \r\n") + "trailing text\n"
    assert csrlib.load_pem(crlf).der == example_der
    old_label = encode_pem("NEW CERTIFICATE REQUEST", example_der)
    bundle = pem + encode_pem("CERTIFICATE", b"\x30\x00") + old_label
    assert [r.der for r in csrlib.load_pem_all(bundle)] == [example_der, example_der]
    assert csrlib.load(example_der).to_pem() == pem
    # RFC 7468 eol is CRLF, CR or LF; explanatory text may start with "0" (0x30).
    assert csrlib.load(pem.replace("\n", "\r")).der == example_der
    assert csrlib.load("0 = serial number\n" + pem).der == example_der
    assert csrlib.load(b"0 = serial number\n" + pem.encode()).der == example_der
    # Blocks other than requests are not decoded, so their problems do not matter.
    encrypted_key = ("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                     "DEK-Info: AES-128-CBC,00\n\nAB*=\n-----END RSA PRIVATE KEY-----\n")
    assert csrlib.load(encrypted_key + pem).der == example_der
    assert csrlib.load_pem_all(encrypted_key + pem + pem) == [csrlib.load(pem)] * 2


@pytest.mark.parametrize(("text", "detail"), [
    ("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n", "found CERTIFICATE"),
    ("-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n", "no END line"),
    ("-----BEGIN CERTIFICATE REQUEST-----\nMA*=\n-----END CERTIFICATE REQUEST-----\n",
     "character outside base64"),
    ("-----BEGIN CERTIFICATE REQUEST-----\nMAA\n-----END CERTIFICATE REQUEST-----\n",
     "padding"),
    ("-----BEGIN CERTIFICATE REQUEST-----\nMA=A\n-----END CERTIFICATE REQUEST-----\n",
     "padding"),
    ("-----BEGIN CERTIFICATE REQUEST-----\nMAB=\n-----END CERTIFICATE REQUEST-----\n",
     "non-canonical"),
    ("-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE-----\n", "does not match"),
    ("-----BEGIN CERTIFICATE REQUEST-----\nProc-Type: 4,ENCRYPTED\n\nMAA=\n"
     "-----END CERTIFICATE REQUEST-----\n", "headers"),
    ("just text", "no CERTIFICATE REQUEST block"),
    ("-----BEGIN CERTIFICATE REQUEST-----MAA=\n-----END CERTIFICATE REQUEST-----\n",
     "text after the BEGIN line"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMAA=\n", "no END line"),
])
def test_pem_errors(text: str, detail: str) -> None:
    with pytest.raises(DecodeError) as info:
        csrlib.load(text)
    assert info.value.kind == "pem"
    assert detail in str(info.value)


def test_pyasn1_bridge(example_der: bytes) -> None:
    req = csrlib.load(example_der)
    value = req.to_pyasn1()
    assert isinstance(value, rfc2986.CertificationRequest)
    assert csrlib.CertificateRequest.from_pyasn1(value) == req


def test_equality_hash_and_repr(example_der: bytes) -> None:
    a = csrlib.load(example_der)
    b = csrlib.load(bytearray(example_der))
    assert a == b and hash(a) == hash(b) and a != csrlib.load(csr_der())
    text = repr(a)
    assert "subject='CN=example.com,O=Example Inc,C=US'" in text
    assert "EcPublicKey(secp256r1" in text and "extensions=[subjectAltName]" in text


def test_load_is_eager(example_der: bytes) -> None:
    # A bad value deep inside the extension request is found by load itself.
    bad = example_der.replace(b"\x82\x0bexample.com", b"\x82\x0bexample\xff.co", 1)
    with pytest.raises(DecodeError) as info:
        csrlib.load(bad)
    assert info.value.kind == "bad-string"
    assert info.value.path.startswith("certificationRequestInfo.attributes[0].values[0][0]"
                                      ".extnValue")


def test_public_key_helpers(example_der: bytes) -> None:
    import hashlib

    key = csrlib.load(example_der).public_key
    assert key.fingerprint() == hashlib.sha256(key.to_der()).digest()
    assert csrlib.PublicKey.from_der(key.to_der()) == key
    assert isinstance(key, csrlib.EcPublicKey)
    assert csrlib.PublicKey.from_der(key.to_der()) .point() == key.point()


@given(st.data())
def test_load_raises_only_decode_error_on_mutations(all_csrs: dict[str, bytes],
                                                    data: st.DataObject) -> None:
    der = bytearray(data.draw(st.sampled_from(sorted(all_csrs.values()))))
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(der) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert"]))
        if action == "flip":
            der[pos] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "delete":
            del der[pos]
        else:
            der.insert(pos, data.draw(st.integers(0, 255)))
    for strict in (True, False):
        try:
            req = csrlib.load_der(bytes(der), strict=strict)
        except DecodeError as err:
            assert err.kind != "internal-error", err.__cause__
        else:
            # Whatever loads, loads completely: every field is already there.
            assert req.der == bytes(der)
            repr(req)
            req.subject.rfc4514()
            if strict:
                assert req.to_der() == bytes(der)


def test_load_rejects_prefixes_and_trailing_bytes(example_der: bytes) -> None:
    for end in range(len(example_der)):
        with pytest.raises(DecodeError):
            csrlib.load_der(example_der[:end])
    with pytest.raises(DecodeError) as info:
        csrlib.load_der(example_der + b"\x00")
    assert info.value.kind == "trailing-data"


@pytest.mark.parametrize("unused", [1, 7])
def test_signature_with_unused_bits(example_der: bytes, unused: int) -> None:
    # A signature of whole octets with an unused-bit count: no algorithm signs
    # that, so strict loading refuses it with its own kind, at the count octet.
    req = csrlib.load_der(example_der)
    sig = req.signature[:-1] + bytes((req.signature[-1] & (0xFF << unused) & 0xFF,))
    body = req.tbs_der + req.signature_algorithm.to_der() + tlv(0x03, bytes((unused,)) + sig)
    bad = tlv(0x30, body)
    count_octet = len(bad) - len(sig) - 1
    with pytest.raises(csrlib.DecodeError) as info:
        csrlib.load_der(bad)
    assert (info.value.kind, info.value.offset, info.value.path) == (
        "signature-unused-bits", count_octet, "signature")
    lenient = csrlib.load_der(bad, strict=False)
    assert [(d.offset, d.kind, d.path) for d in lenient.deviations] == [
        (count_octet, "signature-unused-bits", "signature")]
    assert lenient.signature_unused_bits == unused
    assert lenient.to_der() == bad
    with pytest.raises(csrlib.InvalidSignature):
        lenient.verify()
