"""Requested extensions: typed values for the common ones, the rest kept as received.

``Extension(oid, critical, value)`` where ``value`` is a
:class:`SubjectAlternativeName`, :class:`IssuerAlternativeName`,
:class:`KeyUsage`, :class:`ExtendedKeyUsage`, :class:`BasicConstraints`,
:class:`SubjectKeyIdentifier`, :class:`AuthorityKeyIdentifier`, :class:`CertificatePolicies` or an
:class:`UnrecognizedExtension` holding the raw extnValue.

The collections a value holds (names, purposes, policies, qualifiers) are
sequences: a tuple when built, and when loaded a tuple too unless there
are more than :data:`csrlib.model.lazy.EAGER_MAX` elements, then a
:class:`~csrlib.model.lazy.LazySequence` read from the request's octets when used
(it compares and hashes as the tuple of its elements).  csrlib is 0.x: the
fields were typed ``tuple`` before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import ClassVar, TypeVar, overload

from .. import oids
from ..der.primitives import encode_bit_string, encode_integer, encode_oid
from ..der.tlv import tlv
from ..errors import BuildError, bytes_text, int_text
from ..frozen import field, frozen
from .general_names import GeneralName, parse_general_name
from .lazy import LazySequence

__all__ = [
    "AuthorityKeyIdentifier",
    "BasicConstraints",
    "CertificatePolicies",
    "ExtendedKeyUsage",
    "Extension",
    "ExtensionValue",
    "Extensions",
    "IssuerAlternativeName",
    "KEY_USAGE_NAMES",
    "KeyUsage",
    "PolicyInformation",
    "SubjectAlternativeName",
    "SubjectKeyIdentifier",
    "UnrecognizedExtension",
]


class ExtensionValue:
    """Base of extension values; ``oid`` names the extension type.

    ``to_der()`` encodes whatever the value holds, so a value read from a
    request (which may break a rule of RFC 5280 that DER does not) can
    always be written back; ``check()`` is what the builder asks of a value
    it is given.
    """

    __slots__ = ()
    oid: ClassVar[str] = ""

    def to_der(self) -> bytes:
        """Return the DER of the value (the contents of extnValue)."""
        raise NotImplementedError

    def check(self) -> None:
        """Return None if a request may ask for this value; raise BuildError otherwise."""


@frozen
class SubjectAlternativeName(ExtensionValue):
    """subjectAltName (RFC 5280 4.2.1.6).

    ``names`` is a tuple, or a LazySequence when loaded with many names
    (see the module docstring).
    """

    oid: ClassVar[str] = oids.SUBJECT_ALT_NAME
    names: Sequence[GeneralName]

    def __iter__(self) -> Iterator[GeneralName]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    @classmethod
    def from_strings(cls, names: Sequence[str]) -> SubjectAlternativeName:
        """Return the names of ``type:value`` strings (``DNS:example.com``, ``IP:192.0.2.1``,
        ``email:a@example.com``, ``URI:https://x``, ``RID:1.2.3``, ``dirName:CN=x``).

        Non-ASCII DNS names and email domains are converted with UTS #46 and
        IDNA 2008; DNS names, email addresses and URIs are checked
        (:mod:`csrlib.model.hostnames`).  Raises BuildError for a malformed string
        or name.
        """
        if isinstance(names, str):
            raise BuildError("from_strings takes a list of strings")
        return cls(tuple(map(parse_general_name, names)))

    def to_der(self) -> bytes:
        """Return the DER GeneralNames."""
        return tlv(0x30, b"".join([n.to_der() for n in self.names]))

    def check(self) -> None:
        """Raise BuildError for an empty list (GeneralNames is SIZE 1..MAX, RFC 5280 4.2.1.6)."""
        if not self.names:
            raise BuildError("subjectAltName needs at least one name")


@frozen
class IssuerAlternativeName(ExtensionValue):
    """issuerAltName (RFC 5280 4.2.1.7): odd in a request, but read like subjectAltName.

    ``names`` as in :class:`SubjectAlternativeName`.
    """

    oid: ClassVar[str] = oids.ISSUER_ALT_NAME
    names: Sequence[GeneralName]

    def __iter__(self) -> Iterator[GeneralName]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def to_der(self) -> bytes:
        """Return the DER GeneralNames."""
        return tlv(0x30, b"".join([n.to_der() for n in self.names]))

    def check(self) -> None:
        """Raise BuildError for an empty list (GeneralNames is SIZE 1..MAX, RFC 5280 4.2.1.7)."""
        if not self.names:
            raise BuildError("issuerAltName needs at least one name")


#: KeyUsage bit names in bit order (RFC 5280 4.2.1.3).
KEY_USAGE_BITS = ("digital_signature", "content_commitment", "key_encipherment",
                  "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign",
                  "encipher_only", "decipher_only")

#: The names of those bits as OpenSSL's configuration, ``csrlib new`` and
#: ``csrlib show`` write them (RFC 5280's ASN.1 names; contentCommitment is
#: written nonRepudiation, as OpenSSL does).
KEY_USAGE_NAMES = dict(zip(KEY_USAGE_BITS, (
    "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
    "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"), strict=True))


@frozen
class KeyUsage(ExtensionValue):
    """keyUsage (RFC 5280 4.2.1.3): the set bits, by name."""

    oid: ClassVar[str] = oids.KEY_USAGE
    digital_signature: bool = False
    content_commitment: bool = False
    key_encipherment: bool = False
    data_encipherment: bool = False
    key_agreement: bool = False
    key_cert_sign: bool = False
    crl_sign: bool = False
    encipher_only: bool = False
    decipher_only: bool = False

    @property
    def usages(self) -> tuple[str, ...]:
        """Return the names of the bits that are set."""
        return tuple(name for name in KEY_USAGE_BITS if getattr(self, name))

    @property
    def names(self) -> tuple[str, ...]:
        """Return the set bits by the names ``csrlib new`` takes (``digitalSignature``...)."""
        return tuple(KEY_USAGE_NAMES[name] for name in self.usages)

    def to_der(self) -> bytes:
        """Return the DER named BIT STRING, trailing zero bits removed (X.690 11.2.2)."""
        value = 0
        for i, name in enumerate(KEY_USAGE_BITS):
            if getattr(self, name):
                value |= 1 << (15 - i)
        return tlv(0x03, encode_bit_string(value.to_bytes(2, "big"), 0, named=True))

    def check(self) -> None:
        """Raise BuildError when no bit is set (RFC 5280 4.2.1.3)."""
        if not self.usages:
            raise BuildError("keyUsage needs at least one bit set (RFC 5280 4.2.1.3)")


@frozen
class ExtendedKeyUsage(ExtensionValue):
    """extendedKeyUsage (RFC 5280 4.2.1.12): purpose OIDs.

    Built with OIDs or the purposes' names (``serverAuth``, ``clientAuth``,
    ``codeSigning``...); names are stored as their OIDs.  ``usages`` is a
    tuple, or a LazySequence when loaded with many purposes.
    """

    oid: ClassVar[str] = oids.EXTENDED_KEY_USAGE
    usages: Sequence[str]

    def __post_init__(self) -> None:
        usages: object = self.usages
        if isinstance(usages, str):
            raise BuildError("extendedKeyUsage takes a sequence of purposes")
        if not all(u[:1].isdigit() for u in self.usages):
            object.__setattr__(self, "usages", tuple(_purpose_oid(u) for u in self.usages))

    @property
    def names(self) -> tuple[str, ...]:
        """Return the purposes by name where known (``serverAuth``...)."""
        return tuple(oids.EXTENDED_KEY_USAGE_NAMES.get(u, u) for u in self.usages)

    def to_der(self) -> bytes:
        """Return the DER SEQUENCE OF KeyPurposeId."""
        return tlv(0x30, b"".join(tlv(0x06, encode_oid(u)) for u in self.usages))

    def check(self) -> None:
        """Raise BuildError for no purpose (SIZE 1..MAX, RFC 5280 4.2.1.12)."""
        if not self.usages:
            raise BuildError("extendedKeyUsage needs at least one purpose")


_PURPOSES = {name.lower(): oid for oid, name in oids.EXTENDED_KEY_USAGE_NAMES.items()}


def _purpose_oid(purpose: str) -> str:
    if purpose[:1].isdigit():
        return purpose
    oid = _PURPOSES.get(purpose.lower())
    if oid is None:
        raise BuildError(f"unknown extended key usage {purpose!r}")
    return oid


@frozen
class BasicConstraints(ExtensionValue):
    """basicConstraints (RFC 5280 4.2.1.9)."""

    oid: ClassVar[str] = oids.BASIC_CONSTRAINTS
    ca: bool = False
    path_length: int | None = None

    def __repr__(self) -> str:
        length = "None" if self.path_length is None else int_text(self.path_length)
        return f"BasicConstraints(ca={self.ca!r}, path_length={length})"

    def to_der(self) -> bytes:
        """Return the DER SEQUENCE, cA left out when FALSE (X.690 11.5)."""
        body = b"\x01\x01\xff" if self.ca else b""
        if self.path_length is not None:
            body += tlv(0x02, encode_integer(self.path_length))
        return tlv(0x30, body)

    def check(self) -> None:
        """Raise BuildError for a pathLenConstraint without cA or below 0 (RFC 5280 4.2.1.9)."""
        if self.path_length is not None and (self.path_length < 0 or not self.ca):
            raise BuildError("pathLenConstraint needs cA TRUE and a value of 0 or more")


@frozen
class SubjectKeyIdentifier(ExtensionValue):
    """subjectKeyIdentifier (RFC 5280 4.2.1.2)."""

    oid: ClassVar[str] = oids.SUBJECT_KEY_IDENTIFIER
    digest: bytes

    def to_der(self) -> bytes:
        """Return the DER OCTET STRING."""
        return tlv(0x04, self.digest)


@frozen
class AuthorityKeyIdentifier(ExtensionValue):
    """authorityKeyIdentifier (RFC 5280 4.2.1.1).

    ``authority_cert_issuer`` as the names of :class:`SubjectAlternativeName`.
    """

    oid: ClassVar[str] = oids.AUTHORITY_KEY_IDENTIFIER
    key_identifier: bytes | None = None
    authority_cert_issuer: Sequence[GeneralName] | None = None
    authority_cert_serial_number: int | None = None

    def __repr__(self) -> str:
        key_id = "None" if self.key_identifier is None else bytes_text(self.key_identifier)
        serial = self.authority_cert_serial_number
        return (f"AuthorityKeyIdentifier(key_identifier={key_id}, "
                f"authority_cert_issuer={self.authority_cert_issuer!r}, "
                f"authority_cert_serial_number={'None' if serial is None else int_text(serial)})")

    def to_der(self) -> bytes:
        """Return the DER SEQUENCE with the present fields."""
        body = b""
        if self.key_identifier is not None:
            body += tlv(0x80, self.key_identifier)
        if self.authority_cert_issuer is not None:
            body += tlv(0xA1, b"".join(n.to_der() for n in self.authority_cert_issuer))
        if self.authority_cert_serial_number is not None:
            body += tlv(0x82, encode_integer(self.authority_cert_serial_number))
        return tlv(0x30, body)

    def check(self) -> None:
        """Raise BuildError for an issuer without a serial or the reverse (RFC 5280 4.2.1.1)."""
        if (self.authority_cert_issuer is None) != (self.authority_cert_serial_number is None):
            raise BuildError("authorityCertIssuer and authorityCertSerialNumber go together")


@frozen
class PolicyInformation:
    """One policy: its OID and qualifiers as (qualifier OID, DER of the qualifier).

    ``qualifiers`` is a tuple, or a LazySequence when loaded with many.
    """

    policy_identifier: str
    qualifiers: Sequence[tuple[str, bytes]] | None = None

    def to_der(self) -> bytes:
        """Return the DER PolicyInformation."""
        body = tlv(0x06, encode_oid(self.policy_identifier))
        if self.qualifiers is not None:
            body += tlv(0x30, b"".join(tlv(0x30, tlv(0x06, encode_oid(q)) + raw)
                                       for q, raw in self.qualifiers))
        return tlv(0x30, body)


@frozen
class CertificatePolicies(ExtensionValue):
    """certificatePolicies (RFC 5280 4.2.1.4).

    ``policies`` is a tuple, or a LazySequence when loaded with many.
    """

    oid: ClassVar[str] = oids.CERTIFICATE_POLICIES
    policies: Sequence[PolicyInformation]

    def to_der(self) -> bytes:
        """Return the DER SEQUENCE OF PolicyInformation."""
        return tlv(0x30, b"".join(p.to_der() for p in self.policies))


@frozen
class UnrecognizedExtension(ExtensionValue):
    """Any other extension: its OID and extnValue contents, as received."""

    # An instance field here, where the other value types have a class constant.
    oid: str = field()  # type: ignore[misc]
    value: bytes = field()

    def __repr__(self) -> str:
        return f"UnrecognizedExtension(oid={self.oid!r}, value={bytes_text(self.value)})"

    def to_der(self) -> bytes:
        """Return the value as received."""
        return self.value


V = TypeVar("V", bound=ExtensionValue)


@frozen
class Extension:
    """One requested extension: OID, criticality and value.

    ``value_der`` is the extnValue contents (the DER of the value, as
    received when parsed); ``to_der()`` is the whole Extension element.
    """

    oid: str
    critical: bool
    value: ExtensionValue
    value_der: bytes = field(repr=False, compare=False, default=b"")

    def __post_init__(self) -> None:
        if not self.value_der:
            object.__setattr__(self, "value_der", self.value.to_der())

    @property
    def name(self) -> str:
        """Return the extension's name (``subjectAltName``...) or its OID."""
        return oids.EXTENSION_NAMES.get(self.oid, self.oid)

    def to_der(self) -> bytes:
        """Return the DER Extension, critical left out when FALSE (X.690 11.5)."""
        body = tlv(0x06, encode_oid(self.oid)) + (b"\x01\x01\xff" if self.critical else b"")
        return tlv(0x30, body + tlv(0x04, self.value_der))


class Extensions(Sequence[Extension]):
    """The requested extensions, in order, with lookup by value type or OID.

    A loaded request's many extensions (more than :data:`csrlib.model.lazy.EAGER_MAX`)
    are read from its octets when used, as a :class:`~csrlib.model.lazy.LazySequence`.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[Extension] = ()) -> None:
        self._items: Sequence[Extension] = (
            items if isinstance(items, tuple | LazySequence) else tuple(items))

    @overload
    def __getitem__(self, index: int) -> Extension: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Extension]: ...

    def __getitem__(self, index: int | slice) -> Extension | Sequence[Extension]:
        """Return one extension, or a tuple of a slice of them; raise IndexError out of range."""
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Extension]:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Extensions):
            return self._items == other._items
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        if isinstance(self._items, LazySequence):
            return f"Extensions({self._items!r})"
        return f"Extensions({list(self._items)!r})"

    def get(self, kind: type[V] | str) -> Extension | None:
        """Return the extension of a value type (``SubjectAlternativeName``) or OID, or None."""
        oid = kind if isinstance(kind, str) else kind.oid
        for ext in self._items:
            if ext.oid == oid:
                return ext
        return None

    def value(self, kind: type[V]) -> V | None:
        """Return the typed value of one extension type, or None when absent."""
        ext = self.get(kind)
        return None if ext is None else ext.value  # type: ignore[return-value]

    def to_der(self) -> bytes:
        """Return the DER Extensions (SEQUENCE OF Extension)."""
        return tlv(0x30, b"".join(e.to_der() for e in self._items))
