"""The TLV tree that :mod:`csrlib.fuzz.mutations` edits: a request parsed once, written again.

Each node keeps its identifier octets and either its contents octets or
its children; :func:`layout` writes a tree back with every length
recomputed (and records where each node landed), so that one changed node
is the only difference.  The values of the extensions csrlib types are
opened (:func:`read_tree`), so their insides are mutation targets too.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from .. import oids, schemas
from ..der.generic import validate_content
from ..der.primitives import encode_oid
from ..der.tlv import DEFAULT_LIMITS, Context, encode_length, encode_tag, read_header
from ..errors import DecodeError

__all__ = ["BytesLike", "Node", "Path", "Span", "at", "body", "extensions", "is_set_of", "layout",
           "nodes", "read_tree", "resort", "sorted_sets"]

BytesLike = bytes | bytearray | memoryview
Path = tuple[int, ...]
Span = tuple[int, int, int]  # start, contents start, end


class Node:
    """One element: identifier octets, then contents octets or children.

    ``length`` says how the length octets are written: ``None`` minimal,
    ``"pad"`` long form with a leading zero octet, ``"long"`` long form,
    ``"indefinite"`` 0x80 and end-of-contents octets; ``overrun`` is added
    to the length written.  An OCTET STRING holding an extension value has
    children although it is primitive.
    """

    __slots__ = ("children", "content", "ident", "length", "overrun")

    def __init__(self, ident: bytes, content: bytes = b"",
                 children: list[Node] | None = None) -> None:
        self.ident = ident
        self.content = content
        self.children = children
        self.length: str | None = None
        self.overrun = 0

    @property
    def tag(self) -> int:
        return self.ident[0]

    @property
    def kids(self) -> list[Node]:
        return self.children if self.children is not None else []

    def copy(self) -> Node:
        node = Node(self.ident, self.content,
                     None if self.children is None else [c.copy() for c in self.children])
        node.length, node.overrun = self.length, self.overrun
        return node


def _length_octets(node: Node, n: int) -> bytes:
    if node.length == "indefinite":
        return b"\x80"
    n += node.overrun
    if node.length == "long":
        return bytes((0x81, n))
    if node.length == "pad":
        k = max(1, (n.bit_length() + 7) // 8)
        return bytes((0x81 + k, 0)) + n.to_bytes(k, "big")
    return encode_length(n)


def body(node: Node) -> bytes:
    """Return the contents octets of ``node`` (end-of-contents octets included)."""
    octets = node.content if node.children is None else b"".join(map(layout, node.children))
    return octets + b"\x00\x00" if node.length == "indefinite" else octets


def layout(node: Node, spans: dict[Path, Span] | None = None, path: Path = (),
           start: int = 0) -> bytes:
    """Return the encoding of ``node``; record each node's span by path in ``spans``."""
    octets = body(node)
    header = node.ident + _length_octets(node, len(octets))
    if spans is not None:
        spans[path] = (start, start + len(header), start + len(header) + len(octets))
        pos = start + len(header)
        for i, child in enumerate(node.kids):
            pos += len(layout(child, spans, (*path, i), pos))
    return header + octets


def _parse(buf: bytes, pos: int, end: int, ctx: Context, depth: int) -> list[Node]:
    nodes = []
    while pos < end:
        key, cs, ce = read_header(buf, pos, end, ctx)
        if key & 0x20:
            if depth >= ctx.max_depth:
                raise DecodeError("depth-limit", pos)
            nodes.append(Node(encode_tag(key), children=_parse(buf, cs, ce, ctx, depth + 1)))
        else:
            validate_content(buf, key, pos, cs, ce, ctx, depth)
            nodes.append(Node(encode_tag(key), buf[cs:ce]))
        pos = ce
    return nodes


_EXT_REQUESTS = (encode_oid(oids.EXTENSION_REQUEST), encode_oid(oids.MS_EXTENSION_REQUEST))
#: The encoded OIDs of the extensions whose values csrlib decodes.
_TYPED_EXTENSIONS = frozenset(encode_oid(str(oid)) for oid in schemas.EXTENSION_VALUE_TYPES)


def read_tree(der: bytes) -> Node:
    """Return the tree of a request; raise ValueError if it is not DER of that shape."""
    ctx = Context(DEFAULT_LIMITS, strict=True)
    try:
        nodes = _parse(der, 0, len(der), ctx, 1)
    except DecodeError as exc:
        raise ValueError(f"not DER: {exc}") from exc
    root = nodes[0] if len(nodes) == 1 else Node(b"\x05")
    tbs = root.kids[0].kids if [n.tag for n in root.kids] == [0x30, 0x30, 0x03] else []
    if [n.tag for n in tbs[:3]] != [0x02, 0x30, 0x30]:
        raise ValueError("not a CertificationRequest: SEQUENCE { SEQUENCE { INTEGER, "
                         "SEQUENCE, SEQUENCE, ... }, SEQUENCE, BIT STRING }")
    # Open the values of the extensions csrlib types: it reads them, so their
    # insides are targets.  Others are opaque octets (any content loads).
    for path, ext in extensions(root):
        octets = ext.kids[-1]
        if octets.tag == 0x04 and ext.kids[0].content in _TYPED_EXTENSIONS:
            try:
                inner = _parse(octets.content, 0, len(octets.content), ctx, len(path) + 3)
            except DecodeError:
                continue
            if len(inner) == 1:
                octets.children = inner
    return root


def nodes(node: Node, path: Path = ()) -> Iterator[tuple[Path, Node]]:
    yield path, node
    for i, child in enumerate(node.kids):
        yield from nodes(child, (*path, i))


def at(root: Node, path: Path) -> Node:
    for i in path:
        root = root.kids[i]
    return root


def extensions(root: Node) -> Iterator[tuple[Path, Node]]:
    """Yield each Extension SEQUENCE of the extension requests, with its path."""
    for path, node in nodes(root):
        if len(path) == 6 and path[:2] == (0, 3) and node.tag == 0x30 and len(node.kids) > 1:
            attr_type = at(root, path[:3]).kids[:1]
            if attr_type and attr_type[0].content in _EXT_REQUESTS:
                yield path, node


def is_set_of(path: Path, node: Node) -> bool:
    # The SET OFs of a request: RDNs, attribute values, and [0] attributes.
    return node.tag == 0x31 or path == (0, 3)


def resort(root: Node, path: Path) -> Path:
    """Sort the SET OFs holding the node at ``path`` (X.690 11.6); return its new path."""
    chain = [root]
    for i in path:
        chain.append(chain[-1].kids[i])
    out: Path = ()
    for parent, child in pairwise(chain):
        if is_set_of(out, parent):
            parent.kids.sort(key=layout)
        out = (*out, parent.kids.index(child))
    return out


def sorted_sets(root: Node) -> bool:
    """Return whether every SET OF is in DER order, without two equal members."""
    return all(a < b for p, n in nodes(root) if is_set_of(p, n)
               for a, b in pairwise(layout(c) for c in n.kids))
