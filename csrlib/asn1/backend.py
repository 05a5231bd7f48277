"""The contract between the structure decoders and the backends that make values.

A :data:`Decoder` reads one element: ``(buf, h, c, e, ctx, d) -> value``,
the element starting at ``h``, its contents ``buf[c:e]``, ``d`` its nesting
depth.  A :class:`Backend` says what a value *is*: plain Python values
(:mod:`csrlib.asn1.plain`, index :data:`PLAIN_INDEX`) or pyasn1 objects
(:mod:`csrlib.asn1.pyasn1_values`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..der.tlv import Context
from .plan import Node

__all__ = ["PLAIN_INDEX", "Backend", "Decoder", "spanned"]

#: ``Backend.index`` of the plain backend, whose structures have generated decoders.
PLAIN_INDEX = 0

Decoder = Callable[[bytes, int, int, int, Context, int], Any]


class Backend(Protocol):
    """How values are made: plain Python values or pyasn1 objects."""

    index: int
    #: Whether spanned types (``csrlib_span``) are returned with their span.
    spans: bool

    def primitive(self, node: Node) -> Decoder:
        """Return the contents decoder of a primitive type."""

    def any_value(self, node: Node) -> Callable[[bytes], Any]:
        """Return the function making an ANY value from its octets."""

    def sequence(self, node: Node, defaults: list[Any]) -> tuple[
            list[Any], Callable[[list[Any]], Any], Callable[[], Any]]:
        """Return (blank component list, finish(list), empty()) for a SEQUENCE or SET."""

    def collection(self, node: Node) -> Callable[[list[Any]], Any]:
        """Return the function making a SEQUENCE OF / SET OF value from its items."""

    def choice(self, node: Node, index: int) -> Callable[[Any], Any]:
        """Return the function wrapping a value as alternative ``index`` of a CHOICE."""

    def internal(self, node: Node, value: Any) -> Any:
        """Return ``value`` in the form pyasn1's constraints check."""

    def governing(self, value: Any) -> Any:
        """Return the key of an open-type map for a governing value, or None if absent."""

    def with_items(self, container: Any, items: list[Any]) -> Any:
        """Return ``container`` holding ``items`` instead (open types in collections)."""

    def absent_open(self, spec: Any) -> Any:
        """Return what an absent OPTIONAL open-type component holds after resolution."""


def spanned(fn: Decoder) -> Decoder:
    """Return a decoder giving ``(value, start, end)``: the value and its span."""

    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        return fn(buf, h, c, e, ctx, d), h, e

    return dec
