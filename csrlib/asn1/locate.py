"""Name the field that holds a byte offset: paths for lenient-mode deviations.

Decoders collect deviations as (offset, kind) without tracking paths, so the
hot path stays free of bookkeeping; this walk follows the plan's tag tables
down the elements that contain the offset and names each step.
"""

from __future__ import annotations

from ..der.tlv import Context, Limits, read_header
from ..errors import DecodeError, join_path
from .plan import Node, Route, alternatives, slot
from .types import CHOICE, SEQUENCE, SEQUENCE_OF, SET, SET_OF

__all__ = ["locate"]


def _route(entries: tuple[dict[int, Route], Route | None], key: int) -> Node | None:
    route = entries[0].get(key) or entries[1]
    return None if route is None else route[0]


def locate(root: Node, buf: bytes, offset: int, start: int = 0, end: int | None = None) -> str:
    """Return the path of the innermost schema field whose encoding holds ``offset``.

    The element of type ``root`` is ``buf[start:end]`` (by default all of it).
    """
    ctx = Context(Limits(max_size=len(buf) + 1, max_depth=1 << 30), strict=False)
    segments: list[str] = []
    try:
        key, c, e = read_header(buf, start, len(buf) if end is None else end, ctx)
        node = _route(slot(root), key)
        while node is not None and c <= offset < e:
            for _ in node.keys[1:]:
                _, c, e = read_header(buf, c, e, ctx)
                if not c <= offset < e:
                    return join_path(segments)
            node, c, e = _child(node, buf, c, e, offset, ctx, segments)
    except DecodeError:
        pass
    return join_path(segments)


def _child(
    node: Node, buf: bytes, c: int, e: int, offset: int, ctx: Context, segments: list[str]
) -> tuple[Node | None, int, int]:
    """Return the child node holding ``offset`` and its contents span; name it."""
    kind = node.kind
    if kind not in (SEQUENCE, SET, SEQUENCE_OF, SET_OF, CHOICE):
        return None, c, e
    pos = c
    i = 0
    index = 0
    while pos < e:
        key, cs, ce = read_header(buf, pos, e, ctx)
        if kind in (SEQUENCE, SET):
            table = node.tables[0 if kind == SET else i]
            fallback = node.fallbacks[0 if kind == SET else i]
            entry = table.get(key) or fallback
            if entry is None:
                return None, c, e
            j, (target, _) = entry
            name = node.fields[j].name
            i = j + 1
        elif kind == CHOICE:
            name = ""
            target_or_none = _route(alternatives(node), key)
            if target_or_none is None:
                return None, c, e
            target = target_or_none
        else:
            assert node.item is not None
            name = f"[{index}]"
            target_or_none = _route(slot(node.item), key)
            if target_or_none is None:
                return None, c, e
            target = target_or_none
        if pos <= offset < ce:
            if name:
                segments.append(name)
            return (target if offset >= cs else None), cs, ce
        index += 1
        pos = ce
    return None, c, e
