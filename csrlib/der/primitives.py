"""Contents of the non-string primitive types: decode strictly, encode canonically.

Decoders take ``(buf, start, end, ctx)``: the contents octets are
``buf[start:end]``; errors carry the offset of the offending octet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import DecodeError, EncodeError
from .tlv import DEFAULT_LIMITS, OID_CACHE, OID_CACHE_MAX, OID_CACHE_OCTETS, Context

__all__ = [
    "OID_CACHE",
    "decode_bit_string",
    "decode_boolean",
    "decode_integer",
    "decode_null",
    "decode_oid",
    "decode_real",
    "decode_relative_oid",
    "encode_bit_string",
    "encode_boolean",
    "encode_integer",
    "encode_oid",
    "oid_arcs",
]


def decode_integer(buf: bytes, c: int, e: int, ctx: Context) -> int:
    """Return the INTEGER (or ENUMERATED) in ``buf[c:e]``."""
    if e == c:
        # X.690 8.3.1: one or more octets.
        raise DecodeError("empty-integer", c)
    if e - c > 1:
        b0 = buf[c]
        # X.690 8.3.2: the first nine bits are not all ones or all zeros.
        if (b0 == 0 and buf[c + 1] < 0x80) or (b0 == 0xFF and buf[c + 1] >= 0x80):
            ctx.deviate("nonminimal-integer", c)
    return int.from_bytes(buf[c:e], "big", signed=True)


def encode_integer(value: int) -> bytes:
    """Return the minimal two's-complement contents of ``value`` (X.690 8.3)."""
    return value.to_bytes((value + (value < 0)).bit_length() // 8 + 1, "big", signed=True)


def decode_boolean(buf: bytes, c: int, e: int, ctx: Context) -> bool:
    """Return the BOOLEAN in ``buf[c:e]``."""
    # X.690 8.2.1: exactly one octet.
    if e - c != 1:
        raise DecodeError("bool-length", c)
    b = buf[c]
    # X.690 11.1: true is 0xff.
    if b not in (0, 0xFF):
        ctx.deviate("bool-nonstandard", c)
    return b != 0


def encode_boolean(value: bool) -> bytes:
    """Return the DER contents of a BOOLEAN."""
    return b"\xff" if value else b"\x00"


def decode_null(buf: bytes, c: int, e: int, ctx: Context) -> None:
    """Check that a NULL has no contents (X.690 8.8.2)."""
    if e != c:
        raise DecodeError("null-length", c)


# -- OBJECT IDENTIFIER -------------------------------------------------------

#: Bound of the encoders' caches (OIDs a program writes: never cleared).
_ENCODED_MAX = 4096


def decode_oid(buf: bytes, c: int, e: int, ctx: Context) -> tuple[str, tuple[int, ...]]:
    """Return the OBJECT IDENTIFIER in ``buf[c:e]`` as (dotted string, arcs).

    Raises DecodeError for an OID that breaks X.690 8.19 or the limits.
    """
    raw = buf[c:e]
    hit = OID_CACHE.get(raw)
    if hit is None or hit[2] > ctx.max_oid_arcs or hit[3] > ctx.max_oid_octets:
        hit = _parse_oid(raw, c, ctx)
        if (e - c <= OID_CACHE_OCTETS and hit[2] <= DEFAULT_LIMITS.max_oid_arcs
                and hit[3] <= DEFAULT_LIMITS.max_oid_arc_octets):
            if len(OID_CACHE) >= OID_CACHE_MAX:
                OID_CACHE.clear()
            OID_CACHE[raw] = hit
    return hit[0], hit[1]


def _parse_oid(raw: bytes, c: int, ctx: Context) -> tuple[str, tuple[int, ...], int, int]:
    if not raw:
        raise DecodeError("empty-oid", c)
    # X.690 8.19.2: the last octet of every arc has bit 8 clear.
    if raw[-1] & 0x80:
        raise DecodeError("truncated-oid", c + len(raw) - 1)
    max_arcs = ctx.max_oid_arcs
    max_octets = ctx.max_oid_octets
    # Limit errors point at the first octet of the arc that breaks the limit.
    if raw.isascii():
        # Every arc fits in one octet: the common case.
        subids = list(raw)
        longest = 1
        if len(subids) + 1 > max_arcs:
            raise DecodeError("oid-limit", c + max(max_arcs - 1, 0),
                              f"more than {max_arcs} arcs")
    else:
        subids = []
        value = 0
        octets = 0
        longest = 1
        for i, b in enumerate(raw):
            # X.690 8.19.2: no leading 0x80 octet in an arc.
            if octets == 0 and b == 0x80:
                raise DecodeError("nonminimal-oid", c + i)
            octets += 1
            if octets > max_octets:
                raise DecodeError("oid-limit", c + i - max_octets,
                                  f"arc longer than {max_octets} octets")
            value = value << 7 | (b & 0x7F)
            if b < 0x80:
                subids.append(value)
                if len(subids) + 1 > max_arcs:
                    raise DecodeError("oid-limit", c + i + 1 - octets,
                                      f"more than {max_arcs} arcs")
                longest = max(longest, octets)
                value = 0
                octets = 0
    first = subids[0]
    # X.690 8.19.4: the first subidentifier packs the first two arcs.
    if first < 40:
        arcs = (0, first, *subids[1:])
    elif first < 80:
        arcs = (1, first - 40, *subids[1:])
    else:
        arcs = (2, first - 80, *subids[1:])
    return ".".join(map(str, arcs)), arcs, len(arcs), longest


def decode_relative_oid(buf: bytes, c: int, e: int, ctx: Context) -> tuple[int, ...]:
    """Return the arcs of a RELATIVE-OID (X.690 8.20), checked like OID arcs."""
    raw = buf[c:e]
    if not raw:
        raise DecodeError("empty-oid", c)
    if raw[-1] & 0x80:
        raise DecodeError("truncated-oid", e - 1)
    arcs: list[int] = []
    value = 0
    start = True
    for i, b in enumerate(raw):
        if start and b == 0x80:
            raise DecodeError("nonminimal-oid", c + i)
        if i - len(arcs) > ctx.max_oid_octets * (len(arcs) + 1):
            raise DecodeError("oid-limit", c + i)
        value = value << 7 | (b & 0x7F)
        start = b < 0x80
        if start:
            arcs.append(value)
            value = 0
            if len(arcs) > ctx.max_oid_arcs:
                raise DecodeError("oid-limit", c + i)
    return tuple(arcs)


_REAL_DECIMAL = re.compile(rb"-?[1-9](?:[0-9]*[1-9])?\.E(?:\+0|-?[1-9][0-9]*)")


def decode_real(buf: bytes, c: int, e: int, ctx: Context) -> None:
    """Check a REAL in its DER form (X.690 8.5, 11.3); the value is not built."""
    if c == e:
        return  # zero
    first = buf[c]
    if first & 0x80:
        # Binary: base 2, scale factor 0 (X.690 11.3.1), minimal exponent,
        # odd mantissa without leading zero octets.
        if first & 0x3C:
            raise DecodeError("bad-real", c, "base 2 and scale factor 0 required")
        size = (first & 3) + 1
        p = c + 1
        if size == 4:
            if p >= e:
                raise DecodeError("bad-real", c)
            size = buf[p]
            p += 1
        if size == 0 or p + size >= e:
            raise DecodeError("bad-real", c, "exponent or mantissa missing")
        if size > 1 and ((buf[p] == 0 and buf[p + 1] < 0x80)
                         or (buf[p] == 0xFF and buf[p + 1] >= 0x80)):
            raise DecodeError("bad-real", p, "non-minimal exponent")
        mantissa = p + size
        if buf[mantissa] == 0 or not buf[e - 1] & 1:
            raise DecodeError("bad-real", mantissa, "mantissa not minimal and odd")
    elif first & 0x40:
        # Special values: +inf, -inf, NaN, -0, one octet each (X.690 8.5.9).
        if e - c != 1 or first > 0x43:
            raise DecodeError("bad-real", c, "special value")
    elif first != 3 or _REAL_DECIMAL.fullmatch(buf[c + 1 : e]) is None:
        # Decimal: the NR3 form of X.690 11.3.2.
        raise DecodeError("bad-real", c, "decimal REAL not in DER NR3 form")


def oid_arcs(oid: str | Iterable[int]) -> tuple[int, ...]:
    """Return the arcs of a dotted OID string or iterable; raise EncodeError if invalid."""
    try:
        arcs = tuple(int(a) for a in oid.split(".")) if isinstance(oid, str) else tuple(
            int(a) for a in oid)
    except (TypeError, ValueError) as exc:
        raise EncodeError(f"invalid object identifier {oid!r}") from exc
    if (len(arcs) < 2 or arcs[0] not in (0, 1, 2) or min(arcs) < 0
            or (arcs[0] < 2 and arcs[1] > 39)):
        raise EncodeError(f"invalid object identifier {oid!r}")
    return arcs


_OID_ENCODED: dict[tuple[int, ...], bytes] = {}
_OID_TEXT_ENCODED: dict[str, bytes] = {}


def encode_oid(oid: str | Iterable[int]) -> bytes:
    """Return the contents octets of an OBJECT IDENTIFIER (X.690 8.19)."""
    if type(oid) is tuple:
        out = _OID_ENCODED.get(oid)
        if out is not None:
            return out
    elif type(oid) is str:
        out = _OID_TEXT_ENCODED.get(oid)
        if out is not None:
            return out
        out = encode_oid(oid_arcs(oid))
        if len(_OID_TEXT_ENCODED) < _ENCODED_MAX:
            _OID_TEXT_ENCODED[oid] = out
        return out
    arcs = oid_arcs(oid)
    out = _OID_ENCODED.get(arcs)
    if out is not None:
        return out
    buf = bytearray()
    for subid in (arcs[0] * 40 + arcs[1], *arcs[2:]):
        groups = [subid & 0x7F]
        subid >>= 7
        while subid:
            groups.append(0x80 | (subid & 0x7F))
            subid >>= 7
        buf.extend(reversed(groups))
    out = bytes(buf)
    if len(_OID_ENCODED) < _ENCODED_MAX:
        _OID_ENCODED[arcs] = out
    return out


# -- BIT STRING --------------------------------------------------------------


def decode_bit_string(
    buf: bytes, c: int, e: int, ctx: Context, named: bool = False
) -> tuple[bytes, int]:
    """Return a BIT STRING as (octets, number of unused bits in the last octet).

    ``named`` applies X.690 11.2.2 for types with a named bit list: no
    trailing zero bits.
    """
    # X.690 8.6.2: the initial octet gives the unused bits.
    if c == e:
        raise DecodeError("bitstring-empty", c)
    unused = buf[c]
    if unused > 7 or (unused and c + 1 == e):
        # X.690 8.6.2.2-3: 0..7, and 0 when there are no subsequent octets.
        raise DecodeError("bitstring-unused", c)
    if c + 1 == e:
        return b"", 0
    last = buf[e - 1]
    # X.690 11.2.1: unused bits are zero.
    if last & ((1 << unused) - 1):
        raise DecodeError("bitstring-padding", e - 1)
    if named and not (last >> unused) & 1:
        ctx.deviate("bitstring-trailing-zero", e - 1)
    return buf[c + 1 : e], unused


def encode_bit_string(data: bytes, unused: int = 0, named: bool = False) -> bytes:
    """Return BIT STRING contents; with ``named``, trailing zero bits are removed first.

    Raises EncodeError for an invalid unused-bit count or non-zero padding.
    """
    if not 0 <= unused <= 7 or (unused and not data):
        raise EncodeError(f"invalid BIT STRING unused-bit count {unused}")
    if data and data[-1] & ((1 << unused) - 1):
        raise EncodeError("BIT STRING padding bits must be zero")
    if named:
        data = data.rstrip(b"\x00")
        unused = ((data[-1] & -data[-1]).bit_length() - 1) if data else 0
    return bytes((unused,)) + data
