"""Every rule: a request that breaks it and one that does not, under the profile named.

Each row: rule id, profile, the failing request, the passing one, and the
source the rule comes from (csrlib.lint.RULES holds the citation printed).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

import csrlib
from csrlib.lint import RULES, lint
from tests.helpers import csr_der, extension, extension_request, name_der, oid, tlv
from tests.lint.lintkit import (
    cryptography_modulus,
    next_prime,
    random_prime,
    request,
    roca_prime,
    rsa_request,
    rules,
    signed_der,
    signer,
    spki_of,
)

Make = Callable[[], csrlib.CertificateRequest]
_P1024 = random_prime(1024, random.Random(1))
_GOOD_N = cryptography_modulus(2048)
_SUBJECT = name_der([("2.5.4.3", tlv(0x0C, b"shop.example.com"))])
_SAN = extension("2.5.29.17", tlv(0x30, tlv(0x82, b"shop.example.com")))
_TLS_FEATURE = "1.3.6.1.5.5.7.1.24"


def _ext_request(*extensions: bytes, subject: bytes = _SUBJECT,
                 san: bytes = _SAN) -> csrlib.CertificateRequest:
    return csrlib.load(signed_der(b"\x02\x01\x00" + subject + spki_of()
                                  + extension_request(san, *extensions)))


def _dns(name: str) -> csrlib.CertificateRequest:
    san = extension("2.5.29.17", tlv(0x30, tlv(0x82, name.encode())))
    return _ext_request(subject=name_der(), san=san)


def _version_1() -> csrlib.CertificateRequest:
    der = signed_der(b"\x02\x01\x01" + _SUBJECT + spki_of() + extension_request(_SAN))
    return csrlib.load(der, strict=False)


def _off_curve() -> csrlib.CertificateRequest:
    spki = spki_of("ec:P-256")
    return csrlib.load(csr_der(spki=spki[:-1] + bytes([spki[-1] ^ 1])), strict=False)


# An ML-KEM-512 key of all-zero coefficients passes FIPS 203's modulus check;
# 0xfff is above q.  No backend needed.
_KEM_OID = "2.16.840.1.101.3.4.4.1"


def _kem(key: bytes = bytes(800), params: bytes = b"",
         usage: bytes | None = None) -> csrlib.CertificateRequest:
    spki = tlv(0x30, tlv(0x30, oid(_KEM_OID) + params) + tlv(0x03, b"\x00" + key))
    attributes = b"" if usage is None else extension_request(
        extension("2.5.29.15", tlv(0x03, usage)))
    return csrlib.load(csr_der(spki=spki, attributes=attributes), strict=False)


def _flipped() -> csrlib.CertificateRequest:
    der = request().der
    return csrlib.load(der[:-1] + bytes([der[-1] ^ 1]))


def _rsa_signature_without_null() -> csrlib.CertificateRequest:
    tbs = tlv(0x30, b"\x02\x01\x00" + _SUBJECT + spki_of("rsa:2048") + extension_request(_SAN))
    alg = tlv(0x30, oid("1.2.840.113549.1.1.11"))  # DER allows it; BR 7.1.3.2.1 does not
    return csrlib.load(tlv(0x30, tbs + alg + tlv(0x03, b"\x00" + signer("rsa:2048").sign(tbs))))


def _sha1_rsa() -> csrlib.CertificateRequest:
    return csrlib.load(csr_der(spki=csrlib.RsaPublicKey.from_numbers(_GOOD_N, 65537).der,
                               signature_algorithm=bytes.fromhex("300d06092a864886f70d0101050500"),
                               signature=tlv(0x03, b"\x00" + b"\x01" * 256)))


def _names(count: int) -> tuple[str, ...]:
    return tuple(f"DNS:n{i}.example.com" for i in range(count))


# rule, profile, failing, passing, source
CASES: list[tuple[str, str, Make, Make, str]] = [
    ("key.type", "cabf", lambda: request(spec="ed25519"), request, "BR 6.1.5"),
    ("key.rsa.size", "cabf", lambda: rsa_request(cryptography_modulus(2040)),
     lambda: rsa_request(_GOOD_N), "BR 6.1.5"),
    ("key.rsa.size", "letsencrypt", lambda: rsa_request(cryptography_modulus(2056)),
     lambda: rsa_request(_GOOD_N), "boulder goodkey: 2048, 3072, 4096"),
    ("key.rsa.exponent", "cabf", lambda: rsa_request(_GOOD_N, 65536),
     lambda: rsa_request(_GOOD_N, 65537), "BR 6.1.6: odd and >= 3"),
    ("key.rsa.exponent", "cabf", lambda: rsa_request(_GOOD_N, 2 ** 256 + 1),
     lambda: rsa_request(_GOOD_N, 2 ** 256 - 1), "BR 6.1.6: SHOULD 2^16+1..2^256-1"),
    ("key.rsa.exponent", "letsencrypt", lambda: rsa_request(_GOOD_N, 3),
     lambda: rsa_request(_GOOD_N, 65537), "boulder goodkey: e == 65537"),
    ("key.rsa.small-factor", "cabf",
     lambda: rsa_request(751 * random_prime(1024, random.Random(5))
                         * random_prime(1014, random.Random(8))),
     lambda: rsa_request(_GOOD_N), "BR 6.1.6; boulder goodkey primes < 752"),
    ("key.rsa.fermat", "cabf", lambda: rsa_request(_P1024 * next_prime(_P1024 + 2 ** 200)),
     lambda: rsa_request(_GOOD_N), "BR 6.1.1.3: 100 rounds"),
    ("key.rsa.fermat", "cabf", lambda: rsa_request(_P1024 * _P1024),
     lambda: rsa_request(_GOOD_N), "BR 6.1.1.3: n = p^2, which boulder's loop misses"),
    ("key.rsa.roca", "cabf",
     lambda: rsa_request(roca_prime(1024, random.Random(6)) * roca_prime(1024, random.Random(7))),
     lambda: rsa_request(_GOOD_N), "BR 6.1.1.3; CVE-2017-15361"),
    ("key.ec.curve", "cabf", lambda: request(spec="ec:secp256k1"), request, "BR 6.1.5"),
    ("key.ec.curve", "letsencrypt", lambda: request(spec="ec:P-521"),
     lambda: request(spec="ec:P-384"), "boulder goodkey: P-256, P-384"),
    ("key.ec.point", "rfc", _off_curve, request, "NIST SP 800-56A 5.6.2.3.3"),
    ("key.ml-kem", "rfc", lambda: _kem(b"\xff\x0f" + bytes(798)), _kem, "FIPS 203 7.2"),
    ("key.ml-kem", "rfc", lambda: _kem(params=b"\x05\x00"), _kem, "RFC 9935 3"),
    ("sig.invalid", "rfc", _flipped, request, "RFC 2986 3"),
    ("sig.algorithm", "cabf", _sha1_rsa, lambda: request(spec="rsa:2048"), "BR 7.1.3.2"),
    ("sig.algorithm", "letsencrypt", lambda: request(spec="ed25519"), request, "boulder csr"),
    ("sig.encoding", "cabf", _rsa_signature_without_null, lambda: request(spec="rsa:2048"),
     "BR 7.1.3.2.1"),
    ("names.none", "cabf", lambda: request(subject="O=Example", san=()), request,
     "BR 7.1.2.7.12"),
    ("names.too-many", "letsencrypt", lambda: request("CN=n0.example.com", _names(101)),
     lambda: request("CN=n0.example.com", _names(100)), "boulder maxNames 100"),
    ("names.duplicate", "cabf",
     lambda: request(san=("DNS:shop.example.com", "DNS:Shop.example.com")), request,
     "RFC 5280 4.2.1.6"),
    ("san.dns.syntax", "rfc", lambda: _dns("shop_1.example.com"),
     lambda: _dns("shop-1.example.com"), "RFC 1034 3.5"),
    ("san.dns.syntax", "rfc", lambda: _dns("-shop.example.com"),
     lambda: _dns("shop.example.com"), "RFC 1034 3.5"),
    ("san.dns.idna", "rfc", lambda: _dns("xn--a.example.com"),
     lambda: _dns("xn--bcher-kva.example.com"), "RFC 5891 5.4"),
    ("san.dns.wildcard", "cabf", lambda: _dns("f*o.example.com"),
     lambda: _dns("*.example.com"), "RFC 9525 6.3"),
    ("san.dns.wildcard", "cabf", lambda: _dns("*.com"),
     lambda: _dns("*.example.com"), "RFC 9525 6.3: over two or more labels"),
    ("san.dns.internal", "cabf", lambda: request("CN=printer.local", ("DNS:printer.local",)),
     request, "BR 7.1.2.7.12; RFC 6761"),
    ("san.dns.internal", "cabf", lambda: request("CN=intranet", ("DNS:intranet",)),
     request, "BR 1.6.1 Internal Name: one label"),
    ("san.ip.reserved", "cabf",
     lambda: request(san=("DNS:shop.example.com", "IP:192.168.1.1")),
     lambda: request(san=("DNS:shop.example.com", "IP:8.8.8.8")), "BR 1.6.1 Reserved IP"),
    ("san.ip.reserved", "cabf",
     lambda: request(san=("DNS:shop.example.com", "IP:192.0.0.9")),
     lambda: request(san=("DNS:shop.example.com", "IP:2606:4700::1111")),
     "IANA registry entry that Python calls global"),
    ("san.email", "cabf", lambda: request(san=("DNS:shop.example.com", "email:a@example.com")),
     request, "BR 7.1.2.7.12"),
    ("san.uri", "cabf",
     lambda: request(san=("DNS:shop.example.com", "URI:https://example.com/")), request,
     "BR 7.1.2.7.12"),
    ("san.other", "cabf", lambda: request(san=("DNS:shop.example.com", "RID:1.2.3.4")),
     request, "BR 7.1.2.7.12"),
    ("san.critical", "rfc", lambda: _ext_request(subject=tlv(0x30, b"")), request,
     "RFC 5280 4.2.1.6"),
    ("cn.not-in-san", "cabf", lambda: request("CN=other.example.com"), request, "BR 7.1.4.3"),
    ("cn.too-long", "rfc", lambda: request("CN=" + "a" * 60 + ".example.com"), request,
     "RFC 5280 ub-common-name"),
    ("cn.ip", "letsencrypt", lambda: request("CN=8.8.8.8", ("IP:8.8.8.8",)),
     lambda: request(san=("DNS:shop.example.com", "IP:8.8.8.8")), "boulder csr"),
    ("ext.ca", "cabf", lambda: request(extensions=(csrlib.BasicConstraints(ca=True),)),
     lambda: request(extensions=(csrlib.BasicConstraints(ca=False),)), "BR 7.1.2.7.8"),
    ("ext.must-staple", "letsencrypt",
     lambda: _ext_request(extension(_TLS_FEATURE, bytes.fromhex("3003020105"))),
     lambda: _ext_request(extension(_TLS_FEATURE, bytes.fromhex("3003020111"))),
     "boulder issuance ContainsMustStaple; RFC 7633"),
    ("ext.unknown-critical", "rfc",
     lambda: _ext_request(extension("1.2.3.4.5", b"\x05\x00", b"\x01\x01\xff")),
     lambda: _ext_request(extension("1.2.3.4.5", b"\x05\x00")), "RFC 5280 4.2"),
    ("ext.not-der", "rfc", lambda: _ext_request(extension("1.2.3.4.5", b"\x04\x81\x01x")),
     lambda: _ext_request(extension("1.2.3.4.5", b"\x04\x01x")), "X.690 10.1"),
    ("ext.key-usage", "rfc",
     lambda: request(extensions=(csrlib.KeyUsage(digital_signature=True,
                                                 key_encipherment=True),)),
     lambda: request(extensions=(csrlib.KeyUsage(digital_signature=True),)), "RFC 5480 3"),
    # keyUsage bits: digitalSignature (07 80), keyEncipherment (05 20).
    ("ext.key-usage", "rfc", lambda: _kem(usage=b"\x07\x80"),
     lambda: _kem(usage=b"\x05\x20"), "RFC 9935 3"),
    ("version", "rfc", _version_1, request, "RFC 2986 4.1"),
    ("der.deviation", "cabf", _version_1, request, "lenient loading"),
]


@pytest.mark.parametrize(("rule", "profile", "failing", "passing", "source"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fails_and_passes(rule: str, profile: str, failing: Make, passing: Make,
                               source: str) -> None:
    bad = failing()
    found = [f for f in lint(bad, profile) if f.rule == rule]
    assert found, (rule, source, lint(bad, profile))
    # A finding cites its rule's source, or the one of them that applies.
    assert all(f.citation in RULES[rule].citation and f.message for f in found)
    good = passing()
    assert rule not in rules(good, profile), (rule, source, lint(good, profile))


def test_every_rule_has_a_case() -> None:
    # names.expected and key.blocklist take arguments: tests/lint/test_api.py.
    assert {c[0] for c in CASES} | {"names.expected", "key.blocklist"} == set(RULES)


@pytest.mark.parametrize("spec", ["ec:P-256", "ec:P-384", "rsa:2048", "rsa:3072", "rsa:4096"])
def test_good_requests_have_no_error_under_any_profile(spec: str) -> None:
    for profile in ("rfc", "cabf", "letsencrypt"):
        assert [f for f in lint(request(spec=spec), profile) if f.severity == "error"] == []


def test_kem_findings_name_their_source() -> None:
    # A bad ML-KEM key is a key finding (an error in every profile), beside
    # the deviation a lenient load lists; keyUsage cites RFC 9935, not RFC 5480.
    bad = lint(_kem(b"\xff\x0f" + bytes(798), usage=b"\x02\x84"), "rfc")
    found = {f.rule: f for f in bad}
    assert found["key.ml-kem"].severity == "error"
    assert found["key.ml-kem"].message == (
        "ml-kem-512 public key is not valid: it fails the FIPS 203 7.2 modulus check (a "
        "coefficient not below q = 3329)")
    assert found["ext.key-usage"].message == (
        "keyUsage digital_signature, key_cert_sign with a ml-kem-512 key")
    assert found["ext.key-usage"].citation == "RFC 9935 3"
    assert "der.deviation" in found
    found = {f.rule: f for f in lint(_kem(params=b"\x05\x00"), "rfc")}
    assert found["key.ml-kem"].message.endswith(
        "its algorithm parameters must be absent (RFC 9935 3)")
    ec = lint(request(extensions=(csrlib.KeyUsage(digital_signature=True,
                                                  key_encipherment=True),)), "rfc")
    assert [(f.rule, f.citation) for f in ec] == [("ext.key-usage", "RFC 5480 3")]
