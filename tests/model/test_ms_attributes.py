"""Attribute lookup and the Microsoft enrollment attributes (MS-WCCE 2.2.2.7)."""

from __future__ import annotations

import json

import pytest

import csrlib
from csrlib import (
    Attribute,
    Attributes,
    BuildError,
    ClientInformation,
    CspInformation,
    NameValuePair,
    StringValue,
    signers,
)
from csrlib.cli.show import summarize
from tests.helpers import csr_der, oid, tlv

OS_VERSION = "1.3.6.1.4.1.311.13.2.3"
CLIENT_INFO = "1.3.6.1.4.1.311.21.20"
CSP_INFO = "1.3.6.1.4.1.311.13.2.2"
NAME_VALUE = "1.3.6.1.4.1.311.13.2.1"


def _bmp(text: str) -> bytes:
    return tlv(0x1E, text.encode("utf-16-be"))


def _attribute(type_oid: str, *values: bytes) -> bytes:
    return tlv(0x30, oid(type_oid) + tlv(0x31, b"".join(sorted(values))))


# What certreq writes, encoded here by hand from MS-WCCE's ASN.1.
CERTREQ_ATTRIBUTES = tlv(0xA0, b"".join(sorted([
    _attribute(OS_VERSION, tlv(0x16, b"10.0.19045.2")),
    _attribute(CLIENT_INFO, tlv(0x30, b"\x02\x01\x05" + tlv(0x0C, b"ws01.corp.example")
                                + tlv(0x0C, b"CORP\\alice") + tlv(0x0C, b"certreq"))),
    _attribute(CSP_INFO, tlv(0x30, b"\x02\x01\x01"
                             + _bmp("Microsoft Software Key Storage Provider")
                             + b"\x03\x01\x00")),
    _attribute(NAME_VALUE, tlv(0x30, _bmp("CertificateTemplate") + _bmp("WebServer")),
               tlv(0x30, _bmp("SAN") + _bmp("dns=a.example"))),
])))


def test_windows_attributes_are_typed() -> None:
    req = csrlib.load(csr_der(attributes=CERTREQ_ATTRIBUTES))
    assert req.deviations == ()
    attributes = req.attributes
    assert isinstance(attributes, Attributes) and len(attributes) == 4
    os_version = attributes.get("msOsVersion")
    assert os_version is not None and os_version.oid == OS_VERSION
    assert list(os_version.values) == [StringValue("10.0.19045.2", "IA5String")]
    client = attributes.get(CLIENT_INFO)
    assert client is not None and client.name == "msRequestClientInfo"
    assert list(client.values) == [ClientInformation(5, "ws01.corp.example", "CORP\\alice",
                                                     "certreq")]
    csp = attributes.get("msenrollmentcsp")  # names are case-insensitive
    assert csp is not None
    assert list(csp.values) == [CspInformation(1, "Microsoft Software Key Storage Provider")]
    pairs = attributes.get("msEnrollmentNameValuePair")
    assert pairs is not None
    assert sorted(pairs.values, key=repr) == [  # type: ignore[arg-type]
        NameValuePair("CertificateTemplate", "WebServer"), NameValuePair("SAN", "dns=a.example")]
    assert attributes.get("challengePassword") is None
    assert attributes.get_all(NAME_VALUE) == [pairs]
    # The request writes back as received.
    assert req.to_der() == req.der


def test_show_prints_them() -> None:
    req = csrlib.load(csr_der(attributes=CERTREQ_ATTRIBUTES))
    shown = {a["name"]: a["values"] for a in summarize(req)["attributes"]}
    assert shown["msRequestClientInfo"] == [{
        "client_id": 5, "machine_name": "ws01.corp.example", "user_name": "CORP\\alice",
        "process_name": "certreq"}]
    assert shown["msEnrollmentCsp"] == [{
        "key_spec": 1, "csp_name": "Microsoft Software Key Storage Provider", "signature": ""}]
    assert shown["msOsVersion"] == ["10.0.19045.2"]
    assert {"name": "CertificateTemplate", "value": "WebServer"} in shown[
        "msEnrollmentNameValuePair"]
    json.dumps(shown)


@pytest.mark.parametrize(("type_oid", "value"), [
    (OS_VERSION, tlv(0x0C, b"10.0")),  # UTF8String, not IA5String
    (CLIENT_INFO, tlv(0x30, b"\x02\x01\x05" + tlv(0x0C, b"a"))),  # too few fields
    (CSP_INFO, tlv(0x30, b"\x02\x01\x01" + _bmp("x") + b"\x03\x02\x04\xf0")),  # unused bits
    (NAME_VALUE, tlv(0x30, tlv(0x0C, b"a") + tlv(0x0C, b"b"))),  # UTF8, not BMPString
    (NAME_VALUE, b"\x05\x00"),
])
def test_other_shapes_stay_der_and_load(type_oid: str, value: bytes) -> None:
    # Reading never refuses these attributes: the value is only not typed.
    der = csr_der(attributes=tlv(0xA0, _attribute(type_oid, value)))
    for strict in (True, False):
        req = csrlib.load(der, strict=strict)
        (attribute,) = req.attributes
        assert list(attribute.values) == [value]


def test_builder_writes_them_and_they_read_back() -> None:
    signer = signers.generate("ed25519")
    client = ClientInformation(9, "host", "user", "csrlib")
    csp = CspInformation(2, "Provider \u00e9", b"\x01\x02")
    pair = NameValuePair("CertificateTemplate", "User")
    req = (csrlib.CertificateRequestBuilder().subject(csrlib.Name.from_rfc4514("CN=x"))
           .add_attribute("msRequestClientInfo", client)
           .add_attribute(CSP_INFO, csp)
           .add_attribute("msEnrollmentNameValuePair", pair)
           .add_attribute("msOsVersion", "6.2.9200.2")
           .sign(signer))
    again = csrlib.load(req.der)
    again.verify()
    values = {a.name: list(a.values) for a in again.attributes}  # in DER order
    assert values == {"msRequestClientInfo": [client], "msEnrollmentCsp": [csp],
                      "msEnrollmentNameValuePair": [pair],
                      "msOsVersion": [StringValue("6.2.9200.2", "IA5String")]}
    # The DER is MS-WCCE's, as encoded by hand above.
    assert client.to_der() == tlv(0x30, b"\x02\x01\x09" + tlv(0x0C, b"host")
                                  + tlv(0x0C, b"user") + tlv(0x0C, b"csrlib"))
    assert csp.to_der() == tlv(0x30, b"\x02\x01\x02" + _bmp("Provider \u00e9")
                               + b"\x03\x03\x00\x01\x02")
    # DER bytes still work for any of them.
    raw = (csrlib.CertificateRequestBuilder().subject(csrlib.Name.from_rfc4514("CN=x"))
           .add_attribute(NAME_VALUE, pair.to_der()).sign(signer))
    assert list(csrlib.load(raw.der).attributes[0].values) == [pair]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("msRequestClientInfo", NameValuePair("a", "b"), "takes a ClientInformation"),
    ("msOsVersion", ClientInformation(1, "a", "b", "c"), "takes a str"),
    ("msOsVersion", "caf\u00e9", "IA5String"),
])
def test_builder_refuses_values_of_the_wrong_type(name: str, value: object,
                                                  message: str) -> None:
    builder = csrlib.CertificateRequestBuilder().subject(csrlib.Name.from_rfc4514("CN=x"))
    with pytest.raises(BuildError, match=message):
        builder.add_attribute(name, value)  # type: ignore[arg-type]


def test_attributes_behave_as_the_tuple_of_them() -> None:
    pw = Attribute("1.2.840.113549.1.9.7", (StringValue("pw"),))
    other = Attribute("1.2.3.4", (b"\x05\x00",))
    attributes = Attributes([pw, other, other])
    assert attributes == (pw, other, other) and attributes == Attributes((pw, other, other))
    assert attributes != (pw,) and hash(attributes) == hash((pw, other, other))
    assert attributes[0] is pw and list(attributes[1:]) == [other, other]
    assert attributes.get("challengePassword") is pw
    assert attributes.get_all("1.2.3.4") == [other, other]
    assert attributes.get("1.2.3.5") is None
    with pytest.raises(BuildError, match="unknown attribute"):
        attributes.get("noSuchAttribute")
    empty = csrlib.load(csr_der(attributes=tlv(0xA0, b"")))
    assert empty.attributes == () and empty.attributes.get("challengePassword") is None
