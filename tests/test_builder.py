"""The request builder: every key kind through OpenSSL and cryptography, misuse, properties."""

from __future__ import annotations

import asyncio
import ipaddress
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from hypothesis import given, settings
from hypothesis import strategies as st

import csrlib
from csrlib import (
    BasicConstraints,
    BuildError,
    CertificateRequestBuilder,
    DNSName,
    ExtendedKeyUsage,
    KeyUsage,
    Name,
    NameAttribute,
    SubjectAlternativeName,
    UnrecognizedExtension,
    signers,
)
from csrlib.signers import EcdsaSigner, EcPrivateNumbers, RsaPrivateNumbers, RsaSigner
from tests.conftest import OPENSSL
from tests.signers.test_signers import RSA_NUMBERS

P256 = signers.generate("ec:P-256")


def _signers() -> dict[str, Any]:
    return {
        "rsa-sha256": RsaSigner.from_numbers(RSA_NUMBERS),
        "rsa-sha384": RsaSigner.from_numbers(RSA_NUMBERS, hash="sha384"),
        "rsa-sha512": RsaSigner.from_numbers(RSA_NUMBERS, hash="sha512"),
        "rsa-pss-sha256": RsaSigner.from_numbers(RSA_NUMBERS, pss=True),
        "rsa-pss-sha384-salt0": RsaSigner.from_numbers(RSA_NUMBERS, hash="sha384", pss=True,
                                                       salt_length=0),
        "p256": P256,
        "p384": signers.generate("ec:P-384"),
        "p521": signers.generate("ec:P-521"),
        "secp256k1": signers.generate("ec:secp256k1"),
        "p256-sha384": EcdsaSigner.from_numbers(EcPrivateNumbers("secp256r1", 12345),
                                                hash="sha384"),
        "ed25519": signers.generate("ed25519"),
        "ed448": signers.generate("ed448"),
    }


SIGNERS = _signers()


def _full_builder() -> CertificateRequestBuilder:
    return (CertificateRequestBuilder()
            .subject("CN=www.example.com,O=Example\\, Inc.,C=US")
            .add_extension(SubjectAlternativeName.from_strings(
                ["DNS:www.example.com", "DNS:example.com", "IP:192.0.2.1", "IP:2001:db8::1",
                 "email:admin@example.com", "URI:https://example.com/"]))
            .add_extension(KeyUsage(digital_signature=True, key_encipherment=True))
            .add_extension(ExtendedKeyUsage(("serverAuth", "1.3.6.1.5.5.7.3.2")))
            .add_extension(BasicConstraints(ca=False))
            .add_attribute("challengePassword", "pass word"))


@pytest.mark.parametrize("name", list(SIGNERS))
def test_built_requests_verify_everywhere(name: str, tmp_path: Path) -> None:
    signer = SIGNERS[name]
    req = _full_builder().sign(signer)
    req.verify()
    assert req.signature_algorithm == signer.signature_algorithm
    theirs = x509.load_der_x509_csr(req.der)
    assert theirs.is_signature_valid
    assert theirs.subject.rfc4514_string() == "CN=www.example.com,O=Example\\, Inc.,C=US"
    san = theirs.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["www.example.com", "example.com"]
    assert san.get_values_for_type(x509.IPAddress) == [
        ipaddress.ip_address("192.0.2.1"), ipaddress.ip_address("2001:db8::1")]
    assert theirs.extensions.get_extension_for_class(x509.KeyUsage).critical
    if OPENSSL is None:
        return
    path = tmp_path / "req.pem"
    path.write_text(req.to_pem())
    run = subprocess.run([OPENSSL, "req", "-in", str(path), "-verify", "-noout", "-text"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "verify OK" in run.stdout + run.stderr
    for shown in ("CN = www.example.com", "DNS:www.example.com", "IP Address:192.0.2.1",
                  "email:admin@example.com", "URI:https://example.com/",
                  "Digital Signature, Key Encipherment", "TLS Web Server Authentication",
                  "CA:FALSE", "challengePassword"):
        assert shown in run.stdout, shown


def test_sign_embeds_the_signed_bytes_unchanged() -> None:
    seen: list[bytes] = []

    def recording(data: bytes) -> bytes:
        seen.append(data)
        return P256.sign(data)

    signer = signers.ExternalSigner(P256.public_key, P256.signature_algorithm, recording)
    builder = _full_builder()
    req = builder.sign(signer)
    assert seen == [req.tbs_der] == [builder.tbs_der(P256)]
    assert req.deviations == ()


def test_pkcs1v15_requests_match_openssl_byte_for_byte(tmp_path: Path) -> None:
    if OPENSSL is None:
        pytest.skip("the openssl command line is not installed")
    key = tmp_path / "key.pem"
    from cryptography.hazmat.primitives import serialization

    from tests.signers.test_signers import _RSA

    key.write_bytes(_RSA.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    req = _full_builder().sign(RsaSigner.from_numbers(RSA_NUMBERS))
    tbs = tmp_path / "tbs"
    tbs.write_bytes(req.tbs_der)
    theirs = subprocess.run([OPENSSL, "dgst", "-sha256", "-sign", str(key), str(tbs)],
                            capture_output=True, check=True).stdout
    assert theirs == req.signature


def test_builder_is_immutable_and_validates_each_call() -> None:
    base = CertificateRequestBuilder().subject("CN=a")
    with_san = base.add_extension(SubjectAlternativeName((DNSName("a.example"),)))
    assert base.extensions() == csrlib.Extensions()
    assert len(with_san.extensions()) == 1
    with pytest.raises(BuildError, match="already set"):
        base.subject("CN=b")
    with pytest.raises(BuildError, match="already added"):
        with_san.add_extension(SubjectAlternativeName((DNSName("b.example"),)))
    with pytest.raises(BuildError):
        CertificateRequestBuilder().subject(Name.from_attributes(
            [NameAttribute("2.5.4.3", "a@b", "PrintableString")]))
    with pytest.raises(BuildError):
        base.add_extension(SubjectAlternativeName.from_strings(["DNS"]))
    for bad in (["FTP:x"], ["IP:300.1.1.1"], ["email:nobody"], ["RID:x.y"], ["DNS:"],
                ["DNS:\udcff.example"]):
        with pytest.raises(BuildError):
            SubjectAlternativeName.from_strings(bad)
    with pytest.raises(BuildError):
        SubjectAlternativeName.from_strings("DNS:a.example")  # type: ignore[arg-type]
    with pytest.raises(BuildError, match="already added"):
        base.add_attribute("challengePassword", "x").add_attribute("1.2.840.113549.1.9.7", "y")
    with pytest.raises(BuildError):
        base.add_attribute("challengePassword", "p@ss", "PrintableString")
    with pytest.raises(BuildError):
        base.add_attribute("challengePassword", "x", "IA5String")
    with pytest.raises(BuildError):
        base.add_attribute("1.2.3.4", b"\x02\x02\x00\x01")  # not DER
    with pytest.raises(BuildError):
        base.add_attribute("extensionRequest", b"\x30\x00")
    with pytest.raises(BuildError):
        base.add_attribute("noSuchAttribute", "x")
    with pytest.raises(BuildError, match="critical"):
        base.add_extension(UnrecognizedExtension("1.2.3.4", b"\x05\x00")).sign(P256)
    with pytest.raises(BuildError):
        base.add_extension(KeyUsage()).sign(P256)


def test_criticality_defaults_and_empty_subjects() -> None:
    san = SubjectAlternativeName.from_strings(["DNS:only.example"])
    named = CertificateRequestBuilder().subject("CN=x").add_extension(san)
    assert not named.extensions()[0].critical
    empty = CertificateRequestBuilder().subject(Name()).add_extension(san)
    assert empty.extensions()[0].critical  # RFC 5280 4.2.1.6
    req = empty.add_extension(BasicConstraints(ca=True, path_length=0)).sign(P256)
    assert [e.critical for e in req.extensions] == [True, True]
    assert req.subject == Name()
    with pytest.raises(BuildError, match="subjectAltName"):
        CertificateRequestBuilder().sign(P256)
    forced = CertificateRequestBuilder().subject("CN=x").add_extension(san, critical=True)
    assert forced.extensions()[0].critical


def test_attributes_and_names_from_pairs() -> None:
    req = (CertificateRequestBuilder()
           .subject([("C", "DE"), ("O", "Bücher GmbH"), ("CN", "bücher.example"),
                     ("emailAddress", "a@b.example")])
           .add_extension(SubjectAlternativeName.from_strings(["DNS:bücher.example"]))
           .add_attribute("challengePassword", "pw", "PrintableString")
           .add_attribute("unstructuredName", "device 7")
           .add_attribute("1.2.3.4", b"\x02\x01\x05")
           .sign(signers.generate("ed25519")))
    assert [(a.short_name, a.string_type) for a in req.subject] == [
        ("C", "PrintableString"), ("O", "UTF8String"), ("CN", "UTF8String"),
        ("emailAddress", "IA5String")]
    san = req.extensions.value(SubjectAlternativeName)
    assert san is not None and list(san) == [DNSName("xn--bcher-kva.example")]
    assert req.challenge_password == "pw"
    assert {a.name: a.values for a in req.attributes}["1.2.3.4"] == (b"\x02\x01\x05",)
    theirs = x509.load_der_x509_csr(req.der)
    assert theirs.is_signature_valid
    assert theirs.attributes.get_attribute_for_oid(
        x509.oid.AttributeOID.CHALLENGE_PASSWORD).value == b"pw"


def test_create_and_sign_async() -> None:
    req = csrlib.create("CN=quick.example", san=["DNS:quick.example"], signer=P256,
                        extensions=[KeyUsage(digital_signature=True)])
    req.verify()
    assert [e.name for e in req.extensions] == ["subjectAltName", "keyUsage"]

    async def remote(data: bytes) -> bytes:
        return P256.sign(data)

    signer = signers.AsyncExternalSigner(P256.public_key, P256.signature_algorithm, remote)
    built = asyncio.run(CertificateRequestBuilder().subject("CN=async").sign_async(signer))
    built.verify()
    assert built.subject.rfc4514() == "CN=async"


_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF,
                              exclude_categories=("Cs",)), min_size=1, max_size=20)
_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)


@settings(max_examples=40, deadline=None)
@given(
    subject=st.lists(st.tuples(st.sampled_from(["CN", "O", "OU", "L", "ST"]), _TEXT),
                     max_size=5),
    dns=st.lists(st.lists(_LABEL, min_size=2, max_size=4).map(".".join), min_size=1,
                 max_size=5, unique=True),
    ips=st.lists(st.ip_addresses(), max_size=3, unique=True),
    usage=st.sets(st.sampled_from(["digital_signature", "key_encipherment",
                                   "key_agreement"]), min_size=1),
    eku=st.booleans(),
)
def test_built_fields_read_back(subject: list[tuple[str, str]], dns: list[str],
                                ips: list[Any], usage: set[str], eku: bool) -> None:
    names = [f"DNS:{d}" for d in dns] + [f"IP:{ip}" for ip in ips]
    builder = (CertificateRequestBuilder().subject(subject)
               .add_extension(SubjectAlternativeName.from_strings(names))
               .add_extension(KeyUsage(**dict.fromkeys(usage, True))))
    if eku:
        builder = builder.add_extension(ExtendedKeyUsage(("1.3.6.1.5.5.7.3.1",)))
    req = builder.sign(P256)
    req.verify()
    again = csrlib.load(req.to_pem())
    assert [(a.short_name, a.value) for a in again.subject] == subject
    san = again.extensions.value(SubjectAlternativeName)
    assert san is not None
    assert [n.value for n in san] == [*dns, *ips]
    ku = again.extensions.value(KeyUsage)
    assert ku is not None and set(ku.usages) == usage
    assert (again.extensions.value(ExtendedKeyUsage) is not None) == eku


def test_extended_key_usage_by_name_or_oid() -> None:
    eku = ExtendedKeyUsage(("serverAuth", "CLIENTAUTH", "1.2.3.4"))
    assert eku.usages == ("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.2.3.4")
    assert eku.names == ("serverAuth", "clientAuth", "1.2.3.4")
    with pytest.raises(BuildError):
        ExtendedKeyUsage(("nonsense",))
    with pytest.raises(BuildError):
        ExtendedKeyUsage("serverAuth")  # type: ignore[arg-type]


def test_rsa_numbers_type_is_exported() -> None:
    assert RsaPrivateNumbers is csrlib.signers.RsaPrivateNumbers
