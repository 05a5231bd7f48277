"""Encode pyasn1 value objects as DER, byte for byte as pyasn1's DER encoder does.

The encoder follows the values themselves (their class, tags and component
types), as pyasn1's does, so values built by hand, decoded by either
decoder, or holding decoded open types all encode.  Departures, each toward
DER where pyasn1 would emit something else or fail later:

* strings outside their type's alphabet, non-DER times and ANY contents that
  are not well-formed DER raise :class:`EncodeError` instead of being
  written;
* a named BIT STRING (KeyUsage) loses its trailing zero bits (X.690 11.2.2);
* an OPTIONAL component that is present with empty contents (an empty SET
  OF, say) is written: pyasn1 leaves it out, so its output decodes to a
  different value;
* INTEGERs -2**(8k-1) take k octets (-128 is ``02 01 80``); pyasn1 writes
  one octet more;
* SET components are ordered by their outermost tag (X.690 10.3, X.680 8.6);
  pyasn1 orders explicitly tagged components by their inner tag;
* a GeneralizedTime fraction is written as given: pyasn1 (0.6.x) deletes zero
  digits inside a fraction, changing the time, and refuses fractions longer
  than four digits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyasn1.error import PyAsn1Error
from pyasn1.type import univ
from pyasn1.type.base import noValue

from ..der.generic import validate_content
from ..der.primitives import encode_bit_string, encode_boolean, encode_integer, encode_oid
from ..der.strings import encode_string
from ..der.times import decode_generalized_time, decode_utc_time
from ..der.tlv import Context, encode_length, encode_tag, read_header
from ..errors import DecodeError, EncodeError
from .types import (
    ANY,
    BIT_STRING,
    BOOLEAN,
    CHOICE,
    ENUMERATED,
    GENERALIZED_TIME,
    INTEGER,
    NULL,
    OCTET_STRING,
    OID,
    SEQUENCE,
    SEQUENCE_OF,
    SET,
    SET_OF,
    STRING,
    UTC_TIME,
    constraint_checker,
    kind_of,
    string_number,
    tag_keys,
)

__all__ = ["default_encoding", "encode"]

_STRICT = Context()
_TAGS: dict[tuple[Any, int], tuple[bytes, ...]] = {}


def encode(value: Any) -> bytes:
    """Return the DER encoding of a pyasn1 value object.

    Raises EncodeError for a value that has no DER encoding: a missing
    required component, a schema object without a value, a string outside
    its alphabet, an unsupported type.
    """
    try:
        return _encode(value)
    except EncodeError:
        raise
    except (PyAsn1Error, TypeError, ValueError, AttributeError, KeyError,
            IndexError, OverflowError) as exc:
        raise EncodeError(f"cannot encode {type(value).__name__}: {exc}") from exc


def _encode(value: Any) -> bytes:
    """Return the encoding of ``value``."""
    kind = _kind(value)
    return _wrap(_BODIES[kind](value), value.tagSet, kind)


_KINDS: dict[type[Any], int] = {}


def _kind(value: Any) -> int:
    cls = type(value)
    kind = _KINDS.get(cls)
    if kind is None:
        kind = _KINDS[cls] = kind_of(value)
    return kind


def _wrap(body: bytes, tag_set: Any, kind: int) -> bytes:
    """Return ``body`` inside the tags of ``tag_set``, innermost first."""
    key = (tag_set, kind)
    tags = _TAGS.get(key)
    if tags is None:
        tags = _TAGS[key] = tuple(encode_tag(k) for k in reversed(tag_keys(tag_set, kind)))
    for tag_bytes in tags:
        n = len(body)
        body = tag_bytes + (bytes((n,)) if n < 0x80 else encode_length(n)) + body
    return body


def _simple_value(value: Any) -> Any:
    raw = value._value
    if raw is noValue:
        raise EncodeError(f"{type(value).__name__} schema object has no value")
    return raw


def _integer(value: Any) -> bytes:
    return encode_integer(int(_simple_value(value)))


def _boolean(value: Any) -> bytes:
    return encode_boolean(bool(_simple_value(value)))


def _null(value: Any) -> bytes:
    _simple_value(value)
    return b""


def _oid(value: Any) -> bytes:
    return encode_oid(_simple_value(value))


def _bit_string(value: Any) -> bytes:
    bits = _simple_value(value)
    nbits = len(bits)
    nbytes = (nbits + 7) // 8
    unused = nbytes * 8 - nbits
    data = (int(bits) << unused).to_bytes(nbytes, "big")
    return encode_bit_string(data, unused, named=bool(value.namedValues))


def _octets(value: Any) -> bytes:
    return bytes(_simple_value(value))


def _string(value: Any) -> bytes:
    return encode_string(string_number(value), str(_simple_value(value)))


def _time(check: Callable[[bytes, int, int, Context], str]) -> Callable[[Any], bytes]:
    def body(value: Any) -> bytes:
        raw = str(_simple_value(value)).encode("ascii", "replace")
        try:
            check(raw, 0, len(raw), _STRICT)
        except DecodeError as exc:
            raise EncodeError(f"{type(value).__name__} {raw!r} is not in DER form: {exc}") from None
        return raw

    return body


def _any(value: Any) -> bytes:
    raw = bytes(_simple_value(value))
    try:
        if not value.tagSet:
            k, cs, ce = read_header(raw, 0, len(raw), _STRICT)
            if ce != len(raw):
                raise DecodeError("trailing-data", ce)
            validate_content(raw, k, 0, cs, ce, _STRICT, 1)
        elif tag_keys(value.tagSet, ANY)[-1] & 0x20:
            # An explicit tag holds exactly one element.
            k, cs, ce = read_header(raw, 0, len(raw), _STRICT)
            if ce != len(raw):
                raise DecodeError("trailing-data", ce)
            validate_content(raw, k, 0, cs, ce, _STRICT, 1)
    except DecodeError as exc:
        raise EncodeError(f"ANY value is not DER: {exc}") from None
    return raw


def _choice(value: Any) -> bytes:
    idx = value._currentIdx
    if idx is None:
        raise EncodeError(f"{type(value).__name__} has no alternative chosen")
    return _encode(value._componentValues[idx])


def _sequence(value: Any) -> bytes:
    components = value._componentValues
    if components is noValue:
        raise EncodeError(f"{type(value).__name__} schema object has no value")
    parts = []
    count = len(components)
    for idx, nt in enumerate(value.componentType.namedTypes):
        comp = components[idx] if idx < count else noValue
        if nt.isOptional or nt.isDefaulted:
            # pyasn1 leaves out such components unless they are complete values.
            if comp is noValue or not comp.isValue:
                continue
        elif comp is noValue:
            raise EncodeError(f"{type(value).__name__} is missing component {nt.name!r}")
        if nt.openType is not None:
            chunk = _open(comp, nt.asn1Object)
        else:
            chunk = _encode(comp)
        if nt.isDefaulted and chunk == default_encoding(nt.asn1Object):
            # X.690 11.5: a value equal to the DEFAULT is not encoded.
            continue
        parts.append(chunk)
    if value.typeId == univ.Set.typeId:
        # X.690 10.3: SET components in canonical order of their tags.
        parts.sort(key=_tag_rank)
    return b"".join(parts)


def _tag_rank(encoding: bytes) -> tuple[int, int]:
    first = encoding[0]
    if first & 0x1F != 0x1F:
        return first & 0xC0, first & 0x1F
    key = read_header(encoding, 0, len(encoding), _STRICT)[0]
    return first & 0xC0, key >> 8


def _open(comp: Any, holder: Any) -> bytes:
    """Encode an open-type component, wrapped in its holder's tags if it was decoded."""
    if _kind(holder) in (SET_OF, SEQUENCE_OF):
        element_holder = holder.componentType
        chunks = [_wrap_open(_encode(item), element_holder, item) for item in _items(comp)]
        return _wrap(_collection_body(comp, chunks), comp.tagSet, _kind(comp))
    return _wrap_open(_encode(comp), holder, comp)


def _wrap_open(chunk: bytes, holder: Any, comp: Any) -> bytes:
    if comp.tagSet is holder.tagSet or holder.isSameTypeWith(comp):
        return chunk
    return _wrap(chunk, holder.tagSet, ANY)


def _items(value: Any) -> list[Any]:
    components = value._componentValues
    return [] if components is noValue else [components[i] for i in sorted(components)]


def _collection(value: Any) -> bytes:
    return _collection_body(value, [_encode(item) for item in _items(value)])


_CHECKERS: dict[tuple[int, Any], Any] = {}


def _collection_body(value: Any, chunks: list[bytes]) -> bytes:
    key = (value.typeId, value.subtypeSpec)
    if key not in _CHECKERS:
        _CHECKERS[key] = constraint_checker(value, _kind(value))
    check = _CHECKERS[key]
    if check is not None:
        why = check(chunks)
        if why is not None:
            raise EncodeError(f"{type(value).__name__}: {why}")
    if value.typeId == univ.SetOf.typeId:
        # X.690 11.6: SET OF elements in ascending order of their encodings.
        chunks.sort()
    return b"".join(chunks)


_DEFAULTS: dict[int, tuple[Any, bytes | None]] = {}


def default_encoding(default: Any) -> bytes | None:
    """Return the DER of a DEFAULT value object, or None if it has no value."""
    hit = _DEFAULTS.get(id(default))
    if hit is None or hit[0] is not default:
        try:
            der: bytes | None = encode(default)
        except EncodeError:
            der = None
        hit = _DEFAULTS[id(default)] = (default, der)
    return hit[1]


_BODIES: dict[int, Callable[[Any], bytes]] = {
    SEQUENCE: _sequence,
    SET: _sequence,
    SEQUENCE_OF: _collection,
    SET_OF: _collection,
    CHOICE: _choice,
    ANY: _any,
    INTEGER: _integer,
    ENUMERATED: _integer,
    BOOLEAN: _boolean,
    NULL: _null,
    BIT_STRING: _bit_string,
    OCTET_STRING: _octets,
    OID: _oid,
    STRING: _string,
    UTC_TIME: _time(decode_utc_time),
    GENERALIZED_TIME: _time(decode_generalized_time),
}
