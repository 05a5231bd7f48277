"""Every strict rejection that lenient mode accepts, in both modes, on whole requests.

Lenient mode lists each deviation as (offset, kind, path) and keeps ``der``
and ``tbs_der`` as the exact input bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyasn1.codec.der import encoder as pyasn1_encoder

import csrlib
from csrlib import DecodeError, InvalidSignature, signers
from csrlib.asn1 import Limits
from csrlib.der.canonical import canonical_der
from csrlib.errors import ENCODING_DEVIATIONS
from csrlib.fuzz import mutations, strategies
from csrlib.model.extensions import UnrecognizedExtension
from tests.helpers import csr_der, extension, extension_request, name_der, oid, tlv

_SAN = tlv(0x30, tlv(0x82, b"a.example"))
_EXT_VALUE = "certificationRequestInfo.attributes[0].values[0][0].extnValue"


def _one_extension(oid_text: str, value: bytes) -> bytes:
    return csr_der(attributes=extension_request(extension(oid_text, value)))


def _policies(*policies: bytes) -> bytes:
    return _one_extension("2.5.29.32", tlv(0x30, b"".join(policies)))


@dataclass
class Case:
    id: str
    der: bytes
    kind: str
    path: str


def _locate(der: bytes, needle: bytes, delta: int = 0) -> int:
    return der.index(needle) + delta


CASES = [
    Case("attributes-missing", csr_der(attributes=None), "attributes-missing",
         "certificationRequestInfo"),
    Case("multivalued-rdn-unsorted",
         csr_der(subject=name_der([("2.5.4.11", tlv(0x0C, b"b")), ("2.5.4.3", tlv(0x0C, b"a"))])),
         "setof-unsorted", "certificationRequestInfo.subject[0][1]"),
    Case("critical-false-encoded",
         csr_der(attributes=extension_request(extension("2.5.29.17", _SAN, b"\x01\x01\x00"))),
         "default-encoded",
         "certificationRequestInfo.attributes[0].values[0][0].critical"),
    Case("ca-false-encoded",
         csr_der(attributes=extension_request(
             extension("2.5.29.19", tlv(0x30, b"\x01\x01\x00")))), "default-encoded",
         "certificationRequestInfo.attributes[0].values[0][0].extnValue.cA"),
    Case("printable-at",
         csr_der(subject=name_der([("2.5.4.3", tlv(0x13, b"a@b.example"))])),
         "printable-alphabet", "certificationRequestInfo.subject[0][0].value"),
    Case("teletex-latin1",
         csr_der(subject=name_der([("2.5.4.7", tlv(0x14, "Zürich".encode("latin-1")))])),
         "teletex-non-ascii", "certificationRequestInfo.subject[0][0].value"),
    Case("teletex-utf8",
         csr_der(subject=name_der([("2.5.4.7", tlv(0x14, "Zürich".encode()))])),
         "teletex-non-ascii", "certificationRequestInfo.subject[0][0].value"),
    Case("nonminimal-length",
         csr_der(subject=tlv(0x30, tlv(0x31, b"\x30\x81\x08" + oid("2.5.4.3") + tlv(0x0C, b"x")))),
         "nonminimal-length", "certificationRequestInfo.subject[0][0]"),
    Case("nonminimal-integer", csr_der(version=b"\x02\x02\x00\x00"), "nonminimal-integer",
         "certificationRequestInfo.version"),
    Case("bool-0x01",
         csr_der(attributes=extension_request(extension("2.5.29.17", _SAN, b"\x01\x01\x01"))),
         "bool-nonstandard", "certificationRequestInfo.attributes[0].values[0][0].critical"),
    Case("version-1", csr_der(version=b"\x02\x01\x01"), "bad-version",
         "certificationRequestInfo.version"),
    Case("version-2", csr_der(version=b"\x02\x01\x02"), "bad-version",
         "certificationRequestInfo.version"),
    Case("keyusage-trailing-zero",
         csr_der(attributes=extension_request(
             extension("2.5.29.15", b"\x03\x03\x00\x80\x00", b"\x01\x01\xff"))),
         "bitstring-trailing-zero",
         "certificationRequestInfo.attributes[0].values[0][0].extnValue"),
    # Older OpenSSL wrote an empty SEQUENCE for an empty req_extensions section.
    Case("empty-extension-request",
         csr_der(attributes=tlv(0xA0, tlv(0x30, oid("1.2.840.113549.1.9.14")
                                          + tlv(0x31, b"\x30\x00")))),
         "constraint", "certificationRequestInfo.attributes[0].values[0]"),
    Case("challenge-password-printable-at",
         csr_der(attributes=tlv(0xA0, tlv(0x30, oid("1.2.840.113549.1.9.7")
                                          + tlv(0x31, tlv(0x13, b"p@ss"))))),
         "printable-alphabet", "certificationRequestInfo.attributes[0].values[0]"),
    Case("pathlen-without-ca", _one_extension("2.5.29.19", tlv(0x30, b"\x02\x01\x01")),
         "bad-extension", f"{_EXT_VALUE}.pathLenConstraint"),
    Case("aki-issuer-without-serial",
         _one_extension("2.5.29.35", tlv(0x30, tlv(0xA1, tlv(0x82, b"ca.example")))),
         "bad-extension", _EXT_VALUE),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_strict_rejects(case: Case) -> None:
    with pytest.raises(DecodeError) as info:
        csrlib.load_der(case.der)
    assert (info.value.kind, info.value.path) == (case.kind, case.path)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_lenient_accepts_and_lists(case: Case) -> None:
    req = csrlib.load_der(case.der, strict=False)
    assert [(d.kind, d.path) for d in req.deviations] == [(case.kind, case.path)]
    offset = req.deviations[0].offset
    with pytest.raises(DecodeError) as info:
        csrlib.load_der(case.der)
    assert info.value.offset == offset
    # The exact input is kept, never canonicalised.
    assert req.der == case.der
    assert req.tbs_der == case.der[case.der.index(b"\x30", 1):][: len(req.tbs_der)]
    assert req.der.find(req.tbs_der) > 0


def test_lenient_reencoding_is_canonical() -> None:
    der = csr_der(version=b"\x02\x02\x00\x00",
                  attributes=extension_request(extension("2.5.29.17", _SAN, b"\x01\x01\x00")))
    req = csrlib.load_der(der, strict=False)
    canonical = req.to_der()
    assert canonical != der
    again = csrlib.load_der(canonical)
    assert again.deviations == ()
    assert again.extensions == req.extensions


def test_strict_only_rules_stay_errors_in_lenient_mode() -> None:
    for der, kind in (
        (csr_der(version=b"\x02\x01\x03"), "bad-version"),
        (csr_der(attributes=extension_request(extension("2.5.29.17", _SAN),
                                              extension("2.5.29.17", _SAN))),
         "duplicate-extension"),
        (csr_der(subject=name_der([("2.5.4.3", tlv(0x13, b"a\x00"))])), "bad-string"),
        (csr_der() + b"\x00", "trailing-data"),
        # RFC 2986: values SET SIZE (1..MAX).
        (csr_der(attributes=tlv(0xA0, tlv(0x30, oid("1.2.840.113549.1.9.2") + b"\x31\x00"))),
         "constraint"),
        # X.501: the attribute-value pairs of an RDN are distinct.
        (csr_der(subject=name_der([("2.5.4.3", tlv(0x0C, b"a")), ("2.5.4.3", tlv(0x0C, b"a"))])),
         "duplicate-attribute"),
        # RFC 5280 4.2.1.4: policyQualifiers SIZE (1..MAX); a CPS pointer is an IA5String.
        (_policies(tlv(0x30, oid("1.2.3") + b"\x30\x00")), "constraint"),
        (_policies(tlv(0x30, oid("1.2.3") + tlv(0x30, tlv(0x30, oid("1.3.6.1.5.5.7.2.1")
                                                               + b"\x02\x01\x05")))),
         "unexpected-tag"),
        (_policies(tlv(0x30, oid("1.2.3") + tlv(0x30, tlv(0x30, oid("1.3.6.1.5.5.7.2.2")
                                                               + tlv(0x30, b"\x02\x01\x01"))))),
         "unexpected-tag"),
        (_one_extension("2.5.29.18", b"\xff"), "length-overrun"),
    ):
        with pytest.raises(DecodeError) as info:
            csrlib.load_der(der, strict=False)
        assert info.value.kind == kind


# The values of extensions csrlib does not type, as other projects' real
# requests hold them: any octets, not necessarily one DER element.
OPAQUE_VALUES = {
    "empty": b"",  # Let's Encrypt's boulder: a CT poison extension with no value
    "not-der": b"\xff\x00",
    "arbitrary-octets": bytes(range(7)),
    "two-elements": b"\x05\x00\x05\x00",
    "nonminimal-integer": b"\x02\x02\x00\x01",
    "truncated-element": b"\x30\x05\x01",
    "indefinite-length": b"\x30\x80\x05\x00\x00\x00",
}


# DER, but against a rule of RFC 5280 for certificates or RFC 2986's silence:
# cryptography, OpenSSL and Go read these (mbed TLS, .NET and Go test data
# hold them), so csrlib does, in both modes, without a deviation.
READ_AS_IS = {
    "keyusage-no-bit": (_one_extension("2.5.29.15", b"\x03\x01\x00"), "keyUsage"),
    "keyusage-past-decipher-only": (_one_extension("2.5.29.15", b"\x03\x03\x06\x80\x40"),
                                    "keyUsage"),
    "policy-twice": (_policies(tlv(0x30, oid("1.2.3")), tlv(0x30, oid("1.2.3"))),
                     "certificatePolicies"),
    "attribute-type-twice": (csr_der(attributes=tlv(0xA0, b"".join(sorted((
        tlv(0x30, oid("1.2.840.113549.1.9.7") + tlv(0x31, tlv(0x0C, b"one"))),
        tlv(0x30, oid("1.2.840.113549.1.9.7") + tlv(0x31, tlv(0x0C, b"two")))))))), None),
}


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
@pytest.mark.parametrize("case", READ_AS_IS.values(), ids=READ_AS_IS.keys())
def test_read_as_is(case: tuple[bytes, str | None], strict: bool) -> None:
    der, extension_name = case
    req = csrlib.load_der(der, strict=strict)
    assert req.deviations == ()
    assert req.to_der() == der
    if extension_name is not None:
        assert [e.name for e in req.extensions] == [extension_name]
    else:
        assert [(a.name, a.values[0].value) for a in req.attributes] == [  # type: ignore[union-attr]
            ("challengePassword", "one"), ("challengePassword", "two")]
        assert req.challenge_password == "one"


def test_keyusage_as_read() -> None:
    req = csrlib.load_der(READ_AS_IS["keyusage-past-decipher-only"][0])
    # Bits 0 and 9: digitalSignature, and one past decipherOnly, which is dropped.
    assert req.extensions.value(csrlib.KeyUsage) == csrlib.KeyUsage(digital_signature=True)
    assert req.extensions[0].value_der == b"\x03\x03\x06\x80\x40"
    none = csrlib.load_der(READ_AS_IS["keyusage-no-bit"][0])
    assert none.extensions.value(csrlib.KeyUsage) == csrlib.KeyUsage()


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
@pytest.mark.parametrize("value", OPAQUE_VALUES.values(), ids=OPAQUE_VALUES.keys())
def test_unrecognized_extension_value_is_opaque(value: bytes, strict: bool) -> None:
    # cryptography, Go, OpenSSL and RustCrypto read extnValue as octets until
    # they know the extension: so does csrlib, in both modes, with no deviation.
    der = _one_extension("1.3.6.1.4.1.11129.2.4.3", value)
    req = csrlib.load_der(der, strict=strict)
    assert req.deviations == ()
    (ext,) = req.extensions
    assert ext.value == csrlib.UnrecognizedExtension("1.3.6.1.4.1.11129.2.4.3", value)
    assert ext.value_der == value
    assert req.to_der() == der


def test_typed_extension_value_must_still_be_der() -> None:
    # What csrlib types it checks: a subjectAltName whose value is not DER.
    der = _one_extension("2.5.29.17", b"\x30\x05\x01")
    for strict in (True, False):
        with pytest.raises(DecodeError) as info:
            csrlib.load_der(der, strict=strict)
        assert info.value.path.startswith(_EXT_VALUE)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_lenient_requests_write_back_and_convert(case: Case) -> None:
    req = csrlib.load_der(case.der, strict=False)
    value = req.to_pyasn1()
    if req.attributes_present:
        assert req.to_der() == case.der or csrlib.load_der(req.to_der()).deviations == ()
        assert pyasn1_encoder.encode(value) in (case.der, req.to_der())
    else:
        assert len(value["certificationRequestInfo"]["attributes"]) == 0


def test_many_deviations_are_named_in_one_pass() -> None:
    # One deviation in each of 3000 attribute values: each named by its own
    # path.  (More than Limits.max_deviations, 1024 by default: allowed here.)
    attributes = sorted(tlv(0x30, oid(f"1.2.3.{i}") + tlv(0x31, b"\x02\x02\x00\x01"))
                        for i in range(3000))
    der = csr_der(attributes=tlv(0xA0, b"".join(attributes)))
    with pytest.raises(DecodeError) as info:
        csrlib.load_der(der, strict=False)
    assert info.value.kind == "nonminimal-integer"
    assert "more than 1024 deviations" in str(info.value)
    req = csrlib.load_der(der, strict=False, limits=Limits(max_deviations=3000))
    assert len(req.deviations) == 3000
    assert {d.path for d in req.deviations} == {
        f"certificationRequestInfo.attributes[{i}].values[0]" for i in range(3000)}


def test_lenient_verify_checks_the_received_bytes_not_the_reencoding() -> None:
    # A request whose signer signed a non-minimal version INTEGER: verify()
    # checks the bytes received and passes; to_der() re-encodes the TBS
    # canonically, over which that signature no longer holds.
    signer = signers.generate("ed25519")
    spki = signer.public_key.to_der()
    algorithm = signer.signature_algorithm.to_der()
    tbs = tlv(0x30, b"\x02\x02\x00\x00" + name_der([("2.5.4.3", tlv(0x0C, b"a"))]) + spki
              + b"\xa0\x00")
    der = tlv(0x30, tbs + algorithm + tlv(0x03, b"\x00" + signer.sign(tbs)))
    req = csrlib.load_der(der, strict=False)
    assert req.tbs_der == tbs
    req.verify()
    canonical = csrlib.load_der(req.to_der())
    assert canonical.version == 0 and canonical.deviations == ()
    with pytest.raises(InvalidSignature):
        canonical.verify()


def test_an_unsorted_set_of_is_one_deviation() -> None:
    # X.690 11.6: the first element out of order is recorded, once per SET OF
    # (one entry per element would grow with the input); the SET OF is read
    # whole, in the order received.
    values = [b"\x05\x00", b"\x04\x00"] * 200
    attribute = tlv(0x30, oid("1.3.6.1.4.1.32473.1") + tlv(0x31, b"".join(values)))
    der = csr_der(attributes=tlv(0xA0, attribute))
    first = der.index(b"\x04\x00")
    req = csrlib.load_der(der, strict=False)
    assert req.deviations == ((first, "setof-unsorted",
                               "certificationRequestInfo.attributes[0].values[1]"),)
    (values_read,) = [a.values for a in req.attributes]
    assert list(values_read) == values
    with pytest.raises(DecodeError) as info:
        csrlib.load_der(der)
    assert (info.value.kind, info.value.offset) == ("setof-unsorted", first)
    # The same in a subject RDN and in a value read without a schema.
    rdn = [("2.5.4.11", tlv(0x0C, b"b")), ("2.5.4.3", tlv(0x0C, b"a")),
           ("2.5.4.11", tlv(0x0C, b"c")), ("2.5.4.3", tlv(0x0C, b"d"))]
    req = csrlib.load_der(csr_der(subject=name_der(rdn)), strict=False)
    assert [(d.kind, d.path) for d in req.deviations] == [
        ("setof-unsorted", "certificationRequestInfo.subject[0][1]")]
    inner = tlv(0x31, b"".join(values))
    der = csr_der(attributes=tlv(0xA0, tlv(0x30, oid("1.3.6.1.4.1.32473.1") + tlv(0x31, inner))))
    assert [d.kind for d in csrlib.load_der(der, strict=False).deviations] == ["setof-unsorted"]


def _model(req: csrlib.CertificateRequest) -> tuple[object, ...]:
    """Return what a request says, leaving out how it was encoded."""
    key = req.public_key
    key_values = (key.key_type, key.key_size, key.curve,
                  getattr(key, "n", None), getattr(key, "e", None), getattr(key, "pss", None))
    alg = req.signature_algorithm
    return (req.version, req.subject, key_values, alg.oid, alg.hash, alg.pss,
            # Values kept as DER inside typed ones (an otherName's) compare as
            # their canonical DER; unknown extension values as their octets.
            tuple((e.oid, e.critical, e.value_der if isinstance(e.value, UnrecognizedExtension)
                   else canonical_der(e.value.to_der())) for e in req.extensions),
            # A SET: in the order of their encodings, as DER writes it.
            sorted(canonical_der(a.to_der()) for a in req.attributes
                   if a.oid not in ("1.2.840.113549.1.9.14", "1.3.6.1.4.1.311.2.1.14")),
            req.signature, req.attributes_present)


def _check_canonical(req: csrlib.CertificateRequest) -> None:
    out = req.to_der()
    again = csrlib.load_der(out, strict=False)
    # Only deviations of value remain, no deviation of encoding; the same request.
    assert not {d.kind for d in again.deviations} & ENCODING_DEVIATIONS, again.deviations
    assert {d.kind for d in again.deviations} <= {d.kind for d in req.deviations}
    assert _model(again) == _model(req)
    assert again.to_der() == out
    if not again.deviations:
        assert csrlib.load_der(out).der == out


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_lenient_to_der_is_der_of_the_same_values(case: Case) -> None:
    _check_canonical(csrlib.load_der(case.der, strict=False))


_LENIENT_KINDS = tuple(k for k, v in mutations.EXPECT.items() if v == "lenient")


@settings(deadline=None)
@given(strategies.malformed_csr_ders(kinds=_LENIENT_KINDS), st.integers(0, 2**32))
def test_lenient_to_der_is_canonical_for_any_tolerated_defect(
        case: tuple[bytes, mutations.Defect], seed: int) -> None:
    # A second tolerated defect on top of the first, where the tree still reads.
    der, _ = case
    req = csrlib.load_der(der, strict=False)
    _check_canonical(req)
    more = csrlib.load_der(req.to_der(), strict=False)
    extra = mutations.mutate(more.to_der(), _LENIENT_KINDS[seed % len(_LENIENT_KINDS)],
                             random.Random(seed)) if not more.deviations else None
    if extra is not None:
        _check_canonical(csrlib.load_der(extra[0], strict=False))
