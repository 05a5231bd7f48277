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
from typing import Any

from ..der.tlv import Context, read_header
from ..errors import DecodeError
from .backend import PLAIN_INDEX, Backend, Decoder, spanned
from .codegen import generate
from .encoding import default_encoding
from .leaves import any_decoder, checked, default_check, overrun, unexpected
from .open_types import open_resolver, open_types
from .plain import PLAIN
from .plan import Node, Route, alternatives, compile_node, slot
from .types import ANY, CHOICE, OCTET_STRING, SEQUENCE, SEQUENCE_OF, SET, SET_OF

__all__ = ["Backend", "Decoder", "decode_element", "decode_window", "decoder"]

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
                fn = spanned(fn)
        finally:
            node.decoders[idx] = None
        node.decoders[idx] = fn
    return fn


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
        table, fallback = _slot_decoders(*slot(node), backend)
        if fallback is None and len(table) == 1 and next(iter(table)) & 0x1F != 0x1F:
            fn = _one_known(*next(iter(table.items())))
        else:
            fn = _one(table, fallback)
        node.decoders[idx] = fn
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
        if k & 0x1F != 0x1F and c + 2 <= e and buf[c + 1] < 0x80 and c + 2 + buf[c + 1] == e:
            # A whole window with a short length: its header read inline.
            cs, ce = c + 2, e
        elif (k & 0x1F != 0x1F and c + 4 <= e and buf[c + 1] == 0x82 and buf[c + 2]
                and ctx.long_lengths and c + 4 + (buf[c + 2] << 8 | buf[c + 3]) == e):
            # A whole window in the minimal two-octet long form (a key, a
            # request): its header read inline; read_header does the rest.
            cs, ce = c + 4, e
        else:
            k, cs, ce = read_header(buf, c, e, ctx)
        fn = table.get(k) or fallback
        if fn is None:
            raise unexpected(k, c, table)
        if ce != e:
            raise DecodeError("trailing-data", ce)
        return fn(buf, c, cs, ce, ctx, d + 1)

    return dec


def _one_known(key: int, fn: Decoder) -> Decoder:
    """:func:`_one` for one low tag: its two inline forms without the dispatch; else _one's."""
    general = _one({key: fn}, None)

    def dec(buf: bytes, h: int, c: int, e: int, ctx: Context, d: int) -> Any:
        if d < ctx.max_depth and c + 2 <= e and buf[c] == key:
            n = buf[c + 1]
            if n < 0x80 and c + 2 + n == e:
                return fn(buf, c, c + 2, e, ctx, d + 1)
            if (n == 0x82 and c + 4 <= e and buf[c + 2] and ctx.long_lengths
                    and c + 4 + (buf[c + 2] << 8 | buf[c + 3]) == e):
                return fn(buf, c, c + 4, e, ctx, d + 1)
        return general(buf, h, c, e, ctx, d)

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
                raise unexpected(k, c, {key: None})
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
        return any_decoder(node, backend)
    return checked(node, backend.primitive(node), backend)


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
                fn = default_check(fn, der)
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
        return unexpected(t, pos, tables[i])

    def leftover(t: int, pos: int, i: int) -> DecodeError:
        if i == n:
            return DecodeError("trailing-data", pos)
        return unexpected(t, pos, tables[i])

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
                     open_resolver(node.fields[j], _whole)) for j in node.open_fields}
    return {"tables": tables, "fallbacks": fallbacks, "defaults": defaults, "open": governing,
            "helpers": {"EMPTY": empty_or_missing, "missing": missing, "leftover": leftover,
                        "name_error": name_error}}


def _collection_info(node: Node) -> dict[str, Any]:
    assert node.item is not None
    table, fallback = _slot_decoders(*slot(node.item), PLAIN)
    lo, hi = node.size or (0, float("inf"))
    check = node.check if node.size is None else None

    def unexpected_item(t: int, pos: int) -> DecodeError:
        return unexpected(t, pos, table)

    def sizes(items: list[Any], h: int) -> None:
        if not lo <= len(items) <= hi:
            raise DecodeError("constraint", h, f"{len(items)} elements, not {lo}..{hi}")
        if check is not None:
            why = check(items)
            if why is not None:
                raise DecodeError("constraint", h, why)

    whole = None if node.whole is None else decoder(compile_node(node.whole()), PLAIN)
    return {"table": table, "fallback": fallback, "whole": whole,
            "helpers": {"unexpected": unexpected_item, "check": sizes}}


def _generated(node: Node) -> Decoder:
    """Return the generated plain-value decoder of a structure (see codegen.py)."""
    # A span is the whole element: only without explicit tags around the contents.
    span = node.span and len(node.keys) == 1
    fn: Decoder = generate(node, _node_info, overrun, span)
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
                  open_resolver(node.fields[j], _whole)) for j in node.open_fields}
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
                        raise DecodeError(overrun(buf, e), pos + 1)
                else:
                    t, cs, ce = read_header(buf, pos, e, ctx)
                ent = tables[i].get(t) or fallbacks[i]
                if ent is None:
                    if i == n:
                        raise DecodeError("trailing-data", pos)
                    raise unexpected(t, pos, tables[i])
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
            open_types(node, backend, out, buf, c, e, ctx, d, _whole)
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
                raise unexpected(t, pos, table)
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
                        raise DecodeError(overrun(buf, e), pos + 1)
                else:
                    t, cs, ce = read_header(buf, pos, e, ctx)
                fn = table.get(t) or fallback
                if fn is None:
                    raise unexpected(t, pos, table)
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
