"""Name attributes: one type and value of a distinguished name, built or read.

A :class:`NameAttribute` keeps the string type its value was received in
(or, built, OpenSSL's default for its type).  An attribute type csrlib knows
takes only the value types its standard allows (:data:`VALUE_TAGS`: a
DirectoryString for commonName, a PrintableString for countryName...).

Reading: the decoder leaves name attribute values unchecked (they are
:class:`~csrlib.schemas.UncheckedAny`); :func:`read_attribute_value` checks
and reads one in one step: strings keep their type, BIT STRING its
contents, OCTET STRING reads as UTF-8 when it is (as cryptography reads
it), and any other type is checked as schema-less DER and kept whole.  A
value type the attribute type does not allow is an ``unexpected-tag`` error
in strict mode and a deviation in lenient mode, where the value is read as
for an unknown type.
"""

from __future__ import annotations

import re

from .. import oids
from ..der.generic import validate_content
from ..der.primitives import decode_bit_string, encode_oid, oid_arcs
from ..der.strings import STRING_TYPES, encode_string
from ..der.times import decode_generalized_time, decode_utc_time
from ..der.tlv import describe_tag, encode_length, read_header, tlv
from ..errors import BuildError, EncodeError
from ..frozen import field, frozen
from .reading import Source, maker

__all__ = ["PLAIN_STRINGS", "POSTAL_LINE_TAGS", "STRING_TYPE_NUMBERS", "TYPE_NAMES", "VALUE_TAGS",
           "NameAttribute", "atv_der", "make_attribute", "read_attribute_value",
           "value_tags_text"]

#: Universal tag numbers of the value types a name attribute may have.
STRING_TYPE_NUMBERS: dict[str, int] = {
    **{t.name: n for n, t in STRING_TYPES.items()},
    "BIT STRING": 3,
    "OCTET STRING": 4,
    "UTCTime": 23,
    "GeneralizedTime": 24,
}
TYPE_NAMES = {n: name for name, n in STRING_TYPE_NUMBERS.items()}

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


@frozen
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
        if (cls is NameAttribute and string_type is None and type(value) is str
                and type(oid_or_name) is str):
            known = oids.attribute_oid(oid_or_name)
            if known is not None:
                # A type given by name, whose OID is known valid: the checks
                # of __post_init__ but that one, without its call.
                _check_text(known, value)
                default = _DEFAULT_TYPES.get(known, "UTF8String")
                encoded = _encode_value(value, default)
                _check_tag(known, encoded, default)
                return make_attribute(known, value, default, encoded)
        oid = _oid_for(oid_or_name)
        _check_text(oid, value)
        return cls(oid, value, string_type or _DEFAULT_TYPES.get(oid, "UTF8String"))

    @property
    def short_name(self) -> str:
        """Return the short name OpenSSL prints for the type (``CN``, ``emailAddress``,
        ``description``...), or the dotted OID of a type OpenSSL does not name."""
        return oids.OPENSSL_SHORT_NAMES.get(self.oid, self.oid)

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
    if string_type == "UTF8String" and type(value) is str:
        # The common case: any text but a lone surrogate is UTF-8 (RFC 3629 3),
        # which is all the UTF8String checker asks; a surrogate takes the
        # general path below, for its message.
        try:
            return tlv(12, value.encode("utf-8"))
        except UnicodeEncodeError:
            pass
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


#: OBJECT IDENTIFIER elements of attribute types by dotted OID; bounded (a
#: program names few types), cleared when full.
_OID_ELEMENTS: dict[str, bytes] = {}
_OID_ELEMENTS_MAX = 256


def oid_element(oid: str) -> bytes:
    """Return the DER OBJECT IDENTIFIER element of a dotted OID; raise EncodeError if invalid."""
    out = _OID_ELEMENTS.get(oid)
    if out is None:
        out = tlv(0x06, encode_oid(oid))
        if len(_OID_ELEMENTS) >= _OID_ELEMENTS_MAX:
            _OID_ELEMENTS.clear()
        _OID_ELEMENTS[oid] = out
    return out


def atv_der(attribute: NameAttribute) -> bytes:
    """Return the DER AttributeTypeAndValue of an attribute (the order of an RDN's SET)."""
    return tlv(0x30, oid_element(attribute.oid) + attribute.encoded)


# -- reading a value ------------------------------------------------------------------------

#: ``make_attribute(oid, value, string_type, encoded)``, without ``__init__``'s checks.
make_attribute = maker(NameAttribute)
_TIMES = {23: decode_utc_time, 24: decode_generalized_time}
# String types read by their checker alone (not BIT STRING, OCTET STRING
# or times, which have their own rules below).
PLAIN_STRINGS = {n: STRING_TYPES[n].check for n in TYPE_NAMES
                  if n in STRING_TYPES and n not in (3, 4, 23, 24)}


def read_attribute_value(src: Source, oid: str, start: int, end: int, depth: int) -> NameAttribute:
    """Return the attribute whose value element is ``buf[start:end]``, checking the value.

    Raises DecodeError for a value that breaks its type's rules, then (or,
    lenient, records a deviation) for a value type the attribute type does
    not allow (``unexpected-tag``, at ``start``).  The value is checked as
    DER first, so that an error inside it is reported where it is.
    """
    buf = src.buf
    tag = buf[start]
    allowed = VALUE_TAGS.get(oid)
    if tag in PLAIN_STRINGS and buf[start + 1] < 0x80:
        # The common case first: a short string whose text its checker gives.
        text = PLAIN_STRINGS[tag](buf, start + 2, end, src.ctx)
        if allowed is not None and tag not in allowed:
            _refuse_type(src, oid, start, end)
        return make_attribute(oid, text, TYPE_NAMES[tag], buf[start:end])
    attribute = _read_value(src, oid, start, end, depth)
    if allowed is not None:
        if tag not in allowed:
            _refuse_type(src, oid, start, end)
        elif tag == 0x30:
            _check_postal_lines(src, start, end)
    return attribute


def _read_value(src: Source, oid: str, start: int, end: int, depth: int) -> NameAttribute:
    """Return the attribute of any value element, checked as its type (or as DER)."""
    buf = src.buf
    ctx = src.ctx
    tag = buf[start]
    if tag < 0x1F and buf[start + 1] < 0x80:
        c = start + 2
        e = end
        # Short-form header: the element is already in canonical form.
        encoded = buf[start:end]
    else:
        tag, c, e = read_header(buf, start, end, ctx)
        if tag < 0x1F and c - start != 1 + len(encode_length(e - c)):
            # Lenient mode: a length in a longer form than DER's, written as DER.
            encoded = tlv(tag, buf[c:e])
        else:
            encoded = buf[start:end]
    type_name = TYPE_NAMES.get(tag)
    if type_name is None:
        validate_content(buf, tag, start, c, e, ctx, depth)
        return make_attribute(oid, buf[start:end], "DER", buf[start:end])
    if tag == 3:
        decode_bit_string(buf, c, e, ctx)
        return make_attribute(oid, buf[c:e], type_name, encoded)
    if tag in (4, 23, 24):
        if tag != 4:
            _TIMES[tag](buf, c, e, ctx)
        contents = buf[c:e]
        try:
            text = contents.decode("utf-8")
        except UnicodeDecodeError:
            if tag == 4:
                return make_attribute(oid, buf[start:end], "DER", buf[start:end])
            text = contents.decode("latin-1")
        return make_attribute(oid, text, type_name, encoded)
    return make_attribute(oid, STRING_TYPES[tag].check(buf, c, e, ctx), type_name, encoded)


def _refuse_type(src: Source, oid: str, start: int, end: int) -> None:
    """Raise (strict) or record (lenient) an attribute value of a type its standard refuses."""
    key = src.buf[start]
    if key & 0x1F == 0x1F:
        key = read_header(src.buf, start, end, src.ctx)[0]
    found = _type_text(key)
    src.ctx.deviate("unexpected-tag", start,
                    f"{found} as {oids.name_of(oid)}, which takes {value_tags_text(oid)}")


def _check_postal_lines(src: Source, start: int, end: int) -> None:
    """Check a postalAddress: a SEQUENCE SIZE (1..6) OF DirectoryString (X.520 6.6.1).

    Each line's type is checked here (raise, or record in lenient mode); the
    encoding of the whole is checked as DER by the caller.
    """
    buf = src.buf
    ctx = src.ctx
    _, pos, e = read_header(buf, start, end, ctx)
    lines = 0
    if pos == e:
        ctx.deviate("constraint", start,
                    f"postalAddress without a line (SIZE (1..{_POSTAL_LINES}))")
    while pos < e:
        key, _, ce = read_header(buf, pos, e, ctx)
        if key not in POSTAL_LINE_TAGS:
            ctx.deviate("unexpected-tag", pos, f"{_type_text(key)} as a postalAddress line, "
                                                "which is a DirectoryString")
        lines += 1
        if lines == _POSTAL_LINES + 1:
            ctx.deviate("constraint", pos, f"postalAddress of more than {_POSTAL_LINES} lines")
        pos = ce


# X.520 6.6.1: ub-postal-line.
_POSTAL_LINES = 6
_UNIVERSAL_NAMES = {1: "BOOLEAN", 2: "INTEGER", 5: "NULL", 6: "OBJECT IDENTIFIER",
                    9: "REAL", 10: "ENUMERATED", 0x30: "SEQUENCE", 0x31: "SET"}


def _type_text(key: int) -> str:
    """Return the name of a value's type for a message (``INTEGER``, ``[0]``...)."""
    return TYPE_NAMES.get(key) or _UNIVERSAL_NAMES.get(key) or describe_tag(key)
