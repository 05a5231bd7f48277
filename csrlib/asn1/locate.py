"""Name the fields that hold byte offsets: paths for lenient-mode deviations.

Decoders collect deviations as (offset, kind) without tracking paths, so the
hot path stays free of bookkeeping; afterwards one walk follows the plan's
tag tables down the elements that contain any of the offsets, naming each
step.  Every element is visited at most once, whatever the number of
offsets.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from ..der.tlv import Context, Limits, read_header
from ..errors import DecodeError, join_path
from .plan import Node, Route, alternatives, slot
from .types import CHOICE, SEQUENCE, SEQUENCE_OF, SET, SET_OF

__all__ = ["locate", "locate_all"]


def _route(entries: tuple[dict[int, Route], Route | None], key: int) -> Node | None:
    route = entries[0].get(key) or entries[1]
    return None if route is None else route[0]


def locate(root: Node, buf: bytes, offset: int, start: int = 0, end: int | None = None) -> str:
    """Return the path of the innermost schema field whose encoding holds ``offset``.

    The element of type ``root`` is ``buf[start:end]`` (by default all of it).
    """
    return locate_all(root, buf, [offset], start, end)[offset]


def locate_all(
    root: Node, buf: bytes, offsets: list[int], start: int = 0, end: int | None = None
) -> dict[int, str]:
    """Return the path of each offset (see :func:`locate`), in one walk."""
    ctx = Context(Limits(max_size=len(buf) + 1), strict=False)
    pending = sorted(set(offsets))
    result = dict.fromkeys(pending, "")
    try:
        key, c, e = read_header(buf, start, len(buf) if end is None else end, ctx)
        node = _route(slot(root), key)
        if node is not None:
            _walk(node, buf, c, e, [], pending, result, ctx)
    except DecodeError:
        pass
    return result


def _walk(
    node: Node, buf: bytes, c: int, e: int, segments: list[str], offsets: list[int],
    result: dict[int, str], ctx: Context,
) -> None:
    """Name ``offsets`` (sorted, inside this element) by the fields of ``node`` below here."""
    path = join_path(segments)
    for o in offsets:
        result[o] = path
    for _ in node.keys[1:]:
        offsets = offsets[bisect_left(offsets, c):]
        if not offsets:
            return
        _, c, e = read_header(buf, c, e, ctx)
    for child, name, h, cs, ce in _children(node, buf, c, e, ctx):
        lo = bisect_left(offsets, h)
        hi = bisect_left(offsets, ce)
        if lo == hi:
            continue
        inside = offsets[lo:hi]
        below = [*segments, name] if name else segments
        if child is None:
            path = join_path(below)
            for o in inside:
                result[o] = path
        else:
            _walk(child, buf, cs, ce, below, inside, result, ctx)


def _children(
    node: Node, buf: bytes, c: int, e: int, ctx: Context
) -> Iterator[tuple[Node | None, str, int, int, int]]:
    """Yield (child node or None, path segment, start, contents start, end) per element."""
    kind = node.kind
    if kind not in (SEQUENCE, SET, SEQUENCE_OF, SET_OF, CHOICE):
        return
    pos = c
    i = 0
    index = 0
    while pos < e:
        key, cs, ce = read_header(buf, pos, e, ctx)
        target: Node | None
        if kind in (SEQUENCE, SET):
            table = node.tables[0 if kind == SET else min(i, len(node.tables) - 1)]
            fallback = node.fallbacks[0 if kind == SET else min(i, len(node.fallbacks) - 1)]
            entry = table.get(key) or fallback
            if entry is None:
                return
            j, (target, _) = entry
            name = node.fields[j].name
            i = j + 1
        elif kind == CHOICE:
            name = ""
            target = _route(alternatives(node), key)
        else:
            assert node.item is not None
            name = f"[{index}]"
            target = _route(slot(node.item), key)
        yield target, name, pos, cs, ce
        index += 1
        pos = ce
