"""Microsoft enrollment attributes, as Windows clients put them in requests (MS-WCCE 2.2.2.7).

================================  ===========================================================
attribute (OID)                   value
================================  ===========================================================
msOsVersion                       the client's OS version, an IA5String (2.2.2.7.5):
(1.3.6.1.4.1.311.13.2.3)          a :class:`~csrlib.model.attributes.StringValue`
msRequestClientInfo               :class:`ClientInformation`: SEQUENCE { clientId INTEGER,
(1.3.6.1.4.1.311.21.20)           MachineName, UserName, ProcessName UTF8String } (2.2.2.7.4)
msEnrollmentCsp                   :class:`CspInformation`: SEQUENCE { keySpec INTEGER,
(1.3.6.1.4.1.311.13.2.2)          cspName BMPString, signature BIT STRING } (2.2.2.7.2)
msEnrollmentNameValuePair         :class:`NameValuePair`: SEQUENCE { name, value BMPString },
(1.3.6.1.4.1.311.13.2.1)          one per attribute value as certreq writes them (2.2.2.7.10)
================================  ===========================================================

Reading never refuses these: their values are checked as DER at load like
any attribute's, and a value that does not have the shape above stays its
DER octets (``bytes``).  Each class writes its value with ``to_der()``, for
``CertificateRequestBuilder.add_attribute``.
"""

from __future__ import annotations

from ..der.primitives import decode_integer, encode_integer
from ..der.strings import STRING_TYPES, encode_string
from ..der.tlv import DEFAULT_LIMITS, Context, read_header, tlv
from ..errors import BuildError, DecodeError, EncodeError, int_text
from ..frozen import frozen

__all__ = ["MS_ATTRIBUTE_TYPES", "ClientInformation", "CspInformation", "NameValuePair",
           "read_ms_value"]

OS_VERSION = "1.3.6.1.4.1.311.13.2.3"
CLIENT_INFORMATION = "1.3.6.1.4.1.311.21.20"
CSP_INFORMATION = "1.3.6.1.4.1.311.13.2.2"
NAME_VALUE_PAIR = "1.3.6.1.4.1.311.13.2.1"
#: The attribute types this module types.
MS_ATTRIBUTE_TYPES = frozenset((OS_VERSION, CLIENT_INFORMATION, CSP_INFORMATION,
                                NAME_VALUE_PAIR))

_INTEGER, _BIT_STRING, _UTF8, _IA5, _BMP, _SEQUENCE = 0x02, 0x03, 0x0C, 0x16, 0x1E, 0x30


def _text(tag: int, value: str) -> bytes:
    try:
        return tlv(tag, encode_string(tag, value))
    except EncodeError as exc:
        raise BuildError(str(exc)) from None


@frozen
class ClientInformation:
    """msRequestClientInfo: which client made the request, on which machine, for whom."""

    client_id: int
    machine_name: str
    user_name: str
    process_name: str

    def __repr__(self) -> str:
        return (f"ClientInformation(client_id={int_text(self.client_id)}, "
                f"machine_name={self.machine_name!r}, user_name={self.user_name!r}, "
                f"process_name={self.process_name!r})")

    def to_der(self) -> bytes:
        """Return the DER SEQUENCE; raise BuildError for text UTF-8 cannot carry."""
        return tlv(_SEQUENCE, tlv(_INTEGER, encode_integer(self.client_id))
                   + _text(_UTF8, self.machine_name) + _text(_UTF8, self.user_name)
                   + _text(_UTF8, self.process_name))


@frozen
class CspInformation:
    """msEnrollmentCsp: the key's cryptographic provider (``signature`` is usually empty)."""

    key_spec: int
    csp_name: str
    signature: bytes = b""

    def __repr__(self) -> str:
        return (f"CspInformation(key_spec={int_text(self.key_spec)}, "
                f"csp_name={self.csp_name!r}, signature=<{len(self.signature)} octets>)")

    def to_der(self) -> bytes:
        """Return the DER SEQUENCE (the signature a BIT STRING of whole octets)."""
        return tlv(_SEQUENCE, tlv(_INTEGER, encode_integer(self.key_spec))
                   + _text(_BMP, self.csp_name) + tlv(_BIT_STRING, b"\x00" + self.signature))


@frozen
class NameValuePair:
    """msEnrollmentNameValuePair: one ``name=value`` for the CA (``CertificateTemplate``...)."""

    name: str
    value: str

    def to_der(self) -> bytes:
        """Return the DER SEQUENCE of two BMPStrings."""
        return tlv(_SEQUENCE, _text(_BMP, self.name) + _text(_BMP, self.value))


MsValue = ClientInformation | CspInformation | NameValuePair | str

def read_ms_value(oid: str, der: bytes) -> MsValue | None:
    """Return the typed value of one value element of a Microsoft attribute, or None.

    None when ``der`` does not have the attribute's shape (see the module
    docstring); an OS version comes back as its text.
    """
    # The value was checked as DER when the request loaded (or by the
    # builder): read again leniently, in a context of its own.
    ctx = Context(DEFAULT_LIMITS, strict=False)
    try:
        fields = _fields(der, ctx)
        if oid == OS_VERSION:
            return _string(der, 0, _IA5, ctx) if der[0] == _IA5 else None
        if fields is None:
            return None
        tags = [der[pos] for pos in fields]
        if oid == CLIENT_INFORMATION and tags == [_INTEGER, _UTF8, _UTF8, _UTF8]:
            return ClientInformation(_integer(der, fields[0], ctx),
                                     *(_string(der, p, _UTF8, ctx) for p in fields[1:]))
        if oid == CSP_INFORMATION and tags == [_INTEGER, _BMP, _BIT_STRING]:
            _, c, e = read_header(der, fields[2], len(der), ctx)
            if c == e or der[c] != 0:
                return None  # a signature of whole octets only
            return CspInformation(_integer(der, fields[0], ctx),
                                  _string(der, fields[1], _BMP, ctx), der[c + 1:e])
        if oid == NAME_VALUE_PAIR and tags == [_BMP, _BMP]:
            return NameValuePair(_string(der, fields[0], _BMP, ctx),
                                 _string(der, fields[1], _BMP, ctx))
    except DecodeError:
        return None
    return None


def _fields(der: bytes, ctx: Context) -> list[int] | None:
    """Return where each element of the SEQUENCE ``der`` starts, or None if not one."""
    if not der or der[0] != _SEQUENCE:
        return None
    _, pos, end = read_header(der, 0, len(der), ctx)
    if end != len(der):
        return None
    out = []
    while pos < end:
        out.append(pos)
        pos = read_header(der, pos, end, ctx)[2]
    return out


def _integer(der: bytes, pos: int, ctx: Context) -> int:
    _, c, e = read_header(der, pos, len(der), ctx)
    return decode_integer(der, c, e, ctx)


def _string(der: bytes, pos: int, tag: int, ctx: Context) -> str:
    _, c, e = read_header(der, pos, len(der), ctx)
    return STRING_TYPES[tag].check(der, c, e, ctx)
