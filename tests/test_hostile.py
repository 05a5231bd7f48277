"""Hostile inputs: each is refused with DecodeError, and within its bound.

Time is not measured here (benchmarks/ does that); the bounds are structural:
every limit is checked before the work it bounds, so these inputs fail at
the limit's offset instead of after walking or allocating.
"""

from __future__ import annotations

import pytest
from pyasn1.type import univ
from pyasn1_modules import rfc2986

from csrlib import asn1
from csrlib.asn1 import Limits
from csrlib.der import Reader
from csrlib.errors import DecodeError
from tests.helpers import tlv

CSR = rfc2986.CertificationRequest()


def _nested(depth: int, leaf: bytes = b"\x05\x00") -> bytes:
    data = leaf
    for _ in range(depth):
        data = tlv(0x30, data)
    return data


@pytest.mark.parametrize("schema", [CSR, univ.Any()], ids=["csr", "any"])
def test_ten_thousand_deep_nesting(schema: object) -> None:
    data = _nested(10_000)
    for decode in (asn1.decode, asn1.decode_plain):
        with pytest.raises(DecodeError) as info:
            decode(data, schema)
        assert info.value.kind in ("depth-limit", "unexpected-tag")


def test_nesting_inside_any_stops_at_the_depth_limit() -> None:
    data = _nested(40)
    with pytest.raises(DecodeError) as info:
        asn1.decode(data, univ.Any())
    # The element at depth 32 may not contain another: its offset is 31 headers in.
    assert info.value.kind == "depth-limit"
    assert data[info.value.offset] == 0x30
    assert asn1.decode_plain(_nested(31), univ.Any()) == _nested(31)


def test_length_claiming_two_to_the_64() -> None:
    data = b"\x30\x88" + (2 ** 64 - 1).to_bytes(8, "big") + b"\x05\x00"
    for decode in (asn1.decode, asn1.decode_plain):
        with pytest.raises(DecodeError) as info:
            decode(data, CSR)
        assert (info.value.kind, info.value.offset) == ("length-too-long", 1)
    with pytest.raises(DecodeError):
        Reader(data).read()


def test_four_octet_length_past_the_end_is_truncation() -> None:
    data = b"\x30\x84\xff\xff\xff\xff\x05\x00"
    with pytest.raises(DecodeError) as info:
        asn1.decode(data, CSR)
    assert (info.value.kind, info.value.offset) == ("truncated", 1)


def test_a_mebibyte_of_tiny_elements() -> None:
    count = (1 << 19) - 4
    data = b"\x30\x83" + (2 * count).to_bytes(3, "big") + b"\x05\x00" * count
    assert len(data) <= 1 << 20
    with pytest.raises(DecodeError) as info:
        asn1.decode(data, CSR)
    assert (info.value.kind, info.value.offset) == ("unexpected-tag", 5)
    # As an ANY it is valid DER: validated in one linear pass.
    assert asn1.decode_plain(data, univ.Any()) == data


def test_input_over_the_size_limit_is_refused_before_reading() -> None:
    data = b"\x30" * ((1 << 20) + 1)
    for decode in (asn1.decode, asn1.decode_plain):
        with pytest.raises(DecodeError) as info:
            decode(data, CSR)
        assert (info.value.kind, info.value.offset) == ("size-limit", 1 << 20)
        decode_small = Limits(max_size=16)
        with pytest.raises(DecodeError):
            decode(b"\x04\x10" + b"A" * 16, univ.OctetString(), limits=decode_small)


def test_oid_with_a_ten_thousand_octet_arc() -> None:
    arc = b"\x81" * 9_999 + b"\x01"
    data = tlv(0x06, b"\x2a" + arc)
    for decode in (asn1.decode, asn1.decode_plain):
        with pytest.raises(DecodeError) as info:
            decode(data, univ.ObjectIdentifier())
        assert info.value.kind == "oid-limit"
        assert info.value.offset == 5  # the first octet of the long arc
    with pytest.raises(DecodeError):
        asn1.decode(tlv(0x30, data), univ.Any())


def test_oid_with_ten_thousand_arcs() -> None:
    data = tlv(0x06, b"\x2a" + b"\x01" * 10_000)
    with pytest.raises(DecodeError) as info:
        asn1.decode_plain(data, univ.ObjectIdentifier())
    assert info.value.kind == "oid-limit"


def test_huge_integer_is_bounded_by_the_input_size() -> None:
    data = tlv(0x02, b"\x01" + b"\x00" * 100_000)
    assert asn1.decode_plain(data, univ.Integer()) == 1 << 800_000


def test_deep_nesting_reader() -> None:
    reader = Reader(_nested(40), limits=Limits(max_depth=8))
    el = reader.read(0x30)
    depth = 0
    with pytest.raises(DecodeError) as info:
        while True:
            reader = reader.enter(el)
            el = reader.read(0x30)
            depth += 1
    assert info.value.kind == "depth-limit"
    assert depth == 7


@pytest.mark.parametrize("data", [b"", b"\x30", b"\x30\x00", b"\x00\x00", b"\xff" * 8,
                                  b"\x1f\xff\xff\xff\xff\x7f\x00", b"\x30\x02\x1f"])
def test_short_garbage(data: bytes) -> None:
    for decode in (asn1.decode, asn1.decode_plain):
        with pytest.raises(DecodeError) as info:
            decode(data, CSR)
        assert info.value.kind != "internal-error"


def test_wrong_input_type_is_a_caller_mistake() -> None:
    with pytest.raises(TypeError):
        asn1.decode("30 00", CSR)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        asn1.decode(b"\x30\x00", object())


def test_lenient_deviation_paths_stay_linear() -> None:
    # Each element carries a deviation; paths are found in one walk (this took
    # minutes when every deviation was located from the top).
    count = 20_000
    data = tlv(0x30, b"\x02\x02\x00\x01" * count)
    found: list[asn1.Deviation] = []
    asn1.decode_plain(data, univ.SequenceOf(componentType=univ.Integer()), strict=False,
                      deviations=found)
    assert len(found) == count
    assert found[0] == (7, "nonminimal-integer", "[0]")  # after a 3-octet length
    assert found[-1].path == f"[{count - 1}]"


def test_constraint_on_a_huge_integer_is_a_decode_error() -> None:
    from pyasn1_modules import rfc5280

    huge = -(10 ** 5000)
    content = huge.to_bytes((huge.bit_length() + 8) // 8, "big", signed=True)
    data = tlv(0x30, b"\x01\x01\xff" + tlv(0x02, content))
    for decode in (asn1.decode, asn1.decode_plain):
        with pytest.raises(DecodeError) as info:
            decode(data, rfc5280.BasicConstraints())
        assert (info.value.kind, info.value.path) == ("constraint", "pathLenConstraint")


def test_limits_are_bounded() -> None:
    for bad in ({"max_depth": 0}, {"max_depth": 10_000}, {"max_oid_arc_octets": 5000},
                {"max_size": -1}):
        with pytest.raises(ValueError):
            Limits(**bad)  # type: ignore[arg-type]
    deep = _nested(199)
    assert asn1.decode_plain(deep, univ.Any(), limits=Limits(max_depth=200)) == deep
