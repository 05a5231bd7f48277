"""Schema-driven strict DER codec: pyasn1 schemas in, values out.

Any pyasn1 type object serves as a schema (those of pyasn1-modules, or your
own).  It is compiled once into a plan (cached by its structure), then::

    value = csrlib.asn1.decode(der, rfc2986.CertificationRequest())
    plain = csrlib.asn1.decode_plain(der, rfc2986.CertificationRequest())
    der == csrlib.asn1.encode(value)

``decode`` returns the pyasn1 objects ``pyasn1.codec.der.decoder.decode``
returns for valid DER, ``decode_plain`` tuples, lists, ints, strs and bytes
(see :mod:`csrlib.asn1.plain`), and ``encode`` the bytes pyasn1's DER encoder
writes.  Both decoders reject every departure from DER with a
:class:`~csrlib.errors.DecodeError` naming the byte offset and field path,
and no other exception, whatever the input.  With ``strict=False`` they
accept the deviations listed in ``csrlib.der`` (non-minimal lengths and
INTEGERs, BOOLEAN true other than 0xff, unsorted SET OF, SET components out
of tag order, encoded DEFAULTs, PrintableString with visible ASCII outside
its alphabet, TeletexString with non-ASCII octets, named BIT STRINGs with
trailing zero bits) and report them.  Schemas must be typed: a SEQUENCE or
SET without components only matches an empty one.
"""

from __future__ import annotations

from typing import Any

from ..der.collector import collector_paused
from ..der.tlv import DEFAULT_LIMITS, Context, Deviation, Limits
from ..errors import DecodeError
from .decoding import Backend, Decoder, _whole, decode_element
from .decoding import decode_window as _decode_window
from .encoding import encode
from .locate import locate, locate_all
from .plain import PLAIN
from .plan import Node, compile_node
from .pyasn1_values import PYASN1

__all__ = [
    "Deviation",
    "Limits",
    "UNEXPECTED_ERRORS",
    "Plan",
    "compile_schema",
    "decode",
    "decode_plain",
    "decode_window",
    "encode",
    "locate",
    "name_deviations",
]

# What a bug in this package could raise on hostile input; turned into
# DecodeError at the boundary so the contract holds (the test suite checks
# that it never happens).
UNEXPECTED_ERRORS = _UNEXPECTED = (
    IndexError, KeyError, ValueError, TypeError, OverflowError, RecursionError, MemoryError,
    UnicodeError, AttributeError, AssertionError)


class Plan:
    """A compiled schema: decode with it as often as you like."""

    __slots__ = ("_window", "node")

    def __init__(self, node: Node) -> None:
        self.node = node
        self._window: Decoder | None = None

    @property
    def window_decoder(self) -> Decoder:
        """Return the raw plain-value decoder behind :func:`decode_window`.

        ``fn(buf, start, start, end, ctx, depth)`` may raise any exception on
        hostile input: callers catch :data:`UNEXPECTED_ERRORS` as
        :func:`decode_window` does.  For layers above that decode many windows.
        """
        if self._window is None:
            self._window = _whole(self.node, PLAIN)
        return self._window

    def __repr__(self) -> str:
        return f"<csrlib.asn1.Plan for {type(self.node.spec).__name__}>"

    def decode(
        self,
        data: bytes | bytearray | memoryview,
        *,
        strict: bool = True,
        limits: Limits | None = None,
        decode_open_types: bool = False,
        deviations: list[Deviation] | None = None,
    ) -> Any:
        """Return the pyasn1 value of ``data``; raise DecodeError if it is not DER of the schema.

        ``decode_open_types`` decodes ANY components through the schema's
        open-type maps, as pyasn1's ``decodeOpenTypes=True``.  In lenient mode
        (``strict=False``) tolerated deviations are appended to ``deviations``.
        """
        return _run(self.node, PYASN1, data, strict, limits, decode_open_types, deviations)

    def decode_plain(
        self,
        data: bytes | bytearray | memoryview,
        *,
        strict: bool = True,
        limits: Limits | None = None,
        decode_open_types: bool = False,
        deviations: list[Deviation] | None = None,
    ) -> Any:
        """Return ``data`` decoded into plain Python values (the fast path); see :meth:`decode`."""
        return _run(self.node, PLAIN, data, strict, limits, decode_open_types, deviations)


def compile_schema(schema: Any) -> Plan:
    """Return the compiled plan of a pyasn1 type object; raise TypeError if unsupported."""
    return Plan(compile_node(schema))


def decode(
    data: bytes | bytearray | memoryview,
    schema: Any,
    *,
    strict: bool = True,
    limits: Limits | None = None,
    decode_open_types: bool = False,
    deviations: list[Deviation] | None = None,
) -> Any:
    """Return the pyasn1 value of DER ``data`` under ``schema``; see :meth:`Plan.decode`."""
    return _run(compile_node(schema), PYASN1, data, strict, limits, decode_open_types,
                deviations)


def decode_plain(
    data: bytes | bytearray | memoryview,
    schema: Any,
    *,
    strict: bool = True,
    limits: Limits | None = None,
    decode_open_types: bool = False,
    deviations: list[Deviation] | None = None,
) -> Any:
    """Return DER ``data`` under ``schema`` as plain Python values; see :meth:`Plan.decode`."""
    return _run(compile_node(schema), PLAIN, data, strict, limits, decode_open_types,
                deviations)


def _run(
    node: Node,
    backend: Backend,
    data: bytes | bytearray | memoryview,
    strict: bool,
    limits: Limits | None,
    open_types: bool,
    deviations: list[Deviation] | None,
) -> Any:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected bytes, not {type(data).__name__}")
    limits = DEFAULT_LIMITS if limits is None else limits
    # Checked before anything is copied or read.
    if (data.nbytes if isinstance(data, memoryview) else len(data)) > limits.max_size:
        raise DecodeError("size-limit", limits.max_size)
    buf = data if type(data) is bytes else bytes(data)
    ctx = Context(limits, strict, open_types)
    try:
        value = collector_paused(decode_element, node, backend, buf, ctx)
    except DecodeError:
        raise
    except RecursionError as exc:
        raise DecodeError("depth-limit", 0, "interpreter recursion limit") from exc
    except _UNEXPECTED as exc:
        raise DecodeError("internal-error", 0, type(exc).__name__) from exc
    if ctx.deviations and deviations is not None:
        deviations.extend(name_deviations(node, buf, ctx.deviations, open_types=open_types))
    return value


def name_deviations(
    node: Node, buf: bytes, found: list[Deviation], start: int = 0, end: int | None = None,
    open_types: bool = False,
) -> list[Deviation]:
    """Return ``found`` without repeats, each with the path of the field holding it.

    A value checked both as ANY and through its open type reports a
    deviation twice; it is listed once.
    """
    unique = list(dict.fromkeys((d.offset, d.kind) for d in found))
    paths = locate_all(node, buf, [offset for offset, _ in unique], start, end, open_types)
    return [Deviation(offset, kind, paths[offset]) for offset, kind in unique]


def decode_window(
    plan: Plan, buf: bytes, start: int, end: int, ctx: Context, depth: int = 0
) -> Any:
    """Decode the element ``buf[start:end]`` into plain values, with absolute offsets.

    For layers that walk a structure with several plans: errors carry offsets
    in ``buf``, deviations collect in the shared ``ctx``, ``depth`` continues
    the nesting count of the enclosing element.  Raises only DecodeError.
    """
    try:
        return _decode_window(plan.node, PLAIN, buf, start, end, ctx, depth)
    except DecodeError:
        raise
    except _UNEXPECTED as exc:
        raise DecodeError("internal-error", start, type(exc).__name__) from exc
