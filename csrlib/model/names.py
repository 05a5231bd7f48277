"""Distinguished names: Name -> RelativeDistinguishedName -> NameAttribute.

Values keep the string type they were received in.  ``Name.rfc4514()``
prints what cryptography's ``Name.rfc4514_string()`` prints for the same DER;
``Name.from_rfc4514()`` and ``Name.from_openssl()`` parse the two common text
forms back.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from .. import oids
from ..der.primitives import encode_oid, oid_arcs
from ..der.strings import STRING_TYPES, encode_string
from ..der.tlv import Writer, encode_length, tlv
from ..errors import BuildError, EncodeError

__all__ = ["STRING_TYPE_NUMBERS", "VALUE_TAGS", "Name", "NameAttribute",
           "RelativeDistinguishedName", "atv_der", "value_tags_text"]

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
    oids.TELEPHONE_NUMBER: "PrintableString",
    oids.EMAIL_ADDRESS: "IA5String",
    oids.DOMAIN_COMPONENT: "IA5String",
}


_TWO_LETTERS = frozenset((oids.COUNTRY_NAME, oids.JURISDICTION_COUNTRY_NAME))

# X.520 DirectoryString (RFC 5280 A.1): TeletexString, PrintableString,
# UniversalString, UTF8String, BMPString.
_DIRECTORY_STRING = frozenset((0x14, 0x13, 0x1C, 0x0C, 0x1E))
_PRINTABLE_STRING = frozenset((0x13,))
_IA5_STRING = frozenset((0x16,))

#: The value tags (identifier octets) the standards allow each attribute type
#: csrlib knows.  Strict reading and the builder refuse any other tag;
#: lenient reading records an ``unexpected-tag`` deviation.  A type not
#: listed takes any single DER element.
VALUE_TAGS: dict[str, frozenset[int]] = {
    # DirectoryString: RFC 5280 A.1 (X520name, X520CommonName,
    # X520LocalityName, X520StateOrProvinceName, X520OrganizationName,
    # X520OrganizationalUnitName, X520Title, X520Pseudonym); X.520 6.2-6.6
    # (street, businessCategory, postalCode, postOfficeBox,
    # organizationIdentifier); RFC 4519 2.39 (uid); RFC 2985 5.2.4
    # (unstructuredAddress); EV Guidelines 9.2.4 (jurisdiction L and ST).
    **dict.fromkeys((
        oids.COMMON_NAME, oids.SURNAME, oids.LOCALITY_NAME, oids.STATE_OR_PROVINCE_NAME,
        oids.STREET_ADDRESS, oids.ORGANIZATION_NAME, oids.ORGANIZATIONAL_UNIT_NAME,
        oids.TITLE, oids.BUSINESS_CATEGORY, oids.POSTAL_CODE, oids.POST_OFFICE_BOX,
        oids.NAME, oids.GIVEN_NAME, oids.INITIALS, oids.GENERATION_QUALIFIER,
        oids.PSEUDONYM, oids.ORGANIZATION_IDENTIFIER, oids.USER_ID,
        oids.UNSTRUCTURED_ADDRESS, oids.JURISDICTION_LOCALITY_NAME,
        oids.JURISDICTION_STATE_OR_PROVINCE_NAME), _DIRECTORY_STRING),
    # PrintableString: RFC 5280 A.1 (X520countryName SIZE (2),
    # X520SerialNumber, X520dnQualifier); X.520 6.7.1 (telephoneNumber);
    # EV Guidelines 9.2.4 (jurisdictionCountryName SIZE (2)).
    **dict.fromkeys((oids.COUNTRY_NAME, oids.JURISDICTION_COUNTRY_NAME, oids.SERIAL_NUMBER,
                     oids.DN_QUALIFIER, oids.TELEPHONE_NUMBER), _PRINTABLE_STRING),
    # IA5String: RFC 2985 5.2.1 (emailAddress), RFC 4519 2.4 (dc).
    oids.EMAIL_ADDRESS: _IA5_STRING,
    oids.DOMAIN_COMPONENT: _IA5_STRING,
    # RFC 2985 5.2.2: PKCS9String, an IA5String or a DirectoryString.
    oids.UNSTRUCTURED_NAME: _IA5_STRING | _DIRECTORY_STRING,
    # X.520 6.5.7 UniqueIdentifier: BIT STRING.
    oids.X500_UNIQUE_IDENTIFIER: frozenset((0x03,)),
    # X.520 6.6.1 PostalAddress: SEQUENCE OF UnboundedDirectoryString.
    oids.POSTAL_ADDRESS: frozenset((0x30,)),
}
#: The tags a postalAddress SEQUENCE may hold (X.520 6.6.1).
POSTAL_LINE_TAGS = _DIRECTORY_STRING

_TAG_TEXT = {0x30: "SEQUENCE OF DirectoryString", 0x03: "BIT STRING"}


def value_tags_text(oid: str) -> str:
    """Return the value types the standards allow an attribute type, as text.

    For messages; ``"any type"`` when the type is not in :data:`VALUE_TAGS`.
    """
    tags = VALUE_TAGS.get(oid)
    if tags is None:
        return "any type"
    if tags >= _DIRECTORY_STRING:
        rest = sorted(_TAG_TEXT.get(t) or STRING_TYPES[t].name for t in tags - _DIRECTORY_STRING)
        return " or ".join([*rest, "DirectoryString"])
    return " or ".join(sorted(_TAG_TEXT.get(t) or STRING_TYPES[t].name for t in tags))


def _check_tag(oid: str, encoded: bytes, string_type: str) -> None:
    """Raise BuildError unless the value's tag is one its attribute type allows."""
    tags = VALUE_TAGS.get(oid)
    if tags is not None and encoded[:1] and encoded[0] not in tags:
        raise BuildError(f"{oids.name_of(oid)} cannot be of type {string_type}: it takes "
                         f"{value_tags_text(oid)}")


def _check_text(oid: str, value: str | bytes) -> None:
    """Raise BuildError for a value its attribute type's size rule refuses."""
    if oid in _TWO_LETTERS and isinstance(value, str) and len(value) != 2:
        # X.520 countryName: SIZE (2), an ISO 3166 alpha-2 code.
        raise BuildError(f"{oids.name_of(oid)} must be two letters, not {_shown(value)}")


def _shown(value: str) -> str:
    """Return text for a message: its repr (lone surrogates escaped), bounded."""
    return repr(value if len(value) <= 64 else value[:64] + "...")


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
        """Check the fields; raise BuildError for an invalid OID or a value its type refuses.

        A known attribute type takes only the value types its standard
        allows (:data:`VALUE_TAGS`).
        """
        if not isinstance(self.oid, str):
            raise BuildError(f"an attribute type is a dotted OID string, not {self.oid!r}")
        try:
            encode_oid(self.oid)
        except EncodeError:
            raise BuildError(f"invalid attribute type {_shown(self.oid)}") from None
        if not self.encoded:
            object.__setattr__(self, "encoded", _encode_value(self.value, self.string_type))
        _check_tag(self.oid, self.encoded, self.string_type)

    @classmethod
    def from_text(
        cls, oid_or_name: str, value: str, string_type: str | None = None
    ) -> NameAttribute:
        """Return an attribute with the default string type for its OID (or the one given).

        Raises BuildError for an unknown attribute name, a string type the
        attribute type does not allow (:data:`VALUE_TAGS`) or a value its
        type cannot hold (lone surrogates included).
        """
        oid = _oid_for(oid_or_name)
        _check_text(oid, value)
        return cls(oid, value, string_type or _DEFAULT_TYPES.get(oid, "UTF8String"))

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
    """Return the dotted OID of an attribute type given by OID or name; raise BuildError."""
    if oid_or_name and oid_or_name[0].isdigit():
        try:
            return ".".join(map(str, oid_arcs(oid_or_name)))
        except EncodeError:
            raise BuildError(f"invalid attribute type {_shown(oid_or_name)}") from None
    oid = oids.attribute_oid(oid_or_name)
    if oid is None:
        raise BuildError(f"unknown attribute type {_shown(oid_or_name)}")
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
    except UnicodeEncodeError:
        # A lone surrogate: no UTF-8 encoding exists (RFC 3629 3).
        raise BuildError(f"{string_type} cannot hold {_shown(value)}") from None


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
    the order they have on the wire and in ``rfc4514()``.  Built, they are a
    tuple; loaded, an RDN of many attributes holds a
    :class:`~csrlib.model.lazy.LazySequence` (it behaves as the tuple).
    """

    attributes: Sequence[NameAttribute]

    def __post_init__(self) -> None:
        if not self.attributes:
            raise BuildError("a relative distinguished name cannot be empty")
        if len(self.attributes) > 1:
            ordered = tuple(sorted(self.attributes, key=atv_der))
            if any(atv_der(a) == atv_der(b) for a, b in itertools.pairwise(ordered)):
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
            atv = atv_der(self.attributes[0])
            return b"\x31" + encode_length(len(atv)) + atv
        w = Writer()
        with w.constructed(0x31, sort=True):
            for a in self.attributes:
                w.raw(atv_der(a))
        return w.getvalue()


def atv_der(attribute: NameAttribute) -> bytes:
    """Return the DER AttributeTypeAndValue of an attribute (the order of an RDN's SET)."""
    return tlv(0x30, tlv(0x06, encode_oid(attribute.oid)) + attribute.encoded)


@dataclass(frozen=True, slots=True)
class Name:
    """A distinguished name: RDNs in DER order (most significant first).

    ``rdns`` is a tuple, or for a loaded name of many RDNs a
    :class:`~csrlib.model.lazy.LazySequence` read again from the request when used
    (it compares and hashes as the tuple of its RDNs).
    """

    rdns: Sequence[RelativeDistinguishedName] = ()

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
from .name_text import parse_openssl, parse_rfc4514  # noqa: E402
