"""Differential tests: csrlib.asn1 against pyasn1's DER codec and cryptography.

Every CSR the tests can make (OpenSSL's, cryptography's, the committed
sample) must decode to what pyasn1 decodes, object state included, and
encode back to the same bytes.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pyasn1.codec.der import decoder as pyasn1_decoder
from pyasn1.codec.der import encoder as pyasn1_encoder
from pyasn1_modules import rfc2986, rfc5280

from csrlib import asn1
from tests.helpers import assert_same_pyasn1

EXTENSION_REQUEST = "1.2.840.113549.1.9.14"
UTC = datetime.timezone.utc


def pyasn1_decode(der: bytes, schema: Any, **options: Any) -> Any:
    value, rest = pyasn1_decoder.decode(der, asn1Spec=schema, **options)
    assert rest == b""
    return value


def test_requests_decode_as_pyasn1_does(all_csrs: dict[str, bytes]) -> None:
    assert len(all_csrs) >= 5
    for name, der in all_csrs.items():
        theirs = pyasn1_decode(der, rfc2986.CertificationRequest())
        ours = asn1.decode(der, rfc2986.CertificationRequest())
        assert ours == theirs, name
        assert_same_pyasn1(ours, theirs, name)


def test_requests_encode_back_byte_for_byte(all_csrs: dict[str, bytes]) -> None:
    for name, der in all_csrs.items():
        ours = asn1.decode(der, rfc2986.CertificationRequest())
        theirs = pyasn1_decode(der, rfc2986.CertificationRequest())
        assert asn1.encode(ours) == der, name
        assert asn1.encode(theirs) == der, name
        assert pyasn1_encoder.encode(ours) == der, name


def test_open_types_decode_as_pyasn1_does(all_csrs: dict[str, bytes]) -> None:
    for name, der in all_csrs.items():
        theirs = pyasn1_decode(der, rfc2986.CertificationRequest(), decodeOpenTypes=True)
        ours = asn1.decode(der, rfc2986.CertificationRequest(), decode_open_types=True)
        assert ours == theirs, name
        assert_same_pyasn1(ours, theirs, name)
        assert asn1.encode(ours) == der, name
        assert pyasn1_encoder.encode(theirs) == der, name


def _extension_request(plain: Any) -> list[Any]:
    for oid, values in plain[0][3]:
        if oid == EXTENSION_REQUEST:
            return asn1.decode_plain(values[0], rfc5280.Extensions())  # type: ignore[no-any-return]
    return []


def test_plain_values_agree_with_cryptography(all_csrs: dict[str, bytes]) -> None:
    for name, der in all_csrs.items():
        csr = x509.load_der_x509_csr(der)
        (version, (choice, rdns), (spki_alg, key_bits), _attrs), sig_alg, signature = (
            asn1.decode_plain(der, rfc2986.CertificationRequest()))
        assert version == 0
        assert choice == "rdnSequence"
        assert [[oid for oid, _ in rdn] for rdn in rdns] == [
            [a.oid.dotted_string for a in rdn] for rdn in csr.subject.rdns], name
        assert sig_alg[0] == csr.signature_algorithm_oid.dotted_string, name
        assert signature == (csr.signature, 0), name
        spki = asn1.decode_plain(csr.public_key().public_bytes(
            Encoding.DER, PublicFormat.SubjectPublicKeyInfo), rfc5280.SubjectPublicKeyInfo())
        # cryptography exports an id-RSASSA-PSS key as rsaEncryption: compare the bits.
        assert key_bits == spki[1], name
        if spki_alg[0] != "1.2.840.113549.1.1.10":
            assert spki_alg == spki[0], name
        extensions = _extension_request(asn1.decode_plain(der, rfc2986.CertificationRequest()))
        assert [oid for oid, _, _ in extensions] == [
            e.oid.dotted_string for e in csr.extensions], name
        assert [critical for _, critical, _ in extensions] == [
            e.critical for e in csr.extensions], name


def test_subject_alternative_names_decode(all_csrs: dict[str, bytes]) -> None:
    seen = 0
    for der in all_csrs.values():
        extensions = _extension_request(asn1.decode_plain(der, rfc2986.CertificationRequest()))
        for oid, _, value in extensions:
            if oid != "2.5.29.17":
                continue
            seen += 1
            ours = asn1.decode(value, rfc5280.GeneralNames())
            assert_same_pyasn1(ours, pyasn1_decode(value, rfc5280.GeneralNames()))
            assert asn1.encode(ours) == value
            assert all(isinstance(name, tuple) for name in asn1.decode_plain(
                value, rfc5280.GeneralNames()))
    assert seen >= 3


def _certificates() -> list[bytes]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "cert.example")])
    out = []
    for start, end in ((2020, 2030), (2040, 2060), (1960, 1970)):
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                .public_key(key.public_key()).serial_number(2 ** 70 + start)
                .not_valid_before(datetime.datetime(start, 1, 2, 3, 4, 5, tzinfo=UTC))
                .not_valid_after(datetime.datetime(end, 6, 7, 8, 9, 10, tzinfo=UTC))
                .add_extension(x509.BasicConstraints(ca=True, path_length=3), critical=True)
                .add_extension(x509.KeyUsage(True, False, False, False, False, True, True,
                                             False, False), critical=True)
                .sign(key, hashes.SHA256()))
        out.append(cert.public_bytes(Encoding.DER))
    return out


@pytest.mark.parametrize("index", range(3))
def test_certificates_exercise_times_tags_and_defaults(index: int) -> None:
    der = _certificates()[index]
    theirs = pyasn1_decode(der, rfc5280.Certificate())
    ours = asn1.decode(der, rfc5280.Certificate())
    assert_same_pyasn1(ours, theirs)
    assert asn1.encode(ours) == der
    plain = asn1.decode_plain(der, rfc5280.Certificate())
    validity = plain[0][4]
    cert = x509.load_der_x509_certificate(der)
    assert validity[0][1] == cert.not_valid_before_utc
    assert validity[1][1] == cert.not_valid_after_utc
    opened = asn1.decode(der, rfc5280.Certificate(), decode_open_types=True)
    assert_same_pyasn1(opened, pyasn1_decode(der, rfc5280.Certificate(), decodeOpenTypes=True))
    # Each extension value decodes and re-encodes through its own schema.
    for ext in ours["tbsCertificate"]["extensions"]:
        oid = ext["extnID"]
        schema = rfc5280.certificateExtensionsMap[oid]
        value = bytes(ext["extnValue"])
        assert_same_pyasn1(asn1.decode(value, schema), pyasn1_decode(value, schema))
        assert asn1.encode(asn1.decode(value, schema)) == value


def test_plan_is_compiled_once_per_schema_structure() -> None:
    first = asn1.compile_schema(rfc2986.CertificationRequest())
    second = asn1.compile_schema(rfc2986.CertificationRequest())
    assert first.node is second.node
    assert repr(first).startswith("<csrlib.asn1.Plan")


def test_plan_decodes_like_the_module_functions(example_der: bytes) -> None:
    plan = asn1.compile_schema(rfc2986.CertificationRequest())
    assert plan.decode(example_der) == asn1.decode(example_der, rfc2986.CertificationRequest())
    assert plan.decode_plain(bytearray(example_der)) == asn1.decode_plain(
        memoryview(example_der), rfc2986.CertificationRequest())


def test_open_types_with_more_modules_mapped(all_csrs: dict[str, bytes]) -> None:
    # Importing these fills pyasn1-modules' open-type maps (PKCS#9 attributes,
    # EC and PSS parameters...): both decoders must follow the same maps.
    from pyasn1_modules import rfc2985, rfc3279, rfc4055, rfc5480, rfc8410

    assert rfc2985 and rfc3279 and rfc4055 and rfc5480 and rfc8410
    for name, der in all_csrs.items():
        theirs = pyasn1_decode(der, rfc2986.CertificationRequest(), decodeOpenTypes=True)
        ours = asn1.decode(der, rfc2986.CertificationRequest(), decode_open_types=True)
        assert_same_pyasn1(ours, theirs, name)
        assert asn1.encode(ours) == der, name
        assert asn1.decode_plain(der, rfc2986.CertificationRequest(), decode_open_types=True)


def test_present_empty_optional_round_trips() -> None:
    # revokedCertificates present and empty: kept, so the encoding round-trips
    # (pyasn1's encoder drops it).
    data = bytes.fromhex("3018300306012a3000170d3230303130313030303030305a3000")
    value = asn1.decode(data, rfc5280.TBSCertList())
    assert asn1.encode(value) == data
    assert pyasn1_encoder.encode(value) == data[:-2].replace(b"\x30\x18", b"\x30\x16", 1)


def test_open_types_report_each_deviation_once() -> None:
    from tests.helpers import tlv

    # A commonName value with a non-minimal length: checked once as ANY and
    # once through its open type, listed once.
    atv = tlv(0x30, tlv(0x06, bytes.fromhex("550403")) + b"\x0c\x81\x03abc")
    data = tlv(0x30, tlv(0x31, atv))
    found: list[asn1.Deviation] = []
    value = asn1.decode(data, rfc5280.Name(), strict=False, decode_open_types=True,
                        deviations=found)
    assert found == [(12, "nonminimal-length", "[0][0].value")]
    assert str(value[0][0][0]["value"].getComponent()) == "abc"


def test_open_type_in_an_explicitly_tagged_set_of() -> None:
    # values [0] EXPLICIT SET OF ANY, each an open type: the items are the
    # SET's elements, not the SET itself (found by review).
    from pyasn1.type import char, namedtype, opentype, tag, univ

    from tests.helpers import oid, tlv

    types = {univ.ObjectIdentifier("1.2.3"): char.UTF8String()}
    tagged = univ.SetOf(componentType=univ.Any()).subtype(
        explicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatConstructed, 0))

    class Holder(univ.Sequence):
        componentType = namedtype.NamedTypes(
            namedtype.NamedType("type", univ.ObjectIdentifier()),
            namedtype.NamedType("values", tagged, openType=opentype.OpenType("type", types)))

    data = tlv(0x30, oid("1.2.3") + tlv(0xA0, tlv(0x31, tlv(0x0C, b"a") + tlv(0x0C, b"b"))))
    expected = pyasn1_decoder.decode(data, asn1Spec=Holder(), decodeOpenTypes=True)[0]
    value = asn1.decode(data, Holder(), decode_open_types=True)
    assert [str(v) for v in value["values"]] == [str(v) for v in expected["values"]] == ["a", "b"]
    assert asn1.decode_plain(data, Holder(), decode_open_types=True) == ("1.2.3", ["a", "b"])
    with pytest.raises(asn1.DecodeError) as info:  # a non-string item is still refused
        asn1.decode_plain(data.replace(b"\x0c\x01a", b"\x02\x01\x05"), Holder(),
                          decode_open_types=True)
    assert info.value.kind == "unexpected-tag"


@pytest.mark.parametrize("open_types", [False, True])
def test_plain_values_equal_the_pyasn1_values(all_csrs: dict[str, bytes], open_types: bool) -> None:
    # Both backends, and the generated plain decoders, give the same values.
    from pyasn1_modules import rfc2985, rfc5480

    from tests.helpers import to_plain

    assert rfc2985 and rfc5480
    inputs = [(der, rfc2986.CertificationRequest()) for der in all_csrs.values()]
    inputs += [(der, rfc5280.Certificate()) for der in _certificates()]
    for der, schema in inputs:
        ours = asn1.decode_plain(der, schema, decode_open_types=open_types)
        theirs = to_plain(asn1.decode(der, schema, decode_open_types=open_types))
        assert ours == theirs


@pytest.mark.parametrize(("ours", "theirs", "encodings"), [
    ("KeyUsage", "KeyUsage", ["03020780", "03020520", "0303070080", "030201", "03020106",
                             "0303060640", "030100"]),
    ("BasicConstraints", "BasicConstraints", ["3000", "30030101ff", "30060101ff020100",
                                             "3003020105", "3003010100", "300302017f",
                                             "30030201ff", "3004020200ff"]),
    ("SubjectKeyIdentifier", "SubjectKeyIdentifier", ["0400", "04021234", "0301ab"]),
])
def test_own_rfc5280_schemas_read_as_pyasn1_modules_does(
        ours: str, theirs: str, encodings: list[str]) -> None:
    """csrlib.schemas writes three RFC 5280 types itself (pyasn1_modules.rfc5280 is slow to
    import): csrlib's decoder must read valid and invalid DER the same with either schema."""
    from csrlib import schemas
    from csrlib.errors import DecodeError

    def outcome(der: bytes, schema: Any) -> tuple[str, Any]:
        try:
            value = asn1.decode(der, schema)
        except DecodeError as exc:
            return "error", str(exc)
        return "value", (value, asn1.encode(value), dict(getattr(value, "namedValues", {})))

    outcomes = set()
    for text in encodings:
        der = bytes.fromhex(text)
        got = outcome(der, getattr(schemas, ours)())
        assert got == outcome(der, getattr(rfc5280, theirs)()), text
        outcomes.add(got[0])
    assert outcomes == {"value", "error"}  # both kinds met
