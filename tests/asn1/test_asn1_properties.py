"""Hypothesis properties of the codec: round trips, mutations, prefixes, trailing bytes."""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pyasn1.codec.der import decoder as pyasn1_decoder
from pyasn1.codec.der import encoder as pyasn1_encoder
from pyasn1.type import char, namedtype, tag, univ, useful
from pyasn1_modules import rfc2986, rfc5280

from csrlib import asn1
from csrlib.errors import DecodeError
from tests.helpers import assert_same_pyasn1

CSR = rfc2986.CertificationRequest()

_PRINTABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?"


def _text(alphabet: str | st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, max_size=40)


_bmp_chars = st.characters(max_codepoint=0xFFFF, blacklist_categories=("Cs",))
_any_chars = st.characters(blacklist_categories=("Cs",))

# (schema, strategy of the value to set) for every primitive type the codec supports.
PRIMITIVES: list[tuple[Any, st.SearchStrategy[Any]]] = [
    (univ.Integer(), st.integers(min_value=-(2 ** 600), max_value=2 ** 600)),
    (univ.Boolean(), st.booleans()),
    (univ.Null(), st.just(b"")),
    (univ.OctetString(), st.binary(max_size=300)),
    (univ.ObjectIdentifier(), st.tuples(st.integers(0, 2), st.integers(0, 39),
                                        st.lists(st.integers(0, 2 ** 64), max_size=10))
     .map(lambda t: (t[0], t[1], *t[2]))),
    (univ.Enumerated(), st.integers(min_value=-1000, max_value=1000)),
    (char.UTF8String(), _text(_any_chars)),
    (char.PrintableString(), _text(_PRINTABLE)),
    (char.IA5String(), _text(st.characters(max_codepoint=0x7F))),
    (char.NumericString(), _text("0123456789 ")),
    (char.VisibleString(), _text(st.characters(min_codepoint=0x20, max_codepoint=0x7E))),
    (char.BMPString(), _text(_bmp_chars)),
    (char.UniversalString(), _text(_any_chars)),
    (char.TeletexString(), _text(st.characters(min_codepoint=0x20, max_codepoint=0x7E))),
]

_times = st.datetimes(min_value=datetime.datetime(1950, 1, 1),
                      max_value=datetime.datetime(2049, 12, 31))


@st.composite
def bit_strings(draw: st.DrawFn) -> tuple[bytes, int]:
    data = draw(st.binary(max_size=40))
    unused = draw(st.integers(0, 7)) if data else 0
    if data:
        data = data[:-1] + bytes((data[-1] & (0xFF << unused) & 0xFF,))
    return data, unused


def _pyasn1_writes(number: int) -> bool:
    """Return False for -2**(8k-1): pyasn1 writes those one octet too long."""
    return not (number < 0 and (-number) & (-number - 1) == 0
                and (-number).bit_length() % 8 == 0)


def _round_trip(value: Any, schema: Any, same_as_pyasn1: bool = True) -> None:
    """Encode ``value``; decoding gives pyasn1's decoding of the same bytes, and re-encodes."""
    der = asn1.encode(value)
    if same_as_pyasn1:
        assert der == pyasn1_encoder.encode(value)
    back = asn1.decode(der, schema)
    theirs, rest = pyasn1_decoder.decode(der, asn1Spec=schema)
    assert rest == b""
    assert_same_pyasn1(back, theirs)
    assert asn1.encode(back) == der


@given(st.data())
def test_primitives_round_trip(data: st.DataObject) -> None:
    # Drawn by index: pyasn1 schema objects are not hashable.
    schema, strategy = PRIMITIVES[data.draw(st.integers(0, len(PRIMITIVES) - 1))]
    raw = data.draw(strategy)
    _round_trip(schema.clone(raw), schema,
                same_as_pyasn1=not isinstance(raw, int) or _pyasn1_writes(raw))


@given(bit_strings())
def test_bit_strings_round_trip(bits: tuple[bytes, int]) -> None:
    data, unused = bits
    value = univ.BitString.fromOctetString(data, padding=unused)
    _round_trip(value, univ.BitString())
    assert asn1.decode_plain(asn1.encode(value), univ.BitString()) == bits


@given(_times)
def test_times_round_trip(moment: datetime.datetime) -> None:
    utc = useful.UTCTime(moment.strftime("%y%m%d%H%M%SZ"))
    _round_trip(utc, useful.UTCTime())
    text = moment.strftime("%Y%m%d%H%M%S")
    if moment.microsecond:
        text += "." + f"{moment.microsecond:06d}".rstrip("0")
    gen = useful.GeneralizedTime(text + "Z")
    # pyasn1's DER encoder deletes zero digits inside a fraction (changing the
    # time) and refuses long fractions; csrlib writes the value as given.
    _round_trip(gen, useful.GeneralizedTime(), same_as_pyasn1=not moment.microsecond)
    plain = asn1.decode_plain(asn1.encode(gen), useful.GeneralizedTime())
    assert plain == moment.replace(tzinfo=datetime.timezone.utc)


class Record(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("id", univ.Integer()),
        namedtype.OptionalNamedType("label", char.UTF8String().subtype(
            implicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatSimple, 0))),
        namedtype.DefaultedNamedType("flag", univ.Boolean(False)),
        namedtype.NamedType("tags", univ.SetOf(componentType=univ.OctetString())),
        namedtype.OptionalNamedType("names", rfc5280.GeneralNames().subtype(
            explicitTag=tag.Tag(tag.tagClassContext, tag.tagFormatConstructed, 1))),
    )


_general_names = st.lists(st.one_of(
    st.text("abcdefghij.-", min_size=1, max_size=20).map(lambda s: ("dNSName", s)),
    st.binary(min_size=4, max_size=4).map(lambda b: ("iPAddress", b)),
    st.text("abc@.", min_size=1, max_size=20).map(lambda s: ("rfc822Name", s)),
), min_size=1, max_size=4)


@given(st.integers(-(2 ** 70), 2 ** 70), st.none() | st.text(max_size=10), st.booleans(),
       st.lists(st.binary(max_size=8), max_size=5), st.none() | _general_names)
def test_constructed_round_trip(
    ident: int, label: str | None, flag: bool, tags: list[bytes],
    names: list[tuple[str, Any]] | None,
) -> None:
    record = Record()
    record["id"] = ident
    if label is not None:
        record["label"] = label
    record["flag"] = flag
    record["tags"].extend(tags)
    if names is not None:
        for kind, text in names:
            general = rfc5280.GeneralName()
            general[kind] = text
            record["names"].append(general)
    _round_trip(record, Record(), same_as_pyasn1=_pyasn1_writes(ident))
    plain = asn1.decode_plain(asn1.encode(record), Record())
    assert plain[0] == ident and plain[1] == label and plain[2] is flag
    assert sorted(plain[3]) == sorted(tags)
    assert plain[4] == (None if names is None else [tuple(n) for n in names])


# -- hostile variations of valid requests ---------------------------------------


def _check_only_decode_error(data: bytes) -> None:
    """Decoding either fails with DecodeError or accepts canonical DER that pyasn1 agrees with."""
    try:
        ours = asn1.decode(data, CSR)
    except DecodeError as err:
        assert err.kind != "internal-error", err.__cause__
        try:
            asn1.decode_plain(data, CSR)
        except DecodeError as plain_err:
            assert (plain_err.kind, plain_err.offset, str(plain_err)) == (
                err.kind, err.offset, str(err))
        else:
            raise AssertionError("decode_plain accepted what decode rejected") from None
        return
    # Strict acceptance means canonical DER: it re-encodes to the same bytes.
    assert asn1.encode(ours) == data
    theirs, rest = pyasn1_decoder.decode(data, asn1Spec=CSR)
    assert rest == b"" and ours == theirs
    asn1.decode_plain(data, CSR)


def _large_collections() -> bytes:
    """Return a request whose name and subjectAltName are decoded by counting (past 256 octets)."""
    from tests.helpers import csr_der, extension, extension_request, name_der, tlv

    names = b"".join(tlv(0x82, f"host{i}.example".encode()) for i in range(30))
    names += tlv(0x87, bytes(4)) + tlv(0x81, b"a@b.example") + tlv(0x82, b"x" * 130)
    subject = name_der(*([("2.5.4.3", tlv(0x0C, f"name {i}".encode()))] for i in range(30)))
    return csr_der(subject=subject,
                   attributes=extension_request(extension("2.5.29.17", tlv(0x30, names))))


_LARGE = _large_collections()


@given(st.data())
def test_mutations_of_large_collections_raise_only_decode_error(data: st.DataObject) -> None:
    # The generated decoders count large collections' items and decode small
    # ones inline: mutated, both decoders still fail alike.
    der = bytearray(_LARGE)
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(der) - 1))
        der[pos] = data.draw(st.sampled_from([0x00, 0x7F, 0x80, 0x81, 0x82, 0xFF, 0x30, 0x31,
                                              0x1F, 0x9F, der[pos] ^ 1]))
    _check_only_decode_error(bytes(der))


@given(st.data())
def test_mutations_raise_only_decode_error(all_csrs: dict[str, bytes], data: st.DataObject) -> None:
    der = bytearray(data.draw(st.sampled_from(sorted(all_csrs.values()))))
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(der) - 1))
        action = data.draw(st.sampled_from(["flip", "set", "delete", "insert"]))
        if action == "flip":
            der[pos] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "set":
            der[pos] = data.draw(st.sampled_from([0x00, 0x80, 0x81, 0xFF, 0x30, 0x31, 0x1F]))
        elif action == "delete":
            del der[pos]
        else:
            der.insert(pos, data.draw(st.integers(0, 255)))
        if not der:
            break
    _check_only_decode_error(bytes(der))


def test_every_proper_prefix_is_rejected(all_csrs: dict[str, bytes]) -> None:
    for name, der in all_csrs.items():
        for end in range(len(der)):
            for decode in (asn1.decode, asn1.decode_plain):
                try:
                    decode(der[:end], CSR)
                except DecodeError as err:
                    assert err.kind in ("truncated", "length-overrun", "unexpected-tag",
                                        "missing-component"), (name, end, err)
                else:
                    raise AssertionError(f"{name}: prefix of {end} bytes accepted")


def test_trailing_bytes_are_rejected(all_csrs: dict[str, bytes]) -> None:
    for der in all_csrs.values():
        for tail in (b"\x00", b"\x00\x00", b"\x30\x00", der[:5], b"\n"):
            for decode in (asn1.decode, asn1.decode_plain):
                try:
                    decode(der + tail, CSR)
                except DecodeError as err:
                    assert (err.kind, err.offset) == ("trailing-data", len(der))
                else:
                    raise AssertionError("trailing bytes accepted")


def _window_outcome(dec: Any, buf: bytes, depth: int, max_depth: int, long_lengths: bool) -> Any:
    from csrlib.der.tlv import Context, Limits

    ctx = Context(Limits(max_depth=max_depth, max_length_octets=2 if long_lengths else 1))
    try:
        return dec(buf, 0, 0, len(buf), ctx, depth)
    except DecodeError as err:
        return ("error", err.kind, err.offset, str(err))


def _window(tag: int, form: int, declared: int, actual: int) -> bytes:
    # A header of one of the forms (0: short, else that many length octets;
    # 0x80 as a short length is the indefinite form) declaring ``declared``
    # octets, then ``actual`` octets of contents.
    if form == 0:
        head = bytes((tag, min(declared, 0x80)))
    else:
        head = bytes((tag, 0x80 | form)) + (declared % 256 ** form).to_bytes(form, "big")
    return head + bytes(actual)


def _windows() -> Any:
    for key in (0x02, 0x04, 0x30, 0x31, 0xA0):
        for first in (key, 0x30 if key != 0x30 else 0x31, 0x1F):
            for form in range(4):
                for declared in (0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x101, 300):
                    for actual in {max(0, declared - 1), declared, declared + 1}:
                        yield key, _window(first, form, declared, actual)
        for short in (b"", bytes((key,)), bytes((key, 0x82, 0x01))):
            yield key, short


def test_a_one_tag_window_is_read_as_the_general_window() -> None:
    compared = 0
    for key, buf in _windows():
        for depth, max_depth, long_lengths in ((0, 4, True), (0, 4, False), (3, 4, True),
                                               (4, 4, True), (0, 1, True)):
            _compare_windows(key, buf, depth, max_depth, long_lengths)
            compared += 1
    assert compared > 5000


@given(st.sampled_from([0x02, 0x30, 0xA0]), st.binary(max_size=8), st.integers(0, 4),
       st.integers(1, 4), st.booleans())
def test_any_octets_are_read_as_the_general_window(key: int, buf: bytes, depth: int,
                                                   max_depth: int, long_lengths: bool) -> None:
    _compare_windows(key, buf, depth, max_depth, long_lengths)


def _compare_windows(key: int, buf: bytes, depth: int, max_depth: int,
                     long_lengths: bool) -> None:
    # decoding._one_known reads a window of one low tag without _one's
    # dispatch: the same contents passed on, the same errors otherwise.
    from csrlib.asn1.decoding import _one, _one_known

    def contents(buf: bytes, h: int, c: int, e: int, ctx: Any, d: int) -> Any:
        return (h, c, e, d)

    assert _window_outcome(_one_known(key, contents), buf, depth, max_depth, long_lengths) == (
        _window_outcome(_one({key: contents}, None), buf, depth, max_depth, long_lengths))
