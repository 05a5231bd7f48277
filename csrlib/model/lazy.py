"""Collections read from a request's octets when used: the model's large sequences.

RFC 2986 and RFC 5280 bound none of a request's collections (RDNs, the
attributes of an RDN, GeneralNames, attributes, extensions, purposes,
policies), and a Python object per element costs 20 to 40 times its octets.
So a loaded collection of more than :data:`EAGER_MAX` elements is a
:class:`LazySequence`: it holds the request's octets (the same ``bytes``
object, not a copy) and the offset of every :data:`STEP`-th element, and
builds an element each time it is used, with the function that checked it
when the request loaded.  Reading is deterministic and nothing is recorded
again, so using one cannot fail.  Fewer elements stay a tuple: the common
case costs what it did.

A LazySequence behaves as the tuple of its elements: it compares equal to
that tuple (and to another LazySequence of equal elements) and hashes as it
does; ``len``, iteration, indexing (negative too; a slice gives a tuple),
``reversed``, ``in``, ``index``, ``count``, ``+`` and ``*`` (giving tuples)
work as for a tuple.  It pickles as itself: its octets, offsets and reader.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, Generic, TypeVar, overload

from ..der.tlv import Limits
from ..frozen import frozen
from .reading import Source

__all__ = ["EAGER_MAX", "STEP", "LazySequence", "Reader", "Repeats", "contents_start",
           "element_end", "offsets", "read_elements", "sorted_positions"]

T = TypeVar("T")

#: Elements up to which a loaded collection is a tuple, built once.
EAGER_MAX = 16
#: Elements per kept offset: indexing reads at most STEP - 1 headers before
#: the element, and the offsets cost 4 octets per STEP elements.
STEP = 8
#: Elements shown by ``repr``; past that, the count.
REPR_MAX = 16
#: Positions sorted at once by :func:`sorted_positions` (their keys exist together).
RUN = 1024


def offsets(size: int) -> array[int]:
    """Return an empty array for offsets into ``size`` octets (4 octets each below 4 GiB)."""
    return array("I" if size < 1 << 32 else "Q")


def _length_at(buf: bytes, pos: int) -> int:
    """Return where the length octets of the element at ``pos`` start (after its tag)."""
    p = pos + 1
    if buf[pos] & 0x1F == 0x1F:  # high tag number form (X.690 8.1.2.4)
        while buf[p] & 0x80:
            p += 1
        p += 1
    return p


def element_end(buf: bytes, pos: int) -> int:
    """Return the end of the element at ``pos``, whose header was checked when it loaded.

    Nothing is checked here: definite lengths of any form (lenient mode
    accepts non-minimal ones), high tag numbers.
    """
    p = _length_at(buf, pos)
    n = buf[p]
    if n < 0x80:
        return p + 1 + n
    n &= 0x7F
    return p + 1 + n + int.from_bytes(buf[p + 1:p + 1 + n], "big")


def contents_start(buf: bytes, pos: int) -> int:
    """Return where the contents of the (checked) element at ``pos`` start."""
    p = _length_at(buf, pos)
    n = buf[p]
    return p + 1 if n < 0x80 else p + 1 + (n & 0x7F)


@frozen
class Reader(Generic[T]):
    """How a LazySequence builds an element: ``build(src, pos, end, index, *args)``.

    ``build`` is the function that read the element when the request
    loaded (a module-level function, so that the sequence pickles), ``src``
    a :meth:`Source.again` in the load's mode and limits; ``noun`` names
    the elements in ``repr``.
    """

    build: Callable[..., T]
    strict: bool
    limits: Limits
    args: tuple[Any, ...] = ()
    noun: str = "elements"

    @classmethod
    def of(cls, src: Source, build: Callable[..., T], args: tuple[Any, ...] = (),
           noun: str = "elements") -> Reader[T]:
        """Return the reader of elements of ``src`` (its mode and limits)."""
        return cls(build, src.strict, src.ctx.limits, args, noun)


class LazySequence(Sequence[T]):
    """The elements of a collection of a loaded request, built from its octets when used.

    ``marks`` holds the offset of every ``step``-th element; the elements
    are contiguous (each follows the one before it) unless ``step`` is 1,
    when ``marks`` holds every element's offset in the sequence's order.
    See the module docstring for how it behaves (as a tuple).
    """

    __slots__ = ("_buf", "_count", "_marks", "_reader", "_step")

    def __init__(self, buf: bytes, marks: array[int], count: int, reader: Reader[T],
                 step: int = STEP) -> None:
        self._buf = buf
        self._marks = marks
        self._count = count
        self._reader = reader
        self._step = step

    def __len__(self) -> int:
        return self._count

    def _spans(self, first: int = 0) -> Iterator[tuple[int, int]]:
        """Yield ``(start, end)`` of each element from index ``first`` (0 <= first)."""
        buf = self._buf
        marks = self._marks
        count = self._count
        if self._step == 1:
            for i in range(first, count):
                pos = marks[i]
                yield pos, element_end(buf, pos)
            return
        if first >= count:
            return
        block, skip = divmod(first, self._step)
        pos = marks[block]
        for _ in range(skip):
            pos = element_end(buf, pos)
        for _ in range(first, count):
            end = element_end(buf, pos)
            yield pos, end
            pos = end

    def _build(self, spans: Iterable[tuple[int, int]], first: int = 0,
               stride: int = 1) -> Iterator[T]:
        """Yield the elements of ``spans`` (index ``first`` on), every ``stride``-th."""
        reader = self._reader
        src = Source.again(self._buf, reader.strict, reader.limits)
        build = reader.build
        args = reader.args
        i = first
        for k, (pos, end) in enumerate(spans):
            if not k % stride:
                yield build(src, pos, end, i, *args)
            i += 1

    def __iter__(self) -> Iterator[T]:
        return self._build(self._spans())

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        """Return one element, or a tuple of a slice of them; raise IndexError out of range."""
        count = self._count
        if isinstance(index, slice):
            chosen = range(*index.indices(count))
            if not chosen:
                return ()
            if chosen.step < 0:
                return tuple(reversed(self[chosen[-1]:chosen[0] + 1:-chosen.step]))
            return tuple(islice(self._build(self._spans(chosen.start), chosen.start,
                                            chosen.step), len(chosen)))
        i = index.__index__()
        if i < 0:
            i += count
        if not 0 <= i < count:
            raise IndexError(f"{self._reader.noun} index out of range")
        return next(self._build(self._spans(i), i))

    def __reversed__(self) -> Iterator[T]:
        step = self._step
        for block in range((self._count - 1) // step, -1, -1):
            first = block * step
            spans = list(islice(self._spans(first), step))
            yield from reversed(list(self._build(spans, first)))

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """Return the index of the first element equal to ``value``; raise ValueError if none."""
        first, last, _ = slice(start, stop).indices(self._count)
        if first < last:
            for i, item in enumerate(self._build(self._spans(first), first), first):
                if i >= last:
                    break
                if item is value or item == value:
                    return i
        raise ValueError(f"value not among the {self._reader.noun}")

    def count(self, value: Any) -> int:
        """Return how many elements equal ``value``."""
        return sum(1 for item in self if item is value or item == value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, tuple | LazySequence):
            return len(self) == len(other) and all(
                a is b or a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __add__(self, other: object) -> tuple[Any, ...]:
        if isinstance(other, tuple | LazySequence):
            return (*self, *other)
        return NotImplemented

    def __radd__(self, other: object) -> tuple[Any, ...]:
        if isinstance(other, tuple):
            return (*other, *self)
        return NotImplemented

    def __mul__(self, times: int) -> tuple[T, ...]:
        return tuple(self) * times

    __rmul__ = __mul__

    def __repr__(self) -> str:
        if self._count > REPR_MAX:
            return f"<{self._count} {self._reader.noun}>"
        return repr(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._buf, self._marks, self._count, self._reader, self._step))


def read_elements(
    src: Source, start: int, end: int, count: int, reader: Reader[T],
    load: Callable[..., T] | None = None, load_args: tuple[Any, ...] | None = None,
    repeats: bool = False,
) -> tuple[T, ...] | LazySequence[T]:
    """Return the ``count`` elements filling ``buf[start:end]``, each built and so checked.

    Each is built by ``load(src, pos, end, index, *load_args)`` (by default
    the reader's function and arguments), which raises DecodeError for an
    invalid one; the decoder has checked each element's header.  Up to
    :data:`EAGER_MAX` elements: a tuple of them; more: a LazySequence that
    builds them again with ``reader`` when used, keeping none.  With
    ``repeats``, an element encoded as the one before it is not read again
    (the tuple holds that same object): what it records in lenient mode, it
    recorded once.
    """
    buf = src.buf
    build = load or reader.build
    args = reader.args if load_args is None else load_args
    eager = count <= EAGER_MAX
    items: list[T] = []
    marks = offsets(len(buf))
    pos = start
    i = 0
    prev = prev_end = 0  # the span of the element last built (repeats)
    item: T | None = None
    while pos < end:
        n = buf[pos + 1]
        if n < 0x80 and buf[pos] & 0x1F != 0x1F:
            e = pos + 2 + n  # a short-form header, checked by the decoder
        else:
            e = element_end(buf, pos)
        if not repeats:
            item = build(src, pos, e, i, *args)
        elif (item is None or e - pos != prev_end - prev
              or not buf.startswith(buf[prev:prev_end], pos)):
            item = build(src, pos, e, i, *args)
            prev, prev_end = pos, e
        if eager:
            items.append(item)
        elif not i % STEP:
            marks.append(pos)
        pos = e
        i += 1
    if eager:
        return tuple(items)
    return LazySequence(buf, marks, i, reader)


def sorted_positions(positions: Iterable[int], key: Callable[[int], bytes],
                     size: int) -> array[int]:
    """Return ``positions`` stably sorted by ``key`` (into ``size`` octets), in bounded memory.

    Runs of :data:`RUN` positions are sorted with their keys, then merged
    keeping one key per run: the keys never all exist at once.
    """
    runs: list[array[int]] = []
    chunk: list[int] = []
    for pos in positions:
        chunk.append(pos)
        if len(chunk) == RUN:
            runs.append(array(offsets(size).typecode, sorted(chunk, key=key)))
            chunk = []
    if chunk:
        runs.append(array(offsets(size).typecode, sorted(chunk, key=key)))
    out = offsets(size)
    # heapq.merge is stable: of equal keys, the earlier run's comes first.
    out.extend(heapq.merge(*runs, key=key))
    return out


_M64 = (1 << 64) - 1


class Repeats:
    """Tells repeated elements apart among many, at a few octets per element.

    ``add(pos)`` records the element at ``pos`` by ``key(pos)`` (octets of
    the input) and returns False when an element of the same key was
    recorded before.  The elements are kept as offsets in an open-addressing
    table (``array``), never as a Python object each; keys exist only while
    compared.
    """

    __slots__ = ("_key", "_size", "_slots", "_used")

    #: The hash of a key (a seam for tests of weak hashes).
    _hash = staticmethod(hash)

    def __init__(self, key: Callable[[int], bytes], size: int, expected: int = 0) -> None:
        self._key = key
        self._size = size
        self._used = 0
        capacity = 8
        while capacity * 2 < expected * 3:
            capacity *= 2
        self._slots = self._table(capacity)

    def _table(self, capacity: int) -> array[int]:
        table = offsets(self._size + 1)
        table.frombytes(bytes(capacity * table.itemsize))
        return table

    def add(self, pos: int) -> bool:
        """Record the element at ``pos``; return False if one of the same key was recorded."""
        key = self._key(pos)
        slot = self._find(key)
        if self._slots[slot]:
            return False
        self._slots[slot] = pos + 1
        self._used += 1
        if self._used * 3 > len(self._slots) * 2:
            self._grow()
        return True

    def __contains__(self, key: bytes) -> bool:
        return bool(self._slots[self._find(key)])

    def _find(self, key: bytes) -> int:
        """Return the slot holding ``key``, or the empty slot where it would go.

        The hash is mixed first (the finalizer of MurmurHash3, fmix64), so
        that a hash whose bits vary little (FNV, Pyodide's
        ``sys.hash_info.algorithm``, on keys that differ in their last
        octets) still spreads over the table; then probing as CPython's dict
        does (Objects/dictobject.c): each step brings in five more bits.
        """
        slots = self._slots
        mask = len(slots) - 1
        h = self._hash(key) & _M64
        h = ((h ^ (h >> 33)) * 0xFF51AFD7ED558CCD) & _M64
        h = ((h ^ (h >> 33)) * 0xC4CEB9FE1A85EC53) & _M64
        perturb = h ^ (h >> 33)
        slot = perturb & mask
        while True:
            stored = slots[slot]
            if not stored or self._key(stored - 1) == key:
                return slot
            perturb >>= 5
            slot = (slot * 5 + perturb + 1) & mask

    def _grow(self) -> None:
        old = self._slots
        self._slots = self._table(len(old) * 2)
        for stored in old:
            if stored:
                self._slots[self._find(self._key(stored - 1))] = stored
