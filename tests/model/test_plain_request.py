"""csrlib.model.plain_request: requests of the common shape read in one pass, as decoded.

Every test compares the one-pass reading with the general one
(``request._load_general``: the generated decoders, then the model),
field by field down to every value's type: the one-pass reader gives
the same request, or None and the general reading decides.
"""

from __future__ import annotations

import ipaddress
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import csrlib
from csrlib import DecodeError, Limits, request
from csrlib.frozen import field_names
from csrlib.fuzz.mutations import all_mutations
from csrlib.fuzz.strategies import csr_ders
from csrlib.model import plain_request
from csrlib.model.lazy import EAGER_MAX, LazySequence
from csrlib.model.plain_request import PLAIN_MAX_SIZE, read_plain_request
from tests.helpers import csr_der, extension, extension_request, name_der, oid, tlv
from tests.test_resource_bounds import KIB, SHAPES, build

_CORPUS = Path(__file__).resolve().parent.parent / "fuzz" / "corpus" / "csr"


def _tree(value: Any) -> Any:
    """Return a value as nested tuples of its type and its fields (or elements), all the way."""
    kind = type(value).__name__
    if isinstance(value, str | bytes | int | float | ipaddress.IPv4Address
                  | ipaddress.IPv6Address) or value is None:
        return (kind, value)
    if isinstance(value, LazySequence):
        # Its elements, and how it reads them: the same reader, mode, limits and paths.
        reader = value._reader
        return (kind, value._count, value._step, tuple(value._marks), reader.build.__qualname__,
                reader.strict, reader.limits, _tree(reader.args), reader.noun,
                tuple(_tree(item) for item in value))
    items = getattr(value, "_items", None)  # Extensions, Attributes
    if items is not None:
        return (kind, _tree(items))
    try:
        names = field_names(type(value))
    except TypeError:
        return (kind, tuple(_tree(item) for item in value))  # a tuple
    return (kind, tuple((name, _tree(getattr(value, name))) for name in names))


def _check(der: bytes) -> bool:
    """Assert that load reads ``der`` as the general reading does, both modes; True if plain."""
    plain = read_plain_request(der) is not None
    for strict in (True, False):
        try:
            general = request._load_general(der, strict, None)
        except Exception as err:  # DecodeError; BuildError from a lenient RDN, for now
            assert not plain, f"read in one pass, refused by the decoders: {err}"
            with pytest.raises(type(err)) as info:
                csrlib.load_der(der, strict=strict)
            assert str(info.value) == str(err)
            continue
        loaded = csrlib.load_der(der, strict=strict)
        assert _tree(loaded) == _tree(general)
        if plain:
            assert not general.deviations
        assert (read_plain_request(der, strict) is not None) == (
            plain and not general.deviations)
    return plain


def _corpus_bases() -> dict[str, bytes]:
    """Return corpus requests read in one pass, the first of each key type and extension count."""
    bases: dict[str, bytes] = {}
    for path in sorted(_CORPUS.iterdir()):
        try:
            request_ = csrlib.load(path.read_bytes())
        except DecodeError:
            continue
        label = f"{request_.public_key.key_type}, {len(request_.extensions)} extensions"
        if label not in bases and read_plain_request(request_.der) is not None:
            bases[label] = request_.der
    return bases


_BASES = _corpus_bases()


def test_the_corpus_reads_alike_and_most_of_it_in_one_pass() -> None:
    plain = loaded = 0
    for path in sorted(_CORPUS.iterdir()):
        data = path.read_bytes()
        try:
            der = csrlib.load(data, strict=False).der
        except DecodeError:
            continue
        loaded += 1
        plain += _check(der)
    # Of the 50, 17 load only leniently (they deviate from DER) and one
    # has an RDN of three attributes: the other 32 are read in one pass.
    assert loaded == 50 and plain == 32


def check_changes(der: bytes, seed: str) -> None:
    """Check, as _check does, every one-octet change, truncation and kind of malformation."""
    rng = random.Random(seed)
    for pos in range(len(der)):
        for flip in (0x01, 0x80, rng.randrange(1, 256)):
            changed = bytearray(der)
            changed[pos] ^= flip
            _check(bytes(changed))
    for end in range(len(der)):
        assert read_plain_request(der[:end]) is None
    assert read_plain_request(der + b"\x00") is None
    with pytest.raises(DecodeError, match="unexpected data after the last component"):
        csrlib.load_der(der + b"\x00")
    for _ in range(3):
        for mutated, _defect in all_mutations(der, rng):
            _check(mutated)


@pytest.mark.parametrize("label", list(_BASES))
def test_every_change_of_a_request_reads_alike(label: str) -> None:
    check_changes(_BASES[label], label)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csr_ders())
def test_generated_requests_read_alike(der: bytes) -> None:
    _check(der)


def _name_of(*values: tuple[str, int, bytes]) -> bytes:
    """Return a Name of one RDN per value, each of one attribute."""
    return name_der(*[[(oid, tlv(tag, value))] for oid, tag, value in values])


@pytest.mark.parametrize(("subject", "plain"), [
    # PrintableString with '@': an error strictly, a deviation leniently.
    (_name_of(("2.5.4.3", 0x13, b"a@b")), False),
    # A countryName as a UTF8String: the type does not allow it.
    (_name_of(("2.5.4.6", 0x0C, b"US")), False),
    # An attribute type with no rule on its value: the general reading.
    (_name_of(("1.2.3.4", 0x0C, b"x")), False),
    # A value in the long length form.
    (_name_of(("2.5.4.3", 0x0C, b"x" * 130)), False),
    # Two attributes in one RDN.
    (tlv(0x30, tlv(0x31, tlv(0x30, tlv(0x06, b"\x55\x04\x03") + tlv(0x0C, b"a"))
                   + tlv(0x30, tlv(0x06, b"\x55\x04\x0a") + tlv(0x0C, b"b")))), False),
    (_name_of(*[("2.5.4.3", 0x0C, b"n")] * EAGER_MAX), True),
    (_name_of(*[("2.5.4.3", 0x0C, b"n")] * (EAGER_MAX + 1)), False),
    (_name_of(("2.5.4.3", 0x0C, "é".encode()), ("2.5.4.5", 0x13, b"42")), True),
    (_name_of(("2.5.4.3", 0x0C, b"\xff")), False),
])
def test_subjects(subject: bytes, plain: bool) -> None:
    assert _check(csr_der(subject=subject)) is plain


def _san(*names: bytes, critical: bytes = b"") -> bytes:
    return csr_der(attributes=extension_request(
        extension("2.5.29.17", tlv(0x30, b"".join(names)), critical)))


@pytest.mark.parametrize(("der", "plain"), [
    (_san(tlv(0x82, b"a.example"), tlv(0x87, bytes(4)), tlv(0x87, bytes(16))), True),
    (_san(tlv(0x82, b"a.example"), critical=b"\x01\x01\xff"), True),
    # DER never encodes the DEFAULT FALSE.
    (_san(tlv(0x82, b"a.example"), critical=b"\x01\x01\x00"), False),
    (_san(tlv(0x87, bytes(5))), False),  # an iPAddress of five octets
    (_san(tlv(0x82, b"caf\xc3\xa9.example")), False),  # not IA5
    (_san(tlv(0x81, b"a@example.com")), True),  # rfc822Name: the general reader of one
    (_san(), False),  # SIZE (1..MAX)
    (_san(tlv(0x82, b"")), True),
    # Past 512 names: the general reader of one extension (kept lazily).
    (_san(*[tlv(0x82, b"n")] * 600), True),
    (_san(*[tlv(0x82, b"n")] * 512), True),
    (csr_der(attributes=extension_request(extension("2.5.29.17", tlv(0x30, tlv(0x82, b"a")))
                                          + extension("2.5.29.17", tlv(0x30, tlv(0x82, b"b"))))),
     False),  # duplicate-extension
    (csr_der(attributes=b"\xa0\x00"), True),
    (csr_der(attributes=None), False),  # attributes-missing: leniently only
    (csr_der(attributes=extension_request()), False),  # an empty extension request
    # basicConstraints with a path length and no cA: a deviation leniently.
    (csr_der(attributes=extension_request(extension("2.5.29.19", tlv(0x30, b"\x02\x01\x01")))),
     False),
    (csr_der(attributes=extension_request(
        *[extension(f"1.2.3.{i}", b"\x05\x00") for i in range(EAGER_MAX)])), True),
    (csr_der(attributes=extension_request(
        *[extension(f"1.2.3.{i}", b"\x05\x00") for i in range(EAGER_MAX + 1)])), False),
    (csr_der(version=b"\x02\x01\x01"), False),
    (csr_der(signature=b"\x03\x03\x01\x01\x02"), False),  # unused bits
    (csr_der(signature_algorithm=bytes.fromhex("300c06082a8648ce3d0403020500")), False),
])
def test_extensions_attributes_and_the_rest(der: bytes, plain: bool) -> None:
    assert _check(der) is plain


def test_names_past_those_kept_are_read_lazily_as_the_general_reading_keeps_them() -> None:
    for count, kept in ((512, tuple), (513, LazySequence)):
        der = _san(*[tlv(0x82, b"n")] * count)
        san = csrlib.load(der).extensions[0].value
        assert type(san.names) is kept  # type: ignore[union-attr]
        assert len(san.names) == count  # type: ignore[union-attr]


def test_a_load_takes_the_one_pass_reading_only_with_the_default_limits(
        monkeypatch: pytest.MonkeyPatch) -> None:
    der = next(iter(_BASES.values()))

    def refuse(*args: Any) -> None:
        raise AssertionError("the general reading")

    monkeypatch.setattr(request, "_load_general", refuse)
    for limits in (None, Limits()):
        assert csrlib.load(der, limits=limits).der == der
        assert csrlib.load(der, strict=False, limits=limits).der == der
    with pytest.raises(AssertionError, match="general"):
        csrlib.load(der, limits=Limits(max_depth=5))
    with pytest.raises(AssertionError, match="general"):
        csrlib.load(der[:-1])


def test_a_large_request_is_left_to_the_decoders(monkeypatch: pytest.MonkeyPatch) -> None:
    # An unknown extension's value just large enough: the request is one
    # the one-pass reader reads when asked.
    value = tlv(0x04, bytes(PLAIN_MAX_SIZE - 180))
    der = csr_der(attributes=extension_request(extension("1.2.3.4", value)))
    assert len(der) > PLAIN_MAX_SIZE and read_plain_request(der) is not None
    calls: list[bytes] = []
    monkeypatch.setattr(plain_request, "_read", lambda buf, strict: calls.append(buf))
    csrlib.load(der)
    assert calls == []


def test_an_element_running_past_its_parent_is_left_to_the_decoders() -> None:
    # The last Extension's length (and its value's) claim the octets after
    # the info too: the signature algorithm and the signature, which are
    # still where the info's length says.
    tail = bytes.fromhex("300a06082a8648ce3d040302") + b"\x03\x03\x00\x01\x02"
    real = tlv(0x30, tlv(0x06, b"\x2a\x03\x04") + tlv(0x04, b"\x05\x00"))
    overrun = bytes([0x30, real[1] + len(tail)]) + real[2:7] + bytes(
        [0x04, real[8] + len(tail)]) + real[9:]
    der = csr_der(attributes=tlv(0xA0, tlv(0x30, tlv(0x06, bytes.fromhex("2a864886f70d01090e"))
                                           + tlv(0x31, tlv(0x30, overrun)))))
    assert der.endswith(tail)
    assert not _check(der)
    with pytest.raises(DecodeError, match="past the end of the enclosing element"):
        csrlib.load_der(der)


def _attribute_der(oid_text: str, *values: bytes) -> bytes:
    return tlv(0x30, oid(oid_text) + tlv(0x31, b"".join(values)))


_PASSWORD = _attribute_der("1.2.840.113549.1.9.7", tlv(0x13, b"secret"))
_REQUESTED = _attribute_der("1.2.840.113549.1.9.14", tlv(0x30, extension(
    "2.5.29.17", tlv(0x30, tlv(0x82, b"a.example")))))
_UNKNOWN = _attribute_der("1.2.3.4", tlv(0x05, b""), tlv(0x0C, b"x"))


@pytest.mark.parametrize(("attributes", "plain"), [
    (sorted([_PASSWORD, _REQUESTED, _UNKNOWN]), True),
    (sorted([_PASSWORD, _REQUESTED, _UNKNOWN], reverse=True), False),  # not in DER order
    ([_PASSWORD], True),
    ([_REQUESTED, _REQUESTED], False),  # a repeated extension request
    ([_attribute_der("1.2.840.113549.1.9.14", *sorted(
        tlv(0x30, extension(oid_text, b"\x05\x00")) for oid_text in ("1.2.3", "1.2.4")))],
     False),  # two values of a single-valued attribute
    ([_attribute_der("1.2.840.113549.1.9.7", tlv(0x13, b"a"), tlv(0x13, b"b"))], False),
    ([_attribute_der("1.2.840.113549.1.9.7", tlv(0x0C, b"\xff"))], False),
    ([_attribute_der("1.3.6.1.4.1.311.2.1.14", tlv(0x30, extension(
        "2.5.29.17", tlv(0x30, tlv(0x82, b"a.example")))))], False),  # Microsoft's: joined
])
def test_other_attributes_are_read_by_the_general_reader_of_one(attributes: list[bytes],
                                                                plain: bool) -> None:
    assert _check(csr_der(attributes=tlv(0xA0, b"".join(attributes)))) is plain


@pytest.mark.parametrize("shape", SHAPES)
def test_the_resource_shapes_read_alike(shape: str) -> None:
    for size in (KIB, 8 * KIB, PLAIN_MAX_SIZE):
        _check(build(shape, size))


def _nested(depth: int) -> bytes:
    """Return SEQUENCEs nested ``depth`` deep around a NULL."""
    element = b"\x05\x00"
    for _ in range(depth):
        element = tlv(0x30, element)
    return element


#: Where a value nested deep sits, each read by a general reader of one
#: part: the key's algorithm parameters, the signature algorithm's, an
#: attribute's value, an otherName in a subjectAltName.
_DEEP = {
    "key parameters": lambda d: csr_der(spki=tlv(0x30, tlv(0x30, oid("1.2.3.4") + _nested(d))
                                                 + tlv(0x03, b"\x00\x01"))),
    "algorithm parameters": lambda d: csr_der(
        signature_algorithm=tlv(0x30, oid("1.2.3.4") + _nested(d))),
    "attribute value": lambda d: csr_der(attributes=tlv(0xA0, _attribute_der("1.2.3.4",
                                                                           _nested(d)))),
    "otherName": lambda d: _san(tlv(0xA0, oid("1.2.3.4") + tlv(0xA0, _nested(d)))),
}


@pytest.mark.parametrize("where", list(_DEEP))
def test_depth_limits_hold_where_general_readers_of_one_part_read(where: str) -> None:
    outcomes = []
    for depth in range(12, 34):
        der = _DEEP[where](depth)
        plain = _check(der)
        try:
            request._load_general(der, True, None)
        except DecodeError as err:
            assert err.kind == "depth-limit"
            outcomes.append("refused")
        else:
            outcomes.append("one pass" if plain else "general")
    # The sweep crosses the limit: read in one pass below it, refused past it.
    assert "one pass" in outcomes and "refused" in outcomes and "general" not in outcomes


def test_whatever_a_general_part_reader_raises_leaves_the_request_to_the_general_reading(
        ) -> None:
    # Lenient mode reads a long-form length; the RDN's two attributes are then
    # equal in DER, which building the RDN refuses with BuildError (documented
    # in read_name). The one pass gives None; the general reading decides.
    rdn = tlv(0x31, tlv(0x30, oid("2.5.4.3") + b"\x0c\x01a")
              + tlv(0x30, oid("2.5.4.3") + b"\x0c\x81\x01a"))
    der = _san(tlv(0xA4, tlv(0x30, rdn)))
    assert read_plain_request(der, False) is None
    assert not _check(der)
    # Broken at the signature algorithm too: the general reading's error, as before.
    broken = csr_der(attributes=extension_request(extension(
        "2.5.29.17", tlv(0x30, tlv(0xA4, tlv(0x30, rdn))))),
        signature_algorithm=bytes.fromhex("3003020100"))
    with pytest.raises(DecodeError) as info:
        csrlib.load_der(broken, strict=False)
    assert info.value.kind == "unexpected-tag"
