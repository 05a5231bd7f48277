"""Request attributes (RFC 2986 4.1, RFC 2985 5.4): typed where known, raw otherwise.

``Attribute(oid, values)``: challengePassword and unstructuredName values
are :class:`StringValue` (text and the string type received), an extension
request's single value is its :class:`~csrlib.extensions.Extensions`, and any
other value is kept as its DER.

A loaded request's values other than an extension request's are an
:class:`AttributeValues`: checked when the request loads, and read from the
request's own octets each time they are used, so that an attribute of many
small values costs no Python object per value (RFC 2986 puts no bound on
their number).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from . import oids
from .der.primitives import encode_oid
from .der.strings import STRING_TYPES, encode_string
from .der.tlv import Context, Deviation, Limits, Writer, read_header, tlv
from .errors import BuildError, DecodeError, EncodeError
from .extensions import Extensions, read_extensions
from .parsing import Source, out_of_stack, path_text
from .records import maker

__all__ = ["Attribute", "AttributeValues", "StringValue", "read_attributes"]

# PKCS#9 DirectoryString and PKCS9String: the string types they admit.
_STRING_ATTRIBUTES = {
    oids.CHALLENGE_PASSWORD: frozenset((12, 19, 20, 28, 30)),
    oids.UNSTRUCTURED_NAME: frozenset((12, 19, 20, 22, 28, 30)),
}
_SINGLE_VALUED = frozenset((oids.CHALLENGE_PASSWORD, oids.EXTENSION_REQUEST,
                            oids.MS_EXTENSION_REQUEST))
_EXTENSION_REQUESTS = frozenset((oids.EXTENSION_REQUEST, oids.MS_EXTENSION_REQUEST))


@dataclass(frozen=True, slots=True)
class StringValue:
    """A string attribute value and the string type it is encoded in.

    ``encoded`` is the DER element as received (lenient mode may have
    accepted text its type cannot hold); ``to_der()`` returns it when set.
    """

    value: str
    string_type: str = "UTF8String"
    encoded: bytes = field(default=b"", repr=False, compare=False)

    def __str__(self) -> str:
        return self.value

    def to_der(self) -> bytes:
        """Return the DER string element; raise BuildError if the type cannot hold it."""
        if self.encoded:
            return self.encoded
        number = next((n for n, t in STRING_TYPES.items() if t.name == self.string_type), None)
        if number is None:
            raise BuildError(f"unknown string type {self.string_type!r}")
        try:
            return tlv(number, encode_string(number, self.value))
        except EncodeError as exc:
            raise BuildError(str(exc)) from None


AttributeValue = StringValue | Extensions | bytes

#: Values shown by the ``repr`` of an :class:`AttributeValues`; past that, the count.
_REPR_VALUES = 16


class _Rereading(Context):
    """A lenient context that records nothing: for reading again what was checked."""

    __slots__ = ()

    def record(self, deviation: Deviation) -> None:
        """Drop the deviation: it was recorded (and counted) when the request loaded."""


class AttributeValues(Sequence[AttributeValue]):
    """The values of a loaded attribute, read from the request's octets when used.

    The values were checked when the request loaded; each use (iteration,
    indexing) reads them again from the input, one at a time, so that only
    what the caller keeps costs memory.  Indexing walks the values from the
    first (iterate for all of them).  Compares and hashes like the tuple of
    its values.  Unknown attribute types give the DER of each value (bytes),
    challengePassword and unstructuredName a :class:`StringValue` each.
    """

    __slots__ = ("_buf", "_count", "_end", "_limits", "_start", "_strings")

    def __init__(self, buf: bytes, start: int, end: int, count: int, limits: Limits,
                 strings: bool) -> None:
        self._buf = buf
        self._start = start
        self._end = end
        self._count = count
        self._limits = limits
        self._strings = strings

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[AttributeValue]:
        buf = self._buf
        end = self._end
        pos = self._start
        # Deviations were recorded when the request loaded: a lenient context
        # reads what was tolerated then, and records nothing.
        ctx = _Rereading(self._limits, strict=False)
        for _ in range(self._count):
            key, c, e = read_header(buf, pos, end, ctx)
            if self._strings:
                stype = STRING_TYPES[key]
                yield _string_value(stype.check(buf, c, e, ctx), stype.name, tlv(key, buf[c:e]))
            else:
                yield buf[pos:e]
            pos = e

    @overload
    def __getitem__(self, index: int) -> AttributeValue: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[AttributeValue]: ...

    def __getitem__(self, index: int | slice) -> AttributeValue | Sequence[AttributeValue]:
        """Return one value (walking the values before it), or a tuple of a slice of them."""
        if isinstance(index, slice):
            return tuple(self)[index]
        count = self._count
        i = index + count if index < 0 else index
        if not 0 <= i < count:
            raise IndexError("attribute value index out of range")
        for j, value in enumerate(self):
            if j == i:
                return value
        raise AssertionError("unreachable")  # pragma: no cover

    def __reversed__(self) -> Iterator[AttributeValue]:
        return reversed(tuple(self))

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """Return the index of the first value equal to ``value``; raise ValueError if none."""
        for i, item in enumerate(self):
            if i >= start and (stop is None or i < stop) and (item is value or item == value):
                return i
        raise ValueError("value not among the attribute's values")

    def count(self, value: Any) -> int:
        """Return how many values equal ``value``."""
        return sum(1 for item in self if item is value or item == value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AttributeValues | tuple):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        if self._count > _REPR_VALUES:
            return f"<{self._count} attribute values>"
        return repr(tuple(self))


@dataclass(frozen=True, slots=True)
class Attribute:
    """One request attribute: type OID and its values (see the module docstring).

    ``values`` is a tuple when built, an :class:`AttributeValues` when
    loaded (an extension request's: a tuple of its :class:`Extensions`).
    """

    oid: str
    values: Sequence[AttributeValue]

    @property
    def name(self) -> str:
        """Return the attribute's name (``challengePassword``...) or its OID."""
        return oids.ATTRIBUTE_NAMES.get(self.oid, self.oid)

    def to_der(self) -> bytes:
        """Return the DER Attribute: type and the SET OF values in DER order."""
        w = Writer()
        with w.constructed(0x30):
            w.primitive(0x06, encode_oid(self.oid))
            with w.constructed(0x31, sort=True):
                for value in self.values:
                    w.raw(_value_der(value))
        return w.getvalue()


def _value_der(value: AttributeValue) -> bytes:
    if isinstance(value, bytes):
        return value
    return value.to_der()


_attribute = maker(Attribute)
_string_value = maker(StringValue)


def _values_span(src: Source, start: int, end: int) -> tuple[int, int]:
    """Return the contents span of the values SET of the Attribute element ``buf[start:end]``."""
    c, e = src.contents(start, end)  # Attribute: type, values
    _, type_end = src.contents(c, e)
    return src.contents(type_end, e)


def read_attributes(
    src: Source, attributes: list[Any], depth: int, path: str
) -> tuple[tuple[Attribute, ...], Extensions]:
    """Return the attributes of a decoded ``[0] Attributes`` and the extensions requested.

    ``attributes`` is the plain value (each attribute spanned; extension
    requests already decoded, the values of others counted); ``depth`` is
    that of the [0] element.  Raises DecodeError for a repeated extension
    request, a second value of a single-valued attribute (RFC 2985 5.4), a
    value that is not DER, or a challengePassword or unstructuredName value
    that is not one of its string types.

    Other attribute types may repeat: RFC 2986's Attributes is a SET OF
    Attribute with no uniqueness rule, and cryptography, OpenSSL and Go read
    such requests (Go's own tests expect it), so csrlib keeps each in order;
    a linter may report them.  Two extension requests would make the
    requested extensions ambiguous, so they stay an error (cryptography and
    Go refuse them too).  Raises DecodeError ``depth-limit`` when the
    interpreter's stack runs out.
    """
    try:
        return _read_attributes(src, attributes, depth, path)
    except RecursionError as exc:
        # Only a caller already deep in its own stack gets here: reported as
        # nesting too deep, never as RecursionError (see parsing.out_of_stack).
        raise out_of_stack(attributes[0][1] if attributes else 0, path) from exc


def _read_attributes(
    src: Source, attributes: list[Any], depth: int, path: str
) -> tuple[tuple[Attribute, ...], Extensions]:
    """Return what :func:`read_attributes` returns, without its guard."""
    out = []
    requested: list[Extensions] = []
    seen_requests: set[str] = set()
    seen_extensions: set[str] = set()
    for i, ((oid, values), attr_start, attr_end) in enumerate(attributes):
        attr_path = (path, i)
        if oid in _EXTENSION_REQUESTS:
            if oid in seen_requests:
                raise src.fail("duplicate-attribute", attr_start, attr_path, oids.name_of(oid))
            seen_requests.add(oid)
        count = values if isinstance(values, int) else len(values)
        if oid in _SINGLE_VALUED and count != 1:
            raise src.fail("single-valued", attr_start, attr_path, oids.name_of(oid))
        if oid in _EXTENSION_REQUESTS:
            # Decoded through the schema's open type; one value (checked above).
            found = Extensions(read_extensions(src, values[0], attr_start,
                                               (path, i, "values", 0), seen_extensions))
            requested.append(found)
            out.append(_attribute(oid, (found,)))
            continue
        # The values are the SET's contiguous elements, counted by the decoder.
        start, end = _values_span(src, attr_start, attr_end)
        strings = _STRING_ATTRIBUTES.get(oid)
        if strings is None:
            _check_values(src, start, end, depth, (path, i))
        else:
            _check_strings(src, oid, strings, start, end, (path, i))
        out.append(_attribute(oid, AttributeValues(src.buf, start, end, count, src.ctx.limits,
                                                   strings is not None)))
    if len(requested) == 1:
        return tuple(out), requested[0]
    return tuple(out), Extensions([e for found in requested for e in found])


def _check_values(src: Source, pos: int, end: int, depth: int, attr_path: Any) -> None:
    """Check each value of an attribute of unknown type as schema-less DER; raise DecodeError."""
    buf = src.buf
    ctx = src.ctx
    j = 0
    while pos < end:
        ce = read_header(buf, pos, end, ctx)[2]
        src.validate(pos, ce, depth + 2, (attr_path, "values", j))
        pos = ce
        j += 1


def _check_strings(src: Source, oid: str, types: frozenset[int], pos: int, end: int,
                   attr_path: Any) -> None:
    """Check each value of a string attribute: one of ``types``, valid; raise DecodeError."""
    buf = src.buf
    ctx = src.ctx
    j = 0
    while pos < end:
        key, c, e = read_header(buf, pos, end, ctx)
        value_path = (attr_path, "values", j)
        if key not in types:
            raise src.fail("unexpected-tag", pos, value_path,
                           f"{oids.name_of(oid)} must be a string")
        seen = len(ctx.deviations)
        try:
            STRING_TYPES[key].check(buf, c, e, ctx)
        except DecodeError as err:
            err.add_segment(path_text(value_path))
            raise
        if len(ctx.deviations) > seen:
            src.label_deviations(seen, value_path)
        pos = e
        j += 1
