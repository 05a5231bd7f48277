"""One accepting and at least one rejecting row for every DER rule (DESIGN.md 1-12, 14).

Each rejecting row names its defect and gives the error kind, the byte offset
and the field path both decoders must report.  Rows whose kind lenient mode
tolerates must decode there and list exactly that deviation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from pyasn1.codec.der import decoder as pyasn1_decoder
from pyasn1.type import char, namedtype, tag, univ, useful
from pyasn1_modules import rfc5280

from csrlib import asn1
from csrlib.asn1 import Limits
from csrlib.errors import DecodeError
from tests.helpers import holder

LENIENT_KINDS = {
    "nonminimal-length", "nonminimal-integer", "bool-nonstandard", "setof-unsorted",
    "default-encoded", "printable-alphabet", "teletex-non-ascii", "bitstring-trailing-zero",
    "set-unsorted",
}


def explicit(schema: Any, number: int) -> Any:
    return schema.subtype(explicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatConstructed,
                                              number))


def implicit(schema: Any, number: int) -> Any:
    return schema.subtype(implicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatSimple, number))


def seq(**components: Any) -> univ.Sequence:
    return univ.Sequence(componentType=namedtype.NamedTypes(
        *(namedtype.NamedType(k, v) for k, v in components.items())))


PAIR = seq(first=holder(univ.Integer()), second=univ.Integer())
TWO = seq(a=univ.Integer(), b=univ.Integer())
SET_OF_INT = univ.SetOf(componentType=univ.Integer())
TAGGED_SET = univ.Set(componentType=namedtype.NamedTypes(
    namedtype.NamedType("zero", implicit(univ.Integer(), 0)),
    namedtype.NamedType("one", implicit(univ.Integer(), 1))))
DEEP = univ.SequenceOf(componentType=univ.SequenceOf(componentType=univ.SequenceOf(
    componentType=univ.Integer())))


@dataclass
class Row:
    id: str
    schema: Any
    hex: str
    kind: str | None = None  # None: accepted
    offset: int = 0
    path: str = ""
    value: Any = None  # the plain value, for accepted rows
    limits: Limits | None = None
    wrap: bool = field(default=True)  # inside holder(): path "value", offsets shifted


def h(schema: Any, hex_inner: str, kind: str | None = None, offset: int = 0,
      value: Any = None, *, name: str, limits: Limits | None = None) -> Row:
    """A row for a type placed in a one-field SEQUENCE: the path is ``value``."""
    return Row(name, schema, hex_inner.replace(" ", ""), kind, offset, "value" if kind else "",
               value, limits)


def top(schema: Any, hex_all: str, kind: str | None = None, offset: int = 0, path: str = "",
        value: Any = None, *, name: str, limits: Limits | None = None) -> Row:
    """A row for a whole input with its own path and absolute offset."""
    return Row(name, schema, hex_all.replace(" ", ""), kind, offset, path, value, limits,
               wrap=False)


ROWS = [
    # 1. definite lengths, minimal, within the enclosing element
    h(univ.Integer(), "02 01 05", value=5, name="short-length"),
    h(univ.Integer(), "02 81 01 05", "nonminimal-length", 1, 5, name="long-form-short-length"),
    h(univ.OctetString(), "04 82 00 81" + "41" * 129, "nonminimal-length", 1, b"A" * 129,
      name="length-leading-zero"),
    h(univ.OctetString(), "04 81 81" + "41" * 129, value=b"A" * 129, name="long-length"),
    h(univ.OctetString(), "04 85 00 00 00 00 01 41", "length-too-long", 1,
      name="five-length-octets"),
    h(univ.OctetString(), "04 80 04 01 41 00 00", "indefinite-length", 1,
      name="indefinite-length"),
    h(univ.OctetString(), "04 ff 41", "reserved-length", 1, name="reserved-length"),
    top(PAIR, "30 08 30 03 02 05 01 02 01 07", "length-overrun", 5, "first.value",
        name="length-overrun"),
    top(univ.Integer(), "02 05 01", "truncated", 1, name="truncated"),
    top(univ.Integer(), "02", "truncated", 0, name="truncated-header"),
    # 2. tags: low form below 31, minimal high form, class and form as the schema says
    h(explicit(univ.Integer(), 5), "bf 05 03 02 01 01", "nonminimal-tag", 0,
      name="high-form-low-number"),
    h(explicit(univ.Integer(), 5), "a5 03 02 01 01", value=1, name="explicit-tag"),
    h(implicit(univ.Integer(), 31), "9f 1f 01 05", value=5, name="high-tag"),
    h(implicit(univ.Integer(), 31), "9f 80 1f 01 05", "nonminimal-tag", 1,
      name="high-tag-leading-0x80"),
    h(implicit(univ.Integer(), 31), "9f 81 81 81 81 01 01 05", "tag-too-long", 0,
      name="tag-too-long"),
    h(univ.Integer(), "82 01 05", "unexpected-tag", 0, name="wrong-class"),
    h(univ.Integer(), "22 03 02 01 05", "constructed-form", 0, name="constructed-integer"),
    h(seq(), "10 00", "primitive-form", 0, name="primitive-sequence"),
    # 3. strings and BIT/OCTET STRING primitive only
    h(univ.OctetString(), "24 03 04 01 41", "constructed-form", 0, name="constructed-octets"),
    h(univ.BitString(), "23 04 03 02 00 41", "constructed-form", 0, name="constructed-bits"),
    h(char.UTF8String(), "2c 03 0c 01 41", "constructed-form", 0, name="constructed-utf8"),
    h(univ.Any(), "24 03 04 01 41", "constructed-form", 0, name="constructed-in-any"),
    h(univ.Any(), "04 01 41", value=bytes.fromhex("040141"), name="any-primitive"),
    # 4. INTEGER non-empty and minimal
    h(univ.Integer(), "02 00", "empty-integer", 2, name="integer-empty"),
    h(univ.Integer(), "02 02 00 7f", "nonminimal-integer", 2, 127, name="integer-leading-zero"),
    h(univ.Integer(), "02 02 ff 80", "nonminimal-integer", 2, -128, name="integer-leading-ff"),
    h(univ.Integer(), "02 02 00 80", value=128, name="integer-128"),
    h(univ.Integer(), "02 02 ff 7f", value=-129, name="integer-minus-129"),
    h(univ.Any(), "02 02 00 01", "nonminimal-integer", 2, bytes.fromhex("02020001"),
      name="integer-in-any"),
    h(univ.Any(), "0d 02 81 01", value=bytes.fromhex("0d028101"), name="relative-oid-in-any"),
    h(univ.Any(), "0d 02 80 01", "nonminimal-oid", 2, name="relative-oid-0x80-padding"),
    h(univ.Any(), "09 03 80 00 01", value=bytes.fromhex("0903800001"), name="real-binary"),
    h(univ.Any(), "09 03 80 00 02", "bad-real", 4, name="real-even-mantissa"),
    h(univ.Any(), "09 03 90 00 01", "bad-real", 2, name="real-base-8"),
    h(univ.Any(), "09 08 03 31 32 33 2e 45 2b 30", value=bytes.fromhex("090803313233 2e452b30"
      .replace(" ", "")), name="real-decimal-nr3"),
    h(univ.Any(), "09 07 03 31 32 30 2e 45 30", "bad-real", 2, name="real-decimal-not-der"),
    h(univ.Any(), "09 01 40", value=bytes.fromhex("090140"), name="real-plus-infinity"),
    # 5. BOOLEAN one octet 00/ff, NULL empty
    h(univ.Boolean(), "01 01 ff", value=True, name="bool-true"),
    h(univ.Boolean(), "01 01 00", value=False, name="bool-false"),
    h(univ.Boolean(), "01 01 01", "bool-nonstandard", 2, True, name="bool-0x01"),
    h(univ.Boolean(), "01 02 00 00", "bool-length", 2, name="bool-two-octets"),
    h(univ.Boolean(), "01 00", "bool-length", 2, name="bool-empty"),
    h(univ.Null(), "05 00", value=None, name="null"),
    h(univ.Null(), "05 01 00", "null-length", 2, name="null-with-contents"),
    # 6. OBJECT IDENTIFIER
    h(univ.ObjectIdentifier(), "06 06 2a 86 48 86 f7 0d", value="1.2.840.113549", name="oid"),
    h(univ.ObjectIdentifier(), "06 01 7f", value="2.47", name="oid-joint"),
    h(univ.ObjectIdentifier(), "06 00", "empty-oid", 2, name="oid-empty"),
    h(univ.ObjectIdentifier(), "06 03 2a 80 01", "nonminimal-oid", 3, name="oid-0x80-padding"),
    h(univ.ObjectIdentifier(), "06 02 80 01", "nonminimal-oid", 2, name="oid-first-0x80"),
    h(univ.ObjectIdentifier(), "06 02 2a 86", "truncated-oid", 3, name="oid-unterminated"),
    # 7. BIT STRING: unused bits 0..7, 0 when empty, zero padding; named lists no trailing 0
    h(univ.BitString(), "03 02 00 80", value=(b"\x80", 0), name="bits"),
    h(univ.BitString(), "03 01 00", value=(b"", 0), name="bits-empty"),
    h(univ.BitString(), "03 00", "bitstring-empty", 2, name="bits-no-unused-octet"),
    h(univ.BitString(), "03 02 08 00", "bitstring-unused", 2, name="bits-unused-8"),
    h(univ.BitString(), "03 01 01", "bitstring-unused", 2, name="bits-empty-unused-1"),
    h(univ.BitString(), "03 02 01 01", "bitstring-padding", 3, name="bits-padding-set"),
    h(rfc5280.KeyUsage(), "03 02 07 80", value=(b"\x80", 7), name="keyusage"),
    h(rfc5280.KeyUsage(), "03 02 00 80", "bitstring-trailing-zero", 3, (b"\x80", 0),
      name="keyusage-trailing-zero"),
    # 8. DEFAULT values never encoded
    top(rfc5280.BasicConstraints(), "30 03 01 01 ff", value=(True, None), name="ca-true"),
    top(rfc5280.BasicConstraints(), "30 00", value=(False, None), name="ca-default"),
    top(rfc5280.BasicConstraints(), "30 03 01 01 00", "default-encoded", 2, "cA",
        (False, None), name="ca-false-encoded"),
    top(rfc5280.Extension(), "30 0a 06 03 55 1d 0f 01 01 00 04 00", "default-encoded", 7,
        "critical", ("2.5.29.15", False, b""), name="critical-false-encoded"),
    # 9. SET OF sorted by encoding
    top(SET_OF_INT, "31 06 02 01 01 02 01 02", value=[1, 2], name="setof-sorted"),
    top(SET_OF_INT, "31 06 02 01 01 02 01 01", value=[1, 1], name="setof-equal"),
    top(SET_OF_INT, "31 06 02 01 02 02 01 01", "setof-unsorted", 5, "[1]", [2, 1],
        name="setof-unsorted"),
    top(rfc5280.RelativeDistinguishedName(),
        "31 12 30 07 06 03 55 04 0b 0c 00 30 07 06 03 55 04 03 0c 00", "setof-unsorted", 11,
        "[1]", [("2.5.4.11", b"\x0c\x00"), ("2.5.4.3", b"\x0c\x00")],
        name="rdn-unsorted"),
    h(univ.Any(), "31 06 02 01 02 02 01 01", "setof-unsorted", 5,
      bytes.fromhex("310602010202 0101".replace(" ", "")), name="setof-unsorted-in-any"),
    top(TAGGED_SET, "31 06 80 01 00 81 01 01", value=(0, 1), name="set-canonical"),
    top(TAGGED_SET, "31 06 81 01 01 80 01 00", "set-unsorted", 5, "zero", (0, 1),
        name="set-unsorted"),
    top(TAGGED_SET, "31 06 80 01 00 80 01 00", "duplicate-component", 5, name="set-duplicate"),
    # 10. character sets
    h(char.PrintableString(), "13 05 41 20 62 2d 3f", value="A b-?", name="printable"),
    h(char.PrintableString(), "13 01 40", "printable-alphabet", 2, "@", name="printable-at"),
    h(char.PrintableString(), "13 01 00", "bad-string", 2, name="printable-nul"),
    h(char.PrintableString(), "13 01 e9", "bad-string", 2, name="printable-latin1"),
    h(char.PrintableString(), "13 02 40 80", "bad-string", 3, name="printable-at-then-high"),
    h(char.PrintableString(), "13 02 40 01", "bad-string", 3, name="printable-at-then-control"),
    h(char.IA5String(), "16 02 00 7f", value="\x00\x7f", name="ia5"),
    h(char.IA5String(), "16 01 80", "bad-string", 2, name="ia5-high"),
    h(char.NumericString(), "12 03 31 20 32", value="1 2", name="numeric"),
    h(char.NumericString(), "12 01 61", "bad-string", 2, name="numeric-letter"),
    h(char.VisibleString(), "1a 01 7e", value="~", name="visible"),
    h(char.VisibleString(), "1a 01 7f", "bad-string", 2, name="visible-del"),
    h(char.UTF8String(), "0c 02 c3 a9", value="\u00e9", name="utf8"),
    h(char.UTF8String(), "0c 02 c3 28", "bad-string", 2, name="utf8-invalid"),
    h(char.UTF8String(), "0c 02 c0 af", "bad-string", 2, name="utf8-overlong"),
    h(char.UTF8String(), "0c 03 ed a0 80", "bad-string", 2, name="utf8-surrogate"),
    h(char.BMPString(), "1e 02 00 e9", value="\u00e9", name="bmp"),
    h(char.BMPString(), "1e 03 00 41 00", "bad-string", 2, name="bmp-odd-length"),
    h(char.BMPString(), "1e 02 d8 00", "bad-string", 2, name="bmp-lone-surrogate"),
    h(char.UniversalString(), "1c 04 00 00 00 41", value="A", name="universal"),
    h(char.UniversalString(), "1c 03 00 00 41", "bad-string", 2, name="universal-length-3"),
    h(char.UniversalString(), "1c 04 00 11 00 00", "bad-string", 2, name="universal-too-big"),
    h(char.TeletexString(), "14 01 41", value="A", name="teletex"),
    h(char.TeletexString(), "14 01 e9", "teletex-non-ascii", 2, "\u00e9", name="teletex-latin1"),
    h(char.TeletexString(), "14 01 0a", "bad-string", 2, name="teletex-control"),
    h(char.TeletexString(), "14 02 e9 01", "bad-string", 3, name="teletex-latin1-then-control"),
    h(univ.Any(), "13 01 2a", "printable-alphabet", 2, bytes.fromhex("13012a"),
      name="printable-in-any"),
    # 11. DER times
    h(useful.UTCTime(), "17 0d" + b"191231235959Z".hex(), value="2019-12-31T23:59:59",
      name="utctime"),
    h(useful.UTCTime(), "17 0b" + b"1912312359Z".hex(), "bad-time", 2, name="utc-no-seconds"),
    h(useful.UTCTime(), "17 11" + b"191231235959+0000".hex(), "bad-time", 2,
      name="utc-offset"),
    h(useful.UTCTime(), "17 0d" + b"191331235959Z".hex(), "bad-time", 2, name="utc-month-13"),
    h(useful.GeneralizedTime(), "18 0f" + b"20191231235959Z".hex(),
      value="2019-12-31T23:59:59", name="gentime"),
    h(useful.GeneralizedTime(), "18 11" + b"20191231235959.5Z".hex(),
      value="2019-12-31T23:59:59.500000", name="gentime-fraction"),
    h(useful.GeneralizedTime(), "18 12" + b"20191231235959.50Z".hex(), "bad-time", 2,
      name="gentime-trailing-zero"),
    h(useful.GeneralizedTime(), "18 10" + b"20191231235959.Z".hex(), "bad-time", 2,
      name="gentime-bare-dot"),
    h(useful.GeneralizedTime(), "18 0e" + b"20191231235959".hex(), "bad-time", 2,
      name="gentime-no-z"),
    h(useful.GeneralizedTime(), "18 11" + b"20191231235959,5Z".hex(), "bad-time", 2,
      name="gentime-comma"),
    # 12. nothing after the outermost element, nothing left inside any element
    top(holder(univ.Integer()), "30 03 02 01 05 00", "trailing-data", 5, name="trailing-byte"),
    top(holder(univ.Integer()), "30 06 02 01 05 02 01 06", "trailing-data", 5,
        name="extra-component"),
    h(explicit(univ.Integer(), 0), "a0 06 02 01 05 02 01 06", "trailing-data", 5,
      name="explicit-two-elements"),
    top(TWO, "30 03 02 01 05", "missing-component", 5, name="missing-component"),
    top(TWO, "30 06 02 01 05 04 01 06", "unexpected-tag", 5, "b", name="unexpected-component"),
    top(rfc5280.GeneralName(), "80 00", "primitive-form", 0, name="choice-wrong-form"),
    top(rfc5280.GeneralName(), "82 03 61 2e 62", value=("dNSName", "a.b"), name="choice"),
    top(rfc5280.GeneralName(), "a0 07 06 03 2a 03 04 a0 00", "missing-component", 9,
        "value", name="explicit-any-empty"),
    top(rfc5280.GeneralName(), "a0 0d 06 03 2a 03 04 a0 06 02 01 01 02 01 01", "trailing-data",
        12, "value", name="explicit-any-two-elements"),
    top(rfc5280.GeneralName(), "a0 0a 06 03 2a 03 04 a0 03 02 01 01", name="explicit-any",
        value=("otherName", ("1.2.3.4", bytes.fromhex("020101")))),
    top(rfc5280.RelativeDistinguishedName(), "31 00", "constraint", 0, name="rdn-empty"),
    h(rfc5280.X520countryName(), "13 03 55 53 41", "constraint", 2, name="country-3-letters"),
    # 14. limits, checked before the work they bound
    top(univ.Integer(), "02 01 05 00 00 00 00 00 00 00 00", "size-limit", 10,
        limits=Limits(max_size=10), name="size-limit"),
    top(DEEP, "30 07 30 05 30 03 02 01 01", "depth-limit", 2, "[0]",
        limits=Limits(max_depth=2), name="depth-limit"),
    top(DEEP, "30 07 30 05 30 03 02 01 01", value=[[[1]]], limits=Limits(max_depth=4),
        name="depth-at-limit"),
    h(univ.ObjectIdentifier(), "06 06 2a 86 48 86 f7 0d", "oid-limit", 5,
      limits=Limits(max_oid_arcs=3), name="oid-too-many-arcs"),
    h(univ.ObjectIdentifier(), "06 04 2a 03 04 05", "oid-limit", 4,
      limits=Limits(max_oid_arcs=3), name="oid-too-many-small-arcs"),
    h(univ.ObjectIdentifier(), "06 06 2a 86 48 86 f7 0d", "oid-limit", 5,
      limits=Limits(max_oid_arc_octets=2), name="oid-arc-too-long"),
    top(univ.OctetString(), "04 81 80" + "41" * 128, "length-too-long", 1,
        limits=Limits(max_length_octets=0), name="length-octets-limit"),
    h(implicit(univ.Integer(), 200), "9f 81 48 01 05", "tag-too-long", 0,
      limits=Limits(max_tag_octets=1), name="tag-octets-limit"),
]


def _input(row: Row) -> tuple[bytes, Any, int]:
    inner = bytes.fromhex(row.hex)
    if not row.wrap:
        return inner, row.schema, 0
    n = len(inner)
    header = bytes((0x30, n)) if n < 0x80 else bytes((0x30, 0x81, n))
    return header + inner, holder(row.schema), len(header)


def _plain(value: Any, row: Row) -> Any:
    """Return the row's plain value as decode_plain gives it (tuple-wrapped, times as text)."""
    if row.wrap:
        (value,) = value
    if hasattr(value, "isoformat"):
        return value.replace(tzinfo=None).isoformat()
    return value


@pytest.mark.parametrize("row", [r for r in ROWS if r.kind is None], ids=lambda r: r.id)
def test_accepted(row: Row) -> None:
    data, schema, _ = _input(row)
    assert _plain(asn1.decode_plain(data, schema, limits=row.limits), row) == row.value
    ours = asn1.decode(data, schema, limits=row.limits)
    theirs, rest = pyasn1_decoder.decode(data, asn1Spec=schema)
    assert rest == b"" and ours == theirs
    assert asn1.encode(ours) == data


@pytest.mark.parametrize("row", [r for r in ROWS if r.kind is not None], ids=lambda r: r.id)
def test_rejected(row: Row) -> None:
    data, schema, shift = _input(row)
    for decode in (asn1.decode, asn1.decode_plain):
        with pytest.raises(DecodeError) as info:
            decode(data, schema, limits=row.limits)
        err = info.value
        assert (err.kind, err.offset, err.path) == (row.kind, row.offset + shift, row.path)
        assert str(err).startswith(err.args and str(err).split(" at byte")[0])
        assert f"at byte {row.offset + shift}" in str(err)


@pytest.mark.parametrize("row", [r for r in ROWS if r.kind in LENIENT_KINDS],
                         ids=lambda r: r.id)
def test_lenient_tolerates_and_reports(row: Row) -> None:
    data, schema, shift = _input(row)
    found: list[asn1.Deviation] = []
    value = asn1.decode_plain(data, schema, strict=False, deviations=found)
    assert found == [(row.offset + shift, row.kind, row.path)]
    assert _plain(value, row) == row.value
    pyasn1_found: list[asn1.Deviation] = []
    asn1.decode(data, schema, strict=False, deviations=pyasn1_found)
    assert pyasn1_found == found


@pytest.mark.parametrize("row", [r for r in ROWS if r.kind is not None
                                 and r.kind not in LENIENT_KINDS], ids=lambda r: r.id)
def test_lenient_still_rejects(row: Row) -> None:
    data, schema, _ = _input(row)
    with pytest.raises(DecodeError) as info:
        asn1.decode_plain(data, schema, strict=False, limits=row.limits)
    assert info.value.kind == row.kind


def test_every_rule_has_both_kinds_of_row() -> None:
    accepted = {r.id for r in ROWS if r.kind is None}
    rejected = {r.kind for r in ROWS if r.kind is not None}
    assert len(accepted) >= 30
    for kind in ("nonminimal-length", "indefinite-length", "nonminimal-tag", "constructed-form",
                 "nonminimal-integer", "bool-nonstandard", "null-length", "nonminimal-oid",
                 "bitstring-padding", "bitstring-trailing-zero", "default-encoded",
                 "setof-unsorted", "bad-string", "bad-time", "trailing-data", "depth-limit",
                 "size-limit", "oid-limit"):
        assert kind in rejected, kind
