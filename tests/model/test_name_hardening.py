"""Names built from text and read from requests: hardening (issue 13, items 6 and 12).

* Lone surrogates are a caller's mistake (BuildError) in every API that
  builds a name: RFC 4514 and OpenSSL text, pairs, NameAttribute, and the
  dirName of a subjectAltName string; never UnicodeEncodeError.
* ``TYPE=#hex`` (RFC 4514 2.4 and 3) is the DER of the value: one element,
  read strictly, its type kept and checked against the attribute type.
* An attribute type csrlib knows takes only the value types its standard
  allows (``csrlib.model.name_attributes.VALUE_TAGS``), in strict reading and when building;
  lenient reading records an ``unexpected-tag`` deviation.  Differences
  from cryptography's reading are listed and checked below.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import pytest
from cryptography import x509
from hypothesis import given
from hypothesis import strategies as st

import csrlib
from csrlib import BuildError, DecodeError, Name, NameAttribute, SubjectAlternativeName
from csrlib.fuzz.strategies import names
from csrlib.model.name_attributes import STRING_TYPE_NUMBERS, VALUE_TAGS
from tests.helpers import csr_der, extension, extension_request, name_der, oid, tlv

# -- lone surrogates ----------------------------------------------------------------------

SURROGATE_CALLS: dict[str, Callable[[], object]] = {
    "rfc4514-escaped-then-surrogate": lambda: Name.from_rfc4514("CN=\\41\ud800"),
    "rfc4514-value": lambda: Name.from_rfc4514("CN=\ud800"),
    "rfc4514-low-surrogate": lambda: Name.from_rfc4514("O=a\udfffb"),
    "rfc4514-type": lambda: Name.from_rfc4514("C\ud800N=x"),
    "rfc4514-hex": lambda: Name.from_rfc4514("CN=#0c\ud800"),
    "rfc4514-in-rdn": lambda: Name.from_rfc4514("CN=a+OU=\ud800"),
    "san-dirname": lambda: SubjectAlternativeName.from_strings(["dirName:CN=\\41\ud800"]),
    "openssl-value": lambda: Name.from_openssl("/CN=\ud800"),
    "openssl-type": lambda: Name.from_openssl("/C\ud800=x"),
    "pairs": lambda: Name.from_pairs([("CN", "\ud800")]),
    "pairs-printable": lambda: Name.from_pairs([("C", "U\ud800")]),
    "from-text-bmp": lambda: NameAttribute.from_text("CN", "\ud800", "BMPString"),
    "from-text-universal": lambda: NameAttribute.from_text("CN", "\udbff", "UniversalString"),
    "from-text-teletex": lambda: NameAttribute.from_text("CN", "\ud800", "TeletexString"),
    "attribute-oid": lambda: NameAttribute("2.5.4.\ud800", "x"),
    "attribute-utf8": lambda: NameAttribute("2.5.4.3", "\ud800"),
    "attribute-octet-string": lambda: NameAttribute("1.2.3.4", "\ud800", "OCTET STRING"),
    "attribute-utctime": lambda: NameAttribute("1.2.3.4", "\ud800", "UTCTime"),
    "attribute-string-in-builder": lambda: csrlib.CertificateRequestBuilder().add_attribute(
        "challengePassword", "\ud800"),
}


@pytest.mark.parametrize("call", SURROGATE_CALLS.values(), ids=list(SURROGATE_CALLS))
def test_lone_surrogates_are_build_errors(call: Callable[[], object]) -> None:
    with pytest.raises(BuildError) as info:
        call()
    # The message can be printed and logged: the surrogate is escaped.
    str(info.value).encode("utf-8")


def test_every_string_type_refuses_lone_surrogates() -> None:
    for string_type in STRING_TYPE_NUMBERS:
        if string_type == "BIT STRING":
            continue
        with pytest.raises(BuildError):
            NameAttribute("1.2.3.4", "a\ud800", string_type)


# Text the RFC 4514 parser must survive: its specials, hex digits, controls,
# surrogates, and any character at all.
_SPECIALS = [*'\\#+,=;"<> ', "\ud800", "\udfff", "\x00", "\x1f", "\x7f", "\u2603"]
_CHARS = st.one_of(st.sampled_from(_SPECIALS), st.sampled_from("0123456789abcdefABCDEF"),
                   st.characters(), st.characters(categories=["Cs"]))
_KEYS = st.sampled_from(["CN", "C", "O", "DC", "emailAddress", "serialNumber", "UID",
                         "1.2.3.4", "2.5.4.45", "2.5.4.16", "x", "", " CN "])
_ANY_TEXT = st.text(_CHARS, max_size=40)


@st.composite
def _rfc4514_like(draw: st.DrawFn) -> str:
    """Text shaped like an RFC 4514 name, with anything in its parts."""
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        key = draw(st.one_of(_KEYS, _ANY_TEXT))
        value = draw(st.one_of(_ANY_TEXT, st.text(_CHARS, max_size=12).map(lambda t: "#" + t),
                               st.binary(max_size=12).map(lambda b: "#" + b.hex())))
        parts.append(f"{key}={value}")
    return draw(st.sampled_from([",", "+", ", "])).join(parts)


@given(st.one_of(_ANY_TEXT, _rfc4514_like()))
def test_rfc4514_parsing_returns_a_name_or_a_build_error(text: str) -> None:
    for parse in (Name.from_rfc4514, Name.from_openssl,
                  lambda t: SubjectAlternativeName.from_strings(["dirName:" + t])):
        try:
            parse(text)
        except BuildError as err:
            str(err).encode("utf-8")


@given(names(max_rdns=5))
def test_rfc4514_round_trip_of_generated_names(name: Name) -> None:
    text = name.rfc4514()
    parsed = Name.from_rfc4514(text)
    # The same attribute types and values, RDN by RDN (the string types are
    # not part of the text: parsing gives each its default type).
    assert [{(a.oid, a.value) for a in rdn} for rdn in parsed.rdns] == [
        {(a.oid, a.value) for a in rdn} for rdn in name.rdns]
    if all(len(rdn) == 1 for rdn in name.rdns):
        assert parsed.rfc4514() == text
    else:
        # An RDN's attributes print in DER order, which depends on their types.
        assert Name.from_rfc4514(parsed.rfc4514()) == parsed
    assert x509.Name.from_bytes(name.to_der()).rfc4514_string() == text


# -- RFC 4514 #hexstring --------------------------------------------------------------------

HEX_VALUES = [
    ("C=#13025553", "2.5.4.6", "US", "PrintableString"),
    ("CN=#0c03616263", "2.5.4.3", "abc", "UTF8String"),
    ("CN=#1e0400610062", "2.5.4.3", "ab", "BMPString"),
    ("CN=#1407612a2e6578616d", "2.5.4.3", "a*.exam", "TeletexString"),
    ("emailAddress=#1603614062", "1.2.840.113549.1.9.1", "a@b", "IA5String"),
    ("2.5.4.45=#03020780", "2.5.4.45", b"\x07\x80", "BIT STRING"),
    ("1.3.6.1.4.1.32473.1=#020105", "1.3.6.1.4.1.32473.1", b"\x02\x01\x05", "DER"),
    ("1.3.6.1.4.1.32473.1=#3003020101", "1.3.6.1.4.1.32473.1", b"\x30\x03\x02\x01\x01", "DER"),
    ("C=#13025553  ", "2.5.4.6", "US", "PrintableString"),
]


@pytest.mark.parametrize(("text", "oid_text", "value", "string_type"), HEX_VALUES,
                         ids=[h[0] for h in HEX_VALUES])
def test_hex_values_are_the_der_of_the_value(text: str, oid_text: str, value: str | bytes,
                                             string_type: str) -> None:
    (attribute,) = Name.from_rfc4514(text)
    assert (attribute.oid, attribute.value, attribute.string_type) == (
        oid_text, value, string_type)
    element = bytes.fromhex(text.split("#")[1])
    assert attribute.encoded == element
    assert Name.from_rfc4514(text).to_der() == name_der([(oid_text, element)])
    # A value read from a request prints back to text that parses to it.
    if string_type in ("DER", "PrintableString", "UTF8String"):
        assert Name.from_rfc4514(Name.from_rfc4514(text).rfc4514()) == Name.from_rfc4514(text)


def test_hex_values_in_a_subject_alt_name() -> None:
    (general_name,) = SubjectAlternativeName.from_strings(["dirName:C=#13025553"])
    assert isinstance(general_name, csrlib.DirectoryName)
    assert general_name.value == Name.from_rfc4514("C=US")


@pytest.mark.parametrize("text", [
    "C=#",                   # no hex pair
    "C=#130",                # odd number of digits
    "C=#zz",                 # not hex
    "C=#13 02 55 53",        # spaces between pairs
    "C=#130255",             # truncated: the length says two octets
    "C=#1302555300",         # an octet after the element
    "C=#130255530500",       # a second element
    "C=#1381025553",         # non-minimal length (DER, X.690 10.1)
    "C=#1380",               # indefinite length
    "C=#3302" + "5553",      # a constructed PrintableString (X.690 10.2)
    "C=#1302552a",           # '*' is not in PrintableString's alphabet
    "C=#1303555341",         # countryName is two letters
    "C=#0c025553",           # countryName is a PrintableString
    "CN=#020105",            # commonName is a DirectoryString, not an INTEGER
    "CN=#1602616263",        # ... nor an IA5String
    "DC=#0c03636f6d",        # domainComponent is an IA5String
    "2.5.4.45=#0c0161",      # x500UniqueIdentifier is a BIT STRING
    "1.2.3.4=#0201",         # any type for an unknown attribute, but DER
    "1.2.3.4=#02020001",     # non-minimal INTEGER
], ids=lambda t: t)
def test_hex_values_that_are_not_one_valid_element_are_build_errors(text: str) -> None:
    with pytest.raises(BuildError):
        Name.from_rfc4514(text)


# -- value types of known attribute types -------------------------------------------------

#: A valid value element of each type, for the attribute types that may hold it.
SAMPLES: dict[str, bytes] = {
    "UTF8String": tlv(0x0C, b"US"),
    "NumericString": tlv(0x12, b"12"),
    "PrintableString": tlv(0x13, b"US"),
    "TeletexString": tlv(0x14, b"US"),
    "VideotexString": tlv(0x15, b"US"),
    "IA5String": tlv(0x16, b"US"),
    "GraphicString": tlv(0x19, b"US"),
    "VisibleString": tlv(0x1A, b"US"),
    "GeneralString": tlv(0x1B, b"US"),
    "UniversalString": tlv(0x1C, "US".encode("utf-32-be")),
    "BMPString": tlv(0x1E, "US".encode("utf-16-be")),
    "ObjectDescriptor": tlv(0x07, b"US"),
    "BIT STRING": tlv(0x03, b"\x00\x01"),
    "OCTET STRING": tlv(0x04, b"US"),
    "UTCTime": tlv(0x17, b"200101000000Z"),
    "GeneralizedTime": tlv(0x18, b"20200101000000Z"),
    "INTEGER": tlv(0x02, b"\x01"),
    "NULL": b"\x05\x00",
    "BOOLEAN": b"\x01\x01\xff",
    "OBJECT IDENTIFIER": oid("1.2.3"),
    "SEQUENCE OF UTF8String": tlv(0x30, tlv(0x0C, b"ab")),
    "empty SEQUENCE": b"\x30\x00",
    "[0]": b"\x80\x00",
    "[0] constructed": b"\xa0\x00",
    "[UNIVERSAL 127]": b"\x1f\x7f\x00",
}

#: What cryptography reads as a name attribute value, whatever the attribute
#: type: these string and time types, and a BIT STRING for
#: x500UniqueIdentifier only.
CRYPTOGRAPHY_READS = {"UTF8String", "NumericString", "PrintableString", "TeletexString",
                      "IA5String", "VisibleString", "UniversalString", "BMPString",
                      "OCTET STRING", "UTCTime", "GeneralizedTime"}


def _cryptography_reads(der: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            subject = x509.load_der_x509_csr(der).subject
            subject.rfc4514_string()
            for attribute in subject:
                assert attribute.value is not None
    except (ValueError, TypeError):  # TypeError: a BIT STRING under another type
        return False
    return True


def _csrlib_reads(der: bytes) -> bool:
    try:
        csrlib.load(der)
    except DecodeError as err:
        assert err.kind in ("unexpected-tag", "constraint"), err
        assert err.path == "certificationRequestInfo.subject[0][0].value"
        return False
    return True


def test_csrlib_reads_exactly_the_types_the_standards_allow() -> None:
    # Every known attribute type against every value type: csrlib accepts
    # exactly VALUE_TAGS; cryptography's choices (CRYPTOGRAPHY_READS) are the
    # same for every type, so csrlib is stricter for each known type, except
    # postalAddress, a SEQUENCE OF DirectoryString (X.520 6.6.1) cryptography
    # does not read at all.
    looser = []
    for attr_oid, tags in VALUE_TAGS.items():
        for type_name, element in SAMPLES.items():
            der = csr_der(subject=name_der([(attr_oid, element)]))
            ours = _csrlib_reads(der)
            # A postalAddress has one to six lines (X.520 6.6.1).
            assert ours == (element[0] in tags and element != b"\x30\x00"), (
                attr_oid, type_name)
            theirs = _cryptography_reads(der)
            assert theirs == (type_name in CRYPTOGRAPHY_READS
                              or (type_name == "BIT STRING" and attr_oid == "2.5.4.45")), (
                attr_oid, type_name)
            if ours and not theirs:
                looser.append((attr_oid, type_name))
    assert looser == [("2.5.4.16", "SEQUENCE OF UTF8String")]


def test_unknown_attribute_types_take_any_single_der_element() -> None:
    # Looser than cryptography, which reads no INTEGER, NULL, SEQUENCE... anywhere.
    for element in SAMPLES.values():
        (attribute,) = csrlib.load(csr_der(subject=name_der([("1.3.6.1.4.1.32473.1", element)]))
                                   ).subject
        assert attribute.encoded == element


REFUSED_COUNTRY_NAMES = {
    "INTEGER": tlv(0x02, b"\x01"),
    "NULL": b"\x05\x00",
    "[0]": b"\x80\x00",
    "[UNIVERSAL 127]": b"\x1f\x7f\x00",
    "empty SEQUENCE": b"\x30\x00",
    "VideotexString": tlv(0x15, b"US"),
    "UTF8String": tlv(0x0C, b"US"),
}


@pytest.mark.parametrize("element", REFUSED_COUNTRY_NAMES.values(), ids=list(REFUSED_COUNTRY_NAMES))
def test_country_names_of_other_types_are_refused_strictly_and_recorded_leniently(
    element: bytes,
) -> None:
    der = csr_der(subject=name_der([("2.5.4.3", tlv(0x0C, b"x"))], [("2.5.4.6", element)]))
    offset = der.index(oid("2.5.4.6") + element) + len(oid("2.5.4.6"))
    path = "certificationRequestInfo.subject[1][0].value"
    with pytest.raises(DecodeError) as info:
        csrlib.load(der)
    assert (info.value.kind, info.value.offset, info.value.path) == (
        "unexpected-tag", offset, path)
    assert "countryName" in str(info.value) or "C" in str(info.value)
    req = csrlib.load(der, strict=False)
    assert (offset, "unexpected-tag", path) in req.deviations
    (country,) = req.subject.get("C")
    assert req.subject.to_der() == der[der.index(b"\x30", 6):][:len(req.subject.to_der())]
    assert country in ("#" + element.hex(), "US")  # get() gives text; a DER value as #hex


def test_types_are_checked_in_directory_names_too() -> None:
    san = tlv(0x30, tlv(0xA4, name_der([("2.5.4.6", b"\x05\x00")])))
    der = csr_der(attributes=extension_request(extension("2.5.29.17", san)))
    with pytest.raises(DecodeError) as info:
        csrlib.load(der)
    assert info.value.kind == "unexpected-tag"
    assert info.value.path == ("certificationRequestInfo.attributes[0].values[0][0].extnValue"
                               "[0][0][0].value")
    req = csrlib.load(der, strict=False)
    assert [d.kind for d in req.deviations] == ["unexpected-tag"]
    assert req.deviations[0].path == info.value.path


def test_errors_inside_a_refused_value_come_first() -> None:
    # The value is checked as DER before its type: a depth or encoding error
    # inside it is reported where it is.
    nested = b"\x05\x00"
    for _ in range(27):
        nested = tlv(0x30, nested)
    with pytest.raises(DecodeError) as info:
        csrlib.load(csr_der(subject=name_der([("2.5.4.3", nested)])))
    assert info.value.kind == "depth-limit"
    with pytest.raises(DecodeError) as info:
        csrlib.load(csr_der(subject=name_der([("2.5.4.3", tlv(0x02, b"\x00\x01"))])))
    assert info.value.kind == "nonminimal-integer"


@pytest.mark.parametrize(("element", "kind"), [
    (tlv(0x30, tlv(0x0C, b"1 Main St") + tlv(0x13, b"Springfield")), None),
    (tlv(0x30, tlv(0x02, b"\x01")), "unexpected-tag"),
    (b"\x30\x00", "constraint"),
    (tlv(0x30, tlv(0x0C, b"l") * 7), "constraint"),
], ids=["two-lines", "integer-line", "no-line", "seven-lines"])
def test_postal_addresses_are_sequences_of_directory_strings(element: bytes,
                                                              kind: str | None) -> None:
    der = csr_der(subject=name_der([("2.5.4.16", element)]))
    if kind is None:
        (attribute,) = csrlib.load(der).subject
        assert (attribute.value, attribute.string_type) == (element, "DER")
        return
    with pytest.raises(DecodeError) as info:
        csrlib.load(der)
    assert info.value.kind == kind
    assert [d.kind for d in csrlib.load(der, strict=False).deviations] == [kind]


def test_the_builder_refuses_types_the_attribute_type_does_not_allow() -> None:
    for attr_oid, tags in VALUE_TAGS.items():
        for string_type, number in STRING_TYPE_NUMBERS.items():
            value: str | bytes = "US"
            if string_type == "BIT STRING":
                value = b"\x00\x01"
            elif string_type == "NumericString":
                value = "12"
            elif string_type == "UTCTime":
                value = "200101000000Z"
            elif string_type == "GeneralizedTime":
                value = "20200101000000Z"
            try:
                NameAttribute(attr_oid, value, string_type)
            except BuildError:
                assert number not in tags, (attr_oid, string_type)
            else:
                assert number in tags, (attr_oid, string_type)
        with pytest.raises(BuildError):
            NameAttribute(attr_oid, b"\x02\x01\x05", "DER")
    # Text gets a type the attribute type allows, or is refused.
    assert NameAttribute.from_text("C", "US").string_type == "PrintableString"
    assert NameAttribute.from_text("DC", "com").string_type == "IA5String"
    with pytest.raises(BuildError, match="PrintableString"):
        Name.from_rfc4514("CN=x,serialNumber=a_b")
    with pytest.raises(BuildError, match="DirectoryString"):
        NameAttribute.from_text("CN", "x", "IA5String")
    with pytest.raises(BuildError, match="PrintableString"):
        Name.from_pairs([("C", "U\u00e9")])
    with pytest.raises(BuildError, match="BIT STRING"):
        Name.from_rfc4514("2.5.4.45=abc")
