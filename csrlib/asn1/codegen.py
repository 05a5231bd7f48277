"""Generated decoders for the plain backend: structures unrolled, leaves inlined.

The table-driven loops of :mod:`csrlib.asn1.decoding` pay for a lookup and
a call per component.  For the plain backend, each SEQUENCE, SEQUENCE OF
and SET OF is compiled once into a Python function that reads its
components in order and decodes inline what it can: simple leaves (OBJECT
IDENTIFIER, INTEGER, BOOLEAN, NULL, OCTET STRING, ANY) and small nested
structures made only of such leaves (an AttributeTypeAndValue inside a
RelativeDistinguishedName inside a Name, an AlgorithmIdentifier).  Other
components call their own decoders.

The generated code makes the decisions the loops make: each element's tag
is matched against the keys the plan's per-position tables give each
component, and errors come from the loops' own helpers, which the caller
supplies per node (see ``decoding.py``).  The tests compare both paths on
every input they try.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..der.generic import validate_content
from ..der.primitives import decode_boolean, decode_integer, decode_null, decode_oid
from ..der.strings import STRING_TYPES
from ..der.tlv import read_header
from ..errors import DecodeError
from .code_templates import SET_ORDER, Level
from .plan import WHOLE_OCTETS, Node, compile_node, slot
from .types import (
    ANY,
    BOOLEAN,
    CHOICE,
    ENUMERATED,
    INTEGER,
    NULL,
    OCTET_STRING,
    OID,
    SEQUENCE,
    SEQUENCE_OF,
    SET_OF,
    STRING,
)

__all__ = ["NodeInfo", "generate", "inline_kind"]

#: ``info(node)`` gives what the generated code of a node needs:
#: for a SEQUENCE ``{"tables", "fallbacks", "defaults", "helpers", "open"}``,
#: for a collection ``{"table", "fallback", "helpers"}`` (helpers: a dict of
#: callables and constants named as the generated code refers to them).
NodeInfo = Callable[[Node], dict[str, Any]]

_MAX_NESTING = 3

def inline_kind(node: Node) -> str | None:
    """Return how an element of ``node``'s type can be decoded as a leaf inline, or None."""
    if node.check is not None:
        return None
    if node.kind == ANY and not node.keys:
        if node.unchecked:
            return "any-unchecked-span" if node.span else "any-unchecked"
        return None if node.span else "any"
    if node.span or len(node.keys) != 1:
        return None
    if node.kind == STRING:
        return f"str{node.number}"
    return {OID: "oid", INTEGER: "int", ENUMERATED: "int", BOOLEAN: "bool", NULL: "null",
            OCTET_STRING: "octets"}.get(node.kind)


class _Generator:
    def __init__(self, info: NodeInfo, top_span: bool) -> None:
        self.info = info
        self.top_span = top_span
        self.ns: dict[str, Any] = {}
        self.lines: list[str] = []
        self.count = 0

    def name(self, base: str, value: Any) -> str:
        """Bind ``value`` in the namespace under a fresh name; return the name."""
        self.count += 1
        key = f"{base}{self.count}"
        self.ns[key] = value
        return key

    def emit(self, text: str) -> None:
        self.lines.append(text)

    # -- what can be inlined ---------------------------------------------------

    def inlinable(self, node: Node, depth: int) -> bool:
        """Return whether a whole element of ``node``'s type can be generated inline."""
        if depth >= _MAX_NESTING or node.check is not None or len(node.keys) != 1:
            return False
        if node.kind == SEQUENCE:
            if node.open_fields:
                return False
            data = self.info(node)
            for j, f in enumerate(node.fields):
                own = [k for k, (jj, _) in data["tables"][j].items() if jj == j]
                if f.default is not None or inline_kind(f.node) is None or len(own) > 1:
                    return False
            return True
        if node.kind in (SEQUENCE_OF, SET_OF) and node.item is not None:
            item = node.item
            return inline_kind(item) is not None or self.inlinable(item, depth + 1)
        return False

    # -- bodies ----------------------------------------------------------------

    def element(self, node: Node, lv: Level, result: str, ind: str, depth: int) -> None:
        """Generate code decoding the element (h, c, e at ``lv``) into ``result``."""
        if node.kind == SEQUENCE:
            self.sequence(node, lv, result, ind, depth)
        else:
            self.collection(node, lv, result, ind, depth)

    def sequence(self, node: Node, lv: Level, result: str, ind: str, depth: int) -> None:
        data = self.info(node)
        tables, fallbacks, defaults = data["tables"], data["fallbacks"], data["defaults"]
        helpers = {key: self.name(key, value) for key, value in data["helpers"].items()}
        governing = data["open"]
        span = node.span if depth else self.top_span
        # With low tag numbers only, an error's component is the one the
        # first octet at the current position names (the helper's own
        # lookup, see decoding.py's name_error): no need to track it.
        track = any(k & 0x1F == 0x1F or k > 0xFF for table in tables for k in table)
        e = self.emit
        e(f"{ind}if {lv.c} == {lv.e}:\n")
        empty = f"{helpers['EMPTY']}({lv.e})"
        e(f"{ind}    {result} = ({empty}, {lv.h}, {lv.e})\n" if span
          else f"{ind}    {result} = {empty}\n")
        e(f"{ind}else:\n")
        ind2 = ind + "    "
        e(f"{ind2}if {lv.d} >= ctx.max_depth:\n")
        e(f"{ind2}    raise DecodeError('depth-limit', {lv.h})\n")
        e(f"{ind2}{lv.d1} = {lv.d} + 1\n{ind2}{lv.pos} = {lv.c}\n{ind2}{lv.i} = 0\n")
        if not node.fields or node.fields[0].skippable:
            e(f"{ind2}{lv.t} = -1\n")  # else the first header is read unconditionally
        if track:
            e(f"{ind2}{lv.seg} = None\n")
        e(f"{ind2}try:\n")
        body = ind2 + "    "
        values = []
        # ``fresh``: no header read and not consumed (t is -1, or that of a
        # component already decoded: a stale one), known when generating.
        fresh = True
        stale = False
        for j, f in enumerate(node.fields):
            v = f"v{j}_{lv.n}"
            values.append(v)
            own = {k: fn for k, (jj, fn) in tables[j].items() if jj == j}
            any_fn = fallbacks[j][1] if fallbacks[j] is not None and fallbacks[j][0] == j else None
            if any_fn is not None:
                others = self.name("CL", frozenset(k for k, (jj, _) in tables[j].items()
                                                   if jj != j))
                if own:
                    mine = self.name("OWN", frozenset(own))
                    match = f"({lv.t} in {mine} or {lv.t} not in {others})"
                else:
                    match = f"{lv.t} not in {others}"
            elif len(own) == 1:
                match = f"{lv.t} == {next(iter(own))}"
            else:
                match = f"{lv.t} in {self.name('K', frozenset(own))}"
            missing = f"{helpers['missing']}({lv.t}, {lv.pos}, {lv.e}, {lv.i}, {j})"
            if fresh and not f.skippable:
                # A required component after a decoded one (or first): its
                # header read unconditionally, the code at the same level.
                e(f"{body}if {lv.pos} >= {lv.e}:\n")
                e(f"{body}    raise {helpers['missing']}(-1, {lv.pos}, {lv.e}, {lv.i}, {j})\n")
                if any_fn is None and len(own) == 1 and _reads_no_tag(f.node):
                    # One tag: matched inline (the tag variable is not set;
                    # nothing reads it before the next header).
                    e(lv.known(body, next(iter(own)), f"raise {missing}"))
                else:
                    e(lv.header(body))
                    e(f"{body}if not {match}:\n{body}    raise {missing}\n")
                inner = body
            else:
                if stale:
                    e(f"{body}{lv.t} = -1\n")
                test = f"{lv.pos} < {lv.e}" if fresh else f"{lv.t} < 0 and {lv.pos} < {lv.e}"
                e(f"{body}if {test}:\n")
                e(lv.header(body + "    "))
                e(f"{body}if {lv.t} >= 0 and {match}:\n" if any_fn is not None
                  else f"{body}if {match}:\n")
                inner = body + "    "
            if track:
                e(f"{inner}{lv.seg} = {f.name!r}\n")
            comp = inner
            if j in governing:
                resolver = self.name("OPEN", governing[j][1])
                e(f"{inner}od = {resolver}(v{governing[j][0]}_{lv.n}) if ctx.open_types "
                  "else None\n")
                e(f"{inner}if od is not None:\n")
                e(f"{inner}    {v} = od(buf, {lv.pos}, {lv.cs}, {lv.ce}, ctx, {lv.d1})\n")
                e(f"{inner}else:\n")
                comp = inner + "    "
            self.component(f, own, any_fn, lv, v, comp, depth)
            if track:
                e(f"{inner}{lv.seg} = None\n")
            e(f"{inner}{lv.pos} = {lv.ce}\n{inner}{lv.i} = {j + 1}\n")
            if inner == body:
                stale = True  # t holds the header just consumed
            else:
                e(f"{inner}{lv.t} = -1\n")
                stale = False
                e(f"{body}else:\n")
                if f.skippable:
                    e(f"{body}    {v} = {self.name('D', defaults[j])}\n")
                else:
                    e(f"{body}    raise {missing}\n")
            fresh = not f.skippable
        e(f"{body}if {lv.pos} < {lv.e}:\n")
        if fresh:
            e(lv.header(body + "    "))
        else:
            e(f"{body}    if {lv.t} < 0:\n")
            e(lv.header(body + "        "))
        e(f"{body}    raise {helpers['leftover']}({lv.t}, {lv.pos}, {lv.i})\n")
        e(f"{ind2}except DecodeError as err:\n")
        seg = lv.seg if track else "None"
        e(f"{ind2}    {helpers['name_error']}(err, {seg}, buf, {lv.pos}, {lv.e}, {lv.i})\n")
        e(f"{ind2}    raise\n")
        value = f"({', '.join(values)},)" if values else "()"
        e(f"{ind2}{result} = ({value}, {lv.h}, {lv.e})\n" if span
          else f"{ind2}{result} = {value}\n")

    def component(self, f: Any, own: dict[int, Any], any_fn: Any, lv: Level, v: str,
                  ind: str, depth: int) -> None:
        """Generate the decoding of one matched SEQUENCE component into ``v``."""
        node = f.node
        leaf = inline_kind(node) if f.default is None else None
        single = len(own) == 1 or (any_fn is not None and not own)
        if leaf is not None and single:
            self.emit(lv.leaf(leaf, v, ind))
        elif single and f.default is None and self.inlinable(node, depth + 1):
            self.nested(node, lv, v, ind, depth)
        elif any_fn is not None:
            table = self.name("R", own)
            fallback = self.name("F", any_fn)
            self.emit(f"{ind}{v} = {table}.get({lv.t}, {fallback})"
                      f"(buf, {lv.pos}, {lv.cs}, {lv.ce}, ctx, {lv.d1})\n")
        elif len(own) == 1:
            fn = self.name("F", next(iter(own.values())))
            self.emit(f"{ind}{v} = {fn}(buf, {lv.pos}, {lv.cs}, {lv.ce}, ctx, {lv.d1})\n")
        else:
            table = self.name("R", own)
            self.emit(f"{ind}{v} = {table}[{lv.t}](buf, {lv.pos}, {lv.cs}, {lv.ce}, ctx, "
                      f"{lv.d1})\n")

    def whole_inline(self, item: Node, data: dict[str, Any], depth: int) -> Node | None:
        """Return the node of a counted ``item``'s whole decoding if it can be generated inline.

        That is an item of one tag, without a span, whose whole schema is
        inlinable, in a collection that dispatches that tag to it alone.
        """
        if (not item.items_unchecked or item.whole is None or item.span or len(item.keys) != 1
                or (item.check is not None and item.size is None) or data["fallback"] is not None
                or set(data["table"]) != {item.keys[0]}):
            return None
        whole = compile_node(item.whole())
        return whole if self.inlinable(whole, depth + 1) else None

    def nested(self, node: Node, lv: Level, result: str, ind: str, depth: int) -> None:
        """Generate the element at ``lv``'s current position inline, one level down.

        The inner level reads its element's start, contents, end and depth
        from the outer level's variables, which no code writes meanwhile.
        """
        inner = Level(lv.n + 1)
        inner.h, inner.c, inner.e, inner.d = lv.pos, lv.cs, lv.ce, lv.d1
        self.element(node, inner, result, ind, depth + 1)

    def collection(self, node: Node, lv: Level, result: str, ind: str, depth: int) -> None:
        assert node.item is not None
        if node.items_unchecked:
            self.counted(node, lv, result, ind, depth)
            return
        data = self.info(node)
        helpers = {key: self.name(key, value) for key, value in data["helpers"].items()}
        item = node.item
        leaf = inline_kind(item)
        nested = leaf is None and self.inlinable(item, depth + 1)
        e = self.emit
        e(f"{ind}if {lv.c} < {lv.e} and {lv.d} >= ctx.max_depth:\n")
        e(f"{ind}    raise DecodeError('depth-limit', {lv.h})\n")
        e(f"{ind}{lv.d1} = {lv.d} + 1\n{ind}{lv.items} = []\n{ind}{lv.pos} = {lv.c}\n")
        if node.kind == SET_OF:
            e(f"{ind}{lv.prev} = -1\n{ind}{lv.prev_end} = -1\n")
        e(f"{ind}try:\n{ind}    while {lv.pos} < {lv.e}:\n")
        body = ind + "        "
        v = f"item_{lv.n}"
        # Alternatives of an untagged CHOICE that are leaves: decoded inline too.
        choices: list[tuple[int, str, str]] = []
        if item.kind == CHOICE and not item.keys:
            for key, (target, chain) in slot(item)[0].items():
                kind = inline_kind(target)
                if len(chain) == 1 and kind is not None:
                    choices.append((key, item.alts[chain[0][1]][0], kind))
        whole = None if leaf is not None or nested else self.whole_inline(item, data, depth)
        generic = leaf is None and not nested and whole is None
        if not generic and item.keys and _reads_no_tag(item):
            e(lv.known(body, item.keys[0], f"raise {helpers['unexpected']}({lv.t}, {lv.pos})"))
        else:
            e(lv.header(body))
        if not generic:
            if item.keys and not _reads_no_tag(item):
                e(f"{body}if {lv.t} != {item.keys[0]}:\n")
                e(f"{body}    raise {helpers['unexpected']}({lv.t}, {lv.pos})\n")
        elif not choices:
            table = self.name("TABLE", data["table"])
            fallback = self.name("FALLBACK", data["fallback"])
            e(f"{body}fn = {table}.get({lv.t}) or {fallback}\n")
            e(f"{body}if fn is None:\n")
            e(f"{body}    raise {helpers['unexpected']}({lv.t}, {lv.pos})\n")
        if node.kind == SET_OF:
            e(SET_ORDER.format(i=body, prev=lv.prev, prev_end=lv.prev_end, pos=lv.pos,
                                ce=lv.ce))
        if leaf is not None:
            e(lv.leaf(leaf, v, body))
        elif nested:
            self.nested(item, lv, v, body, depth)
        elif whole is not None:
            # A counted item small enough to be decoded whole (an RDN of a
            # name): its whole decoder inline, the item's decoder otherwise.
            e(f"{body}if {lv.ce} - {lv.cs} <= {WHOLE_OCTETS}:\n")
            self.nested(whole, lv, v, body + "    ", depth)
            lo, hi = item.size or (0, float("inf"))
            test = f"len({v}) < {int(lo)}" + (f" or len({v}) > {int(hi)}"
                                             if hi != float("inf") else "")
            sizes = self.name("COUNT_SIZE", _count_sizes(item.size))
            e(f"{body}    if {test}:\n{body}        {sizes}(len({v}), {lv.pos})\n")
            fn = self.name("F", data["table"][item.keys[0]])
            e(f"{body}else:\n")
            e(f"{body}    {v} = {fn}(buf, {lv.pos}, {lv.cs}, {lv.ce}, ctx, {lv.d1})\n")
        elif choices:
            for n, (key, alt, kind) in enumerate(choices):
                e(f"{body}{'if' if n == 0 else 'elif'} {lv.t} == {key}:\n")
                e(lv.leaf(kind, "alt", body + "    "))
                e(f"{body}    {v} = ({alt!r}, alt)\n")
            table = self.name("TABLE", data["table"])
            fallback = self.name("FALLBACK", data["fallback"])
            e(f"{body}else:\n")
            e(f"{body}    fn = {table}.get({lv.t}) or {fallback}\n")
            e(f"{body}    if fn is None:\n")
            e(f"{body}        raise {helpers['unexpected']}({lv.t}, {lv.pos})\n")
            e(f"{body}    {v} = fn(buf, {lv.pos}, {lv.cs}, {lv.ce}, ctx, {lv.d1})\n")
        else:
            e(f"{body}{v} = fn(buf, {lv.pos}, {lv.cs}, {lv.ce}, ctx, {lv.d1})\n")
        e(f"{body}{lv.items}.append({v})\n{body}{lv.pos} = {lv.ce}\n")
        e(f"{ind}except DecodeError as err:\n")
        e(f"{ind}    err.add_segment(f'[{{len({lv.items})}}]')\n{ind}    raise\n")
        if node.size is not None:
            # The size test inline; the helper (which raises) only on failure.
            lo, hi = node.size
            test = f"len({lv.items}) < {int(lo)}"
            if hi != float("inf"):
                test += f" or len({lv.items}) > {int(hi)}"
            e(f"{ind}if {test}:\n{ind}    {helpers['check']}({lv.items}, {lv.h})\n")
        elif node.check is not None:
            e(f"{ind}{helpers['check']}({lv.items}, {lv.h})\n")
        span = node.span if depth else self.top_span
        e(f"{ind}{result} = ({lv.items}, {lv.h}, {lv.e})\n" if span
          else f"{ind}{result} = {lv.items}\n")


    def counted(self, node: Node, lv: Level, result: str, ind: str, depth: int) -> None:
        """Generate a collection whose items are counted, not decoded (``items_unchecked``).

        Each item's header is read (and its tag matched when the item type
        has one), the SET OF order and the size are checked; the result is
        the count (with the span when spanned).  Nothing per item is kept,
        except in a collection of at most WHOLE_OCTETS octets with a whole
        schema (``Node.whole``), which is decoded whole instead: its list of
        items replaces the count.
        """
        assert node.item is not None
        item_key = node.item.keys[0] if node.item.keys else None
        sizes = self.name("COUNT_SIZE", _count_sizes(node.size))
        unexpected = self.name("unexpected", self.info(node)["helpers"]["unexpected"])
        lo, hi = node.size or (0, float("inf"))
        e = self.emit
        whole = self.info(node).get("whole")
        if whole is not None:
            # A short one (the common case): decoded whole, in one pass.
            fn = self.name("WHOLE", whole)
            e(f"{ind}if {lv.e} - {lv.c} <= {WHOLE_OCTETS}:\n")
            e(f"{ind}    {lv.items} = {fn}(buf, {lv.h}, {lv.c}, {lv.e}, ctx, {lv.d})\n")
            test = f"len({lv.items}) < {int(lo)}" + (
                f" or len({lv.items}) > {int(hi)}" if hi != float("inf") else "")
            e(f"{ind}    if {test}:\n{ind}        {sizes}(len({lv.items}), {lv.h})\n")
            e(f"{ind}else:\n")
            ind += "    "
        e(f"{ind}if {lv.c} < {lv.e} and {lv.d} >= ctx.max_depth:\n")
        e(f"{ind}    raise DecodeError('depth-limit', {lv.h})\n")
        e(f"{ind}{lv.items} = 0\n{ind}{lv.pos} = {lv.c}\n")
        if node.kind == SET_OF:
            e(f"{ind}{lv.prev} = -1\n{ind}{lv.prev_end} = -1\n")
        e(f"{ind}try:\n{ind}    while {lv.pos} < {lv.e}:\n")
        body = ind + "        "
        if item_key is not None:
            e(lv.known(body, item_key, f"raise {unexpected}({lv.t}, {lv.pos})", ends_only=True))
        else:
            e(lv.header(body, ends_only=True))
        if node.kind == SET_OF:
            e(SET_ORDER.format(i=body, prev=lv.prev, prev_end=lv.prev_end, pos=lv.pos,
                                ce=lv.ce))
        e(f"{body}{lv.items} += 1\n{body}{lv.pos} = {lv.ce}\n")
        e(f"{ind}except DecodeError as err:\n")
        e(f"{ind}    err.add_segment(f'[{{{lv.items}}}]')\n{ind}    raise\n")
        test = f"{lv.items} < {int(lo)}" + (f" or {lv.items} > {int(hi)}"
                                            if hi != float("inf") else "")
        e(f"{ind}if {test}:\n{ind}    {sizes}({lv.items}, {lv.h})\n")
        if whole is not None:
            ind = ind[:-4]
        span = node.span if depth else self.top_span
        e(f"{ind}{result} = ({lv.items}, {lv.h}, {lv.e})\n" if span
          else f"{ind}{result} = {lv.items}\n")


def _reads_no_tag(node: Node) -> bool:
    """Return True if the code decoding ``node``'s element does not read the tag variable.

    Only the ANY leaves read it (the element's own tag); the SET OF order
    and every nested level read positions.
    """
    return inline_kind(node) not in ("any", "any-unchecked", "any-unchecked-span")


def _count_sizes(size: tuple[float, float] | None) -> Callable[[int, int], None]:
    """Return ``check(count, h)``: raise DecodeError ``constraint`` for a count out of size."""
    lo, hi = size or (0, float("inf"))

    def check(count: int, h: int) -> None:
        if not lo <= count <= hi:
            raise DecodeError("constraint", h, f"{count} elements, not {lo}..{hi}")

    return check


_BASE_NAMESPACE = {
    "DecodeError": DecodeError,
    "read_header": read_header,
    "validate_content": validate_content,
    "decode_oid": decode_oid,
    "decode_integer": decode_integer,
    "decode_boolean": decode_boolean,
    "decode_null": decode_null,
    **{f"STR{number}": stype.check for number, stype in STRING_TYPES.items()},
}


def generate(node: Node, info: NodeInfo, overrun: Any, span: bool) -> Any:
    """Return the generated contents decoder ``(buf, h, c, e, ctx, d)`` of ``node``.

    ``node`` is a SEQUENCE, SEQUENCE OF or SET OF; with ``span`` the function
    returns ``(value, h, e)``.
    """
    gen = _Generator(info, span)
    lv = Level(0)
    lv.h, lv.c, lv.e, lv.d = "h", "c", "e", "d"  # the arguments, never written
    gen.emit("def dec(buf, h, c, e, ctx, d):\n")
    gen.element(node, lv, "result", "    ", 0)
    gen.emit("    return result\n")
    scope = {**_BASE_NAMESPACE, **gen.ns, "overrun": overrun}
    source = "".join(gen.lines)
    label = f"<csrlib.asn1 decoder for {type(node.spec).__name__}>"
    exec(compile(source, label, "exec"), scope)
    return scope["dec"]
