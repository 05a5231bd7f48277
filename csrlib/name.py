"""Distinguished names: Name -> RelativeDistinguishedName -> NameAttribute.

Values keep the string type they were received in.  ``Name.rfc4514()``
prints what cryptography's ``Name.rfc4514_string()`` prints for the same DER;
``Name.from_rfc4514()`` and ``Name.from_openssl()`` parse the two common text
forms back.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from . import oids
from .der.primitives import encode_oid, oid_arcs
from .der.strings import STRING_TYPES, encode_string
from .der.tlv import Writer, encode_length, tlv
from .errors import BuildError, EncodeError

__all__ = ["STRING_TYPE_NUMBERS", "Name", "NameAttribute", "RelativeDistinguishedName"]

#: Universal tag numbers of the value types a name attribute may have.
STRING_TYPE_NUMBERS: dict[str, int] = {
    **{t.name: n for n, t in STRING_TYPES.items()},
    "BIT STRING": 3,
    "OCTET STRING": 4,
    "UTCTime": 23,
    "GeneralizedTime": 24,
}
_TYPE_NAMES = {n: name for name, n in STRING_TYPE_NUMBERS.items()}

# The type an attribute gets when built from text (as OpenSSL and cryptography).
_DEFAULT_TYPES = {
    oids.COUNTRY_NAME: "PrintableString",
    oids.JURISDICTION_COUNTRY_NAME: "PrintableString",
    oids.SERIAL_NUMBER: "PrintableString",
    oids.DN_QUALIFIER: "PrintableString",
    oids.EMAIL_ADDRESS: "IA5String",
    oids.DOMAIN_COMPONENT: "IA5String",
}


_TWO_LETTERS = frozenset((oids.COUNTRY_NAME, oids.JURISDICTION_COUNTRY_NAME))


@dataclass(frozen=True, slots=True)
class NameAttribute:
    """One attribute of a name: type OID, value and the ASN.1 type of the value.

    ``string_type`` is the name of a string type (``UTF8String``,
    ``PrintableString``...), ``BIT STRING`` (value: the contents octets,
    unused-bits octet first), or ``DER`` for any other type (value: the
    whole DER element).
    """

    oid: str
    value: str | bytes
    string_type: str = "UTF8String"
    #: The DER of the value element; derived from the other fields when built.
    encoded: bytes = field(default=b"", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.encoded:
            object.__setattr__(self, "encoded", _encode_value(self.value, self.string_type))

    @classmethod
    def from_text(
        cls, oid_or_name: str, value: str, string_type: str | None = None
    ) -> NameAttribute:
        """Return an attribute with the default string type for its OID (or the one given).

        Raises BuildError for an unknown attribute name or a value its type cannot hold.
        """
        oid = _oid_for(oid_or_name)
        if oid in _TWO_LETTERS and len(value) != 2:
            # X.520 countryName: SIZE (2), an ISO 3166 alpha-2 code.
            raise BuildError(f"{oids.name_of(oid)} must be two letters, not {value!r}")
        chosen = string_type or _DEFAULT_TYPES.get(oid, "UTF8String")
        if chosen == "PrintableString" and string_type is None:
            try:
                contents = encode_string(19, value)
            except EncodeError:
                chosen = "UTF8String"
            else:  # encoded once: the check was the encoding
                return cls(oid, value, chosen, tlv(19, contents))
        return cls(oid, value, chosen)

    @property
    def short_name(self) -> str:
        """Return the OpenSSL short name of the type (``CN``...), or the dotted OID."""
        return oids.ATTRIBUTE_SHORT_NAMES.get(self.oid, self.oid)

    def rfc4514(self) -> str:
        """Return ``TYPE=value`` as RFC 4514 writes it (cryptography's attribute names)."""
        name = oids.RFC4514_SHORT_NAMES.get(self.oid, self.oid)
        value = self.value
        if isinstance(value, bytes):
            return f"{name}=#{value.hex()}"
        return f"{name}={_escape(value)}"


def _oid_for(oid_or_name: str) -> str:
    if oid_or_name and oid_or_name[0].isdigit():
        try:
            return ".".join(map(str, oid_arcs(oid_or_name)))
        except EncodeError:
            raise BuildError(f"invalid attribute type {oid_or_name!r}") from None
    oid = oids.attribute_oid(oid_or_name)
    if oid is None:
        raise BuildError(f"unknown attribute type {oid_or_name!r}")
    return oid


def _encode_value(value: str | bytes, string_type: str) -> bytes:
    if string_type == "DER":
        if not isinstance(value, bytes):
            raise BuildError("a DER attribute value must be bytes")
        return value
    number = STRING_TYPE_NUMBERS.get(string_type)
    if number is None:
        raise BuildError(f"unknown attribute value type {string_type!r}")
    if number == 3:
        if not isinstance(value, bytes) or not value:
            raise BuildError("a BIT STRING attribute value must be its contents octets")
        return tlv(3, value)
    if not isinstance(value, str):
        raise BuildError(f"a {string_type} attribute value must be str")
    try:
        if number in STRING_TYPES:
            return tlv(number, encode_string(number, value))
        return tlv(number, value.encode("utf-8"))
    except EncodeError as exc:
        raise BuildError(str(exc)) from None


_ESCAPED = re.compile(r'[\\"+,;<>\x00]')


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    return "\\00" if char == "\x00" else "\\" + char


def _escape(value: str) -> str:
    # RFC 4514 2.4, escaping what cryptography escapes.
    if not value:
        return ""
    if _ESCAPED.search(value) is not None:
        value = _ESCAPED.sub(_escape_one, value)
    if value[0] == "#" or (value[0] == " " and len(value) > 1):
        value = "\\" + value
    if value[-1] == " ":
        value = value[:-1] + "\\ "
    return value


@dataclass(frozen=True, slots=True)
class RelativeDistinguishedName:
    """One or more attributes at one level of a name (``CN=a+OU=b``).

    A SET has no order: the attributes are kept in DER order (by encoding),
    the order they have on the wire and in ``rfc4514()``.
    """

    attributes: tuple[NameAttribute, ...]

    def __post_init__(self) -> None:
        if not self.attributes:
            raise BuildError("a relative distinguished name cannot be empty")
        if len(self.attributes) > 1:
            ordered = tuple(sorted(self.attributes, key=_atv_der))
            if any(_atv_der(a) == _atv_der(b) for a, b in itertools.pairwise(ordered)):
                raise BuildError("an attribute appears twice in one relative distinguished name")
            object.__setattr__(self, "attributes", ordered)

    def __iter__(self) -> Iterator[NameAttribute]:
        return iter(self.attributes)

    def __len__(self) -> int:
        return len(self.attributes)

    def rfc4514(self) -> str:
        """Return the attributes joined by ``+``, in their DER order."""
        return "+".join(a.rfc4514() for a in self.attributes)

    def to_der(self) -> bytes:
        """Return the DER SET OF, sorted by encoding (X.690 11.6)."""
        if len(self.attributes) == 1:
            atv = _atv_der(self.attributes[0])
            return b"\x31" + encode_length(len(atv)) + atv
        w = Writer()
        with w.constructed(0x31, sort=True):
            for a in self.attributes:
                w.raw(_atv_der(a))
        return w.getvalue()


def _atv_der(attribute: NameAttribute) -> bytes:
    return tlv(0x30, tlv(0x06, encode_oid(attribute.oid)) + attribute.encoded)


@dataclass(frozen=True, slots=True)
class Name:
    """A distinguished name: RDNs in DER order (most significant first)."""

    rdns: tuple[RelativeDistinguishedName, ...] = ()

    @classmethod
    def from_attributes(cls, attributes: Iterable[NameAttribute]) -> Name:
        """Return a name with one single-valued RDN per attribute, in the order given."""
        return cls(tuple(RelativeDistinguishedName((a,)) for a in attributes))

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Name:
        """Return a name of ``(OID or short name, value)`` pairs, most significant first.

        Each value gets OpenSSL's default string type: PrintableString for C
        and wherever the value fits it (serialNumber, dnQualifier...),
        IA5String for emailAddress and DC, UTF8String otherwise.  Raises
        BuildError for an unknown name or a value its type cannot hold.
        """
        return cls.from_attributes(NameAttribute.from_text(k, v) for k, v in pairs)

    def __iter__(self) -> Iterator[NameAttribute]:
        for rdn in self.rdns:
            yield from rdn.attributes

    def __len__(self) -> int:
        return sum(len(rdn) for rdn in self.rdns)

    def __bool__(self) -> bool:
        return bool(self.rdns)

    def get(self, oid_or_name: str) -> list[str | bytes]:
        """Return the values of every attribute of one type (by OID or short name)."""
        oid = _oid_for(oid_or_name)
        return [a.value for a in self if a.oid == oid]

    def rfc4514(self) -> str:
        """Return the RFC 4514 string: RDNs reversed, as cryptography prints them."""
        return ",".join([rdn.attributes[0].rfc4514() if len(rdn.attributes) == 1
                         else rdn.rfc4514() for rdn in reversed(self.rdns)])

    def __str__(self) -> str:
        return self.rfc4514()

    def openssl(self) -> str:
        """Return the name in OpenSSL's ``/C=US/O=Example/CN=x`` form."""
        return "".join(
            "/" + "+".join(f"{a.short_name}={_slash_escape(a)}" for a in rdn) for rdn in self.rdns)

    def to_der(self) -> bytes:
        """Return the DER encoding of the name (an RDNSequence)."""
        body = b"".join(rdn.to_der() for rdn in self.rdns)
        return b"\x30" + encode_length(len(body)) + body

    @classmethod
    def from_rfc4514(cls, text: str) -> Name:
        """Parse an RFC 4514 string (``CN=x,O=Example``); raise BuildError if malformed."""
        return parse_rfc4514(text)

    @classmethod
    def from_openssl(cls, text: str) -> Name:
        """Parse OpenSSL's ``/C=US/O=Example/CN=x`` form; raise BuildError if malformed."""
        return parse_openssl(text)


def _slash_escape(attribute: NameAttribute) -> str:
    value = attribute.value
    if isinstance(value, bytes):
        return "#" + value.hex()
    return re.sub(r"([/+\\=])", r"\\\1", value)


# The parsers build Names: imported once this module's classes exist (an
# import inside the methods would cost about a microsecond per call).
from .name_parse import parse_openssl, parse_rfc4514  # noqa: E402
