"""GeneralName (RFC 5280 4.2.1.6): one class per form, read from plain decoded values."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .der.primitives import encode_oid
from .der.strings import encode_string
from .der.tlv import tlv
from .errors import BuildError, EncodeError
from .hostnames import check_dns_name, check_email, check_uri, dns_name_to_ascii, email_to_ascii
from .name import Name
from .name_read import read_name
from .parsing import Path, Source, path_text
from .records import maker

__all__ = [
    "DNSName",
    "DirectoryName",
    "EDIPartyName",
    "GeneralName",
    "IPAddress",
    "OtherName",
    "RFC822Name",
    "RegisteredID",
    "UniformResourceIdentifier",
    "X400Address",
    "check_general_names",
    "parse_general_name",
    "read_general_names",
]


class GeneralName:
    """Base of the GeneralName forms; ``to_der()`` gives the tagged element."""

    __slots__ = ()
    #: The form's name in RFC 5280 and in the ``type:value`` strings the builder and CLI take.
    kind: str = ""

    def to_der(self) -> bytes:
        """Return the DER of this name as a GeneralName alternative."""
        raise NotImplementedError


def _ia5(number: int, value: str) -> bytes:
    try:
        return tlv(0x80 | number, encode_string(22, value))
    except EncodeError as exc:
        raise BuildError(str(exc)) from None


@dataclass(frozen=True, slots=True)
class DNSName(GeneralName):
    """dNSName [2] IA5String."""

    value: str
    kind = "DNS"

    def to_der(self) -> bytes:
        """Return ``[2] IA5String``."""
        return _ia5(2, self.value)


@dataclass(frozen=True, slots=True)
class RFC822Name(GeneralName):
    """rfc822Name [1] IA5String (an email address)."""

    value: str
    kind = "email"

    def to_der(self) -> bytes:
        """Return ``[1] IA5String``."""
        return _ia5(1, self.value)


@dataclass(frozen=True, slots=True)
class UniformResourceIdentifier(GeneralName):
    """uniformResourceIdentifier [6] IA5String."""

    value: str
    kind = "URI"

    def to_der(self) -> bytes:
        """Return ``[6] IA5String``."""
        return _ia5(6, self.value)


@dataclass(frozen=True, slots=True)
class IPAddress(GeneralName):
    """iPAddress [7] OCTET STRING: an IPv4 or IPv6 address."""

    value: ipaddress.IPv4Address | ipaddress.IPv6Address
    kind = "IP"

    def to_der(self) -> bytes:
        """Return ``[7] OCTET STRING`` of the address octets."""
        return tlv(0x87, self.value.packed)


@dataclass(frozen=True, slots=True)
class RegisteredID(GeneralName):
    """registeredID [8] OBJECT IDENTIFIER."""

    value: str
    kind = "RID"

    def to_der(self) -> bytes:
        """Return ``[8] OBJECT IDENTIFIER``."""
        return tlv(0x88, encode_oid(self.value))


@dataclass(frozen=True, slots=True)
class DirectoryName(GeneralName):
    """directoryName [4] Name."""

    value: Name
    kind = "dirName"

    def to_der(self) -> bytes:
        """Return ``[4] EXPLICIT Name``."""
        return tlv(0xA4, self.value.to_der())


@dataclass(frozen=True, slots=True)
class OtherName(GeneralName):
    """otherName [0]: a type OID and the DER of its value."""

    type_id: str
    value: bytes
    kind = "otherName"

    def to_der(self) -> bytes:
        """Return ``[0] { type-id, [0] EXPLICIT value }``."""
        return tlv(0xA0, tlv(0x06, encode_oid(self.type_id)) + tlv(0xA0, self.value))


@dataclass(frozen=True, slots=True)
class X400Address(GeneralName):
    """x400Address [3], kept as its DER."""

    der: bytes = field(repr=False)
    kind = "x400Address"

    def to_der(self) -> bytes:
        """Return the element as received."""
        return self.der


@dataclass(frozen=True, slots=True)
class EDIPartyName(GeneralName):
    """ediPartyName [5], kept as its DER."""

    der: bytes = field(repr=False)
    kind = "ediPartyName"

    def to_der(self) -> bytes:
        """Return the element as received."""
        return self.der


def check_general_names(names: Iterable[GeneralName]) -> None:
    """Return None if every name may be written into a request; raise BuildError otherwise.

    The builder's check (reading never runs it): DNS names, email addresses
    and URIs by the rules of :mod:`csrlib.hostnames`; the other forms were
    checked when they were made, or are DER kept as given.
    """
    for name in names:
        if isinstance(name, DNSName):
            check_dns_name(name.value)
        elif isinstance(name, RFC822Name):
            check_email(name.value)
        elif isinstance(name, UniformResourceIdentifier):
            check_uri(name.value)


_FORMS = {"dns": "DNS", "ip": "IP", "email": "email", "uri": "URI", "rid": "RID",
          "dirname": "dirName", "othername": "otherName"}


def parse_general_name(text: str) -> GeneralName:
    """Return the name of an OpenSSL-style ``type:value`` string.

    ``DNS:example.com`` (a non-ASCII name as A-labels: UTS #46 and IDNA 2008),
    ``IP:192.0.2.1`` or ``IP:2001:db8::1``, ``email:a@example.com`` (its
    domain converted likewise), ``URI:https://example.com/``, ``RID:1.2.3.4``,
    ``dirName:CN=x,O=y`` (RFC 4514).  DNS names, email addresses and URIs are
    checked (:mod:`csrlib.hostnames`).  Raises BuildError otherwise.
    """
    kind, sep, value = text.partition(":")
    form = _FORMS.get(kind.strip().lower())
    if not sep or form is None or form == "otherName":
        raise BuildError(f"expected DNS:, IP:, email:, URI:, RID: or dirName: in {text!r}")
    if not value:
        raise BuildError(f"empty value in {text!r}")
    if form == "DNS":
        return DNSName(dns_name_to_ascii(value))
    if form == "IP":
        try:
            return IPAddress(ipaddress.ip_address(value))
        except ValueError:
            raise BuildError(f"not an IP address: {value!r}") from None
    if form == "email":
        return RFC822Name(email_to_ascii(value))
    if form == "URI":
        check_uri(value)
        return UniformResourceIdentifier(value)
    if form == "RID":
        try:
            encode_oid(value)
        except EncodeError:
            raise BuildError(f"not an OID: {value!r}") from None
        return RegisteredID(value)
    return DirectoryName(Name.from_rfc4514(value))


_dns = maker(DNSName)
_ip = maker(IPAddress)


#: Depth of a GeneralNames element in a request, for the names inside it:
#: CertificationRequest > info > attributes > Attribute > SET > Extensions >
#: Extension > OCTET STRING > GeneralNames (one more inside an
#: authorityKeyIdentifier; counted so, the limit errs on the strict side).
_GENERAL_NAMES_DEPTH = 9


def read_general_names(
    src: Source, names: list[tuple[str, Any]], offset: int, path: Path
) -> tuple[GeneralName, ...]:
    """Return the GeneralName objects of plain decoded GeneralNames.

    DNS names, email addresses and URIs are kept as the request holds them,
    valid or not: :func:`check_general_names` is for building, not reading.
    """
    out: list[GeneralName] = []
    for i, (form, value) in enumerate(names):
        if form == "dNSName":
            out.append(_dns(value))
        elif form == "rfc822Name":
            out.append(RFC822Name(value))
        elif form == "uniformResourceIdentifier":
            out.append(UniformResourceIdentifier(value))
        elif form == "iPAddress":
            # RFC 5280 4.2.1.6: four octets for IPv4, sixteen for IPv6.
            if len(value) not in (4, 16):
                raise src.fail("bad-extension", offset, (path, i),
                               f"iPAddress of {len(value)} octets")
            address = (ipaddress.IPv4Address if len(value) == 4 else ipaddress.IPv6Address)(value)
            out.append(_ip(address))
        elif form == "registeredID":
            out.append(RegisteredID(value))
        elif form == "directoryName":
            out.append(DirectoryName(read_name(src, value, _GENERAL_NAMES_DEPTH + 2,
                                                      path_text((path, i)))))
        elif form == "otherName":
            type_id, (raw, _, _) = value
            out.append(OtherName(type_id, raw))
        else:
            raw, start, end = value
            cls = X400Address if form == "x400Address" else EDIPartyName
            out.append(cls(src.buf[start:end]))
    return tuple(out)
