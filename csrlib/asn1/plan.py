"""Compile a pyasn1 schema once into a plan: a tree of nodes with dispatch tables.

A plan node knows its kind, its tag keys, its components and, for every
position in a SEQUENCE, which tags may come next and which component each
one fills (OPTIONAL and DEFAULT components may be skipped; an untagged
CHOICE contributes the tags of its alternatives; an untagged ANY takes any
tag).  Decoders for each kind of output are built from the plan on first
use and kept on its nodes (:mod:`csrlib.asn1.decoding`).

Plans are cached by the schema's structure, so ``compile_node(X())`` with
a fresh ``X()`` each time still compiles once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyasn1.error import PyAsn1Error
from pyasn1.type.base import Asn1Type

from .types import (
    BIT_STRING,
    CHOICE,
    SEQUENCE,
    SEQUENCE_OF,
    SET,
    SET_OF,
    STRING,
    constraint_checker,
    kind_of,
    size_bounds,
    string_number,
    tag_keys,
)

__all__ = ["Field", "Node", "Route", "alternatives", "compile_node", "slot"]

#: How a tag reaches a node: the node that decodes the element, and the
#: untagged CHOICEs (node, alternative index) it sits in, outermost first.
Route = tuple["Node", tuple[tuple["Node", int], ...]]


class Field:
    """A component of a SEQUENCE or SET."""

    __slots__ = ("default", "name", "node", "open_type", "optional")

    def __init__(self, name: str, node: Node, optional: bool, default: Any, open_type: Any):
        self.name = name
        self.node = node
        self.optional = optional
        #: The pyasn1 DEFAULT value object, or None.
        self.default = default
        #: The pyasn1 OpenType (governing field name and map), or None.
        self.open_type = open_type

    @property
    def skippable(self) -> bool:
        """Return whether the component may be absent."""
        return self.optional or self.default is not None


class Node:
    """One type of the schema, compiled."""

    __slots__ = (
        "alts", "check", "decoders", "fallbacks", "fields", "item", "items_unchecked", "keys",
        "kind", "named", "number", "open_fields", "required_from", "size", "slot", "span",
        "spec", "tables", "unchecked", "whole",
    )

    def __init__(self, spec: Any, kind: int) -> None:
        self.spec = spec
        self.kind = kind
        #: Tag keys, outermost first; empty for an untagged CHOICE or ANY.
        self.keys: tuple[int, ...] = tag_keys(spec.tagSet, kind)
        self.check: Callable[[Any], str | None] | None = constraint_checker(spec, kind)
        #: (min, max) when the only constraints are on size.
        self.size = size_bounds(spec, kind)
        self.fields: list[Field] = []
        self.item: Node | None = None
        self.alts: list[tuple[str, Node]] = []
        self.number = string_number(spec) if kind == STRING else 0
        self.named = bool(kind == BIT_STRING and spec.namedValues)
        #: Set by a ``csrlib_span = True`` class attribute on the schema: the
        #: plain decoder then returns ``(value, start, end)`` for this type.
        self.span = bool(getattr(type(spec), "csrlib_span", False))
        #: Set by ``csrlib_unchecked = True`` on an ANY schema: its contents are
        #: not validated here, because the caller decodes them with a schema
        #: (or validates them) itself, with better paths and without a second pass.
        self.unchecked = bool(getattr(type(spec), "csrlib_unchecked", False))
        #: Set by ``csrlib_items_unchecked = True`` on a SEQUENCE OF or SET OF:
        #: the plain decoder checks each item's header and the SET OF order
        #: but not the items, and returns their count instead of a list; the
        #: caller reads the items itself, one at a time, so that a collection
        #: of many small items never exists as one Python object each.
        self.items_unchecked = bool(getattr(type(spec), "csrlib_items_unchecked", False))
        #: With ``items_unchecked``: ``csrlib_whole``, a schema class of the
        #: same collection whose items are decoded.  A collection of at most
        #: WHOLE_OCTETS octets is then decoded whole with it (the common case,
        #: in one pass), and its value is the list of items instead of the count.
        self.whole: type[Any] | None = getattr(type(spec), "csrlib_whole", None)
        # Filled by _prepare once the whole tree exists.
        self.slot: tuple[dict[int, Route], Route | None] = ({}, None)
        self.tables: list[dict[int, tuple[int, Route]]] = []
        self.fallbacks: list[tuple[int, Route] | None] = []
        self.required_from: list[int] = []
        self.open_fields: list[int] = []
        #: Built decoders (see decoding.py): the element decoder and the
        #: whole-input decoder, for each kind of output.
        self.decoders: list[Any] = [None, None, None, None]

    def __repr__(self) -> str:
        return f"<plan {type(self.spec).__name__} keys={[hex(k) for k in self.keys]}>"


#: Octets of contents up to which a counted collection with a ``csrlib_whole``
#: schema is decoded whole (see Node.whole): names and most SANs seen in
#: practice, few enough that the values of one such collection stay small,
#: and a larger one (read an element at a time) costs the same work per
#: octet whatever its size.
WHOLE_OCTETS = 256

_CACHE: dict[tuple[Any, ...], Node] = {}
_CACHE_MAX = 4096


def _schema_key(spec: Any) -> tuple[Any, ...]:
    # Value-hashable attributes (tag sets, constraints, encodings) by value;
    # the rest (component types) by identity: the cached node keeps the spec,
    # and so those objects, alive.
    parts: list[Any] = [type(spec)]
    for name, value in sorted(spec.readOnly.items()):
        try:
            hash(value)
        except (TypeError, PyAsn1Error):
            value = id(value)
        parts.append((name, value))
    return tuple(parts)


def compile_node(spec: Any) -> Node:
    """Return the plan of a pyasn1 type object (cached); raise TypeError if unsupported."""
    if not isinstance(spec, Asn1Type):
        raise TypeError(f"schema must be a pyasn1 type object, not {type(spec).__name__}")
    key = _schema_key(spec)
    node = _CACHE.get(key)
    if node is not None:
        return node
    built: dict[tuple[Any, ...], Node] = {}
    node = _build(spec, key, built)
    for each in built.values():
        _prepare(each)
    if len(_CACHE) + len(built) > _CACHE_MAX:
        _CACHE.clear()
    _CACHE.update(built)
    return node


def _build(spec: Any, key: tuple[Any, ...], built: dict[tuple[Any, ...], Node]) -> Node:
    node = _CACHE.get(key) or built.get(key)
    if node is not None:
        return node
    kind = kind_of(spec)
    node = Node(spec, kind)
    built[key] = node
    if kind in (SEQUENCE, SET):
        for nt in spec.componentType.namedTypes:
            child = _build(nt.asn1Object, _schema_key(nt.asn1Object), built)
            default = nt.asn1Object if nt.isDefaulted else None
            node.fields.append(Field(nt.name, child, nt.isOptional, default, nt.openType))
        node.open_fields = [j for j, f in enumerate(node.fields) if f.open_type is not None]
    elif kind in (SEQUENCE_OF, SET_OF):
        if spec.componentType is None:
            raise TypeError(f"{type(spec).__name__} has no component type")
        node.item = _build(spec.componentType, _schema_key(spec.componentType), built)
    elif kind == CHOICE:
        for nt in spec.componentType.namedTypes:
            node.alts.append((nt.name, _build(nt.asn1Object, _schema_key(nt.asn1Object), built)))
    return node


def slot(node: Node) -> tuple[dict[int, Route], Route | None]:
    """Return the tags that start an element of ``node``'s type, and the route of each.

    The second item is the route of an untagged ANY, which takes any tag.
    """
    if node.slot[0] or node.slot[1] is not None:
        return node.slot
    if node.keys:
        node.slot = ({node.keys[0]: (node, ())}, None)
    elif node.kind == CHOICE:
        node.slot = alternatives(node)
    else:  # an untagged ANY
        node.slot = ({}, (node, ()))
    return node.slot


def alternatives(node: Node) -> tuple[dict[int, Route], Route | None]:
    """Return the tags that start each alternative of a CHOICE, with their routes."""
    entries: dict[int, Route] = {}
    fallback: Route | None = None
    for idx, (_, alt) in enumerate(node.alts):
        alt_entries, alt_fallback = slot(alt)
        for k, (target, chain) in alt_entries.items():
            entries.setdefault(k, (target, ((node, idx), *chain)))
        if alt_fallback is not None and fallback is None:
            fallback = (alt_fallback[0], ((node, idx), *alt_fallback[1]))
    return entries, fallback


def _prepare(node: Node) -> None:
    slot(node)
    if node.kind == SEQUENCE:
        fields = node.fields
        n = len(fields)
        for i in range(n + 1):
            # Tags acceptable at position i: those of fields i.. up to and
            # including the first one that cannot be skipped.
            table: dict[int, tuple[int, Route]] = {}
            fallback: tuple[int, Route] | None = None
            for j in range(i, n):
                entries, any_route = slot(fields[j].node)
                for k, route in entries.items():
                    table.setdefault(k, (j, route))
                if any_route is not None and fallback is None:
                    fallback = (j, any_route)
                if not fields[j].skippable:
                    break
            node.tables.append(table)
            node.fallbacks.append(fallback)
            node.required_from.append(
                next((j for j in range(i, n) if not fields[j].skippable), n))
    elif node.kind == SET:
        table = {}
        fallback = None
        for j, f in enumerate(node.fields):
            entries, any_route = slot(f.node)
            for k, route in entries.items():
                table.setdefault(k, (j, route))
            if any_route is not None and fallback is None:
                fallback = (j, any_route)
        node.tables = [table]
        node.fallbacks = [fallback]
