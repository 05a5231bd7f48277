"""Request attributes (RFC 2986 4.1, RFC 2985 5.4): typed where known, raw otherwise.

``Attribute(oid, values)``: challengePassword and unstructuredName values
are :class:`StringValue` (text and the string type received), an extension
request's single value is its :class:`~csrlib.extensions.Extensions`, and any
other value is kept as its DER.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import oids
from .der.primitives import encode_oid
from .der.strings import STRING_TYPES, encode_string
from .der.tlv import Writer, tlv
from .errors import BuildError, DecodeError, EncodeError
from .extensions import Extensions, read_extensions
from .parsing import Source, path_text
from .records import maker

__all__ = ["Attribute", "StringValue", "read_attributes"]

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


@dataclass(frozen=True, slots=True)
class Attribute:
    """One request attribute: type OID and its values (see the module docstring)."""

    oid: str
    values: tuple[AttributeValue, ...]

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


def _values_start(src: Source, start: int, end: int) -> int:
    """Return where the first value of the Attribute element ``buf[start:end]`` begins."""
    c, e = src.contents(start, end)  # Attribute: type, values
    _, type_end = src.contents(c, e)
    return src.contents(type_end, e)[0]


def read_attributes(
    src: Source, attributes: list[Any], depth: int, path: str
) -> tuple[tuple[Attribute, ...], Extensions]:
    """Return the attributes of a decoded ``[0] Attributes`` and the extensions requested.

    ``attributes`` is the plain value (each attribute spanned; extension
    requests already decoded, other values as their encodings); ``depth`` is that of
    the [0] element.  Raises DecodeError for a repeated extension request or
    a second value of a single-valued attribute (RFC 2985 5.4).

    Other attribute types may repeat: RFC 2986's Attributes is a SET OF
    Attribute with no uniqueness rule, and cryptography, OpenSSL and Go read
    such requests (Go's own tests expect it), so csrlib keeps each in order;
    a linter may report them.  Two extension requests would make the
    requested extensions ambiguous, so they stay an error (cryptography and
    Go refuse them too).
    """
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
        if oid in _SINGLE_VALUED and len(values) != 1:
            raise src.fail("single-valued", attr_start, attr_path, oids.name_of(oid))
        if oid in _EXTENSION_REQUESTS:
            # Decoded through the schema's open type; one value (checked above).
            found = Extensions(read_extensions(src, values[0], attr_start,
                                               (path, i, "values", 0), seen_extensions))
            requested.append(found)
            out.append(_attribute(oid, (found,)))
            continue
        # The values are the SET's contiguous elements, kept as bytes only.
        start = _values_start(src, attr_start, attr_end)
        if oid not in _STRING_ATTRIBUTES:
            for j, raw in enumerate(values):
                src.validate(start, start + len(raw), depth + 2, (path, i, "values", j))
                start += len(raw)
            out.append(_attribute(oid, tuple(values)))
            continue
        typed: list[AttributeValue] = []
        for j, raw in enumerate(values):
            value_path = (path, i, "values", j)
            end = start + len(raw)
            if raw[0] not in _STRING_ATTRIBUTES[oid]:
                raise src.fail("unexpected-tag", start, value_path,
                               f"{oids.name_of(oid)} must be a string")
            c, e = src.contents(start, end)
            try:
                text = STRING_TYPES[raw[0]].check(src.buf, c, e, src.ctx)
            except DecodeError as err:
                err.add_segment(path_text(value_path))
                raise
            typed.append(_string_value(text, STRING_TYPES[raw[0]].name,
                                       tlv(raw[0], src.buf[c:e])))
            start = end
        out.append(_attribute(oid, tuple(typed)))
    if len(requested) == 1:
        return tuple(out), requested[0]
    return tuple(out), Extensions([e for found in requested for e in found])
