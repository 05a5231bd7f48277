"""The interop path: decode into the pyasn1 objects pyasn1's own decoder builds.

Each value is an instance of the schema's own class, carrying the schema's
tags and constraints, with the internal state pyasn1 gives it (``_value``,
``_componentValues``, ...) so that it compares, prints, re-encodes and
mutates exactly like a value from ``pyasn1.codec.der.decoder``.  Building
objects through their constructors repeats type checks our decoder has
already made and costs most of pyasn1's decoding time, so objects are made
from a per-node template of the instance dictionary instead; the test suite
compares every instance dictionary with pyasn1's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyasn1.type.base import ConstructedAsn1Type, noValue
from pyasn1.type.univ import SizedInteger

from ..der.primitives import (
    decode_bit_string,
    decode_boolean,
    decode_integer,
    decode_null,
    decode_oid,
)
from ..der.strings import STRING_TYPES
from ..der.times import decode_generalized_time, decode_utc_time
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

__all__ = ["PYASN1"]

_new = object.__new__


def _maker(spec: Any) -> Callable[[Any], Any]:
    """Return a function making a value object of ``spec``'s type from an internal value."""
    cls = type(spec)
    template = dict(spec.readOnly)
    template["_readOnly"] = dict(spec.readOnly)

    def make(value: Any) -> Any:
        obj = _new(cls)
        state = obj.__dict__
        state.update(template)
        state["_value"] = value
        return obj

    return make


def _bits(data: bytes, unused: int) -> SizedInteger:
    # As pyasn1's BitString.fromOctetString: an int of the bits, sized.
    return SizedInteger(int.from_bytes(data, "big") >> unused).setBitLength(len(data) * 8 - unused)


def _null(buf: bytes, c: int, e: int, ctx: Context) -> bytes:
    decode_null(buf, c, e, ctx)
    return b""


def _value_reader(node: Node) -> Callable[[bytes, int, int, Context], Any]:
    kind = node.kind
    if kind in (INTEGER, ENUMERATED):
        return decode_integer
    if kind == BOOLEAN:
        return lambda buf, c, e, ctx: 1 if decode_boolean(buf, c, e, ctx) else 0
    if kind == NULL:
        return _null
    if kind == OID:
        return lambda buf, c, e, ctx: decode_oid(buf, c, e, ctx)[1]
    if kind == BIT_STRING:
        named = node.named
        return lambda buf, c, e, ctx: _bits(*decode_bit_string(buf, c, e, ctx, named))
    if kind == OCTET_STRING:
        return lambda buf, c, e, ctx: buf[c:e]
    if kind == STRING:
        return STRING_TYPES[node.number].check
    if kind == UTC_TIME:
        return decode_utc_time
    assert kind == GENERALIZED_TIME
    return decode_generalized_time


class Pyasn1Backend:
    """Builds pyasn1 value objects (see the module docstring)."""

    index = 1
    spans = False

    def primitive(self, node: Node) -> Decoder:
        """Return the contents decoder of a primitive type."""
        read = _value_reader(node)
        cls = type(node.spec)
        template = dict(node.spec.readOnly)
        template["_readOnly"] = dict(node.spec.readOnly)

        def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
            obj = _new(cls)
            state = obj.__dict__
            state.update(template)
            state["_value"] = read(buf, c, e, ctx)
            return obj

        return dec

    def any_value(self, node: Node) -> Callable[[bytes], Any]:
        """Return the function making an ANY value object from its octets."""
        return _maker(node.spec)

    def sequence(self, node: Node, defaults: list[Any]) -> tuple[
            list[Any], Callable[[list[Any]], Any], Callable[[], Any]]:
        """Return (blank components, finish, empty) making Sequence/Set objects."""
        spec = node.spec
        cls = type(spec)
        proto = spec.clone()
        proto.clear()
        template = dict(proto.__dict__)
        del template["_componentValues"]
        typed = bool(node.fields)
        dynamic_names = spec.DynamicNames

        def finish(components: list[Any]) -> Any:
            obj = _new(cls)
            state = obj.__dict__
            state.update(template)
            state["_componentValues"] = components
            if not typed:
                state["_dynamicNames"] = dynamic_names()
            return obj

        return [noValue] * len(node.fields), finish, lambda: finish([])

    def collection(self, node: Node) -> Callable[[list[Any]], Any]:
        """Return the function making a SequenceOf/SetOf object from its items."""
        spec = node.spec
        cls = type(spec)
        proto = spec.clone()
        proto.clear()
        template = dict(proto.__dict__)
        del template["_componentValues"]

        def finish(items: list[Any]) -> Any:
            obj = _new(cls)
            state = obj.__dict__
            state.update(template)
            state["_componentValues"] = dict(enumerate(items))
            return obj

        return finish

    def choice(self, node: Node, index: int) -> Callable[[Any], Any]:
        """Return the function making a Choice object with alternative ``index`` set."""
        spec = node.spec
        cls = type(spec)
        template = dict(spec.clone().__dict__)
        del template["_componentValues"]
        n = len(node.alts)

        def wrap(value: Any) -> Any:
            obj = _new(cls)
            state = obj.__dict__
            state.update(template)
            components = [noValue] * n
            components[index] = value
            state["_componentValues"] = components
            state["_currentIdx"] = index
            return obj

        return wrap

    def internal(self, node: Node, value: Any) -> Any:
        """Return the internal value pyasn1's constraints check."""
        return value._value

    def governing(self, value: Any) -> Any:
        """Return the governing value object itself, or None when absent."""
        return None if value is noValue else value

    def with_items(self, container: Any, items: list[Any]) -> Any:
        """Replace the items of a SequenceOf/SetOf object; return it."""
        container.__dict__["_componentValues"] = dict(enumerate(items))
        return container

    def absent_open(self, spec: Any) -> Any:
        """Return the schema object, as pyasn1 leaves after looking at an absent component."""
        return spec.clone() if isinstance(spec, ConstructedAsn1Type) else spec


PYASN1 = Pyasn1Backend()
