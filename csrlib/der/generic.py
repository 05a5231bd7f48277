"""Schema-less DER validation, for the contents of ANY and unknown open types.

Without a schema, every TLV is still checked: tag and length rules,
constructed contents made of whole elements, the universal primitive types
by their own rules, and SET contents in an order DER admits.  Context,
application and private primitives are opaque.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

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
    """Check that ``buf[pos:end]`` is a run of well-formed DER elements at ``depth``."""
    while pos < end:
        key, cs, ce = read_header(buf, pos, end, ctx)
        validate_content(buf, key, pos, cs, ce, ctx, depth)
        pos = ce


def validate_content(
    buf: bytes, key: int, h: int, c: int, e: int, ctx: Context, depth: int
) -> None:
    """Check the contents ``buf[c:e]`` of the element with tag ``key`` at offset ``h``."""
    check = _CHECKS.get(key)
    if check is not None:
        check(buf, c, e, ctx)
        return
    universal = not key & 0xC0
    number = key_number(key)
    if key & 0x20:
        if universal and number not in _CONSTRUCTED_TYPES:
            # X.690 10.2: primitive types, strings included, are primitive in DER.
            raise DecodeError("constructed-form", h)
        # Constructed contents are elements, whatever the class.
        _nested(buf, h, c, e, ctx, depth)
        if key == 0x31:
            _check_set_order(buf, c, e, ctx)
    elif universal:
        if number == 0:
            # X.690 8.1.5: end-of-contents belongs to the indefinite form only.
            raise DecodeError("unexpected-tag", h, "end-of-contents")
        if number in _CONSTRUCTED_TYPES:
            raise DecodeError("primitive-form", h)
    # Other primitives (OCTET STRING, REAL, non-universal tags) are opaque.


def _nested(buf: bytes, h: int, c: int, e: int, ctx: Context, depth: int) -> None:
    if depth >= ctx.max_depth:
        raise DecodeError("depth-limit", h)
    validate_elements(buf, c, e, ctx, depth + 1)


def _check_set_order(buf: bytes, pos: int, end: int, ctx: Context) -> None:
    # Without a schema a SET may be a SET OF (sorted by encoding, X.690 11.6)
    # or a SET (sorted by tag, X.690 10.3); either order is accepted.
    spans = []
    while pos < end:
        key, _, ce = read_header(buf, pos, end, ctx)
        spans.append((key, pos, ce))
        pos = ce
    by_encoding = all(buf[a[1] : a[2]] <= buf[b[1] : b[2]] for a, b in pairwise(spans))
    if by_encoding:
        return
    ranks = [(key & 0xC0, key_number(key)) for key, _, _ in spans]
    if all(a < b for a, b in pairwise(ranks)):
        return
    for a, b in pairwise(spans):
        if buf[a[1] : a[2]] > buf[b[1] : b[2]]:
            ctx.deviate("setof-unsorted", b[1])
            return
