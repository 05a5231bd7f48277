"""Names: reading every value type, RFC 4514 and OpenSSL text forms, DER."""

from __future__ import annotations

import pytest
from cryptography import x509
from hypothesis import given
from hypothesis import strategies as st

import csrlib
from csrlib import BuildError, Name, NameAttribute, RelativeDistinguishedName
from csrlib.asn1.plan import WHOLE_OCTETS
from csrlib.model.lazy import LazySequence
from csrlib.model.names import read_name
from csrlib.model.reading import Source, plan
from csrlib.schemas import RDNSequence
from tests.helpers import csr_der, extension, extension_request, name_der, tlv

CN = bytes.fromhex("550403")
#: An attribute type csrlib does not know: its value may be of any type.
UNKNOWN = bytes.fromhex("2b0601040181fd5901")  # 1.3.6.1.4.1.32473.1 (RFC 5612 example)


def _name_der(*atvs: tuple[bytes, bytes]) -> bytes:
    return tlv(0x30, b"".join(tlv(0x31, tlv(0x30, tlv(0x06, oid) + value)) for oid, value in atvs))


def _load(der: bytes) -> Name:
    src = Source(der)
    return read_name(src, src.decode(plan(RDNSequence), 0, len(der), 0, ""), 0, "")


# value element -> (value, string type) as csrlib reads it; cryptography must print the same.
# Under an attribute type csrlib does not know, which takes any type (a
# commonName takes a DirectoryString only: tests/model/test_name_hardening.py).
VALUE_TYPES = [
    ("utf8", tlv(0x0C, "Zürich ☃".encode()), "Zürich ☃", "UTF8String"),
    ("printable", tlv(0x13, b"Example Ltd"), "Example Ltd", "PrintableString"),
    ("ia5", tlv(0x16, b"a@b.example"), "a@b.example", "IA5String"),
    ("teletex-ascii", tlv(0x14, b"*.example.com"), "*.example.com", "TeletexString"),
    ("bmp", tlv(0x1E, "Zürich".encode("utf-16-be")), "Zürich", "BMPString"),
    ("universal", tlv(0x1C, "Zü".encode("utf-32-be")), "Zü", "UniversalString"),
    ("visible", tlv(0x1A, b"vis"), "vis", "VisibleString"),
    ("numeric", tlv(0x12, b"12 34"), "12 34", "NumericString"),
    ("octet-utf8", tlv(0x04, "é".encode()), "é", "OCTET STRING"),
    ("utctime", tlv(0x17, b"200101000000Z"), "200101000000Z", "UTCTime"),
]


@pytest.mark.parametrize("case", VALUE_TYPES, ids=lambda c: c[0])
def test_value_types_are_kept_and_print_like_cryptography(case: tuple) -> None:
    _, element, value, string_type = case
    der = _name_der((UNKNOWN, element))
    name = _load(der)
    (attr,) = list(name)
    assert (attr.value, attr.string_type) == (value, string_type)
    assert name.rfc4514() == x509.Name.from_bytes(der).rfc4514_string()
    assert name.to_der() == der


def test_unique_identifier_bit_string_prints_its_contents_in_hex() -> None:
    der = _name_der((bytes.fromhex("55042d"), tlv(0x03, b"\x00\xab")))
    name = _load(der)
    assert name.rfc4514() == x509.Name.from_bytes(der).rfc4514_string() == "2.5.4.45=#00ab"
    assert name.to_der() == der


def test_other_value_types_print_as_the_hex_of_their_der() -> None:
    der = _name_der((UNKNOWN, tlv(0x02, b"\x05")), (UNKNOWN, tlv(0x30, tlv(0x02, b"\x01"))))
    name = _load(der)
    assert name.rfc4514() == ("1.3.6.1.4.1.32473.1=#300302 0101".replace(" ", "")
                              + ",1.3.6.1.4.1.32473.1=#020105")
    assert [a.string_type for a in name] == ["DER", "DER"]
    assert name.to_der() == der


ESCAPES = [
    "#a,b+c\"d\\e<f>g;h  ", "a\x00b", " a", " ", "", "a=b", "trail ", "#", "\u2603 x"]


@pytest.mark.parametrize("value", ESCAPES)
def test_escaping_matches_cryptography(value: str) -> None:
    der = _name_der((CN, tlv(0x0C, value.encode())))
    with pytest.warns(UserWarning) if not value else _nullcontext():
        expected = x509.Name.from_bytes(der).rfc4514_string()
    assert _load(der).rfc4514() == expected
    if value.strip(" ") == value or value == "":
        assert Name.from_rfc4514(expected).rfc4514() == expected


@given(st.lists(st.text(st.sampled_from("ab #,+\"\\<>;=\x00\u2603\n"), min_size=1, max_size=6),
                min_size=1, max_size=4))
def test_escaping_of_any_text_matches_cryptography(values: list[str]) -> None:
    # Name.rfc4514 writes text that needs no escape inline, the rest through
    # NameAttribute.rfc4514: either way, as cryptography writes it.
    der = _name_der(*((CN, tlv(0x0C, v.encode())) for v in values))
    assert _load(der).rfc4514() == x509.Name.from_bytes(der).rfc4514_string()


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


def test_attribute_names_and_order_match_cryptography() -> None:
    oids = ["550406", "550408", "550407", "55040a", "55040b", "550403", "550409", "550405",
            "2a864886f70d010901", "0992268993f22c640119", "0992268993f22c640101", "55042a",
            "550404", "55040c", "2b0601040182373c020103"]
    printable = ("550406", "550405", "2b0601040182373c020103")  # C, serialNumber, jurisdictionC
    ia5 = ("2a864886f70d010901", "0992268993f22c640119")  # emailAddress, DC

    def value(o: str) -> bytes:
        if o in printable:
            return tlv(0x13, b"DE" if o != "550405" else b"v")
        return tlv(0x16 if o in ia5 else 0x0C, b"v")

    der = _name_der(*((bytes.fromhex(o), value(o)) for o in oids))
    assert _load(der).rfc4514() == x509.Name.from_bytes(der).rfc4514_string()


def test_multi_valued_rdn() -> None:
    rdn = tlv(0x31, tlv(0x30, tlv(0x06, CN) + tlv(0x0C, b"a"))
              + tlv(0x30, tlv(0x06, bytes.fromhex("55040b")) + tlv(0x0C, b"b")))
    der = tlv(0x30, rdn + tlv(0x31, tlv(0x30, tlv(0x06, bytes.fromhex("55040a"))
                                        + tlv(0x0C, b"c"))))
    name = _load(der)
    assert [len(r) for r in name.rdns] == [2, 1]
    assert name.rfc4514() == x509.Name.from_bytes(der).rfc4514_string() == "O=c,CN=a+OU=b"
    assert name.to_der() == der
    assert Name.from_rfc4514("O=c,CN=a+OU=b").to_der() == der


def test_from_rfc4514() -> None:
    name = Name.from_rfc4514("CN=example.com,O=Example\\, Inc.,C=US")
    assert name.rfc4514() == "CN=example.com,O=Example\\, Inc.,C=US"
    assert [(a.short_name, a.value, a.string_type) for a in name] == [
        ("C", "US", "PrintableString"), ("O", "Example, Inc.", "UTF8String"),
        ("CN", "example.com", "UTF8String")]
    assert Name.from_rfc4514("CN=\\c3\\a9").get("CN") == ["é"]
    assert Name.from_rfc4514("cn=a, o=b").rfc4514() == "CN=a,O=b"
    assert Name.from_rfc4514("1.2.3.4=x").rfc4514() == "1.2.3.4=x"
    assert Name.from_rfc4514("emailAddress=a@b.c").get("emailAddress") == ["a@b.c"]
    assert next(iter(Name.from_rfc4514("CN=#0c03616263"))) == NameAttribute("2.5.4.3", "abc",
                                                                           "UTF8String")
    assert Name.from_rfc4514("") == Name()
    # Unescaped spaces around a value are dropped on both sides; escaped ones kept.
    assert Name.from_rfc4514("CN=  x  ").rfc4514() == "CN=x"
    assert Name.from_rfc4514("CN=\\  x \\ ").get("CN") == ["  x  "]


@pytest.mark.parametrize("bad", ["CN", "XX=a", "CN=a\\", "CN=#zz", "CN=\\e9", "=a",
                                 "C=USA", "CN=#0c0361", "CN=a+CN=a"])
def test_from_rfc4514_rejects(bad: str) -> None:
    with pytest.raises(BuildError):
        Name.from_rfc4514(bad)


def test_from_openssl() -> None:
    name = Name.from_openssl("/C=US/O=Example\\/Sub/CN=x+OU=y")
    assert name.rfc4514() == "CN=x+OU=y,O=Example/Sub,C=US"
    assert name.openssl() == "/C=US/O=Example\\/Sub/CN=x+OU=y"
    assert Name.from_openssl(name.openssl()) == name
    for bad in ("C=US", "/C", "/XX=1"):
        with pytest.raises(BuildError):
            Name.from_openssl(bad)


def test_default_string_types_follow_openssl() -> None:
    name = Name.from_rfc4514("DC=example,serialNumber=42,C=DE,CN=Zürich")
    assert [a.string_type for a in name] == [
        "UTF8String", "PrintableString", "PrintableString", "IA5String"]
    assert NameAttribute.from_text("CN", "a@b").string_type == "UTF8String"
    # serialNumber is a PrintableString (RFC 5280 A.1), as for OpenSSL: no
    # UTF8String instead for text outside its alphabet.
    with pytest.raises(BuildError, match="PrintableString"):
        NameAttribute.from_text("serialNumber", "a@b")
    assert NameAttribute.from_text("telephoneNumber", "+1 555").string_type == "PrintableString"
    with pytest.raises(BuildError):
        NameAttribute("2.5.4.6", "a@", "PrintableString")
    with pytest.raises(BuildError):
        RelativeDistinguishedName(())


_text = st.text(st.characters(blacklist_categories=("Cs",), min_codepoint=1), max_size=12)


@given(st.lists(st.lists(st.tuples(st.sampled_from(["CN", "O", "OU", "L", "ST", "1.2.3.4",
                                                    "emailAddress", "DC", "UID"]), _text),
                         min_size=1, max_size=3), max_size=4))
def test_rfc4514_round_trip(rdns: list[list[tuple[str, str]]]) -> None:
    attrs = []
    for rdn in rdns:
        row = []
        for key, value in rdn:
            try:
                row.append(NameAttribute.from_text(key, value))
            except BuildError:
                return  # e.g. non-ASCII for an IA5String type: not a name
        if len(set(row)) != len(row):
            return  # cryptography refuses an RDN holding the same attribute twice
        attrs.append(RelativeDistinguishedName(tuple(row)))
    name = Name(tuple(attrs))
    assert Name.from_rfc4514(name.rfc4514()) == name
    # What csrlib prints is what cryptography prints for the same DER.
    assert x509.Name.from_bytes(name.to_der()).rfc4514_string() == name.rfc4514()


# -- long names and subjectAltNames: read an element at a time ---------------------------

def _long_subject(count: int, bad: int | None = None, value: bytes = b"") -> bytes:
    rdns = [[("2.5.4.11" if i % 2 else "2.5.4.3", tlv(0x0C, f"unit {i}".encode()))]
            for i in range(count)]
    if bad is not None:
        rdns[bad] = [("2.5.4.3", value)]
    return name_der(*rdns)


@pytest.mark.parametrize("count", [3, 40], ids=["decoded-whole", "one-at-a-time"])
def test_long_names_read_as_short_ones(count: int) -> None:
    # Past csrlib.asn1.plan.WHOLE_OCTETS (256) octets, a name is read one RDN
    # at a time: the same Name, the same errors at the same offsets and paths.
    der = _long_subject(count)
    assert (len(der) > WHOLE_OCTETS) == (count == 40)
    req = csrlib.load(csr_der(subject=der))
    assert req.subject == Name.from_rfc4514(",".join(
        f"{'OU' if i % 2 else 'CN'}=unit {i}" for i in reversed(range(count))))
    assert req.subject.to_der() == der
    # Offsets: the value's (its type), the '*' (the alphabet).
    for value, kind, at in ((tlv(0x02, b"\x01"), "unexpected-tag", 0),
                            (tlv(0x13, b"a*b"), "printable-alphabet", 3)):
        bad = csr_der(subject=_long_subject(count, count - 1, value))
        with pytest.raises(csrlib.DecodeError) as info:
            csrlib.load(bad)
        path = f"certificationRequestInfo.subject[{count - 1}][0].value"
        assert (info.value.kind, info.value.path) == (kind, path)
        assert info.value.offset == bad.index(value) + at
        lenient = csrlib.load(bad, strict=False)
        assert [(d.kind, d.path) for d in lenient.deviations] == [(kind, path)]


def test_many_rdns_and_names_are_read_when_used() -> None:
    # A few: a tuple.
    rdn = [("2.5.4.3", tlv(0x0C, b""))]
    req = csrlib.load(csr_der(subject=name_der(*[rdn] * 10)))
    assert isinstance(req.subject.rdns, tuple) and len(req.subject.rdns) == 10
    # Many: read from the request when used (csrlib.model.lazy), equal to the tuple.
    req = csrlib.load(csr_der(subject=name_der(*[rdn] * 40)))
    assert isinstance(req.subject.rdns, LazySequence)
    assert req.subject.rdns == tuple(req.subject.rdns) == (RelativeDistinguishedName(
        (NameAttribute("2.5.4.3", ""),)),) * 40
    assert req.subject.to_der() == name_der(*[rdn] * 40)
    for count in (10, 100):
        san = tlv(0x30, b"\xa4\x02\x30\x00" * count)
        req = csrlib.load(csr_der(attributes=extension_request(extension("2.5.29.17", san))))
        names = req.extensions.value(csrlib.SubjectAlternativeName)
        assert names is not None and len(names) == count
        assert list(names) == [csrlib.DirectoryName(Name())] * count


@pytest.mark.parametrize("count", [3, 40], ids=["decoded-whole", "one-at-a-time"])
def test_long_subject_alt_names_read_as_short_ones(count: int) -> None:
    names = [tlv(0x82, f"h{i}.example".encode()) for i in range(count)]
    assert (sum(map(len, names)) > WHOLE_OCTETS) == (count == 40)
    der = csr_der(attributes=extension_request(extension("2.5.29.17", tlv(0x30, b"".join(
        names)))))
    san = csrlib.load(der).extensions.value(csrlib.SubjectAlternativeName)
    assert san is not None
    assert [n.value for n in san] == [f"h{i}.example" for i in range(count)]  # type: ignore[attr-defined]
    names[-1] = tlv(0x87, b"\x01\x02\x03")
    der = csr_der(attributes=extension_request(extension("2.5.29.17", tlv(0x30, b"".join(
        names)))))
    with pytest.raises(csrlib.DecodeError) as info:
        csrlib.load(der)
    assert (info.value.kind, info.value.path) == (
        "bad-extension", f"certificationRequestInfo.attributes[0].values[0][0].extnValue"
                         f"[{count - 1}]")


@pytest.mark.parametrize("value", ["example", "ab", "a b", "caf\u00e9", "x@y.example", "",
                                   "\ud800", "a\x00b", "#1", "A" * 70])
def test_from_text_by_name_is_from_text_by_oid(value: str) -> None:
    # By name, from_text makes the attribute without __init__ (the OID is
    # known valid); by dotted OID it goes through __init__'s checks.  Both
    # give the same attribute, or the same error.
    from csrlib import oids

    for name, oid in oids._PARSE_NAMES.items():
        try:
            by_name: NameAttribute | str = NameAttribute.from_text(name, value)
        except BuildError as exc:
            by_name = str(exc)
        try:
            by_oid: NameAttribute | str = NameAttribute.from_text(oid, value)
        except BuildError as exc:
            by_oid = str(exc)
        assert by_name == by_oid, (name, value)
        if isinstance(by_name, NameAttribute):
            assert isinstance(by_oid, NameAttribute)
            assert (by_name.oid, by_name.string_type, by_name.encoded) == (
                by_oid.oid, by_oid.string_type, by_oid.encoded)


def test_from_text_writes_the_default_types() -> None:
    assert NameAttribute.from_text("CN", "caf\u00e9").encoded == b"\x0c\x05caf\xc3\xa9"
    assert NameAttribute.from_text("C", "US").encoded == b"\x13\x02US"
    assert NameAttribute.from_text("emailAddress", "a@b").encoded == b"\x16\x03a@b"
    with pytest.raises(BuildError, match="two letters"):
        NameAttribute.from_text("c", "USA")
    with pytest.raises(BuildError, match="cannot hold"):
        NameAttribute.from_text("CN", "\ud800")
