"""Shared state of one parse: the input, its context, and where each plan was used.

The model reads a request with several plans (the request, then the values
inside its extension request, keys and algorithm parameters).  ``Source``
decodes each window with absolute offsets in one shared context, prefixes
error paths with the field the window sits in, and remembers the windows so
lenient-mode deviations can be named afterwards.

``maker(cls)`` gives the fast constructors of the model's frozen
dataclasses for values a load has checked: a frozen dataclass's
``__init__`` stores each field through ``object.__setattr__`` and then runs
``__post_init__`` checks meant for values a caller builds; the function
``maker`` returns fills the slots directly (through their descriptors), in
field order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from pyasn1.type import univ

from ..asn1 import UNEXPECTED_ERRORS, Plan, compile_schema, name_deviations
from ..der.generic import validate_content
from ..der.tlv import DEFAULT_LIMITS, Context, Deviation, Limits, read_header
from ..errors import DecodeError, join_path
from ..frozen import field_names

__all__ = ["Path", "Rereading", "Source", "maker", "out_of_stack", "path_text", "plan"]

T = TypeVar("T")

#: A field path: a string, or parts joined only when an error needs them
#: (strings are fields, ints are indexes).
Path = str | tuple[Any, ...]


def path_text(path: Path) -> str:
    """Return a path as text (``a.b[2].c``)."""
    if isinstance(path, str):
        return path
    return join_path(f"[{p}]" if isinstance(p, int) else path_text(p) for p in path if p != "")

_PLANS: dict[type[Any], Plan] = {}


def plan(schema_class: type[Any]) -> Plan:
    """Return the compiled plan of one of csrlib's schema classes."""
    found = _PLANS.get(schema_class)
    if found is None:
        found = _PLANS[schema_class] = compile_schema(schema_class())
    return found


_ANY_PLAN = compile_schema(univ.Any())


def out_of_stack(offset: int, path: Path = "") -> DecodeError:
    """Return the DecodeError for running out of interpreter stack while reading.

    Kind ``depth-limit`` (the nesting was too deep for the stack left to
    the caller), detail ``interpreter recursion limit``.
    """
    return DecodeError("depth-limit", offset, "interpreter recursion limit", path_text(path))


class Rereading(Context):
    """A context for reading again what a load checked: it records no deviation.

    Deviations were recorded (and counted) when the request loaded; reading
    the same octets again in the same mode meets the same ones, and drops them.
    """

    __slots__ = ()

    def record(self, deviation: Deviation) -> None:
        """Drop the deviation: it was recorded when the request loaded."""


@lru_cache(maxsize=16)
def _rereading(strict: bool, limits: Limits) -> Rereading:
    # Stateless (records nothing), so one per mode and limits serves every read.
    return Rereading(limits, strict, open_types=True, bounded=True)


class Source:
    """One input being parsed."""

    __slots__ = ("buf", "ctx", "windows")

    def __init__(self, buf: bytes, strict: bool = True, limits: Limits | None = None) -> None:
        limits = limits or DEFAULT_LIMITS
        if len(buf) > limits.max_size:
            raise DecodeError("size-limit", limits.max_size)
        self.buf = buf
        # The model's schemas read extension requests and extension values
        # through their open types, in the same pass.
        self.ctx = Context(limits, strict, open_types=True, bounded=True)
        self.windows: list[tuple[int, int, Plan, str]] = []

    @classmethod
    def again(cls, buf: bytes, strict: bool, limits: Limits) -> Source:
        """Return a Source for reading again parts of ``buf`` that a load checked.

        Same mode and limits as the load, so the same code reads the same
        values; nothing is recorded (:class:`Rereading`), and the size was
        checked then.
        """
        src = cls.__new__(cls)
        src.buf = buf
        src.ctx = _rereading(strict, limits)
        src.windows = []
        return src

    @property
    def strict(self) -> bool:
        """Return whether deviations are errors."""
        return self.ctx.strict

    def decode(self, schema: Plan, start: int, end: int, depth: int, path: Path) -> Any:
        """Return the plain value of the element ``buf[start:end]``, errors under ``path``.

        Raises DecodeError (``depth-limit`` when the interpreter's stack runs
        out).  In lenient mode the window is remembered when its decoding
        recorded deviations, to name them afterwards (:meth:`deviations`).
        """
        ctx = self.ctx
        seen = len(ctx.deviations)
        try:
            value = schema.window_decoder(self.buf, start, start, end, ctx, depth)
        except DecodeError as err:
            if path:
                err.add_segment(path_text(path))
            raise
        except RecursionError as exc:
            # The decoders recurse once per nesting level, within max_depth;
            # a caller already deep in its own stack can still run out.
            raise out_of_stack(start, path) from exc
        except UNEXPECTED_ERRORS as exc:
            raise DecodeError("internal-error", start, type(exc).__name__,
                              path_text(path)) from exc
        if len(ctx.deviations) > seen:
            # Only lenient mode gets here; a window per decoding without
            # deviations would cost memory per element for nothing.
            self.windows.append((start, end, schema, path_text(path)))
        return value

    def validate(self, start: int, end: int, depth: int, path: Path) -> None:
        """Check the element ``buf[start:end]`` as schema-less DER, errors under ``path``.

        Returns None; raises DecodeError as :meth:`decode`.
        """
        ctx = self.ctx
        seen = len(ctx.deviations)
        try:
            key, c, e = read_header(self.buf, start, end, ctx)
            validate_content(self.buf, key, start, c, e, ctx, depth + 1)
        except DecodeError as err:
            if path:
                err.add_segment(path_text(path))
            raise
        except RecursionError as exc:
            # The walk is iterative: only a caller already deep in its own
            # stack gets here.
            raise out_of_stack(start, path) from exc
        if len(ctx.deviations) > seen:
            self.windows.append((start, end, _ANY_PLAN, path_text(path)))

    def label_deviations(self, since: int, path: Path) -> None:
        """Give the deviations recorded since index ``since`` without a path the path ``path``.

        For checks the model runs outside :meth:`decode` and :meth:`validate`
        (string alphabets, value types): returns None.
        """
        devs = self.ctx.deviations
        text = path_text(path)
        for k in range(since, len(devs)):
            dev = devs[k]
            if not dev.path:
                devs[k] = Deviation(dev.offset, dev.kind, text)

    def contents(self, start: int, end: int) -> tuple[int, int]:
        """Return the contents span of the (already validated) element at ``start``."""
        buf = self.buf
        n = buf[start + 1]
        if n < 0x80 and buf[start] & 0x1F != 0x1F:  # a low tag, a short length
            return start + 2, start + 2 + n
        _, c, e = read_header(buf, start, end, self.ctx)
        return c, e

    def fail(self, kind: str, offset: int, path: Path, detail: str = "") -> DecodeError:
        """Return a DecodeError at ``offset`` under ``path`` (for the caller to raise)."""
        return DecodeError(kind, offset, detail, path_text(path))

    def deviate(self, kind: str, offset: int, path: Path, detail: str = "") -> None:
        """Raise in strict mode; in lenient mode record the deviation with its path."""
        if self.ctx.strict:
            raise DecodeError(kind, offset, detail, path_text(path))
        self.ctx.record(Deviation(offset, kind, path_text(path)))

    def deviations(self) -> tuple[Deviation, ...]:
        """Return the deviations seen, each once, named by the innermost window holding it."""
        if not self.ctx.deviations:
            return ()
        named: dict[tuple[int, str], str] = {}
        unnamed: dict[int, list[Deviation]] = {}
        window_of = self._window_finder()
        for dev in self.ctx.deviations:
            key = (dev.offset, dev.kind)
            if key in named:
                continue
            named[key] = dev.path
            if not dev.path:
                unnamed.setdefault(window_of(dev.offset), []).append(dev)
        for index, devs in unnamed.items():
            if index < 0:
                continue
            start, end, schema, prefix = self.windows[index]
            for dev in name_deviations(schema.node, self.buf, devs, start, end, True):
                named[(dev.offset, dev.kind)] = join_path(p for p in (prefix, dev.path) if p)
        return tuple(Deviation(offset, kind, path) for (offset, kind), path in named.items())

    def _window_finder(self) -> Callable[[int], int]:
        """Return a function giving the index of the innermost window holding an offset.

        Windows are element spans, so any two are nested or disjoint.  Sorted
        by start (outer before inner; the first-recorded of equal spans
        last), each window's parent is found with a stack; an offset's
        innermost window is then an ancestor of the last window starting at
        or before it.  Cost: O(w log w) once, O(log w + depth) per offset.
        """
        order = sorted(range(len(self.windows)), key=lambda i: (
            self.windows[i][0], -self.windows[i][1], -i))
        starts = [self.windows[i][0] for i in order]
        parent = [-1] * len(order)
        stack: list[int] = []
        for pos, i in enumerate(order):
            start = self.windows[i][0]
            while stack and self.windows[order[stack[-1]]][1] <= start:
                stack.pop()
            parent[pos] = stack[-1] if stack else -1
            stack.append(pos)

        def window_of(offset: int) -> int:
            pos = bisect_right(starts, offset) - 1
            while pos >= 0 and not offset < self.windows[order[pos]][1]:
                pos = parent[pos]
            return order[pos] if pos >= 0 else -1

        return window_of


def maker(cls: type[T]) -> Callable[..., T]:
    """Return ``make(*field_values) -> cls`` that skips ``__init__`` and ``__post_init__``.

    A frozen dataclass refuses attribute assignment, and setting its slots
    through their descriptors costs a call each.  So, where it can, the
    maker fills an instance of a twin class (the same bases and slots, no
    ``__setattr__`` of its own: plain slot stores), then gives it its class:
    the two layouts are the same, so Python allows the assignment.
    """
    names = field_names(cls)
    args = ", ".join(f"a{i}" for i in range(len(names)))
    # Giving an object its class costs about two descriptor calls: worth it from three fields.
    twin = _twin(cls) if len(names) >= _TWIN_FIELDS else None
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls, "twin": twin}
    if twin is not None:
        body = "".join(f"    obj.{name} = a{i}\n" for i, name in enumerate(names))
        source = f"def make({args}):\n    obj = new(twin)\n{body}    obj.__class__ = cls\n"
    else:
        for i, name in enumerate(names):
            scope[f"set{i}"] = getattr(cls, name).__set__
        body = "".join(f"    set{i}(obj, a{i})\n" for i in range(len(names)))
        source = f"def make({args}):\n    obj = new(cls)\n{body}"
    exec(compile(source + "    return obj\n", f"<csrlib maker for {cls.__name__}>", "exec"),
         scope)
    make: Callable[..., T] = scope["make"]
    if twin is not None:
        # Checked once: made so, an instance equals one made by __init__'s way.
        probe = make(*range(len(names)))
        if type(probe) is not cls or [getattr(probe, n) for n in names] != list(
                range(len(names))):
            raise AssertionError(f"maker of {cls.__name__}")  # pragma: no cover
    return make


#: Fields from which a maker fills a twin class (measured: 2 fields cost the same either way).
_TWIN_FIELDS = 3


def _twin(cls: type[Any]) -> type[Any] | None:
    """Return a class of ``cls``' layout whose slots take plain stores, or None if none can be."""
    slots = cls.__dict__.get("__slots__")
    if slots is None or any(
            "__setattr__" in base.__dict__ for base in cls.__mro__[1:] if base is not object):
        return None
    meta: Any = type(cls)
    twin: type[Any] = meta(f"_{cls.__name__}Twin", cls.__bases__, {"__slots__": tuple(slots)})
    try:
        probe = object.__new__(twin)
        probe.__class__ = cls
    except TypeError:  # pragma: no cover - a layout Python will not share
        return None
    return twin
