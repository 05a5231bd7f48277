"""Schema-less DER validation, for the contents of ANY and unknown open types.

Without a schema, every TLV is still checked: tag and length rules,
constructed contents made of whole elements, the universal primitive types
by their own rules, and SET contents in an order DER admits.  Context,
application and private primitives are opaque.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import DecodeError
from .primitives import (
    decode_bit_string,
    decode_boolean,
    decode_integer,
    decode_null,
    decode_oid,
    decode_real,
    decode_relative_oid,
)
from .strings import STRING_TYPES
from .times import decode_generalized_time, decode_utc_time
from .tlv import Context, key_number, read_header

__all__ = ["validate_content", "validate_elements"]

# Universal types whose encoding is always constructed (X.690 8.9-8.12, 8.18,
# 8.21.6): SEQUENCE, SET, EXTERNAL, EMBEDDED PDV, CHARACTER STRING.
_CONSTRUCTED_TYPES = frozenset((8, 11, 16, 17, 29))
# Checks of universal primitives, by tag key (the tag number, for these).
_CHECKS: dict[int, Callable[[bytes, int, int, Context], object]] = {
    1: decode_boolean,
    2: decode_integer,
    3: decode_bit_string,
    5: decode_null,
    6: decode_oid,
    9: decode_real,
    10: decode_integer,
    13: decode_relative_oid,
    23: decode_utc_time,
    24: decode_generalized_time,
    **{number: stype.check for number, stype in STRING_TYPES.items()},
}


def validate_elements(buf: bytes, pos: int, end: int, ctx: Context, depth: int) -> None:
    """Check that ``buf[pos:end]`` is a run of well-formed DER elements at ``depth``.

    Returns None; raises DecodeError at the first departure from DER (and, in
    lenient mode, records the deviations it tolerates in ``ctx``).
    """
    _walk(buf, [[pos, end, depth, -1]], ctx)


def validate_content(
    buf: bytes, key: int, h: int, c: int, e: int, ctx: Context, depth: int
) -> None:
    """Check the contents ``buf[c:e]`` of the element with tag ``key`` at offset ``h``.

    ``depth`` is the element's nesting depth.  Returns None; raises
    DecodeError as :func:`validate_elements`.  The walk is iterative, so
    its stack use does not grow with the nesting of the value.
    """
    check = _CHECKS.get(key)
    if check is not None:
        # A universal primitive (the common case): checked by its own rules.
        check(buf, c, e, ctx)
    elif _opens(buf, key, h, c, e, ctx, depth):
        _walk(buf, [[c, e, depth + 1, c if key == 0x31 else -1]], ctx)


def _opens(buf: bytes, key: int, h: int, c: int, e: int, ctx: Context, depth: int) -> bool:
    """Check one element by its tag; return whether its contents are elements to walk."""
    check = _CHECKS.get(key)
    if check is not None:
        check(buf, c, e, ctx)
        return False
    universal = not key & 0xC0
    number = key_number(key)
    if key & 0x20:
        if universal and number not in _CONSTRUCTED_TYPES:
            # X.690 10.2: primitive types, strings included, are primitive in DER.
            raise DecodeError("constructed-form", h)
        if depth >= ctx.max_depth:
            raise DecodeError("depth-limit", h)
        # Constructed contents are elements, whatever the class.
        return True
    if universal:
        if number == 0:
            # X.690 8.1.5: end-of-contents belongs to the indefinite form only.
            raise DecodeError("unexpected-tag", h, "end-of-contents")
        if number in _CONSTRUCTED_TYPES:
            raise DecodeError("primitive-form", h)
    # Other primitives (OCTET STRING, REAL, non-universal tags) are opaque.
    return False


def _walk(buf: bytes, stack: list[list[int]], ctx: Context) -> None:
    """Check the elements of each constructed contents on ``stack``, depth first.

    A frame is ``[next position, end, depth of its elements, SET contents
    start or -1]``; a SET's order is checked once its elements are (as the
    recursive definition would: an error inside an element comes first).
    """
    while stack:
        frame = stack[-1]
        pos, end, depth, set_start = frame
        if pos >= end:
            stack.pop()
            if set_start >= 0:
                _check_set_order(buf, set_start, end, ctx)
            continue
        key, cs, ce = read_header(buf, pos, end, ctx)
        frame[0] = ce
        if _opens(buf, key, pos, cs, ce, ctx, depth):
            stack.append([cs, ce, depth + 1, cs if key == 0x31 else -1])


def _check_set_order(buf: bytes, pos: int, end: int, ctx: Context) -> None:
    """Accept a SET's elements in either order DER gives; record the first out of order.

    Without a schema a SET may be a SET OF (sorted by encoding, X.690 11.6)
    or a SET (sorted by tag, X.690 10.3).  Each pass keeps only the previous
    element, so a SET of many elements costs no memory per element.
    """
    if _ascending(buf, pos, end, ctx, by_tag=False) < 0:
        return
    if _ascending(buf, pos, end, ctx, by_tag=True) < 0:
        return
    ctx.deviate("setof-unsorted", _ascending(buf, pos, end, ctx, by_tag=False))


def _ascending(buf: bytes, pos: int, end: int, ctx: Context, by_tag: bool) -> int:
    """Return the offset of the first element out of order, or -1 if all are in order.

    By encoding: each not greater than the next (equal encodings may repeat);
    by tag: class, then number, strictly ascending.
    """
    prev_rank = (-1, -1)
    prev = b""
    while pos < end:
        key, _, ce = read_header(buf, pos, end, ctx)
        if by_tag:
            rank = (key & 0xC0, key_number(key))
            if rank <= prev_rank:
                return pos
            prev_rank = rank
        else:
            encoding = buf[pos:ce]
            if encoding < prev:
                return pos
            prev = encoding
        pos = ce
    return -1
