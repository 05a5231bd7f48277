"""Extensions and attributes: each typed form, the raw ones, and the rules of RFC 2985/5280."""

from __future__ import annotations

import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

import csrlib
from csrlib import DecodeError
from tests.helpers import csr_der, extension, extension_request, name_der, oid, tlv

KEY = ec.generate_private_key(ec.SECP256R1())


def _build(*extensions: tuple[x509.ExtensionType, bool]) -> bytes:
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ext.example")]))
    for value, critical in extensions:
        builder = builder.add_extension(value, critical=critical)
    return builder.sign(KEY, hashes.SHA256()).public_bytes(Encoding.DER)


def test_every_general_name_form() -> None:
    directory = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Dir Org")])
    der = _build((x509.SubjectAlternativeName([
        x509.DNSName("a.example"),
        x509.RFC822Name("ops@a.example"),
        x509.UniformResourceIdentifier("https://a.example/x"),
        x509.IPAddress(ipaddress.ip_address("192.0.2.9")),
        x509.IPAddress(ipaddress.ip_address("2001:db8::9")),
        x509.RegisteredID(ObjectIdentifier("1.2.3.4.5")),
        x509.DirectoryName(directory),
        x509.OtherName(ObjectIdentifier("1.3.6.1.4.1.311.20.2.3"),
                       tlv(0x0C, b"upn@a.example.com")),
    ]), False))
    req = csrlib.load(der)
    san = req.extensions.value(csrlib.SubjectAlternativeName)
    assert san is not None
    assert list(san) == [
        csrlib.DNSName("a.example"),
        csrlib.RFC822Name("ops@a.example"),
        csrlib.UniformResourceIdentifier("https://a.example/x"),
        csrlib.IPAddress(ipaddress.ip_address("192.0.2.9")),
        csrlib.IPAddress(ipaddress.ip_address("2001:db8::9")),
        csrlib.RegisteredID("1.2.3.4.5"),
        csrlib.DirectoryName(csrlib.Name.from_rfc4514("O=Dir Org")),
        csrlib.OtherName("1.3.6.1.4.1.311.20.2.3", tlv(0x0C, b"upn@a.example.com")),
    ]
    assert req.to_der() == der
    assert san.to_der() == req.extensions[0].value_der


def test_x400_and_edi_party_names_are_kept_whole() -> None:
    x400 = tlv(0xA3, tlv(0x30, b""))
    edi = tlv(0xA5, tlv(0x81, tlv(0x0C, b"edi")))
    der = csr_der(attributes=extension_request(extension("2.5.29.17", tlv(0x30, x400 + edi))))
    san = csrlib.load(der).extensions.value(csrlib.SubjectAlternativeName)
    assert san is not None
    assert list(san) == [csrlib.X400Address(x400), csrlib.EDIPartyName(edi)]
    assert csrlib.load(der).to_der() == der


def test_other_typed_extensions() -> None:
    der = _build(
        (x509.BasicConstraints(ca=True, path_length=2), True),
        (x509.KeyUsage(True, True, False, False, True, True, True, True, False), True),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                ObjectIdentifier("1.2.3.4")]), False),
        (x509.SubjectKeyIdentifier(b"\x01\x02\x03"), False),
        (x509.AuthorityKeyIdentifier(b"\x04\x05", [x509.DNSName("ca.example")], 77), False),
        (x509.CertificatePolicies([x509.PolicyInformation(
            ObjectIdentifier("2.23.140.1.2.1"), ["https://cps.example"]),
            x509.PolicyInformation(ObjectIdentifier("1.2.3"), [x509.UserNotice(
                x509.NoticeReference("Org", [1, 2]), "x" * 250)])]), False),
        (x509.IssuerAlternativeName([x509.DNSName("ca.example"),
                                     x509.UniformResourceIdentifier("https://ca.example")]),
         False),
        (x509.TLSFeature([x509.TLSFeatureType.status_request]), False),
    )
    exts = csrlib.load(der).extensions
    assert exts.value(csrlib.BasicConstraints) == csrlib.BasicConstraints(True, 2)
    ku = exts.value(csrlib.KeyUsage)
    assert ku is not None and ku.usages == (
        "digital_signature", "content_commitment", "key_agreement", "key_cert_sign", "crl_sign",
        "encipher_only")
    eku = exts.value(csrlib.ExtendedKeyUsage)
    assert eku is not None and eku.names == ("clientAuth", "1.2.3.4")
    assert exts.value(csrlib.SubjectKeyIdentifier) == csrlib.SubjectKeyIdentifier(b"\x01\x02\x03")
    aki = exts.value(csrlib.AuthorityKeyIdentifier)
    assert aki == csrlib.AuthorityKeyIdentifier(b"\x04\x05", (csrlib.DNSName("ca.example"),), 77)
    policies = exts.value(csrlib.CertificatePolicies)
    assert policies is not None
    assert policies.policies[0].policy_identifier == "2.23.140.1.2.1"
    assert policies.policies[0].qualifiers is not None
    assert policies.policies[0].qualifiers[0][0] == "1.3.6.1.5.5.7.2.1"
    # RFC 5280 4.2.1.4 asks users to accept explicitText over 200 characters.
    assert policies.policies[1].qualifiers is not None
    assert policies.policies[1].qualifiers[0][0] == "1.3.6.1.5.5.7.2.2"
    ian = exts.value(csrlib.IssuerAlternativeName)
    assert ian is not None and list(ian) == [
        csrlib.DNSName("ca.example"), csrlib.UniformResourceIdentifier("https://ca.example")]
    tls = exts.get("1.3.6.1.5.5.7.1.24")
    assert tls is not None and isinstance(tls.value, csrlib.TLSFeature)  # typed since issue 15
    assert tls.name == "tlsFeature" and tls.value.to_der() == tls.value_der
    for ext in exts:
        assert ext.value.to_der() == ext.value_der, ext.name
    assert csrlib.load(der).to_der() == der


SAN = tlv(0x30, tlv(0x82, b"a.example"))


@pytest.mark.parametrize(("name", "attributes", "kind", "path"), [
    ("duplicate-extension",
     extension_request(extension("2.5.29.17", SAN), extension("2.5.29.17", SAN)),
     "duplicate-extension", "certificationRequestInfo.attributes[0].values[0][1]"),
    ("san-empty", extension_request(extension("2.5.29.17", tlv(0x30, b""))), "constraint",
     "certificationRequestInfo.attributes[0].values[0][0].extnValue"),
    ("san-ip-5-octets", extension_request(extension("2.5.29.17", tlv(0x30, tlv(0x87, b"12345")))),
     "bad-extension", "certificationRequestInfo.attributes[0].values[0][0].extnValue[0]"),
    ("san-dns-non-ascii", extension_request(extension("2.5.29.17", tlv(0x30, tlv(
        0x82, "é".encode())))), "bad-string",
     "certificationRequestInfo.attributes[0].values[0][0].extnValue[0]"),
    ("bc-negative-path", extension_request(extension("2.5.29.19", tlv(
        0x30, b"\x01\x01\xff\x02\x01\xff"))), "constraint",
     "certificationRequestInfo.attributes[0].values[0][0].extnValue.pathLenConstraint"),
    ("extensions-empty", tlv(0xA0, tlv(0x30, oid("1.2.840.113549.1.9.14")
                                       + tlv(0x31, tlv(0x30, b"")))), "constraint",
     "certificationRequestInfo.attributes[0].values[0]"),
    ("extension-request-twice", tlv(0xA0, tlv(0x30, oid("1.2.840.113549.1.9.14") + tlv(
        0x31, b"".join(sorted((tlv(0x30, extension("2.5.29.17", SAN)),
                               tlv(0x30, extension("2.5.29.19", tlv(0x30, b""))))))))),
     "single-valued", "certificationRequestInfo.attributes[0]"),
    ("challenge-password-twice", tlv(0xA0, tlv(0x30, oid("1.2.840.113549.1.9.7") + tlv(
        0x31, tlv(0x0C, b"a") + tlv(0x0C, b"b")))), "single-valued",
     "certificationRequestInfo.attributes[0]"),
    ("challenge-password-integer", tlv(0xA0, tlv(0x30, oid("1.2.840.113549.1.9.7") + tlv(
        0x31, tlv(0x02, b"\x01")))), "unexpected-tag",
     "certificationRequestInfo.attributes[0].values[0]"),
    ("extension-request-attribute-twice", tlv(0xA0, b"".join(sorted(
        tlv(0x30, oid("1.2.840.113549.1.9.14") + tlv(0x31, tlv(0x30, ext)))
        for ext in (extension("2.5.29.17", SAN), extension("2.5.29.19", tlv(0x30, b"")))))),
     "duplicate-attribute", "certificationRequestInfo.attributes[1]"),
    ("unknown-attribute-bad-der", tlv(0xA0, tlv(0x30, oid("1.2.3") + tlv(0x31, tlv(
        0x02, b"\x00\x01")))), "nonminimal-integer",
     "certificationRequestInfo.attributes[0].values[0]"),
])
def test_extension_and_attribute_rules(name: str, attributes: bytes, kind: str, path: str) -> None:
    with pytest.raises(DecodeError) as info:
        csrlib.load_der(csr_der(attributes=attributes))
    assert (info.value.kind, info.value.path) == (kind, path), str(info.value)


def test_microsoft_extension_request_and_os_version() -> None:
    ms = tlv(0x30, oid("1.3.6.1.4.1.311.2.1.14") + tlv(0x31, tlv(0x30, extension(
        "2.5.29.17", SAN))))
    os_version = tlv(0x30, oid("1.3.6.1.4.1.311.13.2.3") + tlv(0x31, tlv(0x16, b"10.0.19041")))
    attributes = tlv(0xA0, b"".join(sorted((ms, os_version))))
    req = csrlib.load_der(csr_der(attributes=attributes))
    assert req.extensions.value(csrlib.SubjectAlternativeName) == csrlib.SubjectAlternativeName(
        (csrlib.DNSName("a.example"),))
    attrs = {a.name: a for a in req.attributes}
    # Typed since the Microsoft enrollment attributes are (model/ms_attributes.py).
    assert attrs["msOsVersion"].values == (csrlib.StringValue("10.0.19041", "IA5String"),)
    assert attrs["msExtensionRequest"].values[0] == req.extensions
    assert req.to_der() == csr_der(attributes=attributes)


def test_challenge_password_string_types() -> None:
    for tag, text in ((0x13, b"Printable"), (0x0C, "ütf".encode()), (0x1E, "b".encode(
            "utf-16-be")), (0x14, b"teletex")):
        attrs = tlv(0xA0, tlv(0x30, oid("1.2.840.113549.1.9.7") + tlv(0x31, tlv(tag, text))))
        req = csrlib.load_der(csr_der(attributes=attrs))
        assert req.challenge_password is not None
        assert req.to_der() == csr_der(attributes=attrs)


def test_subject_email_and_domain_components() -> None:
    subject = name_der([("0.9.2342.19200300.100.1.25", tlv(0x16, b"com"))],
                       [("0.9.2342.19200300.100.1.25", tlv(0x16, b"example"))],
                       [("1.2.840.113549.1.9.1", tlv(0x16, b"a@example.com"))])
    req = csrlib.load_der(csr_der(subject=subject))
    assert req.subject.rfc4514() == "1.2.840.113549.1.9.1=a@example.com,DC=example,DC=com"
    assert req.subject.get("emailAddress") == ["a@example.com"]


def _values_of(oid_text: str, values: list[bytes], strict: bool = True
               ) -> csrlib.model.attributes.AttributeValues:
    attribute = tlv(0x30, oid(oid_text) + tlv(0x31, b"".join(values)))
    req = csrlib.load_der(csr_der(attributes=tlv(0xA0, attribute)), strict=strict)
    (found,) = req.attributes
    assert isinstance(found.values, csrlib.model.attributes.AttributeValues)
    return found.values


def test_loaded_values_read_from_the_request_behave_as_their_tuple() -> None:
    raw = [tlv(0x02, bytes((i,))) for i in range(1, 40)]
    values = _values_of("1.3.6.1.4.1.32473.1", raw)
    assert len(values) == 39
    assert values == tuple(raw) and tuple(raw) == values and values != tuple(raw[:-1])
    assert values != list(raw)  # compares as a tuple does
    assert hash(values) == hash(tuple(raw))
    assert (values[0], values[5], values[-1], values[-39]) == (raw[0], raw[5], raw[-1], raw[0])
    assert values[3:6] == tuple(raw[3:6])
    assert list(values) == list(reversed(list(reversed(values)))) == raw
    assert raw[7] in values and tlv(0x02, b"\x7f") not in values
    assert values.index(raw[7]) == 7 and values.count(raw[7]) == 1
    for bad in (39, -40):
        with pytest.raises(IndexError):
            values[bad]
    with pytest.raises(ValueError):
        values.index(b"\x05\x00")
    assert repr(values) == "<39 attribute values>"
    assert repr(_values_of("1.3.6.1.4.1.32473.1", raw[:2])) == repr(tuple(raw[:2]))
    # Equal attributes whether loaded or built.
    (loaded,) = csrlib.load_der(csr_der(attributes=tlv(0xA0, tlv(0x30, oid(
        "1.3.6.1.4.1.32473.1") + tlv(0x31, b"".join(raw)))))).attributes
    assert loaded == csrlib.Attribute("1.3.6.1.4.1.32473.1", tuple(raw))
    assert hash(loaded) == hash(csrlib.Attribute("1.3.6.1.4.1.32473.1", tuple(raw)))


def test_string_values_are_read_again_as_they_were_tolerated() -> None:
    names = [tlv(0x13, b"a@b"), tlv(0x13, b"c_d"), tlv(0x0C, b"e")]
    values = _values_of("1.2.840.113549.1.9.2", sorted(names), strict=False)
    assert [(v.value, v.string_type) for v in values] == [  # type: ignore[union-attr]
        ("e", "UTF8String"), ("a@b", "PrintableString"), ("c_d", "PrintableString")]
    assert [v.to_der() for v in values] == sorted(names)  # type: ignore[union-attr]
    with pytest.raises(DecodeError) as info:
        _values_of("1.2.840.113549.1.9.2", sorted(names))
    assert (info.value.kind, info.value.path) == (
        "printable-alphabet", "certificationRequestInfo.attributes[0].values[1]")


def test_many_values_cost_no_object_each() -> None:
    # 100 000 values: the attribute holds the request's octets, not a value each.
    import tracemalloc

    raw = [b"\x05\x00"] * 100_000
    data = csr_der(attributes=tlv(0xA0, tlv(0x30, oid("1.3.6.1.4.1.32473.1") + tlv(
        0x31, b"".join(raw)))))
    csrlib.load_der(data)
    tracemalloc.start()
    try:
        req = csrlib.load_der(data)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 2 * len(data), held
    assert len(req.attributes[0].values) == 100_000
    assert req.to_der() == data
