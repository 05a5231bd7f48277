"""Name the fields that hold byte offsets: paths for lenient-mode deviations.

Decoders collect deviations as (offset, kind) without tracking paths, so the
hot path stays free of bookkeeping; afterwards one walk follows the plan's
tag tables down the elements that contain any of the offsets, naming each
step.  Every element is visited at most once, whatever the number of
offsets.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from ..der.primitives import decode_oid
from ..der.tlv import Context, Limits, read_header
from ..errors import DecodeError, join_path
from .plan import Node, Route, alternatives, compile_node, slot
from .types import ANY, CHOICE, SEQUENCE, SEQUENCE_OF, SET, SET_OF

__all__ = ["locate", "locate_all"]


def _route(entries: tuple[dict[int, Route], Route | None], key: int) -> Node | None:
    route = entries[0].get(key) or entries[1]
    return None if route is None else route[0]


def locate(
    root: Node, buf: bytes, offset: int, start: int = 0, end: int | None = None,
    open_types: bool = False,
) -> str:
    """Return the path of the innermost schema field whose encoding holds ``offset``.

    The element of type ``root`` is ``buf[start:end]`` (by default all of it);
    with ``open_types`` the walk follows the schema's open-type maps.
    """
    return locate_all(root, buf, [offset], start, end, open_types)[offset]


def locate_all(
    root: Node, buf: bytes, offsets: list[int], start: int = 0, end: int | None = None,
    open_types: bool = False,
) -> dict[int, str]:
    """Return the path of each offset (see :func:`locate`), in one walk."""
    walker = _Walker(buf, open_types)
    pending = sorted(set(offsets))
    walker.result = dict.fromkeys(pending, "")
    with contextlib.suppress(DecodeError):
        walker.element(root, start, len(buf) if end is None else end, [], pending)
    return walker.result


class _Walker:
    __slots__ = ("buf", "ctx", "open_types", "result")

    def __init__(self, buf: bytes, open_types: bool) -> None:
        self.buf = buf
        self.ctx = Context(Limits(max_size=len(buf) + 1), strict=False)
        self.open_types = open_types
        self.result: dict[int, str] = {}

    def element(self, node: Node, start: int, end: int, segments: list[str],
                offsets: list[int]) -> None:
        """Name ``offsets`` inside the one element of ``node``'s type at ``start``."""
        key, c, e = read_header(self.buf, start, end, self.ctx)
        target = _route(slot(node), key)
        path = join_path(segments)
        for o in offsets:
            self.result[o] = path
        if target is not None:
            self.walk(target, c, e, segments, offsets)

    def walk(self, node: Node, c: int, e: int, segments: list[str], offsets: list[int]) -> None:
        """Name ``offsets`` (sorted, inside this element) by the fields of ``node``."""
        buf, ctx, result = self.buf, self.ctx, self.result
        for _ in node.keys[1:]:
            offsets = offsets[bisect_left(offsets, c):]
            if not offsets:
                return
            _, c, e = read_header(buf, c, e, ctx)
        for child, name, h, cs, ce, open_target in self.children(node, c, e):
            lo = bisect_left(offsets, h)
            hi = bisect_left(offsets, ce)
            if lo == hi:
                continue
            inside = offsets[lo:hi]
            below = [*segments, name] if name else segments
            path = join_path(below)
            for o in inside:
                result[o] = path
            if open_target is not None and child is not None:
                self.open(child, open_target, h, cs, ce, below, inside)
            elif child is not None:
                self.walk(child, cs, ce, below, inside)

    def open(self, holder: Node, target: Node, h: int, c: int, e: int, segments: list[str],
             offsets: list[int]) -> None:
        """Follow an open-type component into the type its governing value selects."""
        if holder.kind == ANY:
            self.element(target, h, e, segments, offsets)
        elif holder.kind in (SEQUENCE_OF, SET_OF):
            pos, index = c, 0
            while pos < e:
                _, _, ie = read_header(self.buf, pos, e, self.ctx)
                inside = [o for o in offsets if pos <= o < ie]
                if inside:
                    self.element(target, pos, ie, [*segments, f"[{index}]"], inside)
                pos, index = ie, index + 1
        else:
            inside = [o for o in offsets if c <= o < e]
            if inside:
                self.element(target, c, e, segments, inside)

    def children(
        self, node: Node, c: int, e: int
    ) -> Iterator[tuple[Node | None, str, int, int, int, Node | None]]:
        """Yield (child, segment, start, contents start, end, open type) per element."""
        kind = node.kind
        if kind not in (SEQUENCE, SET, SEQUENCE_OF, SET_OF, CHOICE):
            return
        buf, ctx = self.buf, self.ctx
        governing: dict[str, str] = {}
        governing_names = {node.fields[j].open_type.name for j in node.open_fields} if (
            self.open_types and kind == SEQUENCE) else set()
        pos = c
        i = 0
        index = 0
        while pos < e:
            key, cs, ce = read_header(buf, pos, e, ctx)
            target: Node | None
            open_target = None
            if kind in (SEQUENCE, SET):
                table = node.tables[0 if kind == SET else min(i, len(node.tables) - 1)]
                fallback = node.fallbacks[0 if kind == SET else min(i, len(node.fallbacks) - 1)]
                entry = table.get(key) or fallback
                if entry is None:
                    return
                j, (target, _) = entry
                field = node.fields[j]
                name = field.name
                i = j + 1
                if name in governing_names and key == 0x06:
                    governing[name] = decode_oid(buf, cs, ce, ctx)[0]
                if field.open_type is not None and field.open_type.name in governing:
                    open_target = _open_target(field, governing[field.open_type.name])
            elif kind == CHOICE:
                name = ""
                target = _route(alternatives(node), key)
            else:
                assert node.item is not None
                name = f"[{index}]"
                target = _route(slot(node.item), key)
            yield target, name, pos, cs, ce, open_target
            index += 1
            pos = ce


def _open_target(field: Any, governing: str) -> Node | None:
    try:
        spec = field.open_type[tuple(int(a) for a in governing.split("."))]
    except (KeyError, TypeError):
        return None
    return compile_node(spec)
