"""Generated decoders for the plain backend: SEQUENCEs unrolled, leaves inlined.

The table-driven loops of :mod:`csrlib.asn1.decoding` pay for a lookup and
a call per component.  For the plain backend, a SEQUENCE (or SEQUENCE OF /
SET OF) is compiled once into a Python function that reads its components
in order and decodes simple leaves (OBJECT IDENTIFIER, INTEGER, BOOLEAN,
NULL, OCTET STRING, ANY) inline; other components still call their own
decoders.  The generated code makes the decisions the loop makes: each
element's tag is matched against the keys the plan's per-position tables
give each component, and errors come from the loop's own helpers (passed in
the namespace).  The tests compare both paths on every input they try.
"""

from __future__ import annotations

from typing import Any

from ..der.generic import validate_content
from ..der.primitives import OID_CACHE, decode_boolean, decode_integer, decode_null, decode_oid
from ..der.tlv import read_header
from ..errors import DecodeError
from .plan import Node
from .types import ANY, BOOLEAN, ENUMERATED, INTEGER, NULL, OCTET_STRING, OID

__all__ = ["collection_source", "compile_function", "inline_kind", "sequence_source"]

_HEADER = """\
{i}t = buf[pos]
{i}if t & 0x1F != 0x1F and pos + 2 <= e and buf[pos + 1] < 0x80:
{i}    cs = pos + 2
{i}    ce = cs + buf[pos + 1]
{i}    if ce > e:
{i}        raise DecodeError(overrun(buf, e), pos + 1)
{i}else:
{i}    t, cs, ce = read_header(buf, pos, e, ctx)
"""

_LEAVES = {
    "oid": [
        "hit = OIDC.get(buf[cs:ce])",
        "if hit is not None and hit[2] <= ctx.max_oid_arcs and hit[3] <= ctx.max_oid_octets:",
        "    {v} = hit[0]",
        "else:",
        "    {v} = decode_oid(buf, cs, ce, ctx)[0]",
    ],
    "int": ["{v} = decode_integer(buf, cs, ce, ctx)"],
    "bool": ["{v} = decode_boolean(buf, cs, ce, ctx)"],
    "null": ["decode_null(buf, cs, ce, ctx)", "{v} = None"],
    "octets": ["{v} = buf[cs:ce]"],
    "any": ["validate_content(buf, t, pos, cs, ce, ctx, d1)", "{v} = buf[pos:ce]"],
    "any-unchecked": ["{v} = buf[pos:ce]"],
    "any-unchecked-span": ["{v} = (buf[pos:ce], pos, ce)"],
}


def inline_kind(node: Node) -> str | None:
    """Return how an element of ``node``'s type can be decoded inline, or None."""
    if node.check is not None:
        return None
    if node.kind == ANY and not node.keys:
        if node.unchecked:
            return "any-unchecked-span" if node.span else "any-unchecked"
        return None if node.span else "any"
    if node.span or len(node.keys) != 1:
        return None
    return {OID: "oid", INTEGER: "int", ENUMERATED: "int", BOOLEAN: "bool", NULL: "null",
            OCTET_STRING: "octets"}.get(node.kind)


def _leaf(kind: str, target: str, indent: str) -> str:
    return "".join(f"{indent}{line.format(v=target)}\n" for line in _LEAVES[kind])


def sequence_source(
    node: Node, tables: list[dict[int, tuple[int, Any]]], fallbacks: list[Any],
    open_fields: dict[int, int] | None = None, span: bool = False,
) -> tuple[str, dict[str, Any]]:
    """Return the source and namespace of the contents decoder of a SEQUENCE.

    ``open_fields`` maps each open-type component to its governing one (which
    comes earlier): when ``ctx.open_types`` is set, ``OPEN<j>(governing)``
    may give a decoder for the component, used instead of the usual one.
    The namespace still needs ``OPEN<j>`` and the helpers ``EMPTY``,
    ``missing``, ``leftover``, ``name_error`` and ``overrun`` (see decoding.py).
    With ``span`` the function returns ``(value, h, e)``.
    """
    open_fields = open_fields or {}
    ns: dict[str, Any] = {}
    out = [
        "def dec(buf, h, c, e, ctx, d):\n",
        "    if c == e:\n",
        "        return (EMPTY(e), h, e)\n" if span else "        return EMPTY(e)\n",
        "    if d >= ctx.max_depth:\n",
        "        raise DecodeError('depth-limit', h)\n",
        "    d1 = d + 1\n",
        "    pos = c\n",
        "    t = -1\n",
        "    i = 0\n",
        "    seg = None\n",
        "    try:\n",
    ]
    ind = "        "
    for j, f in enumerate(node.fields):
        # The keys position j's table gives this component (a CHOICE gives
        # several); an untagged ANY takes every tag no later component claims.
        own = {k: fn for k, (jj, fn) in tables[j].items() if jj == j}
        any_fn = fallbacks[j][1] if fallbacks[j] is not None and fallbacks[j][0] == j else None
        out.append(f"{ind}if t < 0 and pos < e:\n")
        out.append(_HEADER.format(i=ind + "    "))
        if any_fn is not None:
            ns[f"CL{j}"] = frozenset(k for k, (jj, _) in tables[j].items() if jj != j)
            if own:
                ns[f"OWN{j}"] = frozenset(own)
                out.append(f"{ind}if t >= 0 and (t in OWN{j} or t not in CL{j}):\n")
            else:
                out.append(f"{ind}if t >= 0 and t not in CL{j}:\n")
        elif len(own) == 1:
            out.append(f"{ind}if t == {next(iter(own))}:\n")
        else:
            ns[f"K{j}"] = frozenset(own)
            out.append(f"{ind}if t in K{j}:\n")
        inner = ind + "    "
        out.append(f"{inner}seg = {f.name!r}\n")
        if j in open_fields:
            out.append(f"{inner}od = OPEN{j}(v{open_fields[j]}) if ctx.open_types else None\n")
            out.append(f"{inner}if od is not None:\n")
            out.append(f"{inner}    v{j} = od(buf, pos, cs, ce, ctx, d1)\n")
            out.append(f"{inner}else:\n")
            inner += "    "
        leaf = inline_kind(f.node) if f.default is None else None
        if leaf is not None and (len(own) == 1 or (any_fn is not None and not own)):
            out.append(_leaf(leaf, f"v{j}", inner))
        elif any_fn is not None:
            ns[f"R{j}"] = own
            ns[f"F{j}"] = any_fn
            out.append(f"{inner}v{j} = R{j}.get(t, F{j})(buf, pos, cs, ce, ctx, d1)\n")
        elif len(own) == 1:
            ns[f"F{j}"] = next(iter(own.values()))
            out.append(f"{inner}v{j} = F{j}(buf, pos, cs, ce, ctx, d1)\n")
        else:
            ns[f"R{j}"] = own
            out.append(f"{inner}v{j} = R{j}[t](buf, pos, cs, ce, ctx, d1)\n")
        inner = ind + "    "
        out.append(f"{inner}seg = None\n{inner}pos = ce\n{inner}t = -1\n{inner}i = {j + 1}\n")
        out.append(f"{ind}else:\n")
        if f.skippable:
            out.append(f"{ind}    v{j} = D{j}\n")
        else:
            out.append(f"{ind}    raise missing(t, pos, e, i, {j})\n")
    out.append(f"{ind}if pos < e:\n")
    out.append(f"{ind}    if t < 0:\n")
    out.append(_HEADER.format(i=ind + "        "))
    out.append(f"{ind}    raise leftover(t, pos, i)\n")
    out.append("    except DecodeError as err:\n")
    out.append("        name_error(err, seg, buf, pos, e, i)\n")
    out.append("        raise\n")
    values = "".join(f"v{j}, " for j in range(len(node.fields)))
    out.append(f"    return (({values}), h, e)\n" if span else f"    return ({values})\n")
    return "".join(out), ns


def collection_source(
    leaf: str | None, single_key: int | None, is_set: bool, span: bool = False
) -> str:
    """Return the source of a SEQUENCE OF / SET OF contents decoder.

    With ``leaf`` the items are decoded inline (their tag must be
    ``single_key``, or any tag for an ANY); otherwise through ``TABLE`` and
    ``FALLBACK``.  The namespace needs ``unexpected``, ``LO``, ``HI``,
    ``CHECK`` and ``overrun``.
    """
    body = ["def dec(buf, h, c, e, ctx, d):\n",
            "    if c < e and d >= ctx.max_depth:\n",
            "        raise DecodeError('depth-limit', h)\n",
            "    d1 = d + 1\n",
            "    items = []\n",
            "    pos = c\n",
            "    prev = -1\n",
            "    prev_end = -1\n",
            "    try:\n",
            "        while pos < e:\n",
            _HEADER.format(i="            ")]
    ind = "            "
    if leaf is None:
        body.append(f"{ind}fn = TABLE.get(t) or FALLBACK\n")
        body.append(f"{ind}if fn is None:\n{ind}    raise unexpected(t, pos)\n")
    elif single_key is not None:
        body.append(f"{ind}if t != {single_key}:\n{ind}    raise unexpected(t, pos)\n")
    if is_set:
        body.append(f"{ind}if prev >= 0 and buf[prev:prev_end] > buf[pos:ce]:\n")
        body.append(f"{ind}    ctx.deviate('setof-unsorted', pos)\n")
        body.append(f"{ind}prev = pos\n{ind}prev_end = ce\n")
    if leaf is None:
        body.append(f"{ind}v = fn(buf, pos, cs, ce, ctx, d1)\n")
    else:
        body.append(_leaf(leaf, "v", ind))
    body += [f"{ind}items.append(v)\n",
             f"{ind}pos = ce\n",
             "    except DecodeError as err:\n",
             "        err.add_segment(f'[{len(items)}]')\n",
             "        raise\n",
             "    if not LO <= len(items) <= HI:\n",
             "        raise DecodeError('constraint', h,\n",
             "                          f'{len(items)} elements, not {LO}..{HI}')\n",
             "    if CHECK is not None:\n",
             "        why = CHECK(items)\n",
             "        if why is not None:\n",
             "            raise DecodeError('constraint', h, why)\n",
             "    return (items, h, e)\n" if span else "    return items\n"]
    return "".join(body)


_BASE_NAMESPACE = {
    "DecodeError": DecodeError,
    "read_header": read_header,
    "validate_content": validate_content,
    "OIDC": OID_CACHE,
    "decode_oid": decode_oid,
    "decode_integer": decode_integer,
    "decode_boolean": decode_boolean,
    "decode_null": decode_null,
}


def compile_function(source: str, namespace: dict[str, Any], label: str) -> Any:
    """Return the function ``dec`` that ``source`` defines, in ``namespace``."""
    scope = {**_BASE_NAMESPACE, **namespace}
    exec(compile(source, f"<csrlib.asn1 decoder for {label}>", "exec"), scope)
    return scope["dec"]
