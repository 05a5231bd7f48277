"""Structure-aware mutations of a valid DER certificate request, each one known defect.

For fuzz-testing parsers (csrlib's own included)::

    import random
    from csrlib.fuzz import mutations

    bad, defect = mutations.mutate(der, "nonminimal-integer", random.Random(7))
    defect.kind, defect.offset, defect.expect   # what broke, where, what a parser should do

The input is parsed once into a TLV tree (the values of the extension
request are opened, so their insides are targets too); one node is changed
and the tree written again with every enclosing length adjusted, minimal
everywhere but at the mutated spot, and every SET OF holding the change
re-sorted (X.690 11.6) so that the mutation stays the only defect.  Offsets
in a :class:`Defect` are offsets in the *mutated* bytes.  Each result is a
function of the input and of the ``random.Random`` passed in, nothing else.
This module does not import hypothesis;
:func:`csrlib.fuzz.strategies.malformed_csr_ders` wraps it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from .. import oids
from ..der.primitives import encode_oid
from ..der.tlv import DEFAULT_LIMITS
from . import tree
from .tree import BytesLike, Path, Span

__all__ = ["EXPECT", "KINDS", "RULES", "Defect", "all_mutations", "mutate", "mutate_any"]

#: Every mutation kind, in the order :func:`all_mutations` applies them.
KINDS: tuple[str, ...] = (
    "nonminimal-length", "indefinite-length", "long-form-short-length", "nonminimal-integer",
    "boolean-01", "encoded-default", "unsorted-set-of", "constructed-string",
    "bad-unused-bits", "oid-0x80-padding", "wrong-tag", "truncation", "trailing-data",
    "length-overrun", "deep-nesting", "signature-bit-flip", "tbs-bit-flip",
)

#: What csrlib does with each kind (see :attr:`Defect.expect`).
EXPECT: dict[str, str] = {
    **dict.fromkeys(KINDS, "decode-error"),
    **dict.fromkeys(("nonminimal-length", "long-form-short-length", "nonminimal-integer",
                     "boolean-01", "encoded-default", "unsorted-set-of"), "lenient"),
    **dict.fromkeys(("signature-bit-flip", "tbs-bit-flip"), "verify-fails"),
}

#: The rule each kind breaks, with its clause.
RULES: dict[str, str] = {
    "nonminimal-length": "X.690 10.1: length in the fewest octets",
    "indefinite-length": "X.690 10.1: definite form of length only",
    "long-form-short-length": "X.690 10.1: short form for lengths below 128",
    "nonminimal-integer": "X.690 8.3.2: INTEGER in the fewest octets",
    "boolean-01": "X.690 11.1: BOOLEAN TRUE is encoded as 0xFF",
    "encoded-default": "X.690 11.5: a value equal to its DEFAULT is not encoded",
    "unsorted-set-of": "X.690 11.6: SET OF elements in ascending order of their encodings",
    "constructed-string": "X.690 10.2: string types use the primitive form only",
    "bad-unused-bits": "X.690 8.6.2.2, 8.6.2.3, 11.2.1: unused bits 0..7, 0 when empty, "
                       "padding bits zero",
    "oid-0x80-padding": "X.690 8.19.2: subidentifiers in the fewest octets (no leading 0x80)",
    "wrong-tag": "RFC 2986 4.1, X.690 8.1.2: the tag the schema requires here",
    "truncation": "X.690 8.1.1: the input holds the whole outermost element",
    "trailing-data": "X.690 8.1.1: nothing after the outermost element",
    "length-overrun": "X.690 8.1.3: an element ends inside the element enclosing it",
    "deep-nesting": f"Limits.max_depth: elements nested at most {DEFAULT_LIMITS.max_depth} deep",
    "signature-bit-flip": "RFC 2986 4.2: signature over certificationRequestInfo",
    "tbs-bit-flip": "RFC 2986 4.2: signature over certificationRequestInfo",
}


@dataclass(frozen=True, slots=True)
class Defect:
    """The one rule a mutated request breaks, and where.

    ``kind``: one of :data:`KINDS`.  ``offset``: the octet of the mutated
    bytes that breaks the rule (see below).  ``tlv_start``/``tlv_end``: the
    span of the innermost element holding that octet, as laid out in the
    mutated bytes.  ``rule``: the rule, with its clause.  ``expect``:
    ``"decode-error"`` (strict and lenient loading refuse it; mutations
    never reach inside the value of an extension csrlib does not type, which
    is opaque octets),
    ``"lenient"`` (strict loading refuses it, ``strict=False`` records it as
    a deviation) or ``"verify-fails"`` (the request loads strictly;
    ``verify()`` raises InvalidSignature).

    The offset is the first length octet for the length kinds (and for
    ``truncation``: the outermost element's, which claims more than the
    input holds, so the span ends at the end of the input); the first
    contents octet for INTEGER, BOOLEAN and an unused-bit count, the last
    one for non-zero padding bits; the inserted 0x80 octet of an OID; the
    identifier octet of a wrong tag, a constructed string, an encoded
    DEFAULT and the SET OF member out of order; the first extra octet for
    ``trailing-data`` (the span is the extra bytes); the identifier of the
    constructed element at depth ``Limits.max_depth`` whose contents nest
    deeper for ``deep-nesting``; the flipped octet for the two bit flips.
    A ``length-overrun`` element's span ends where its contents do, not
    where its length claims.
    """

    kind: str
    offset: int
    tlv_start: int
    tlv_end: int
    rule: str
    expect: str


# -- mutations --------------------------------------------------------------------
# Each takes the tree and the rng and returns None (no place for the kind) or
# (mutated copy, path of the node holding the defect, offset of the defect as
# a function of that node's span).

Found = tuple[tree.Node, Path, Callable[[Span], int]]
Mutation = Callable[[tree.Node, random.Random], Found | None]
_ASCII_STRINGS = frozenset((12, 18, 19, 20, 21, 22, 25, 26, 27))
_STRINGS = _ASCII_STRINGS | {3, 4, 28, 30}


def _pick(
    rng: random.Random, root: tree.Node, test: Callable[[Path, tree.Node], bool]
) -> Path | None:
    paths = [p for p, n in tree.nodes(root) if test(p, n)]
    return rng.choice(paths) if paths else None


def _edit(root: tree.Node, path: Path, change: Callable[[tree.Node], object]) -> tree.Node:
    """Return a copy of the tree with ``change`` applied to the node at ``path``."""
    out = root.copy()
    change(tree.at(out, path))
    return out


def _replace(root: tree.Node, path: Path, content: bytes) -> tree.Node:
    """Return a copy of the tree with new contents octets for the node at ``path``."""
    return _edit(root, path, lambda n: setattr(n, "content", content))


def _contents_at(i: int) -> Callable[[Span], int]:
    return lambda s: s[1] + i


def _set_length(mode: str, test: Callable[[tree.Node], bool]) -> Mutation:
    def mutation(root: tree.Node, rng: random.Random) -> Found | None:
        path = _pick(rng, root, lambda p, n: test(n))
        if path is None:
            return None
        size = len(tree.at(root, path).ident)
        return _edit(root, path, lambda n: setattr(n, "length", mode)), path, lambda s: s[0] + size
    return mutation


def _set_content(test: Callable[[tree.Node], bool], change: Callable[[bytes], bytes]) -> Mutation:
    def mutation(root: tree.Node, rng: random.Random) -> Found | None:
        path = _pick(rng, root, lambda p, n: n.children is None and test(n))
        if path is None:
            return None
        new = _edit(root, path, lambda n: setattr(n, "content", change(n.content)))
        return new, path, lambda s: s[1]
    return mutation


def _encoded_default(root: tree.Node, rng: random.Random) -> Found | None:
    places: list[Path] = []
    basic = encode_oid(oids.BASIC_CONSTRAINTS)
    for path, ext in tree.extensions(root):
        if [k.tag for k in ext.kids] == [0x06, 0x04]:
            places.append((*path, 1))  # critical BOOLEAN DEFAULT FALSE (RFC 5280 4.1)
        value = ext.kids[-1].kids
        if ext.kids[0].content == basic and value and not any(k.tag == 1 for k in value[0].kids):
            places.append((*path, len(ext.kids) - 1, 0, 0))  # cA BOOLEAN DEFAULT FALSE
    if not places:
        return None
    path = rng.choice(places)
    new = _edit(root, path[:-1], lambda n: n.kids.insert(path[-1], tree.Node(b"\x01", b"\x00")))
    return new, path, lambda s: s[0]


def _unsorted_set_of(root: tree.Node, rng: random.Random) -> Found | None:
    places = []
    for path, node in tree.nodes(root):
        if tree.is_set_of(path, node):
            encodings = [tree.layout(c) for c in node.kids]
            places += [(*path, i) for i, (a, b) in enumerate(pairwise(encodings)) if a < b]
    if not places:
        return None
    path = rng.choice(places)
    i = path[-1]

    def swap(node: tree.Node) -> None:
        node.kids[i : i + 2] = node.kids[i + 1], node.kids[i]

    # The smaller member now comes second: it is the one out of order.
    return _edit(root, path[:-1], swap), (*path[:-1], i + 1), lambda s: s[0]


def _constructed_string(root: tree.Node, rng: random.Random) -> Found | None:
    path = _pick(rng, root, lambda p, n: n.tag in _STRINGS)
    if path is None:
        return None

    def wrap(node: tree.Node) -> None:
        node.children, node.content = [node.copy()], b""
        node.ident = bytes((node.tag | 0x20,))

    return _edit(root, path, wrap), path, lambda s: s[0]


def _bad_unused_bits(root: tree.Node, rng: random.Random) -> Found | None:
    path = _pick(rng, root, lambda p, n: n.tag == 0x03 and n.children is None)
    if path is None:
        return None
    content = tree.at(root, path).content
    variant = rng.choice(("count", "padding") if len(content) > 1 else ("count", "empty"))
    if variant == "count":
        new = bytes((rng.randrange(8, 256),)) + content[1:]
    elif variant == "empty":
        new = bytes((rng.randrange(1, 8),))
    else:
        new = bytes((rng.randrange(1, 8),)) + content[1:-1] + bytes((content[-1] | 1,))
    at = len(new) - 1 if variant == "padding" else 0
    return _replace(root, path, new), path, _contents_at(at)


def _oid_padding(root: tree.Node, rng: random.Random) -> Found | None:
    path = _pick(rng, root, lambda p, n: n.tag == 0x06)
    if path is None:
        return None
    content = tree.at(root, path).content
    at = rng.choice([0] + [i + 1 for i, b in enumerate(content[:-1]) if b < 0x80])
    new = content[:at] + b"\x80" + content[at:]
    return _replace(root, path, new), path, _contents_at(at)


# Places whose schema is fixed, and tags that cannot stand there (a wrong tag
# on an ANY value could still be valid).
_WRONG_TAGS: dict[Path, tuple[int, ...]] = {
    (): (0x31, 0xA0, 0x24), (0,): (0x31, 0xA0), (1,): (0x31, 0x04), (2,): (0x04, 0x02, 0x05),
    (0, 0): (0x01, 0x04, 0x0A, 0x03), (0, 1): (0x31, 0xA1, 0x04), (0, 2): (0x31, 0x04),
    (0, 2, 0): (0x31, 0x06), (0, 2, 1): (0x04, 0x02), (0, 2, 0, 0): (0x04, 0x0D, 0x02),
    (1, 0): (0x04, 0x0D, 0x02),
}


def _wrong_tag(root: tree.Node, rng: random.Random) -> Found | None:
    path = _pick(rng, root, lambda p, n: p in _WRONG_TAGS) or ()
    tag = rng.choice(_WRONG_TAGS[path])

    def retag(node: tree.Node) -> None:
        if not tag & 0x20 and node.children is not None:
            node.content, node.children = tree.body(node), None
        node.ident = bytes((tag,))

    return _edit(root, path, retag), path, lambda s: s[0]


def _length_overrun(root: tree.Node, rng: random.Random) -> Found | None:
    path = _pick(rng, root, lambda p, n: bool(p)) or (0,)
    siblings = tree.at(root, path[:-1]).kids
    # Claim every octet to the end of the enclosing element, and more.
    extra = sum(len(tree.layout(n)) for n in siblings[path[-1] + 1:]) + rng.randrange(1, 17)
    size = len(siblings[path[-1]].ident)
    return _edit(root, path, lambda n: setattr(n, "overrun", extra)), path, lambda s: s[0] + size


_NEST = DEFAULT_LIMITS.max_depth + 8
# The type of the attribute added to hold a value that nests too deep: under
# the example enterprise number of RFC 5612.
_EXAMPLE_OID = encode_oid("1.3.6.1.4.1.32473.1")


def _nested(depth: int) -> tree.Node:
    node = tree.Node(b"\x05")
    for _ in range(depth):
        node = tree.Node(b"\x30", children=[node])
    return node


def _deep_nesting(root: tree.Node, rng: random.Random) -> Found | None:
    # Name attribute values of non-string types, and values of unknown
    # attributes, are read as schema-less DER: replace one, or add one.
    options: list[Path] = [p for p, _ in tree.nodes(root)
                           if len(p) == 5 and p[:2] == (0, 1) and p[-1] == 1]
    if len(root.kids[0].kids) > 3:
        options.append((0, 3))
    if not options:
        return None
    path = rng.choice(options)
    new = root.copy()
    if path == (0, 3):
        attrs = tree.at(new, path).kids
        attrs.append(tree.Node(b"\x30", children=[tree.Node(b"\x06", _EXAMPLE_OID),
                                               tree.Node(b"\x31", children=[_nested(_NEST)])]))
        path = (*path, len(attrs) - 1, 1, 0)
    else:
        tree.at(new, path[:-1]).kids[1] = _nested(_NEST)
    # A path of n indexes is at depth n + 1 (the root is at depth 1).
    return new, path + (0,) * (DEFAULT_LIMITS.max_depth - 1 - len(path)), lambda s: s[0]


def _flip_signature(root: tree.Node, rng: random.Random) -> Found | None:
    content = root.kids[2].content
    if len(content) < 2:
        return None
    i = rng.randrange(1, len(content))
    new = content[:i] + bytes((content[i] ^ 1 << rng.randrange(8),)) + content[i + 1:]
    return _replace(root, (2,), new), (2,), _contents_at(i)


def _flip_tbs(root: tree.Node, rng: random.Random) -> Found | None:
    # A letter changes case, a digit becomes its neighbour: the string keeps
    # its length, its type and its alphabet.  The change must not reorder a
    # SET OF: that would make the same name another way.
    places = []
    for path, node in tree.nodes(root):
        if path[:1] == (0,) and node.tag in _ASCII_STRINGS and node.children is None:
            places += [(path, i) for i, b in enumerate(node.content) if b < 0x80
                       and chr(b).isalnum()]
    rng.shuffle(places)
    for path, i in places:
        content = tree.at(root, path).content
        bit = 0x20 if chr(content[i]).isalpha() else 0x01
        flipped = content[:i] + bytes((content[i] ^ bit,)) + content[i + 1:]
        new = _replace(root, path, flipped)
        if tree.sorted_sets(new):
            return new, path, _contents_at(i)
    return None


_MUTATIONS: dict[str, Mutation] = {
    "nonminimal-length": _set_length("pad", lambda n: True),
    "indefinite-length": _set_length("indefinite", lambda n: bool(n.tag & 0x20)),
    "long-form-short-length": _set_length("long", lambda n: len(tree.body(n)) < 0x80),
    "nonminimal-integer": _set_content(
        lambda n: n.tag == 0x02, lambda c: (b"\xff" if c[0] & 0x80 else b"\x00") + c),
    "boolean-01": _set_content(lambda n: n.tag == 0x01 and n.content == b"\xff",
                               lambda c: b"\x01"),
    "encoded-default": _encoded_default,
    "unsorted-set-of": _unsorted_set_of,
    "constructed-string": _constructed_string,
    "bad-unused-bits": _bad_unused_bits,
    "oid-0x80-padding": _oid_padding,
    "wrong-tag": _wrong_tag,
    "length-overrun": _length_overrun,
    "deep-nesting": _deep_nesting,
    "signature-bit-flip": _flip_signature,
    "tbs-bit-flip": _flip_tbs,
}


def _defect(kind: str, offset: int, start: int, end: int) -> Defect:
    return Defect(kind, offset, start, end, RULES[kind], EXPECT[kind])


def _apply(
    root: tree.Node, der: bytes, kind: str, rng: random.Random
) -> tuple[bytes, Defect] | None:
    if kind == "truncation":
        # Cut inside the contents of some element.
        spans: dict[Path, Span] = {}
        tree.layout(root, spans)
        path = _pick(rng, root, lambda p, n: spans[p][2] > spans[p][1]) or ()
        _, cs, end = spans[path]
        cut = rng.randrange(cs, end)
        return der[:cut], _defect(kind, len(root.ident), 0, cut)
    if kind == "trailing-data":
        # The rng calls in the order of the original single expression.
        random_octets = rng.randbytes(4)
        some_node = tree.at(root, rng.choice([p for p, _ in tree.nodes(root)]))
        extra = rng.choice((b"\x00", b"\x00\x00", b"\x05\x00", random_octets,
                            tree.layout(some_node)))
        return der + extra, _defect(kind, len(der), len(der), len(der) + len(extra))
    found = _MUTATIONS[kind](root, rng)
    if found is None:
        return None
    new, path, where = found
    if kind != "unsorted-set-of":
        path = tree.resort(new, path)
    spans = {}
    out = tree.layout(new, spans)
    span = spans[path]
    return out, _defect(kind, where(span), span[0], span[2])


def mutate(der: BytesLike, kind: str, rng: random.Random) -> tuple[bytes, Defect] | None:
    """Return ``der`` broken by one defect of ``kind``, or None if it has no place for it.

    ``der`` is a request that csrlib loads strictly.  Raises ValueError for
    an unknown kind, or when ``der`` is not DER shaped as a request.
    """
    if kind not in EXPECT:
        raise ValueError(f"unknown mutation kind {kind!r}")
    der = bytes(der)
    return _apply(tree.read_tree(der), der, kind, rng)


def mutate_any(der: BytesLike, rng: random.Random) -> tuple[bytes, Defect]:
    """Return ``der`` broken by one defect of a kind chosen with ``rng`` among those that apply.

    Raises ValueError when ``der`` is not DER shaped as a request.
    """
    der = bytes(der)
    root = tree.read_tree(der)
    for kind in rng.sample(KINDS, len(KINDS)):
        found = _apply(root, der, kind, rng)
        if found is not None:
            return found
    raise AssertionError("unreachable: truncation always applies")  # pragma: no cover


def all_mutations(der: BytesLike, rng: random.Random) -> list[tuple[bytes, Defect]]:
    """Return one mutation of ``der`` for each kind of :data:`KINDS` that applies, in order.

    Raises ValueError when ``der`` is not DER shaped as a request.
    """
    der = bytes(der)
    root = tree.read_tree(der)
    found = (_apply(root, der, kind, rng) for kind in KINDS)
    return [m for m in found if m is not None]
