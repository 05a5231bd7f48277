"""A DER tree dump with offsets, lengths, tags and decoded primitives.

Like ``openssl asn1parse``, but strict: the dump stops at the first
departure from DER and says where and why.  Without a schema, the rules are
those of :func:`csrlib.der.generic.validate_content`, which checks the
contents of ANY and unknown open types the same way: tags and definite,
minimal lengths (X.690 10.1, 8.1.2), universal primitives by their own
rules, strings, OCTET STRING and BIT STRING primitive (X.690 10.2), and
SET contents in an order DER admits.  A schema-less SET may be a SET, whose
components DER puts in canonical tag order (X.690 10.3, X.680 8.6), or a
SET OF, whose elements DER sorts by their encodings (X.690 11.6); which one
cannot be told without the schema, so either order is accepted and anything
else is ``setof-unsorted``.  A SET whose elements all have one tag, the
common case, can only meet the second rule (equal tags are never in strictly
ascending tag order): it is read as the SET OF it most likely is.

String values are shown as they are, between quotes: a caller printing
them escapes them (``csrlib asn1`` does, :func:`csrlib.cli.text.escape`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..der.generic import validate_content
from ..der.primitives import decode_bit_string, decode_boolean, decode_integer, decode_oid
from ..der.strings import STRING_TYPES
from ..der.times import decode_generalized_time, decode_utc_time
from ..der.tlv import Context, Limits, describe_tag, key_number, read_header
from ..errors import DecodeError

__all__ = ["dump_lines"]

_UNIVERSAL_NAMES = {
    1: "BOOLEAN", 2: "INTEGER", 3: "BIT STRING", 4: "OCTET STRING", 5: "NULL",
    6: "OBJECT IDENTIFIER", 10: "ENUMERATED", 16: "SEQUENCE", 17: "SET",
    23: "UTCTime", 24: "GeneralizedTime",
    **{n: t.name for n, t in STRING_TYPES.items()},
}


def _tag_name(key: int) -> str:
    if key < 0x40 and key_number(key) in _UNIVERSAL_NAMES:
        return _UNIVERSAL_NAMES[key_number(key)]
    return describe_tag(key)


def _show(buf: bytes, key: int, c: int, e: int, ctx: Context) -> str:
    """Return a short rendering of a universal primitive's value."""
    number = key & 0x1F
    if key >= 0x40 or key & 0x20:
        return ""
    if number in (2, 10):
        value = decode_integer(buf, c, e, ctx)
        return f"{value:#x}" if e - c > 8 else str(value)
    if number == 1:
        return str(decode_boolean(buf, c, e, ctx))
    if number == 6:
        return decode_oid(buf, c, e, ctx)[0]
    if number == 3:
        data, unused = decode_bit_string(buf, c, e, ctx)
        return f"{len(data) * 8 - unused} bits {data[:16].hex()}{'...' if len(data) > 16 else ''}"
    if number == 4:
        return buf[c:e][:16].hex() + ("..." if e - c > 16 else "")
    if number == 23:
        return decode_utc_time(buf, c, e, ctx)
    if number == 24:
        return decode_generalized_time(buf, c, e, ctx)
    if number in STRING_TYPES:
        return f"'{STRING_TYPES[number].check(buf, c, e, ctx)}'"
    return ""


def _first_departure(buf: bytes, limits: Limits, strict: bool) -> DecodeError | None:
    """Return the first departure from DER of the outermost element, or None.

    The schema-less rules of :func:`csrlib.der.generic.validate_content`
    over the whole tree, checked before any line is yielded: the dump then
    yields the lines of the elements that start before the departure.
    """
    ctx = Context(limits, strict)
    try:
        key, c, e = read_header(buf, 0, len(buf), ctx)
        validate_content(buf, key, 0, c, e, ctx, 1)
    except DecodeError as exc:
        return exc
    return None


def dump_lines(data: bytes, *, strict: bool = True, limits: Limits | None = None) -> Iterator[str]:
    """Yield one line per element: offset, depth, header and contents lengths, tag, value.

    Raises DecodeError, after the lines of the elements before it, at the
    first departure from DER; encapsulated DER inside OCTET STRING and BIT
    STRING is not opened.
    """
    limits = limits or Limits()
    ctx = Context(limits, strict)
    buf = bytes(data)
    if not buf:
        raise DecodeError("truncated", 0, "empty input")
    if len(buf) > limits.max_size:
        raise DecodeError("size-limit", limits.max_size)
    departure = _first_departure(buf, limits, strict)
    stack: list[tuple[int, int]] = [(0, len(buf))]
    while stack:
        pos, end = stack.pop()
        if pos >= end:
            continue
        depth = len(stack)
        if depth == 0 and pos > 0:
            # X.690 / DESIGN rule 12: nothing after the outermost element.
            raise DecodeError("trailing-data", pos)
        if departure is not None and pos >= departure.offset:
            raise departure
        key, c, e = read_header(buf, pos, end, ctx)
        stack.append((e, end))
        value = ""
        if key & 0x20:
            stack.append((c, e))
        else:
            validate_content(buf, key, pos, c, e, ctx, depth + 1)
            value = _show(buf, key, c, e, ctx)
        yield (f"{pos:6d}:d={depth:<2d} hl={c - pos} l={e - c:5d} "
               f"{'cons' if key & 0x20 else 'prim'}: {'  ' * depth}{_tag_name(key)}"
               f"{'  ' + value if value else ''}")
        if len(stack) > ctx.max_depth:
            raise DecodeError("depth-limit", pos)
    if departure is not None:
        raise departure

