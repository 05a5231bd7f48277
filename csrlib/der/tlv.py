"""Tags, lengths and limits of strict DER, and a TLV reader and writer.

Offsets are explicit everywhere: a TLV is read from ``buf[pos:end]`` where
``end`` is the end of the enclosing element, so an element can never claim
bytes outside its parent.  The hot paths index a ``bytes`` object rather than
a ``memoryview``: values must become owned ``bytes``/``int``/``str`` anyway,
and slicing ``bytes`` is one copy where ``bytes(view[a:b])`` is a view plus a
copy.  :class:`Reader` hands out ``memoryview`` windows for zero-copy
inspection by callers.

A tag is handled as one int, its *key*: the identifier octet for tag numbers
below 31, and ``first_octet | number << 8`` for the high-tag form, so that the
class and the constructed bit always take part in a comparison (X.690 8.1.2).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from ..errors import DecodeError, EncodeError
from ..frozen import frozen

__all__ = [
    "CLASS_APPLICATION",
    "CLASS_CONTEXT",
    "CLASS_PRIVATE",
    "CLASS_UNIVERSAL",
    "CONSTRUCTED",
    "DEFAULT_LIMITS",
    "Context",
    "Deviation",
    "Element",
    "Limits",
    "Reader",
    "Writer",
    "describe_tag",
    "encode_length",
    "encode_tag",
    "key_number",
    "read_header",
    "short_header",
    "tag_key",
    "tlv",
]

CLASS_UNIVERSAL = 0x00
CLASS_APPLICATION = 0x40
CLASS_CONTEXT = 0x80
CLASS_PRIVATE = 0xC0
CONSTRUCTED = 0x20


#: The largest nesting depth a Limits may allow (Python recursion bounds it).
MAX_DEPTH = 200
#: The largest OID arc a Limits may allow, in octets (int-to-str bounds it).
MAX_OID_ARC_OCTETS = 600


@frozen
class Limits:
    """Resource bounds, each checked before the work it bounds.

    ``max_size``: input octets; ``max_depth``: nesting of TLVs (the outermost
    element is depth 1); ``max_oid_arcs`` and ``max_oid_arc_octets``: arcs of
    one OBJECT IDENTIFIER and octets of one arc (20 octets hold a 2.25 UUID
    arc); ``max_length_octets``: long-form length octets; ``max_tag_octets``:
    octets of a high-form tag number; ``max_deviations``: departures from
    DER that lenient loading of a request records: the next one is an
    error, as in strict mode, so that their record stays bounded (real
    requests hold a handful; one per element of a large SET is an attack).
    """

    max_size: int = 1 << 20
    max_depth: int = 32
    max_oid_arcs: int = 20
    max_oid_arc_octets: int = 20
    max_length_octets: int = 4
    max_tag_octets: int = 4
    max_deviations: int = 1024

    def __post_init__(self) -> None:
        # Upper bounds keep every limit below what the interpreter itself
        # bounds: recursion depth, and int-to-str conversion of OID arcs.
        for name, low, high in (("max_size", 0, 1 << 40), ("max_depth", 1, MAX_DEPTH),
                                ("max_oid_arcs", 2, 1 << 16),
                                ("max_oid_arc_octets", 1, MAX_OID_ARC_OCTETS),
                                ("max_length_octets", 0, 8), ("max_tag_octets", 1, 8),
                                ("max_deviations", 0, 1 << 30)):
            value = getattr(self, name)
            if not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"Limits.{name} must be an int in {low}..{high}, not {value!r}")


DEFAULT_LIMITS = Limits()


class Deviation(NamedTuple):
    """A departure from DER that lenient mode tolerated."""

    offset: int
    kind: str
    path: str = ""


# Decoded OIDs by contents octets: (dotted, arcs, arc count, longest arc in
# octets), filled by csrlib.der.primitives.decode_oid.  OIDs repeat across
# inputs, so this saves most of the work.  Only OIDs within the default
# limits are kept, so that a decoder whose limits are at least those takes
# a hit as it is (Context.oids); other decoders never see the cache.  The
# cache is bounded in entries and, through their length, in octets: an entry
# of a typical OID (under 16 octets) costs about 350 octets of Python
# objects, so a full cache stays near 180 KiB; an OID of more than
# OID_CACHE_OCTETS octets (no OID in use comes near) is not kept, so that a
# request of thousands of long distinct OIDs cannot make the cache cost
# several times its size.
OID_CACHE: dict[bytes, tuple[str, tuple[int, ...], int, int]] = {}
OID_CACHE_MAX = 512
OID_CACHE_OCTETS = 32
_NO_OIDS: dict[bytes, tuple[str, tuple[int, ...], int, int]] = {}


class Context:
    """Per-call state: limits, strict or lenient, and tolerated deviations."""

    __slots__ = ("_recorded", "deviations", "limits", "long_lengths", "max_depth",
                 "max_deviations", "max_oid_arcs", "max_oid_octets", "oids", "open_types",
                 "strict")

    def __init__(
        self, limits: Limits = DEFAULT_LIMITS, strict: bool = True, open_types: bool = False,
        bounded: bool = False,
    ) -> None:
        """Make the state of one decoding.

        With ``bounded``, lenient mode records at most ``limits.max_deviations``
        deviations (loading a request); otherwise every one (the codec's
        callers collect them in a list of their own).
        """
        self.limits = limits
        # Copied out of the limits for the hot paths.
        self.max_depth = limits.max_depth
        self.max_oid_arcs = limits.max_oid_arcs
        self.max_oid_octets = limits.max_oid_arc_octets
        #: The OIDs decoded before, if every one is within these limits (else none).
        self.oids = (OID_CACHE if self.max_oid_arcs >= DEFAULT_LIMITS.max_oid_arcs
                     and self.max_oid_octets >= DEFAULT_LIMITS.max_oid_arc_octets else _NO_OIDS)
        # Whether one- and two-octet long lengths are within the limits.
        self.long_lengths = limits.max_length_octets >= 2
        self.strict = strict
        self.open_types = open_types
        self.max_deviations = limits.max_deviations if bounded else 1 << 62
        self.deviations: list[Deviation] = []
        # (offset, kind) of each deviation recorded: a value read twice (by
        # the decoder, then by the model) records its deviations once.
        self._recorded: set[tuple[int, str]] | None = None

    def deviate(self, kind: str, offset: int, detail: str = "") -> None:
        """Raise ``DecodeError(kind)`` in strict mode; record the deviation otherwise.

        Lenient mode raises it too past ``Limits.max_deviations`` records.
        """
        if self.strict:
            raise DecodeError(kind, offset, detail)
        self.record(Deviation(offset, kind))

    def record(self, deviation: Deviation) -> None:
        """Record a tolerated deviation once; raise DecodeError past ``Limits.max_deviations``."""
        key = (deviation.offset, deviation.kind)
        if self._recorded is None:
            self._recorded = set()
        elif key in self._recorded:
            return
        self._recorded.add(key)
        if len(self.deviations) >= self.max_deviations:
            raise DecodeError(deviation.kind, deviation.offset,
                              f"more than {self.max_deviations} deviations", deviation.path)
        self.deviations.append(deviation)


# -- tags ------------------------------------------------------------------


def tag_key(tag_class: int, constructed: bool, number: int) -> int:
    """Return the key of a tag (see the module docstring)."""
    first = tag_class | (CONSTRUCTED if constructed else 0)
    if number < 31:
        return first | number
    return first | 0x1F | number << 8


def key_number(key: int) -> int:
    """Return the tag number of a key."""
    return key >> 8 if key > 0xFF else key & 0x1F


_CLASS_NAMES = {CLASS_UNIVERSAL: "UNIVERSAL ", CLASS_APPLICATION: "APPLICATION ",
                CLASS_CONTEXT: "", CLASS_PRIVATE: "PRIVATE "}


def describe_tag(key: int) -> str:
    """Return a tag as ASN.1 notation, e.g. ``[0] constructed``."""
    form = " constructed" if key & CONSTRUCTED else ""
    return f"[{_CLASS_NAMES[key & 0xC0]}{key_number(key)}]{form}"


_TAG_BYTES: dict[int, bytes] = {}


def encode_tag(key: int) -> bytes:
    """Return the identifier octets of a tag key (X.690 8.1.2)."""
    out = _TAG_BYTES.get(key)
    if out is None:
        if key <= 0xFF:
            out = bytes((key,))
        else:
            number = key >> 8
            groups = [number & 0x7F]
            number >>= 7
            while number:
                groups.append(0x80 | (number & 0x7F))
                number >>= 7
            out = bytes((key & 0xFF, *reversed(groups)))
        _TAG_BYTES[key] = out
    return out


# -- lengths ---------------------------------------------------------------


def encode_length(n: int) -> bytes:
    """Return the definite length octets of ``n`` in minimal form (X.690 10.1)."""
    if n < 0x80:
        return bytes((n,))
    k = (n.bit_length() + 7) // 8
    return bytes((0x80 | k,)) + n.to_bytes(k, "big")


#: ``short_header(key, n)``: the two octets of a one-octet identifier and a
#: short length (both below 0x100 and 0x80, unchecked); faster than ``bytes((a, b))``.
short_header = struct.Struct("BB").pack


def tlv(key: int, content: bytes) -> bytes:
    """Return one DER element: identifier, length and ``content``."""
    n = len(content)
    if key <= 0xFF:  # one identifier octet: most elements
        if n < 0x80:
            return short_header(key, n) + content
        if n <= 0xFFFF:
            # The long form's one or two length octets (X.690 8.1.3.5), minimal.
            return (bytes((key, 0x81, n)) if n <= 0xFF
                    else bytes((key, 0x82, n >> 8, n & 0xFF))) + content
    return encode_tag(key) + encode_length(n) + content


def _overrun(buf: bytes, end: int) -> str:
    # Running past the input is truncation; past an enclosing element, overrun.
    return "truncated" if end >= len(buf) else "length-overrun"


def read_header(buf: bytes, pos: int, end: int, ctx: Context) -> tuple[int, int, int]:
    """Return ``(key, content_start, content_end)`` of the element at ``pos``.

    Raises DecodeError for every tag or length rule of X.690 10.1 and 8.1.2,
    and when the element would extend past ``end``.
    """
    if pos + 2 > end:
        raise DecodeError(_overrun(buf, end), pos)
    key = buf[pos]
    p = pos + 1
    if key & 0x1F == 0x1F:
        key, p = _high_tag(buf, key, p, end, ctx)
        if p >= end:
            raise DecodeError(_overrun(buf, end), pos)
    n = buf[p]
    if n < 0x80:
        cs = p + 1
        ce = cs + n
    else:
        cs, ce = _long_length(buf, n, p, end, ctx)
    if ce > end:
        raise DecodeError(_overrun(buf, end), p)
    return key, cs, ce


def _high_tag(buf: bytes, first: int, p: int, end: int, ctx: Context) -> tuple[int, int]:
    start = p - 1
    limit = ctx.limits.max_tag_octets
    # X.690 8.1.2.4.2 c: the first subsequent octet's bits 7-1 are not all zero.
    if p < end and buf[p] == 0x80:
        raise DecodeError("nonminimal-tag", p)
    number = 0
    count = 0
    while True:
        if p >= end:
            raise DecodeError(_overrun(buf, end), start)
        b = buf[p]
        count += 1
        if count > limit:
            raise DecodeError("tag-too-long", start)
        number = number << 7 | (b & 0x7F)
        p += 1
        if b < 0x80:
            break
    # X.690 8.1.2.2: numbers 0..30 use the low-tag form.
    if number < 31:
        raise DecodeError("nonminimal-tag", start)
    return (first & 0xE0) | 0x1F | number << 8, p


def _long_length(buf: bytes, n: int, p: int, end: int, ctx: Context) -> tuple[int, int]:
    # X.690 10.1: definite form only.
    if n == 0x80:
        raise DecodeError("indefinite-length", p)
    # X.690 8.1.3.5 c: 0xff is reserved.
    if n == 0xFF:
        raise DecodeError("reserved-length", p)
    k = n & 0x7F
    if k > ctx.limits.max_length_octets:
        raise DecodeError("length-too-long", p)
    cs = p + 1 + k
    if cs > end:
        raise DecodeError(_overrun(buf, end), p)
    length = int.from_bytes(buf[p + 1 : cs], "big")
    # X.690 10.1: minimum number of octets; short form below 128.
    if length < 0x80 or buf[p + 1] == 0:
        ctx.deviate("nonminimal-length", p)
    return cs, cs + length


# -- reader ----------------------------------------------------------------


class Element(NamedTuple):
    """One TLV found by :class:`Reader`: tag key and offsets in the input."""

    key: int
    offset: int
    start: int
    end: int

    @property
    def tag_class(self) -> int:
        """Return the class bits (``CLASS_*``)."""
        return self.key & 0xC0

    @property
    def constructed(self) -> bool:
        """Return whether the constructed bit is set."""
        return bool(self.key & CONSTRUCTED)

    @property
    def number(self) -> int:
        """Return the tag number."""
        return key_number(self.key)


class Reader:
    """Strict TLV reader over one window of the input.

    ``read()`` returns the next :class:`Element`; ``enter(element)`` returns a
    reader for its contents, which must be consumed completely (``finish()``).
    ``depth`` is the nesting depth of the element whose contents this reader
    reads (0 for the whole input).
    """

    __slots__ = ("_buf", "_ctx", "depth", "end", "pos")

    def __init__(
        self,
        data: bytes | bytearray | memoryview,
        *,
        limits: Limits = DEFAULT_LIMITS,
        strict: bool = True,
        context: Context | None = None,
        start: int = 0,
        end: int | None = None,
        depth: int = 0,
    ) -> None:
        buf = data if type(data) is bytes else bytes(data)
        if len(buf) > limits.max_size:
            raise DecodeError("size-limit", limits.max_size)
        self._buf = buf
        self._ctx = context if context is not None else Context(limits, strict)
        self.pos = start
        self.end = len(buf) if end is None else end
        self.depth = depth

    @property
    def context(self) -> Context:
        """Return the decoding context (limits, strictness, deviations)."""
        return self._ctx

    @property
    def at_end(self) -> bool:
        """Return whether every byte of this window has been read."""
        return self.pos >= self.end

    def peek(self) -> int | None:
        """Return the tag key of the next element without reading it, or None at the end."""
        if self.pos >= self.end:
            return None
        return read_header(self._buf, self.pos, self.end, self._ctx)[0]

    def read(self, expected: int | None = None) -> Element:
        """Return the next element; raise DecodeError if its tag is not ``expected``."""
        pos = self.pos
        key, cs, ce = read_header(self._buf, pos, self.end, self._ctx)
        if expected is not None and key != expected:
            raise DecodeError("unexpected-tag", pos,
                              f"{describe_tag(key)}, expected {describe_tag(expected)}")
        self.pos = ce
        return Element(key, pos, cs, ce)

    def enter(self, element: Element) -> Reader:
        """Return a reader over the contents of a constructed ``element``."""
        if not element.key & CONSTRUCTED:
            raise DecodeError("primitive-form", element.offset)
        # This reader's elements sit at depth + 1; theirs would at depth + 2.
        if self.depth + 2 > self._ctx.max_depth:
            raise DecodeError("depth-limit", element.offset)
        return Reader(self._buf, context=self._ctx, start=element.start,
                      end=element.end, depth=self.depth + 1)

    def content(self, element: Element) -> memoryview:
        """Return a view of the contents of ``element``."""
        return memoryview(self._buf)[element.start : element.end]

    def raw(self, element: Element) -> memoryview:
        """Return a view of the whole encoding of ``element``."""
        return memoryview(self._buf)[element.offset : element.end]

    def finish(self) -> None:
        """Raise DecodeError unless every byte of this window has been read."""
        if self.pos != self.end:
            raise DecodeError("trailing-data", self.pos)


# -- writer ----------------------------------------------------------------


class Writer:
    """Builds DER: primitives and nested constructed elements.

    ``with w.constructed(0x31, sort=True): ...`` emits a SET OF whose
    elements are sorted by their encodings (X.690 11.6).
    """

    __slots__ = ("_stack",)

    def __init__(self) -> None:
        self._stack: list[list[bytes]] = [[]]

    def raw(self, encoding: bytes) -> None:
        """Append an already encoded element."""
        self._stack[-1].append(encoding)

    def primitive(self, key: int, content: bytes) -> None:
        """Append one element with the given tag and contents."""
        self._stack[-1].append(tlv(key, content))

    @contextmanager
    def constructed(self, key: int, *, sort: bool = False) -> Iterator[Writer]:
        """Collect the elements written inside the block into one constructed element."""
        if not key & CONSTRUCTED:
            raise EncodeError(f"{describe_tag(key)} is not a constructed tag")
        self._stack.append([])
        try:
            yield self
        finally:
            parts = self._stack.pop()
        if sort:
            parts.sort()
        self._stack[-1].append(tlv(key, b"".join(parts)))

    def getvalue(self) -> bytes:
        """Return everything written so far."""
        if len(self._stack) != 1:
            raise EncodeError("constructed element still open")
        return b"".join(self._stack[0])
