"""More typed extensions seen in requests: name constraints, TLS feature, AIA, CRL
distribution points, and Microsoft's certificate template and template name.

Each is read from the extension's octets with csrlib's strict DER reader
(:func:`read_more_extension`).  A value that is not DER of its type, or
holds a name form csrlib does not type here (dirName, otherName, x400Address,
ediPartyName), stays an :class:`~csrlib.model.extensions.UnrecognizedExtension`
with its exact octets, in strict mode too: before these types existed such
requests loaded, and they still do (a linter may report the value).
"""

from __future__ import annotations

import ipaddress
from typing import ClassVar

from .. import oids
from ..der.primitives import (
    decode_bit_string,
    decode_integer,
    decode_oid,
    encode_integer,
    encode_oid,
)
from ..der.strings import decode_string, encode_string
from ..der.tlv import Context, Element, Reader, tlv
from ..errors import BuildError, DecodeError, EncodeError
from ..frozen import frozen
from .extensions import ExtensionValue
from .general_names import (
    DNSName,
    GeneralName,
    IPAddress,
    RegisteredID,
    RFC822Name,
    UniformResourceIdentifier,
)

__all__ = [
    "AccessDescription",
    "AuthorityInformationAccess",
    "CRLDistributionPoints",
    "CertificateTemplate",
    "CertificateTemplateName",
    "DistributionPoint",
    "GeneralSubtree",
    "IPNetworkName",
    "MORE_OIDS",
    "NameConstraints",
    "TLSFeature",
    "read_more_extension",
]

MS_CERTIFICATE_TEMPLATE_NAME = oids.MS_CERTIFICATE_TEMPLATE_NAME
MS_CERTIFICATE_TEMPLATE = oids.MS_CERTIFICATE_TEMPLATE
AUTHORITY_INFO_ACCESS = oids.AUTHORITY_INFO_ACCESS
CRL_DISTRIBUTION_POINTS = oids.CRL_DISTRIBUTION_POINTS
#: TLS feature extension values by number (RFC 7633; IANA TLS ExtensionType).
TLS_FEATURES = {5: "status_request", 17: "status_request_v2"}
#: Access methods by OID (RFC 5280 4.2.2.1).
ACCESS_METHODS = {"1.3.6.1.5.5.7.48.1": "OCSP", "1.3.6.1.5.5.7.48.2": "CA Issuers"}
#: ReasonFlags bit names (RFC 5280 4.2.1.13).
REASONS = ("unused", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
           "cessationOfOperation", "certificateHold", "privilegeWithdrawn", "aACompromise")


@frozen
class IPNetworkName(GeneralName):
    """iPAddress [7] as an address and mask, as in name constraints (RFC 5280 4.2.1.10)."""

    value: ipaddress.IPv4Network | ipaddress.IPv6Network
    kind = "IP"

    def to_der(self) -> bytes:
        """Return the [7] element: the address, then the mask."""
        return tlv(0x87, self.value.network_address.packed + self.value.netmask.packed)


def _seq(items: bytes) -> bytes:
    return tlv(0x30, items)


@frozen
class TLSFeature(ExtensionValue):
    """TLS feature (RFC 7633): TLS extension numbers; ``(5,)`` is must-staple."""

    oid: ClassVar[str] = oids.TLS_FEATURE
    features: tuple[int, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Return the features by name (``status_request``), else their number as text."""
        return tuple(TLS_FEATURES.get(f, str(f)) if f < 1 << 16 else "?" for f in self.features)

    def to_der(self) -> bytes:
        """Return the DER SEQUENCE OF INTEGER."""
        return _seq(b"".join(tlv(0x02, encode_integer(f)) for f in self.features))

    def check(self) -> None:
        """Raise BuildError for no feature or one outside 0..65535."""
        if not self.features or not all(0 <= f < 1 << 16 for f in self.features):
            raise BuildError("TLS feature needs TLS extension numbers 0..65535")


@frozen
class CertificateTemplateName(ExtensionValue):
    """Microsoft's certificate template name (1.3.6.1.4.1.311.20.2): a BMPString."""

    oid: ClassVar[str] = MS_CERTIFICATE_TEMPLATE_NAME
    name: str

    def to_der(self) -> bytes:
        """Return the BMPString; raise BuildError for text it cannot hold."""
        try:
            return tlv(0x1E, encode_string(0x1E, self.name))
        except EncodeError as exc:
            raise BuildError(str(exc)) from None


@frozen
class CertificateTemplate(ExtensionValue):
    """Microsoft's certificate template (1.3.6.1.4.1.311.21.7): OID and versions."""

    oid: ClassVar[str] = MS_CERTIFICATE_TEMPLATE
    template: str
    major_version: int
    minor_version: int | None = None

    def to_der(self) -> bytes:
        """Return the DER SEQUENCE { templateID, templateMajorVersion, templateMinorVersion }."""
        minor = b"" if self.minor_version is None else tlv(0x02, encode_integer(self.minor_version))
        return _seq(tlv(0x06, encode_oid(self.template))
                    + tlv(0x02, encode_integer(self.major_version)) + minor)


@frozen
class GeneralSubtree:
    """One subtree of a name constraint: base name, minimum (0) and maximum distance."""

    base: GeneralName
    minimum: int = 0
    maximum: int | None = None

    def to_der(self) -> bytes:
        """Return the DER GeneralSubtree (minimum 0 left out, X.690 11.5)."""
        return _seq(self.base.to_der()
                    + (tlv(0x80, encode_integer(self.minimum)) if self.minimum else b"")
                    + (b"" if self.maximum is None else tlv(0x81, encode_integer(self.maximum))))


@frozen
class NameConstraints(ExtensionValue):
    """nameConstraints (RFC 5280 4.2.1.10): permitted and excluded subtrees."""

    oid: ClassVar[str] = oids.NAME_CONSTRAINTS
    permitted: tuple[GeneralSubtree, ...] | None = None
    excluded: tuple[GeneralSubtree, ...] | None = None

    def to_der(self) -> bytes:
        """Return the DER NameConstraints."""
        out = b""
        for key, trees in ((0xA0, self.permitted), (0xA1, self.excluded)):
            if trees is not None:
                out += tlv(key, b"".join(t.to_der() for t in trees))
        return _seq(out)

    def check(self) -> None:
        """Raise BuildError when neither list is given, or one is empty."""
        if (self.permitted is None and self.excluded is None) or self.permitted == () or \
                self.excluded == ():
            raise BuildError("nameConstraints needs a non-empty permitted or excluded list")


@frozen
class AccessDescription:
    """One access description: method OID and location (RFC 5280 4.2.2.1)."""

    method: str
    location: GeneralName

    @property
    def method_name(self) -> str:
        """Return ``OCSP``, ``CA Issuers`` or the method's OID."""
        return ACCESS_METHODS.get(self.method, self.method)


@frozen
class AuthorityInformationAccess(ExtensionValue):
    """authorityInfoAccess (RFC 5280 4.2.2.1)."""

    oid: ClassVar[str] = AUTHORITY_INFO_ACCESS
    descriptions: tuple[AccessDescription, ...]

    def to_der(self) -> bytes:
        """Return the DER AuthorityInfoAccessSyntax."""
        return _seq(b"".join(_seq(tlv(0x06, encode_oid(d.method)) + d.location.to_der())
                             for d in self.descriptions))


@frozen
class DistributionPoint:
    """One CRL distribution point (RFC 5280 4.2.1.13); ``full_name`` names only here."""

    full_name: tuple[GeneralName, ...] | None = None
    reasons: tuple[str, ...] | None = None
    crl_issuer: tuple[GeneralName, ...] | None = None

    def to_der(self) -> bytes:
        """Return the DER DistributionPoint."""
        out = b""
        if self.full_name is not None:
            out += tlv(0xA0, tlv(0xA0, b"".join(n.to_der() for n in self.full_name)))
        if self.reasons is not None:
            value = 0
            for name in self.reasons:
                value |= 1 << (15 - REASONS.index(name))
            from ..der.primitives import encode_bit_string

            out += tlv(0x81, encode_bit_string(value.to_bytes(2, "big"), 0, named=True))
        if self.crl_issuer is not None:
            out += tlv(0xA2, b"".join(n.to_der() for n in self.crl_issuer))
        return _seq(out)


@frozen
class CRLDistributionPoints(ExtensionValue):
    """cRLDistributionPoints (RFC 5280 4.2.1.13)."""

    oid: ClassVar[str] = CRL_DISTRIBUTION_POINTS
    points: tuple[DistributionPoint, ...]

    def to_der(self) -> bytes:
        """Return the DER CRLDistributionPoints."""
        return _seq(b"".join(p.to_der() for p in self.points))


# -- reading ---------------------------------------------------------------------------


class _Untyped(Exception):
    """A value csrlib keeps as octets: a name form not typed here."""


def _name(r: Reader, e: Element, subtree: bool = False) -> GeneralName:
    buf = bytes(r.raw(e))
    c, end = e.start - e.offset, e.end - e.offset
    ctx = r.context
    if e.key in (0x81, 0x82, 0x86):
        text = decode_string(22, buf, c, end, ctx)
        return {0x81: RFC822Name, 0x82: DNSName, 0x86: UniformResourceIdentifier}[e.key](text)
    if e.key == 0x87:
        octets = buf[c:end]
        if subtree and len(octets) in (8, 32):
            half = len(octets) // 2
            address = ipaddress.ip_address(octets[:half])
            mask = ipaddress.ip_address(octets[half:])
            try:
                network = ipaddress.ip_network(f"{address}/{mask}")
            except ValueError:
                raise _Untyped from None
            if network.network_address.packed + network.netmask.packed != octets:
                raise _Untyped
            return IPNetworkName(network)
        if not subtree and len(octets) in (4, 16):
            return IPAddress(ipaddress.ip_address(octets))
        raise _Untyped
    if e.key == 0x88:
        return RegisteredID(decode_oid(buf, c, end, ctx)[0])
    raise _Untyped


def _names(r: Reader) -> tuple[GeneralName, ...]:
    out = []
    while not r.at_end:
        out.append(_name(r, r.read()))
    if not out:
        raise _Untyped
    return tuple(out)


def _int(r: Reader, e: Element) -> int:
    buf = bytes(r.raw(e))
    return decode_integer(buf, e.start - e.offset, e.end - e.offset, r.context)


def _tls_feature(r: Reader) -> ExtensionValue:
    seq = r.enter(r.read(0x30))
    features = []
    while not seq.at_end:
        value = _int(seq, seq.read(0x02))
        if not 0 <= value < 1 << 16:
            raise _Untyped
        features.append(value)
    return TLSFeature(tuple(features))


def _template_name(r: Reader) -> ExtensionValue:
    e = r.read(0x1E)
    buf = bytes(r.raw(e))
    return CertificateTemplateName(decode_string(0x1E, buf, e.start - e.offset,
                                                 e.end - e.offset, r.context))


def _template(r: Reader) -> ExtensionValue:
    seq = r.enter(r.read(0x30))
    e = seq.read(0x06)
    buf = bytes(seq.raw(e))
    template = decode_oid(buf, e.start - e.offset, e.end - e.offset, seq.context)[0]
    major = _int(seq, seq.read(0x02))
    minor = None if seq.at_end else _int(seq, seq.read(0x02))
    seq.finish()
    return CertificateTemplate(template, major, minor)


def _subtrees(r: Reader) -> tuple[GeneralSubtree, ...]:
    out = []
    while not r.at_end:
        tree = r.enter(r.read(0x30))
        base = _name(tree, tree.read(), subtree=True)
        minimum = 0
        maximum = None
        if tree.peek() == 0x80:
            minimum = _int(tree, tree.read(0x80))
            if minimum == 0:
                raise _Untyped  # an encoded DEFAULT is not DER
        if tree.peek() == 0x81:
            maximum = _int(tree, tree.read(0x81))
        tree.finish()
        out.append(GeneralSubtree(base, minimum, maximum))
    if not out:
        raise _Untyped
    return tuple(out)


def _name_constraints(r: Reader) -> ExtensionValue:
    seq = r.enter(r.read(0x30))
    permitted = _subtrees(seq.enter(seq.read(0xA0))) if seq.peek() == 0xA0 else None
    excluded = _subtrees(seq.enter(seq.read(0xA1))) if seq.peek() == 0xA1 else None
    seq.finish()
    if permitted is None and excluded is None:
        raise _Untyped
    return NameConstraints(permitted, excluded)


def _aia(r: Reader) -> ExtensionValue:
    seq = r.enter(r.read(0x30))
    out = []
    while not seq.at_end:
        d = seq.enter(seq.read(0x30))
        e = d.read(0x06)
        buf = bytes(d.raw(e))
        method = decode_oid(buf, e.start - e.offset, e.end - e.offset, d.context)[0]
        out.append(AccessDescription(method, _name(d, d.read())))
        d.finish()
    if not out:
        raise _Untyped
    return AuthorityInformationAccess(tuple(out))


def _crl_dp(r: Reader) -> ExtensionValue:
    seq = r.enter(r.read(0x30))
    out = []
    while not seq.at_end:
        p = seq.enter(seq.read(0x30))
        full = reasons = issuer = None
        if p.peek() == 0xA0:
            dp = p.enter(p.read(0xA0))
            full = _names(dp.enter(dp.read(0xA0)))  # a nameRelativeToCRLIssuer stays octets
            dp.finish()
        if p.peek() == 0x81:
            e = p.read(0x81)
            buf = bytes(p.raw(e))
            data, unused = decode_bit_string(buf, e.start - e.offset, e.end - e.offset,
                                             p.context, named=True)
            nbits = len(data) * 8 - unused
            if nbits > len(REASONS):
                raise _Untyped
            reasons = tuple(name for i, name in enumerate(REASONS)
                            if i < nbits and data[i // 8] & (0x80 >> (i % 8)))
        if p.peek() == 0xA2:
            issuer = _names(p.enter(p.read(0xA2)))
        p.finish()
        out.append(DistributionPoint(full, reasons, issuer))
    if not out:
        raise _Untyped
    return CRLDistributionPoints(tuple(out))


_READERS = {
    oids.TLS_FEATURE: _tls_feature,
    MS_CERTIFICATE_TEMPLATE_NAME: _template_name,
    MS_CERTIFICATE_TEMPLATE: _template,
    oids.NAME_CONSTRAINTS: _name_constraints,
    AUTHORITY_INFO_ACCESS: _aia,
    CRL_DISTRIBUTION_POINTS: _crl_dp,
}


#: The extensions this module types.
MORE_OIDS = frozenset(_READERS)


def read_more_extension(oid: str, value: bytes) -> ExtensionValue | None:
    """Return the typed value of one of this module's extensions, or None.

    None for another OID, and for a value that is not strict DER of its type
    or holds a form csrlib does not type here: the caller keeps its octets.
    """
    read = _READERS.get(oid)
    if read is None:
        return None
    try:
        r = Reader(value, context=Context())
        typed = read(r)
        r.finish()
    except (DecodeError, _Untyped, ValueError, IndexError):
        return None
    # Kept only if it writes back the very octets it was read from.
    return typed if typed.to_der() == value else None
