"""Decoders built from a plan: one pass over the input, one closure per node.

Every decoder has the signature ``(buf, h, c, e, ctx, d) -> value``: the
element starts at ``h``, its contents are ``buf[c:e]``, ``d`` is its nesting
depth.  A parent reads each child's header (inline for the common short
forms), looks the tag up in a precomputed table and calls the child's
decoder; nothing is copied until a value is built.  What a value *is* comes
from a backend: plain Python values (:mod:`csrlib.asn1.plain`) or pyasn1
objects (:mod:`csrlib.asn1.pyasn1_values`).

Errors unwind through ``except DecodeError`` blocks that add the field path;
in CPython 3.11+ such blocks cost nothing until an error occurs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..der.generic import validate_content
from ..der.tlv import Context, describe_tag, read_header
from ..errors import DecodeError
from .codegen import generate
from .encoding import default_encoding
from .plan import Node, Route, alternatives, compile_node, slot
from .types import ANY, CHOICE, OCTET_STRING, SEQUENCE, SEQUENCE_OF, SET, SET_OF

__all__ = ["Backend", "Decoder", "decode_element", "decode_window", "decoder"]

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


def _unexpected(key: int, offset: int, expected: dict[int, Any]) -> DecodeError:
    if key ^ 0x20 in expected:
        kind = "constructed-form" if key & 0x20 else "primitive-form"
        return DecodeError(kind, offset)
    wanted = " or ".join(describe_tag(k) for k in list(expected)[:4]) or "nothing"
    return DecodeError("unexpected-tag", offset, f"{describe_tag(key)}, expected {wanted}")


def _overrun(buf: bytes, end: int) -> str:
    return "truncated" if end >= len(buf) else "length-overrun"


def decoder(node: Node, backend: Backend) -> Decoder:
    """Return the decoder of an element matched by ``node.keys[0]`` (built once)."""
    idx = backend.index
    fn: Decoder | None = node.decoders[idx]
    if fn is None:
        # A recursive schema reaches this node again while it is being built.
        def late(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
            return node.decoders[idx](buf, h, c, e, ctx, d)

        node.decoders[idx] = late
        try:
            content = _content(node, backend)
            fn = _unwrap(node.keys[1:], content)
            if node.span and backend.spans and not getattr(content, "csrlib_spanned", False):
                fn = _spanned(fn)
        finally:
            node.decoders[idx] = None
        node.decoders[idx] = fn
    return fn


def _spanned(fn: Decoder) -> Decoder:
    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        return fn(buf, h, c, e, ctx, d), h, e

    return dec


def decode_element(node: Node, backend: Backend, buf: bytes, ctx: Context) -> Any:
    """Return the value of the single element that ``buf`` must consist of."""
    return _whole(node, backend)(buf, 0, 0, len(buf), ctx, 0)


def decode_window(
    node: Node, backend: Backend, buf: bytes, start: int, end: int, ctx: Context, depth: int
) -> Any:
    """Return the value of the single element that ``buf[start:end]`` must hold.

    Offsets stay absolute and ``ctx`` is shared, so a caller can decode
    inside an element it found with another plan; ``depth`` is the nesting
    depth of the element around the window.
    """
    return _whole(node, backend)(buf, start, start, end, ctx, depth)


def _whole(node: Node, backend: Backend) -> Decoder:
    """Return the decoder of contents that are exactly one element of ``node``'s type."""
    idx = backend.index + 2
    fn: Decoder | None = node.decoders[idx]
    if fn is None:
        fn = node.decoders[idx] = _one(*_slot_decoders(*slot(node), backend))
    return fn


def _route(route: Route, backend: Backend) -> Decoder:
    target, chain = route
    fn = decoder(target, backend)
    for choice_node, index in reversed(chain):
        fn = _wrap(fn, backend.choice(choice_node, index))
    return fn


def _wrap(fn: Decoder, wrap: Callable[[Any], Any]) -> Decoder:
    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        return wrap(fn(buf, h, c, e, ctx, d))

    return dec


def _slot_decoders(
    entries: dict[int, Route], fallback: Route | None, backend: Backend
) -> tuple[dict[int, Decoder], Decoder | None]:
    table = {k: _route(route, backend) for k, route in entries.items()}
    return table, None if fallback is None else _route(fallback, backend)


def _one(table: dict[int, Decoder], fallback: Decoder | None) -> Decoder:
    """Decoder of contents that are exactly one element, dispatched by its tag."""

    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        if d >= ctx.max_depth:
            raise DecodeError("depth-limit", h)
        k = buf[c] if c < e else 0
        if (k & 0x1F != 0x1F and c + 4 <= e and buf[c + 1] == 0x82 and buf[c + 2]
                and ctx.long_lengths and c + 4 + (buf[c + 2] << 8 | buf[c + 3]) == e):
            # A whole window in the minimal two-octet long form (a key, a
            # request): its header read inline; read_header does the rest.
            cs, ce = c + 4, e
        else:
            k, cs, ce = read_header(buf, c, e, ctx)
        fn = table.get(k) or fallback
        if fn is None:
            raise _unexpected(k, c, table)
        if ce != e:
            raise DecodeError("trailing-data", ce)
        return fn(buf, c, cs, ce, ctx, d + 1)

    return dec


def _unwrap(keys: tuple[int, ...], inner: Decoder) -> Decoder:
    """Decoder that descends through explicit tags ``keys`` to ``inner``."""
    if not keys:
        return inner

    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        for key in keys:
            if d >= ctx.max_depth:
                raise DecodeError("depth-limit", h)
            k, cs, ce = read_header(buf, c, e, ctx)
            if k != key:
                raise _unexpected(k, c, {key: None})
            if ce != e:
                raise DecodeError("trailing-data", ce)
            h, c, e, d = c, cs, ce, d + 1
        return inner(buf, h, c, e, ctx, d)

    return dec


def _content(node: Node, backend: Backend) -> Decoder:
    kind = node.kind
    if kind == SEQUENCE:
        return _sequence(node, backend)
    if kind == SET:
        return _set(node, backend)
    if kind in (SEQUENCE_OF, SET_OF):
        return _collection(node, backend)
    if kind == CHOICE:
        return _one(*_slot_decoders(*alternatives(node), backend))
    if kind == ANY:
        return _any(node, backend)
    return _checked(node, backend.primitive(node), backend)


def _checked(node: Node, dec: Decoder, backend: Backend) -> Decoder:
    check = node.check
    if check is None:
        return dec

    def checked(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        value = dec(buf, h, c, e, ctx, d)
        why = check(backend.internal(node, value))
        if why is not None:
            raise DecodeError("constraint", c, why)
        return value

    return checked


def _any(node: Node, backend: Backend) -> Decoder:
    make = backend.any_value(node)
    if node.unchecked:
        # The caller checks the contents (see Node.unchecked).
        def unchecked(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
            return make(buf[h:e] if not node.keys else buf[c:e])

        return unchecked
    if not node.keys:
        # Untagged: the value is the whole element, checked as DER.
        def untagged(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
            key = buf[h]
            if key & 0x1F == 0x1F:
                key = read_header(buf, h, e, ctx)[0]
            validate_content(buf, key, h, c, e, ctx, d)
            return make(buf[h:e])

        return untagged
    constructed = node.keys[-1] & 0x20

    # Tagged: the value is the contents.  A constructed tag on ANY is an
    # explicit tag, which holds exactly one element (X.680 31.2.7).
    def tagged(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        if constructed:
            if c == e:
                raise DecodeError("missing-component", c, "explicit tag without a value")
            if d >= ctx.max_depth:
                raise DecodeError("depth-limit", h)
            k, cs, ce = read_header(buf, c, e, ctx)
            if ce != e:
                raise DecodeError("trailing-data", ce)
            validate_content(buf, k, c, cs, ce, ctx, d + 1)
        return make(buf[c:e])

    return tagged


def _default_check(fn: Decoder, default_der: bytes) -> Decoder:
    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        # X.690 11.5: a component equal to its DEFAULT is absent.
        if buf[h:e] == default_der:
            ctx.deviate("default-encoded", h)
        return fn(buf, h, c, e, ctx, d)

    return dec


def _field_decoders(node: Node, backend: Backend) -> tuple[
        list[dict[int, tuple[int, Decoder]]], list[tuple[int, Decoder] | None], list[Any]]:
    """Return the backend's tag tables for a SEQUENCE or SET, and default values."""
    defaults: list[Any] = []
    default_ders: list[bytes | None] = []
    for f in node.fields:
        der = default_encoding(f.default) if f.default is not None else None
        default_ders.append(der)
        defaults.append(None if der is None else decode_element(f.node, backend, der, Context()))
    built: dict[tuple[int, int], Decoder] = {}

    def field_route(j: int, route: Route) -> Decoder:
        key = (j, id(route[0]))
        fn = built.get(key)
        if fn is None:
            fn = _route(route, backend)
            der = default_ders[j]
            if der is not None:
                fn = _default_check(fn, der)
            built[key] = fn
        return fn

    tables = [{k: (j, field_route(j, r)) for k, (j, r) in t.items()} for t in node.tables]
    fallbacks = [None if fb is None else (fb[0], field_route(*fb)) for fb in node.fallbacks]
    return tables, fallbacks, defaults


_INFO: dict[int, tuple[Node, dict[str, Any]]] = {}


def _node_info(node: Node) -> dict[str, Any]:
    """Return what the generated code of ``node`` needs (see codegen.NodeInfo)."""
    hit = _INFO.get(id(node))
    if hit is not None:
        return hit[1]
    if node.kind == SEQUENCE:
        data = _sequence_info(node)
    else:
        data = _collection_info(node)
    _INFO[id(node)] = (node, data)
    return data


def _sequence_info(node: Node) -> dict[str, Any]:
    from .plain import PLAIN

    tables, fallbacks, defaults = _field_decoders(node, PLAIN)
    names = [f.name for f in node.fields]
    n = len(names)
    required_from = node.required_from
    empty = tuple(defaults)

    def empty_or_missing(e: int) -> tuple[Any, ...]:
        if required_from[0] < n:
            raise DecodeError("missing-component", e, names[required_from[0]])
        return empty

    def missing(t: int, pos: int, e: int, i: int, j: int) -> DecodeError:
        if pos >= e:
            return DecodeError("missing-component", e, names[j])
        return _unexpected(t, pos, tables[i])

    def leftover(t: int, pos: int, i: int) -> DecodeError:
        if i == n:
            return DecodeError("trailing-data", pos)
        return _unexpected(t, pos, tables[i])

    def name_error(err: DecodeError, seg: str | None, buf: bytes, pos: int, e: int,
                   i: int) -> None:
        if seg is None and pos < e:
            ent = tables[i].get(buf[pos]) or fallbacks[i]
            if ent is not None:
                seg = names[ent[0]]
            elif required_from[i] == i < n:
                seg = names[i]
        if seg is not None:
            err.add_segment(seg)

    governing = {j: (names.index(node.fields[j].open_type.name),
                     _open_resolver(node.fields[j])) for j in node.open_fields}
    return {"tables": tables, "fallbacks": fallbacks, "defaults": defaults, "open": governing,
            "helpers": {"EMPTY": empty_or_missing, "missing": missing, "leftover": leftover,
                        "name_error": name_error}}


def _collection_info(node: Node) -> dict[str, Any]:
    from .plain import PLAIN

    assert node.item is not None
    table, fallback = _slot_decoders(*slot(node.item), PLAIN)
    lo, hi = node.size or (0, float("inf"))
    check = node.check if node.size is None else None

    def unexpected(t: int, pos: int) -> DecodeError:
        return _unexpected(t, pos, table)

    def sizes(items: list[Any], h: int) -> None:
        if not lo <= len(items) <= hi:
            raise DecodeError("constraint", h, f"{len(items)} elements, not {lo}..{hi}")
        if check is not None:
            why = check(items)
            if why is not None:
                raise DecodeError("constraint", h, why)

    whole = None if node.whole is None else decoder(compile_node(node.whole()), PLAIN)
    return {"table": table, "fallback": fallback, "whole": whole,
            "helpers": {"unexpected": unexpected, "check": sizes}}


def _generated(node: Node) -> Decoder:
    """Return the generated plain-value decoder of a structure (see codegen.py)."""
    # A span is the whole element: only without explicit tags around the contents.
    span = node.span and len(node.keys) == 1
    fn: Decoder = generate(node, _node_info, _overrun, span)
    fn.csrlib_spanned = span  # type: ignore[attr-defined]
    return fn


def _inline_open_types(node: Node) -> bool:
    """Return whether the generated decoder can resolve ``node``'s open types inline.

    Each governing component must come first, and each holder be an
    untagged ANY, a SET OF / SEQUENCE OF of them, or an OCTET STRING.
    """
    names = [f.name for f in node.fields]
    for j in node.open_fields:
        field = node.fields[j]
        if field.open_type.name not in names[:j]:
            return False
        holder = field.node
        item = holder.item
        if not ((holder.kind == ANY and not holder.keys)
                or (holder.kind == OCTET_STRING and len(holder.keys) == 1)
                or (holder.kind in (SET_OF, SEQUENCE_OF) and len(holder.keys) == 1
                    and item is not None and item.kind == ANY and not item.keys)):
            return False
    return True


def _sequence(node: Node, backend: Backend) -> Decoder:
    if backend.index == PLAIN_INDEX and _inline_open_types(node):
        return _generated(node)
    tables, fallbacks, defaults = _field_decoders(node, backend)
    names = [f.name for f in node.fields]
    n = len(names)
    required_from = node.required_from
    blank, finish, empty = backend.sequence(node, defaults)
    has_open = bool(node.open_fields)
    # Where the plain decoder resolves open types inline (each value read as
    # its open type when met, tag first), the others check each value the
    # same way before reading it, so that both refuse a bad value for the
    # same reason at the same offset; the open type is read afterwards.
    early = ({j: (names.index(node.fields[j].open_type.name),
                  _open_resolver(node.fields[j])) for j in node.open_fields}
             if has_open and _inline_open_types(node) else {})

    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        if c == e:
            if required_from[0] < n:
                raise DecodeError("missing-component", e, names[required_from[0]])
            return empty()
        if d >= ctx.max_depth:
            raise DecodeError("depth-limit", h)
        out = blank.copy()
        i = 0
        pos = c
        seg = None
        try:
            while pos < e:
                t = buf[pos]
                if t & 0x1F != 0x1F and pos + 2 <= e and buf[pos + 1] < 0x80:
                    cs = pos + 2
                    ce = cs + buf[pos + 1]
                    if ce > e:
                        raise DecodeError(_overrun(buf, e), pos + 1)
                else:
                    t, cs, ce = read_header(buf, pos, e, ctx)
                ent = tables[i].get(t) or fallbacks[i]
                if ent is None:
                    if i == n:
                        raise DecodeError("trailing-data", pos)
                    raise _unexpected(t, pos, tables[i])
                j, fn = ent
                seg = names[j]
                if j in early and ctx.open_types:
                    g, resolve = early[j]
                    check = resolve(backend.governing(out[g]))
                    if check is not None:
                        # Deviations are recorded when the open type is read.
                        check(buf, pos, cs, ce, Context(ctx.limits, ctx.strict, True), d + 1)
                out[j] = fn(buf, pos, cs, ce, ctx, d + 1)
                seg = None
                i = j + 1
                pos = ce
        except DecodeError as err:
            if seg is None and pos < e:
                # The element's header is bad: name it by its tag, or as the
                # component that must come next.
                ent = tables[i].get(buf[pos]) or fallbacks[i]
                if ent is not None:
                    seg = names[ent[0]]
                elif required_from[i] == i < n:
                    seg = names[i]
            if seg is not None:
                err.add_segment(seg)
            raise
        if required_from[i] < n:
            raise DecodeError("missing-component", e, names[required_from[i]])
        if has_open and ctx.open_types:
            _open_types(node, backend, out, buf, c, e, ctx, d)
        return finish(out)

    return dec


def _set(node: Node, backend: Backend) -> Decoder:
    tables, fallbacks, defaults = _field_decoders(node, backend)
    table, fallback = tables[0], fallbacks[0]
    names = [f.name for f in node.fields]
    required = [j for j, f in enumerate(node.fields) if not f.skippable]
    blank, finish, empty = backend.sequence(node, defaults)

    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        if c < e and d >= ctx.max_depth:
            raise DecodeError("depth-limit", h)
        out = blank.copy()
        seen: set[int] = set()
        last = (-1, -1)
        pos = c
        while pos < e:
            t, cs, ce = read_header(buf, pos, e, ctx)
            ent = table.get(t) or fallback
            if ent is None:
                raise _unexpected(t, pos, table)
            j, fn = ent
            if j in seen:
                raise DecodeError("duplicate-component", pos, names[j])
            seen.add(j)
            rank = (t & 0xC0, t >> 8 if t > 0xFF else t & 0x1F)
            try:
                # X.690 10.3: components in canonical order of their tags.
                if rank <= last:
                    ctx.deviate("set-unsorted", pos)
                out[j] = fn(buf, pos, cs, ce, ctx, d + 1)
            except DecodeError as err:
                err.add_segment(names[j])
                raise
            last = rank
            pos = ce
        for j in required:
            if j not in seen:
                raise DecodeError("missing-component", e, names[j])
        return finish(out) if seen else empty()

    return dec


def _collection(node: Node, backend: Backend) -> Decoder:
    assert node.item is not None
    if backend.index == PLAIN_INDEX:
        return _generated(node)
    table, fallback = _slot_decoders(*slot(node.item), backend)
    finish = backend.collection(node)
    check = node.check if node.size is None else None
    lo, hi = node.size or (0, float("inf"))
    is_set = node.kind == SET_OF

    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        if c < e and d >= ctx.max_depth:
            raise DecodeError("depth-limit", h)
        items: list[Any] = []
        pos = c
        prev = -1
        prev_end = -1
        try:
            while pos < e:
                t = buf[pos]
                if t & 0x1F != 0x1F and pos + 2 <= e and buf[pos + 1] < 0x80:
                    cs = pos + 2
                    ce = cs + buf[pos + 1]
                    if ce > e:
                        raise DecodeError(_overrun(buf, e), pos + 1)
                else:
                    t, cs, ce = read_header(buf, pos, e, ctx)
                fn = table.get(t) or fallback
                if fn is None:
                    raise _unexpected(t, pos, table)
                if is_set and prev != -2:
                    # X.690 11.6: SET OF elements in ascending order of encodings;
                    # lenient mode records the first out of order, once per SET.
                    if prev >= 0 and buf[prev:prev_end] > buf[pos:ce]:
                        ctx.deviate("setof-unsorted", pos)
                        prev = -2
                    else:
                        prev = pos
                        prev_end = ce
                items.append(fn(buf, pos, cs, ce, ctx, d + 1))
                pos = ce
        except DecodeError as err:
            err.add_segment(f"[{len(items)}]")
            raise
        if not lo <= len(items) <= hi:
            raise DecodeError("constraint", h, f"{len(items)} elements, not {lo}..{hi}")
        if check is not None:
            why = check(items)
            if why is not None:
                raise DecodeError("constraint", h, why)
        return finish(items)

    return dec


# -- open types (pyasn1's decodeOpenTypes) -------------------------------------

PLAIN_INDEX = 0


def _open_resolver(field: Any) -> Callable[[Any], Decoder | None]:
    """Return ``resolve(governing value) -> plain decoder of the holder element | None``.

    The governing value is a plain one or a pyasn1 object (both key the
    open-type map); the decoder returned is always the plain backend's.

    Hits are cached by governing value; a miss is looked up again each time,
    since importing a module may add entries to pyasn1-modules' maps.
    """
    from .plain import PLAIN

    cache: dict[Any, Decoder] = {}
    holder = field.node

    def resolve(governing: Any) -> Decoder | None:
        fn = cache.get(governing)
        if fn is not None:
            return fn
        key = PLAIN.governing(governing)
        if key is None:
            return None
        try:
            spec = field.open_type[key]
        except (KeyError, TypeError):
            return None
        fn = cache[governing] = _holder_decoder(holder, compile_node(spec))
        return fn

    return resolve


def _holder_decoder(holder: Node, target: Node) -> Decoder:
    """Return a plain decoder reading a holder element as its open type ``target``."""
    from .plain import PLAIN

    whole = _whole(target, PLAIN)
    dec: Decoder
    if holder.kind == ANY:
        # The open type is the element itself.
        def element(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
            return whole(buf, h, h, e, ctx, d - 1)

        dec = element
    elif holder.kind == OCTET_STRING:
        # The open type is the one element inside the octets.
        def inside(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
            return whole(buf, h, c, e, ctx, d)

        dec = inside
    else:
        dec = _open_items(holder, whole)
    return _spanned(dec) if holder.span else dec


def _open_items(holder: Node, whole: Decoder) -> Decoder:
    """Return a decoder of a SET OF / SEQUENCE OF whose every item is the open type."""
    is_set = holder.kind == SET_OF
    lo, hi = holder.size or (0, float("inf"))

    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        if c < e and d >= ctx.max_depth:
            raise DecodeError("depth-limit", h)
        items: list[Any] = []
        pos = c
        prev = prev_end = -1
        try:
            while pos < e:
                _, _, ce = read_header(buf, pos, e, ctx)
                if is_set and prev != -2:
                    # X.690 11.6, recorded once per SET as above.
                    if prev >= 0 and buf[prev:prev_end] > buf[pos:ce]:
                        ctx.deviate("setof-unsorted", pos)
                        prev = -2
                    else:
                        prev, prev_end = pos, ce
                items.append(whole(buf, pos, pos, ce, ctx, d))
                pos = ce
        except DecodeError as err:
            err.add_segment(f"[{len(items)}]")
            raise
        if not lo <= len(items) <= hi:
            raise DecodeError("constraint", h, f"{len(items)} elements, not {lo}..{hi}")
        return items

    return dec


def _open_types(
    node: Node, backend: Backend, out: list[Any], buf: bytes, c: int, e: int,
    ctx: Context, d: int,
) -> None:
    """Decode the open-type components of a SEQUENCE whose governing value is mapped."""
    spans = _spans(node, buf, c, e, ctx)
    names = [f.name for f in node.fields]
    for j in node.open_fields:
        field = node.fields[j]
        if j not in spans:
            if field.optional:
                # The schema's own component object: plan nodes are shared
                # between equal schemas, pyasn1 hands back this very object.
                out[j] = backend.absent_open(node.spec.componentType.getTypeByPosition(j))
            continue
        key = backend.governing(out[names.index(field.open_type.name)])
        if key is None:
            continue
        try:
            spec = field.open_type[key]
        except KeyError:
            continue
        target = compile_node(spec)
        h, cs, ce = spans[j]
        holder = field.node
        try:
            if holder.kind in (SET_OF, SEQUENCE_OF) and holder.item is not None:
                items = []
                depth = d + 2
                for _ in holder.keys[1:]:
                    # Explicitly tagged: the items are inside the SET OF itself.
                    _, cs, ce = read_header(buf, cs, ce, ctx)
                    depth += 1
                pos = cs
                while pos < ce:
                    _, ics, ice = read_header(buf, pos, ce, ctx)
                    items.append(_open_value(holder.item, target, backend, buf, pos, ics, ice,
                                             ctx, depth))
                    pos = ice
                out[j] = backend.with_items(out[j], items)
            else:
                out[j] = _open_value(holder, target, backend, buf, h, cs, ce, ctx, d + 1)
        except DecodeError as err:
            err.add_segment(field.name)
            raise


def _open_value(
    holder: Node, target: Node, backend: Backend, buf: bytes, h: int, c: int, e: int,
    ctx: Context, d: int,
) -> Any:
    # The open type's encoding is what pyasn1 calls the holder's octets: the
    # whole element of an untagged ANY, else the contents inside its tags.
    if holder.kind == ANY and not holder.keys:
        return _whole(target, backend)(buf, h, h, e, ctx, d - 1)
    if holder.kind not in (ANY, OCTET_STRING):
        raise DecodeError("unexpected-tag", h, "open type in an unsupported holder")
    for _ in holder.keys[1:]:
        h, (_, c, e) = c, read_header(buf, c, e, ctx)
        d += 1
    return _whole(target, backend)(buf, h, c, e, ctx, d)


def _spans(node: Node, buf: bytes, c: int, e: int, ctx: Context) -> dict[int, tuple[int, int, int]]:
    """Return where each present component of a SEQUENCE lies: (start, contents, end)."""
    quiet = Context(ctx.limits, strict=False)
    spans: dict[int, tuple[int, int, int]] = {}
    i = 0
    pos = c
    while pos < e:
        k, cs, ce = read_header(buf, pos, e, quiet)
        ent = node.tables[i].get(k) or node.fallbacks[i]
        assert ent is not None
        spans[ent[0]] = (pos, cs, ce)
        i = ent[0] + 1
        pos = ce
    return spans
