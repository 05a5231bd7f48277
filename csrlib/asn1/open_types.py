"""Open types (pyasn1's ``decodeOpenTypes``): a component whose type another one governs.

A SEQUENCE component declared with an open type (``ANY DEFINED BY``, an
extension's value) is decoded as the type its governing component maps it
to, when that map has the value.  The structure decoders give these
functions ``whole``: the factory of the decoder of a node's whole element
(:func:`csrlib.asn1.decoding.whole`), so that this module sits below them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..der.tlv import Context, read_header
from ..errors import DecodeError
from .backend import Backend, Decoder, spanned
from .plain import PLAIN
from .plan import Node, compile_node
from .types import ANY, OCTET_STRING, SEQUENCE_OF, SET_OF

__all__ = ["Whole", "open_resolver", "open_types"]

#: ``whole(node, backend)``: the decoder of a node's whole element.
Whole = Callable[[Node, Backend], Decoder]


def open_resolver(field: Any, whole: Whole) -> Callable[[Any], Decoder | None]:
    """Return ``resolve(governing value) -> plain decoder of the holder element | None``.

    The governing value is a plain one or a pyasn1 object (both key the
    open-type map); the decoder returned is always the plain backend's.

    Hits are cached by governing value; a miss is looked up again each time,
    since importing a module may add entries to pyasn1-modules' maps.
    """
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
        fn = cache[governing] = _holder_decoder(holder, compile_node(spec), whole)
        return fn

    return resolve


def _holder_decoder(holder: Node, target: Node, whole_of: Whole) -> Decoder:
    """Return a plain decoder reading a holder element as its open type ``target``."""
    whole = whole_of(target, PLAIN)
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
    return spanned(dec) if holder.span else dec


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
                n = buf[pos + 1] if pos + 2 <= e else 0x80
                if n < 0x80 and buf[pos] & 0x1F != 0x1F and pos + 2 + n <= e:
                    ce = pos + 2 + n  # a low tag, a short length: as read_header reads it
                else:
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


def open_types(
    node: Node, backend: Backend, out: list[Any], buf: bytes, c: int, e: int,
    ctx: Context, d: int, whole: Whole,
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
                                             ctx, depth, whole))
                    pos = ice
                out[j] = backend.with_items(out[j], items)
            else:
                out[j] = _open_value(holder, target, backend, buf, h, cs, ce, ctx, d + 1, whole)
        except DecodeError as err:
            err.add_segment(field.name)
            raise


def _open_value(
    holder: Node, target: Node, backend: Backend, buf: bytes, h: int, c: int, e: int,
    ctx: Context, d: int, whole: Whole,
) -> Any:
    # The open type's encoding is what pyasn1 calls the holder's octets: the
    # whole element of an untagged ANY, else the contents inside its tags.
    if holder.kind == ANY and not holder.keys:
        return whole(target, backend)(buf, h, h, e, ctx, d - 1)
    if holder.kind not in (ANY, OCTET_STRING):
        raise DecodeError("unexpected-tag", h, "open type in an unsupported holder")
    for _ in holder.keys[1:]:
        h, (_, c, e) = c, read_header(buf, c, e, ctx)
        d += 1
    return whole(target, backend)(buf, h, c, e, ctx, d)


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
