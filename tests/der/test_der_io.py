"""The DER layer's reader, writer and primitive encoders, and the dump tool."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csrlib import der
from csrlib.cli.asn1 import dump_lines
from csrlib.der import Context, Reader, Writer
from csrlib.errors import DecodeError, EncodeError


def test_reader_walks_nested_elements(example_der: bytes) -> None:
    top = Reader(example_der)
    request = top.read(0x30)
    assert (request.offset, request.tag_class, request.constructed, request.number) == (
        0, der.CLASS_UNIVERSAL, True, 16)
    inner = top.enter(request)
    info = inner.read(0x30)
    assert bytes(inner.raw(info)) == example_der[info.offset : info.end]
    fields = inner.enter(info)
    version = fields.read(0x02)
    assert der.decode_integer(example_der, version.start, version.end, fields.context) == 0
    assert bytes(fields.content(version)) == b"\x00"
    assert fields.peek() == 0x30
    top.finish()
    with pytest.raises(DecodeError) as info_err:
        fields.finish()
    assert info_err.value.kind == "trailing-data"


def test_reader_rejects_wrong_tag_and_entering_primitives() -> None:
    reader = Reader(b"\x02\x01\x05")
    with pytest.raises(DecodeError) as info:
        reader.read(0x30)
    assert info.value.kind == "unexpected-tag"
    el = reader.read(0x02)
    with pytest.raises(DecodeError) as info:
        reader.enter(el)
    assert info.value.kind == "primitive-form"
    assert reader.at_end and reader.peek() is None


def test_reader_lenient_collects_deviations() -> None:
    reader = Reader(b"\x04\x81\x01\x41", strict=False)
    reader.read(0x04)
    assert reader.context.deviations == [(1, "nonminimal-length", "")]
    with pytest.raises(DecodeError):
        Reader(b"\x04\x81\x01\x41").read()


def test_writer_builds_sorted_set_of() -> None:
    w = Writer()
    with w.constructed(0x30):
        w.primitive(0x02, der.encode_integer(5))
        with w.constructed(0x31, sort=True):
            w.primitive(0x04, b"b")
            w.primitive(0x04, b"a")
            w.raw(der.tlv(0x04, b"ab"))
    assert w.getvalue() == bytes.fromhex("300f020105 310a 040161 040162 04026162".replace(" ", ""))


def test_writer_refuses_unbalanced_and_primitive_tags() -> None:
    w = Writer()
    with pytest.raises(EncodeError), w.constructed(0x04):
        pass
    cm = w.constructed(0x30)
    cm.__enter__()
    with pytest.raises(EncodeError):
        w.getvalue()


@given(st.integers(min_value=-(2 ** 200), max_value=2 ** 200))
def test_integer_contents_are_minimal(value: int) -> None:
    content = der.encode_integer(value)
    assert der.decode_integer(content, 0, len(content), Context()) == value
    assert len(content) == 1 or not (
        (content[0] == 0 and content[1] < 0x80) or (content[0] == 0xFF and content[1] >= 0x80))


@given(st.integers(0, 2), st.integers(0, 39), st.lists(st.integers(0, 2 ** 100), max_size=8))
def test_oid_contents_round_trip(first: int, second: int, rest: list[int]) -> None:
    arcs = (first, second, *rest)
    content = der.encode_oid(arcs)
    dotted, decoded = der.decode_oid(content, 0, len(content), Context(der.Limits(
        max_oid_arc_octets=20)))
    assert decoded == arcs and dotted == ".".join(map(str, arcs))
    assert der.encode_oid(dotted) == content


@pytest.mark.parametrize("bad", ["", "1", "3.1", "1.40", "1.-2", "a.b", (1,)])
def test_invalid_oids_are_encode_errors(bad: object) -> None:
    with pytest.raises(EncodeError):
        der.encode_oid(bad)  # type: ignore[arg-type]


def test_bit_string_encoding_rules() -> None:
    assert der.encode_bit_string(b"\x80\x00", 0, named=True) == b"\x07\x80"
    assert der.encode_bit_string(b"", 0, named=True) == b"\x00"
    assert der.encode_bit_string(b"\xa0", 4) == b"\x04\xa0"
    with pytest.raises(EncodeError):
        der.encode_bit_string(b"\x01", 1)
    with pytest.raises(EncodeError):
        der.encode_bit_string(b"", 3)


def test_string_encoding_checks_the_alphabet() -> None:
    assert der.encode_string(19, "Example Ltd") == b"Example Ltd"
    assert der.encode_string(30, "\u00e9") == b"\x00\xe9"
    for number, text in ((19, "a@b"), (22, "\u00e9"), (18, "12a"), (20, "\u00e9")):
        with pytest.raises(EncodeError):
            der.encode_string(number, text)


def test_time_encodings() -> None:
    moment = datetime.datetime(2049, 12, 31, 23, 59, 59, 120000, tzinfo=datetime.timezone.utc)
    assert der.encode_utc_time(moment) == b"491231235959Z"
    assert der.encode_generalized_time(moment) == b"20491231235959.12Z"
    assert der.parse_time("20491231235959.12Z") == moment
    assert der.parse_time("500101000000Z").year == 1950
    with pytest.raises(EncodeError):
        der.encode_utc_time(moment.replace(year=2050))
    with pytest.raises(EncodeError):
        der.encode_generalized_time(datetime.datetime(2020, 1, 1))


def test_tag_helpers() -> None:
    assert der.tag_key(der.CLASS_CONTEXT, True, 0) == 0xA0
    key = der.tag_key(der.CLASS_CONTEXT, False, 200)
    assert der.encode_tag(key) == b"\x9f\x81\x48"
    assert der.describe_tag(key) == "[200]"
    assert der.describe_tag(0x30) == "[UNIVERSAL 16] constructed"
    assert der.encode_length(0x80) == b"\x81\x80"
    assert der.encode_length(0x7F) == b"\x7f"


def test_dump_shows_the_tree_and_the_first_error(example_der: bytes) -> None:
    lines = list(dump_lines(example_der))
    assert lines[0].startswith("     0:d=0  hl=4 l=  302 cons: SEQUENCE")
    assert any("OBJECT IDENTIFIER  2.5.4.3" in line for line in lines)
    assert any("UTF8String  'example.com'" in line for line in lines)
    broken = example_der[:7] + b"\x02\x02\x00\x00" + example_der[10:]
    shown: list[str] = []
    with pytest.raises(DecodeError) as info:
        shown.extend(dump_lines(broken))
    # The elements before the error are yielded first: the two SEQUENCEs.
    assert [line.split()[-1] for line in shown] == ["SEQUENCE", "SEQUENCE"]
    assert str(info.value) == "non-minimal INTEGER at byte 9"
    shown.clear()
    with pytest.raises(DecodeError) as info:
        shown.extend(dump_lines(example_der + b"\x00"))
    assert shown == lines
    assert (info.value.kind, info.value.offset) == ("trailing-data", len(example_der))
    with pytest.raises(DecodeError) as info:
        list(dump_lines(b""))
    assert (info.value.kind, info.value.offset) == ("truncated", 0)


# -- the dump applies the schema-less DER rules (issue 13) ---------------------


def _verdict_of_dump(data: bytes, strict: bool = True) -> tuple[str, int] | None:
    try:
        list(dump_lines(data, strict=strict))
    except DecodeError as exc:
        return exc.kind, exc.offset
    return None


def test_dump_refuses_a_constructed_octet_string() -> None:
    data = bytes.fromhex("300424020400")  # SEQUENCE { OCTET STRING, constructed { '' } }
    shown: list[str] = []
    with pytest.raises(DecodeError) as info:
        shown.extend(dump_lines(data))
    assert (info.value.kind, info.value.offset) == ("constructed-form", 2)
    assert [line.split()[-1] for line in shown] == ["SEQUENCE"]
    # BER allows it (X.690 8.7.1); DER does not (X.690 10.2), lenient or not.
    assert _verdict_of_dump(data, strict=False) == ("constructed-form", 2)


def test_dump_refuses_an_unsorted_set() -> None:
    unsorted = bytes.fromhex("3106020102020101")  # SET { 2, 1 }
    shown: list[str] = []
    with pytest.raises(DecodeError) as info:
        shown.extend(dump_lines(unsorted))
    assert (info.value.kind, info.value.offset) == ("setof-unsorted", 5)
    assert shown == ["     0:d=0  hl=2 l=    6 cons: SET",
                     "     2:d=1  hl=2 l=    1 prim:   INTEGER  2"]
    assert len(list(dump_lines(unsorted, strict=False))) == 3  # a tolerated deviation
    assert _verdict_of_dump(bytes.fromhex("3106020101020102")) is None
    # A SET of different types in canonical tag order (X.690 10.3) is DER
    # although its encodings are not sorted: [0] constructed (a0) before [1] (81).
    assert _verdict_of_dump(bytes.fromhex("3105a000810100")) is None
    assert _verdict_of_dump(bytes.fromhex("3107a0008101000500")) == ("setof-unsorted", 4)


_PRIMITIVE_TYPES = [1, 2, 3, 4, 5, 6, 9, 10, 12, 13, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                    30]


@pytest.mark.parametrize("number", _PRIMITIVE_TYPES)
def test_dump_refuses_every_universal_primitive_in_constructed_form(number: int) -> None:
    inner = bytes((0x20 | number, 0x00))
    assert _verdict_of_dump(bytes((0x30, len(inner))) + inner) == ("constructed-form", 2)


@pytest.mark.parametrize("number", [16, 17])
def test_dump_refuses_sequence_and_set_in_primitive_form(number: int) -> None:
    assert _verdict_of_dump(bytes((0x30, 2, number, 0))) == ("primitive-form", 2)


def _tlv(tag: int, content: bytes) -> bytes:
    return bytes((tag, len(content))) + content if len(content) < 0x80 else (
        bytes((tag, 0x82)) + len(content).to_bytes(2, "big") + content)


_LEAF_TAGS = st.sampled_from([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0C, 0x13, 0x16, 0x17, 0x24,
                              0x23, 0x2C, 0x80, 0x81, 0x30, 0x31, 0x00, 0xC0])
_LEAF = st.builds(_tlv, _LEAF_TAGS, st.sampled_from(
    [b"", b"\x00", b"\x01", b"\xff", b"\x00\x01", b"\x2a\x03", b"a", b"\x80", b"991231235959Z"]))
_TREES = st.recursive(_LEAF, lambda children: st.builds(
    lambda tag, parts: _tlv(tag, b"".join(parts)),
    st.sampled_from([0x30, 0x31, 0xA0, 0x24, 0x23, 0x2C, 0x61]),
    st.lists(children, max_size=4)), max_leaves=12)


@given(_TREES, st.booleans())
def test_dump_and_schema_less_validation_agree(data: bytes, strict: bool) -> None:
    # The dump departs from DER exactly where csrlib.der.generic does: the
    # same rules, the same first error (closing the class, not the two cases).
    from csrlib.der.generic import validate_content
    from csrlib.der.tlv import read_header

    ctx = Context(strict=strict)
    expected: tuple[str, int] | None = None
    try:
        key, c, e = read_header(data, 0, len(data), ctx)
        validate_content(data, key, 0, c, e, ctx, 1)
    except DecodeError as exc:
        expected = (exc.kind, exc.offset)
    assert _verdict_of_dump(data, strict) == expected


@pytest.mark.parametrize("size", [0, 1, 0x7F, 0x80, 0x81, 0xFF, 0x100, 0x101, 0xFFFF, 0x10000])
@pytest.mark.parametrize("tag", [0x02, 0x30, 0xA0, 0x1FBF])  # the last: [31] constructed
def test_tlv_writes_minimal_definite_lengths(tag: int, size: int) -> None:
    # X.690 8.1.3: short form below 0x80; else 0x80 | k, then the length in
    # k octets, the fewest that hold it (DER 10.1).  Written out by hand here.
    content = bytes(size)
    if size < 0x80:
        length = bytes((size,))
    else:
        k = (size.bit_length() + 7) // 8
        length = bytes((0x80 | k,)) + size.to_bytes(k, "big")
    identifier = b"\xbf\x1f" if tag == 0x1FBF else bytes((tag,))
    assert der.tlv(tag, content) == identifier + length + content
