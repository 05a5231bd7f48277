"""The fast path: decode into plain Python values.

======================  =====================================================
ASN.1                   value
======================  =====================================================
SEQUENCE, SET           tuple, in schema order; absent OPTIONAL is ``None``,
                        absent DEFAULT is the default's value
SEQUENCE OF, SET OF     list
CHOICE                  ``(alternative name, value)``
ANY                     ``bytes``: the whole element (untagged) or the
                        contents inside its tags (tagged)
INTEGER, ENUMERATED     ``int``
BOOLEAN                 ``bool``
NULL                    ``None``
OBJECT IDENTIFIER       dotted ``str``
BIT STRING              ``(bytes, unused bits)``
OCTET STRING            ``bytes``
character strings       ``str``
UTCTime, GeneralizedT.  aware UTC ``datetime``
======================  =====================================================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyasn1.type.univ import SizedInteger

from ..der.primitives import (
    decode_bit_string,
    decode_boolean,
    decode_integer,
    decode_null,
    decode_oid,
)
from ..der.strings import STRING_TYPES
from ..der.times import decode_generalized_time, decode_utc_time, parse_time
from ..der.tlv import Context
from .backend import Decoder
from .plan import Node
from .types import (
    BIT_STRING,
    BOOLEAN,
    ENUMERATED,
    GENERALIZED_TIME,
    INTEGER,
    NULL,
    OCTET_STRING,
    OID,
    STRING,
    UTC_TIME,
)

__all__ = ["PLAIN"]


def _integer(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> int:
    return decode_integer(buf, c, e, ctx)


def _boolean(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> bool:
    return decode_boolean(buf, c, e, ctx)


def _null(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> None:
    decode_null(buf, c, e, ctx)


def _oid(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> str:
    # The cache hit of decode_oid, inlined: OIDs are most of a request's elements.
    hit = ctx.oids.get(buf[c:e])
    return hit[0] if hit is not None else decode_oid(buf, c, e, ctx)[0]


def _octets(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> bytes:
    return buf[c:e]


def _utc(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
    return parse_time(decode_utc_time(buf, c, e, ctx))


def _generalized(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
    return parse_time(decode_generalized_time(buf, c, e, ctx))


_SIMPLE: dict[int, Decoder] = {
    INTEGER: _integer,
    ENUMERATED: _integer,
    BOOLEAN: _boolean,
    NULL: _null,
    OID: _oid,
    OCTET_STRING: _octets,
    UTC_TIME: _utc,
    GENERALIZED_TIME: _generalized,
}


class PlainBackend:
    """Builds plain Python values (see the module docstring)."""

    index = 0
    spans = True

    def primitive(self, node: Node) -> Decoder:
        """Return the contents decoder of a primitive type."""
        kind = node.kind
        if kind == BIT_STRING:
            named = node.named

            def bits(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
                return decode_bit_string(buf, c, e, ctx, named)

            return bits
        if kind == STRING:
            check = STRING_TYPES[node.number].check

            def string(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> str:
                return check(buf, c, e, ctx)

            return string
        return _SIMPLE[kind]

    def any_value(self, node: Node) -> Callable[[bytes], Any]:
        """Return the function making an ANY value: the octets themselves."""
        return bytes

    def sequence(self, node: Node, defaults: list[Any]) -> tuple[
            list[Any], Callable[[list[Any]], Any], Callable[[], Any]]:
        """Return (blank components, finish, empty) making tuples."""
        blank = list(defaults)
        empty = tuple(blank)
        return blank, tuple, lambda: empty

    def collection(self, node: Node) -> Callable[[list[Any]], Any]:
        """Return the function making a SEQUENCE OF / SET OF value: the list itself."""
        return _identity

    def choice(self, node: Node, index: int) -> Callable[[Any], Any]:
        """Return the function making ``(name, value)`` for one alternative."""
        name = node.alts[index][0]

        def wrap(value: Any) -> tuple[str, Any]:
            return name, value

        return wrap

    def internal(self, node: Node, value: Any) -> Any:
        """Return ``value`` in the form pyasn1's constraints check."""
        if node.kind == OID:
            return tuple(int(a) for a in value.split("."))
        if node.kind == BIT_STRING:
            data, unused = value
            return SizedInteger(int.from_bytes(data, "big") >> unused).setBitLength(
                len(data) * 8 - unused)
        return value

    def governing(self, value: Any) -> Any:
        """Return the open-type map key for a governing value (OIDs as arc tuples)."""
        if isinstance(value, str):
            return tuple(int(a) for a in value.split("."))
        return value

    def with_items(self, container: Any, items: list[Any]) -> Any:
        """Return the new items (collections are plain lists)."""
        return items

    def absent_open(self, spec: Any) -> Any:
        """Return None: an absent component stays absent."""
        return None


def _identity(items: list[Any]) -> list[Any]:
    return items


PLAIN = PlainBackend()
