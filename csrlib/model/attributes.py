"""Request attributes (RFC 2986 4.1, RFC 2985 5.4): typed where known, raw otherwise.

``Attribute(oid, values)``: challengePassword and unstructuredName values
are :class:`StringValue` (text and the string type received), an extension
request's single value is its :class:`~csrlib.model.extensions.Extensions`,
the Microsoft enrollment attributes' values are typed by
:mod:`csrlib.model.ms_attributes` (when they have their documented shape),
and any other value is kept as its DER.  A request's attributes are an
:class:`Attributes`: the sequence of them, with ``get(oid_or_name)``.

A loaded request's values other than an extension request's are an
:class:`AttributeValues`: checked when the request loads, and read from the
request's own octets each time they are used, so that an attribute of many
small values costs no Python object per value (RFC 2986 puts no bound on
their number).  Likewise a request of many attributes: past
:data:`csrlib.model.lazy.EAGER_MAX` its ``attributes`` are a
:class:`~csrlib.model.lazy.LazySequence`, each attribute read again when used.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from .. import oids, schemas
from ..der.primitives import encode_oid
from ..der.strings import STRING_TYPES, encode_string
from ..der.tlv import Writer, read_header, tlv
from ..errors import BuildError, DecodeError, EncodeError
from ..frozen import field, frozen
from .extension_reading import SeenOids, join_extensions, read_extensions
from .extensions import Extensions
from .lazy import STEP, LazySequence, Reader, element_end, offsets, read_elements
from .ms_attributes import (
    MS_ATTRIBUTE_TYPES,
    ClientInformation,
    CspInformation,
    NameValuePair,
    read_ms_value,
)
from .reading import Path, Source, maker, out_of_stack, path_text, plan

__all__ = ["Attribute", "AttributeValues", "Attributes", "StringValue", "read_attributes"]

# PKCS#9 DirectoryString and PKCS9String: the string types they admit.
_STRING_ATTRIBUTES = {
    oids.CHALLENGE_PASSWORD: frozenset((12, 19, 20, 28, 30)),
    oids.UNSTRUCTURED_NAME: frozenset((12, 19, 20, 22, 28, 30)),
}
_SINGLE_VALUED = frozenset((oids.CHALLENGE_PASSWORD, oids.EXTENSION_REQUEST,
                            oids.MS_EXTENSION_REQUEST, oids.STATEMENT_OF_POSSESSION))
_EXTENSION_REQUESTS = frozenset((oids.EXTENSION_REQUEST, oids.MS_EXTENSION_REQUEST))


@frozen
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


if TYPE_CHECKING:  # imported when a request carries the attribute (model.possession)
    from .possession import PossessionStatement

    AttributeValue = (StringValue | Extensions | ClientInformation | CspInformation
                      | NameValuePair | PossessionStatement | bytes)


class AttributeValues(LazySequence["AttributeValue"]):
    """The values of a loaded attribute, read from the request's octets when used.

    The values were checked when the request loaded; each use (iteration,
    indexing) reads them again from the input, so that only what the
    caller keeps costs memory.  A :class:`~csrlib.model.lazy.LazySequence`
    whatever the number of values: compares and hashes like the tuple of
    its values; indexing reads at most :data:`csrlib.model.lazy.STEP` headers
    before the value.  Unknown attribute types give the DER of each value
    (bytes), challengePassword and unstructuredName a :class:`StringValue`
    each.
    """

    __slots__ = ()


@frozen
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


class Attributes(Sequence[Attribute]):
    """A request's attributes, in order, with lookup by type.

    Behaves as the tuple of its attributes (compares equal to it); a
    loaded request of many attributes reads them from its octets when used
    (:class:`~csrlib.model.lazy.LazySequence`).  Attribute types other than
    extension requests and challengePassword may repeat (RFC 2986 sets no
    rule): ``get`` gives the first, ``get_all`` every one.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Sequence[Attribute] = ()) -> None:
        self._items: Sequence[Attribute] = (
            items if isinstance(items, tuple | LazySequence) else tuple(items))

    @overload
    def __getitem__(self, index: int) -> Attribute: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Attribute]: ...

    def __getitem__(self, index: int | slice) -> Attribute | Sequence[Attribute]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Attribute]:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Attributes):
            return self._items == other._items
        if isinstance(other, tuple | LazySequence):
            return self._items == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"Attributes({self._items!r})"

    def get(self, oid_or_name: str) -> Attribute | None:
        """Return the first attribute of a type (dotted OID or name such as
        ``challengePassword``), or None; raise BuildError for an unknown name."""
        oid = _attribute_oid(oid_or_name)
        return next((a for a in self._items if a.oid == oid), None)

    def get_all(self, oid_or_name: str) -> list[Attribute]:
        """Return every attribute of a type, in order (see :meth:`get`)."""
        oid = _attribute_oid(oid_or_name)
        return [a for a in self._items if a.oid == oid]


def _attribute_oid(oid_or_name: str) -> str:
    oid = oids.attribute_type_oid(oid_or_name)
    if oid is None:
        raise BuildError(f"unknown attribute {oid_or_name!r}")
    return oid


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
    src: Source, attributes: tuple[Any, int, int], depth: int, path: str
) -> tuple[Attributes, Extensions]:
    """Return the attributes of a decoded ``[0] Attributes`` and the extensions requested.

    ``attributes`` is the plain value with the span of the element: the
    list of attributes (each spanned; extension requests already decoded,
    the values of others counted), or for many attributes their count;
    ``depth`` is that of the [0] element.  The attributes hold a tuple, or
    past :data:`csrlib.model.lazy.EAGER_MAX` of them a LazySequence that reads
    each again when used.  Raises DecodeError for a repeated extension
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
        raise out_of_stack(attributes[1], path) from exc


class _Loading:
    """What reading a request's attributes collects across them, the first time."""

    __slots__ = ("extensions", "requested", "requests")

    def __init__(self, buf: bytes) -> None:
        self.requests: set[str] = set()
        self.extensions = SeenOids(buf)
        #: Each extension request's extensions, with the span of its Extensions element.
        self.requested: list[tuple[Extensions, int, int]] = []


def _read_attributes(
    src: Source, attributes: tuple[Any, int, int], depth: int, path: str
) -> tuple[Attributes, Extensions]:
    """Return what :func:`read_attributes` returns, without its guard."""
    items, start, end = attributes
    loading = _Loading(src.buf)
    out: Sequence[Attribute]
    if type(items) is list:
        out = tuple(_attribute_of(src, item, depth, path, i, loading)
                    for i, item in enumerate(items))
    else:
        c, e = src.contents(start, end)
        reader = Reader.of(src, attribute_at, (depth, path), "attributes")
        out = read_elements(src, c, e, items, reader, _first_attribute_at,
                            (depth, path, loading))
    return Attributes(out), join_extensions(src, loading.requested)


def attribute_at(src: Source, pos: int, end: int, i: int, depth: int, path: Path) -> Attribute:
    """Return attribute ``i`` of the ``[0]`` at ``depth``, the element ``buf[pos:end]``.

    For reading again what a load checked: raises DecodeError for an
    invalid attribute type or SET (its values are not checked here).
    """
    item = src.decode(plan(schemas.Attribute), pos, end, depth, (path, i))
    return _attribute_of(src, item, depth, path, i, None)


def _first_attribute_at(src: Source, pos: int, end: int, i: int, depth: int, path: Path,
                        loading: _Loading) -> Attribute:
    """Return :func:`attribute_at` the first time, everything checked; raise DecodeError."""
    item = src.decode(plan(schemas.Attribute), pos, end, depth, (path, i))
    return _attribute_of(src, item, depth, path, i, loading)


def _attribute_of(src: Source, item: Any, depth: int, path: Path, i: int,
                  loading: _Loading | None) -> Attribute:
    """Return the Attribute of a decoded one; with ``loading``, check it (raise DecodeError)."""
    (oid, values), attr_start, attr_end = item
    attr_path = (path, i)
    if loading is not None and (oid in _EXTENSION_REQUESTS
                                or oid == oids.STATEMENT_OF_POSSESSION):
        if oid in loading.requests:
            raise src.fail("duplicate-attribute", attr_start, attr_path, oids.name_of(oid))
        loading.requests.add(oid)
    count = values if isinstance(values, int) else len(values)
    if oid in _SINGLE_VALUED and count != 1:
        raise src.fail("single-valued", attr_start, attr_path, oids.name_of(oid))
    # The values are the SET's contiguous elements, counted by the decoder.
    start, end = _values_span(src, attr_start, attr_end)
    if oid in _EXTENSION_REQUESTS:
        # Decoded through the schema's open type; one value (checked above).
        seen = loading.extensions if loading is not None else SeenOids(src.buf)
        found = Extensions(read_extensions(src, values[0], attr_start,
                                           (path, i, "values", 0), seen))
        if loading is not None:
            loading.requested.append((found, start, end))
        return _attribute(oid, (found,))
    if oid == oids.STATEMENT_OF_POSSESSION:
        # RFC 9883 3: one statement, read (and checked) whole.
        from .possession import read_possession

        return _attribute(oid, (read_possession(src, start, end, depth + 2,
                                                (path, i, "values", 0)),))
    strings = _STRING_ATTRIBUTES.get(oid)
    kind = "strings" if strings is not None else (oid if oid in MS_ATTRIBUTE_TYPES else "der")
    if loading is None:
        marks = _marks(src.buf, start, end)
    elif strings is None:
        marks = _check_values(src, start, end, depth, attr_path)
    else:
        marks = _check_strings(src, oid, strings, start, end, attr_path)
    reader = Reader.of(src, value_at, (kind,), "attribute values")
    return _attribute(oid, AttributeValues(src.buf, marks, count, reader))


def value_at(src: Source, pos: int, end: int, i: int, kind: str) -> AttributeValue:
    """Return the attribute value ``buf[pos:end]``, read as ``kind`` says.

    ``kind`` is ``"strings"`` (a StringValue), ``"der"`` (its DER), or the
    OID of a Microsoft attribute (its typed value when it has the
    documented shape, else its DER).  For reading again what a load
    checked (raises DecodeError otherwise).
    """
    buf = src.buf
    if kind == "der":
        return buf[pos:end]
    if kind != "strings":
        der = buf[pos:end]
        typed = read_ms_value(kind, der)
        if typed is None:
            return der
        if isinstance(typed, str):
            return _string_value(typed, "IA5String", der)
        return typed
    key, c, e = read_header(buf, pos, end, src.ctx)
    stype = STRING_TYPES[key]
    return _string_value(stype.check(buf, c, e, src.ctx), stype.name, tlv(key, buf[c:e]))


def _marks(buf: bytes, pos: int, end: int) -> array[int]:
    """Return the offsets of every STEP-th (checked) element in ``buf[pos:end]``."""
    marks = offsets(len(buf))
    j = 0
    while pos < end:
        if not j % STEP:
            marks.append(pos)
        pos = element_end(buf, pos)
        j += 1
    return marks


def _check_values(src: Source, pos: int, end: int, depth: int, attr_path: Any) -> array[int]:
    """Check each value of an attribute of unknown type as schema-less DER; raise DecodeError.

    Returns the offsets of every STEP-th value.
    """
    buf = src.buf
    ctx = src.ctx
    marks = offsets(len(buf))
    j = 0
    while pos < end:
        ce = read_header(buf, pos, end, ctx)[2]
        src.validate(pos, ce, depth + 2, (attr_path, "values", j))
        if not j % STEP:
            marks.append(pos)
        pos = ce
        j += 1
    return marks


def _check_strings(src: Source, oid: str, types: frozenset[int], pos: int, end: int,
                   attr_path: Any) -> array[int]:
    """Check each value of a string attribute: one of ``types``, valid; raise DecodeError.

    Returns the offsets of every STEP-th value.
    """
    buf = src.buf
    ctx = src.ctx
    marks = offsets(len(buf))
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
        if not j % STEP:
            marks.append(pos)
        pos = e
        j += 1
    return marks
