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
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar, TypeVar, overload

from .. import oids, schemas
from ..der.primitives import encode_bit_string, encode_integer, encode_oid
from ..der.tlv import tlv
from ..errors import BuildError, bytes_text, int_text
from .general_names import GeneralName, parse_general_name, read_general_names
from .lazy import (
    LazySequence,
    Reader,
    Repeats,
    contents_start,
    element_end,
    offsets,
    read_elements,
)
from .reading import Path, Source, plan
from .records import maker

__all__ = [
    "AuthorityKeyIdentifier",
    "BasicConstraints",
    "CertificatePolicies",
    "ExtendedKeyUsage",
    "Extension",
    "ExtensionValue",
    "Extensions",
    "IssuerAlternativeName",
    "KeyUsage",
    "PolicyInformation",
    "SeenOids",
    "SubjectAlternativeName",
    "SubjectKeyIdentifier",
    "UnrecognizedExtension",
    "join_extensions",
    "read_extensions",
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


@dataclass(frozen=True, slots=True)
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
        return cls(tuple(parse_general_name(n) for n in names))

    def to_der(self) -> bytes:
        """Return the DER GeneralNames."""
        return tlv(0x30, b"".join(n.to_der() for n in self.names))

    def check(self) -> None:
        """Raise BuildError for an empty list (GeneralNames is SIZE 1..MAX, RFC 5280 4.2.1.6)."""
        if not self.names:
            raise BuildError("subjectAltName needs at least one name")


@dataclass(frozen=True, slots=True)
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
        return tlv(0x30, b"".join(n.to_der() for n in self.names))

    def check(self) -> None:
        """Raise BuildError for an empty list (GeneralNames is SIZE 1..MAX, RFC 5280 4.2.1.7)."""
        if not self.names:
            raise BuildError("issuerAltName needs at least one name")


#: KeyUsage bit names in bit order (RFC 5280 4.2.1.3).
KEY_USAGE_BITS = ("digital_signature", "content_commitment", "key_encipherment",
                  "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign",
                  "encipher_only", "decipher_only")


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class SubjectKeyIdentifier(ExtensionValue):
    """subjectKeyIdentifier (RFC 5280 4.2.1.2)."""

    oid: ClassVar[str] = oids.SUBJECT_KEY_IDENTIFIER
    digest: bytes

    def to_der(self) -> bytes:
        """Return the DER OCTET STRING."""
        return tlv(0x04, self.digest)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class CertificatePolicies(ExtensionValue):
    """certificatePolicies (RFC 5280 4.2.1.4).

    ``policies`` is a tuple, or a LazySequence when loaded with many.
    """

    oid: ClassVar[str] = oids.CERTIFICATE_POLICIES
    policies: Sequence[PolicyInformation]

    def to_der(self) -> bytes:
        """Return the DER SEQUENCE OF PolicyInformation."""
        return tlv(0x30, b"".join(p.to_der() for p in self.policies))


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


# -- reading ------------------------------------------------------------------

#: Depth of an extension's value element in a request: CertificationRequest >
#: info > attributes > Attribute > SET > Extensions > Extension > OCTET STRING
#: > value (as the decoder counts; see also general_names).
_VALUE_DEPTH = 9
#: Depth of the policyQualifiers of a policy: value > PolicyInformation > qualifiers.
_QUALIFIERS_DEPTH = _VALUE_DEPTH + 2
#: Depth of an Extensions element in a request (the value of its attribute).
_EXTENSIONS_DEPTH = 6


def _san(src: Source, v: Any, offset: int, path: Path) -> ExtensionValue:
    return _san_value(read_general_names(src, v, offset, path))


def _ian(src: Source, v: Any, offset: int, path: Path) -> ExtensionValue:
    return IssuerAlternativeName(read_general_names(src, v, offset, path))


def _key_usage(src: Source, v: Any, offset: int, path: Path) -> ExtensionValue:
    data, unused = v
    nbits = len(data) * 8 - unused
    bits = {name: i < nbits and bool(data[i // 8] & (0x80 >> (i % 8)))
            for i, name in enumerate(KEY_USAGE_BITS)}
    # No bit set, or bits past decipherOnly: RFC 5280 4.2.1.3 rules for the
    # certificate, but DER, and read by cryptography, OpenSSL and Go alike
    # (mbed TLS writes the first): kept as read (unknown bits dropped), for a
    # linter to judge.
    return KeyUsage(**bits)


def _extended_key_usage(src: Source, v: Any, offset: int, path: Path) -> ExtensionValue:
    items, start, end = v
    if type(items) is list:
        return _eku_value(tuple(items))
    c, e = src.contents(start, end)
    reader = Reader.of(src, purpose_at, (path,), "purposes")
    return _eku_value(read_elements(src, c, e, items, reader))


def purpose_at(src: Source, pos: int, end: int, i: int, path: Path) -> str:
    """Return purpose ``i`` of an extendedKeyUsage, the element ``buf[pos:end]``.

    Raises DecodeError for an invalid OID.
    """
    oid: str = src.decode(plan(schemas.KeyPurposeId), pos, end, _VALUE_DEPTH, (path, i))
    return oid


def _basic_constraints(src: Source, v: Any, offset: int, path: Path) -> ExtensionValue:
    ca, path_length = v
    if path_length is not None and path_length < 0:
        raise src.fail("bad-extension", offset, (path, "pathLenConstraint"),
                       "negative path length")
    if path_length is not None and not ca:
        src.deviate("bad-extension", offset, (path, "pathLenConstraint"),
                    "pathLenConstraint without cA (RFC 5280 4.2.1.9)")
    return BasicConstraints(ca, path_length)


def _aki(src: Source, v: Any, offset: int, path: Path) -> ExtensionValue:
    key_id, issuer, serial = v
    names = None if issuer is None else read_general_names(src, issuer, offset, path)
    if (issuer is None) != (serial is None):
        src.deviate("bad-extension", offset, path,
                    "authorityCertIssuer and authorityCertSerialNumber must go together")
    return AuthorityKeyIdentifier(key_id, names, serial)


def _policies(src: Source, v: Any, offset: int, path: Path) -> ExtensionValue:
    # A policy named twice breaks RFC 5280 4.2.1.4 but not DER, and
    # cryptography, OpenSSL and Go read it: kept, for a linter to judge.
    items, start, end = v
    if type(items) is list:
        return CertificatePolicies(tuple(_policy(src, policy, qualifiers, path, i)
                                         for i, (policy, qualifiers) in enumerate(items)))
    c, e = src.contents(start, end)
    reader = Reader.of(src, policy_at, (path,), "policies")
    return CertificatePolicies(read_elements(src, c, e, items, reader))


def policy_at(src: Source, pos: int, end: int, i: int, path: Path) -> PolicyInformation:
    """Return policy ``i`` of a certificatePolicies, the element ``buf[pos:end]``.

    Raises DecodeError for an invalid one.
    """
    policy, qualifiers = src.decode(plan(schemas.PolicyInformation), pos, end, _VALUE_DEPTH,
                                    (path, i))
    return _policy(src, policy, qualifiers, path, i)


def _policy(src: Source, policy: str, qualifiers: Any, path: Path,
            i: int) -> PolicyInformation:
    """Return the PolicyInformation of a decoded one (qualifiers spanned, maybe counted)."""
    if qualifiers is None:
        return PolicyInformation(policy, None)
    items, start, end = qualifiers
    buf = src.buf
    if type(items) is list:
        # Known qualifiers were checked against their schema by the decoder.
        return PolicyInformation(policy, tuple(
            (qid, buf[q_start:q_end]) for qid, (_, q_start, q_end) in items))
    c, e = src.contents(start, end)
    reader = Reader.of(src, qualifier_at, ((path, i, "policyQualifiers"),), "qualifiers")
    return PolicyInformation(policy, read_elements(src, c, e, items, reader))


def qualifier_at(src: Source, pos: int, end: int, j: int, path: Path) -> tuple[str, bytes]:
    """Return qualifier ``j`` of a policy as (OID, DER), the element ``buf[pos:end]``.

    Raises DecodeError for an invalid one (known qualifiers are checked
    against their schema).
    """
    qid, (_, start, q_end) = src.decode(plan(schemas.PolicyQualifierInfo), pos, end,
                                        _QUALIFIERS_DEPTH, (path, j))
    return qid, src.buf[start:q_end]


_make_extension = maker(Extension)
_san_value = maker(SubjectAlternativeName)
_eku_value = maker(ExtendedKeyUsage)

# oid: reader of the value the decoder produced through the open type.
_READERS: dict[str, Any] = {
    oids.SUBJECT_ALT_NAME: _san,
    oids.ISSUER_ALT_NAME: _ian,
    oids.KEY_USAGE: _key_usage,
    oids.EXTENDED_KEY_USAGE: _extended_key_usage,
    oids.BASIC_CONSTRAINTS: _basic_constraints,
    oids.SUBJECT_KEY_IDENTIFIER: lambda src, v, o, p: SubjectKeyIdentifier(v),
    oids.AUTHORITY_KEY_IDENTIFIER: _aki,
    oids.CERTIFICATE_POLICIES: _policies,
}
# Every type the schema decodes has a reader, and no other.
assert set(_READERS) == {str(oid) for oid in schemas.EXTENSION_VALUE_TYPES}


class SeenOids:
    """The extension OIDs of a request so far, to refuse a repeated one (RFC 5280 4.2).

    OIDs of extensions decoded together are kept as strings; those of a long
    Extensions, read one at a time, by the offset of their Extension
    element (:class:`~csrlib.model.lazy.Repeats`), a few octets each.
    """

    __slots__ = ("_buf", "_few", "_many")

    def __init__(self, buf: bytes) -> None:
        self._buf = buf
        self._few: set[str] = set()
        self._many: Repeats | None = None

    def add(self, oid: str, pos: int | None = None) -> bool:
        """Record ``oid`` (of the Extension element at ``pos``, if given); False if seen."""
        if oid in self._few:
            return False
        if pos is not None:
            if self._many is None:
                self._many = Repeats(partial(_extension_oid, self._buf), len(self._buf))
            return self._many.add(pos)
        if self._many is not None and encode_oid(oid) in self._many:
            return False
        self._few.add(oid)
        return True


def _extension_oid(buf: bytes, pos: int) -> bytes:
    """Return the contents octets of the OID of the (checked) Extension element at ``pos``."""
    c = contents_start(buf, pos)
    return buf[contents_start(buf, c):element_end(buf, c)]


def read_extensions(
    src: Source, decoded: tuple[Any, int, int], offset: int, path: Path, seen: SeenOids
) -> Sequence[Extension]:
    """Return the extensions of a decoded Extensions value.

    ``decoded`` is the plain value of :class:`csrlib.schemas.Extensions`:
    the list of extensions (known values decoded through the schema's open
    type, others as their octets, each with the span of its OCTET STRING),
    or for a long one their count, with the span of the element.
    ``offset`` is that of the Extensions element.  ``seen`` collects OIDs
    across extension request attributes: a repeated OID raises DecodeError
    ``duplicate-extension`` (RFC 5280 4.2); an invalid extension raises
    DecodeError too.

    Returns a tuple, or past :data:`csrlib.model.lazy.EAGER_MAX` extensions a
    LazySequence that reads them again when used.

    An empty Extensions (older OpenSSL's empty ``req_extensions``) is a
    deviation.  The value of an extension csrlib does not type is kept as
    its exact octets and not required to be DER, as cryptography, OpenSSL,
    Go and RustCrypto read it: its extnValue is opaque until the extension
    is known (X.509 defines its contents per extension).  A linter may
    report one that is not DER; a parser must not refuse the request.
    """
    items, start, end = decoded
    if not items:
        src.deviate("constraint", offset, path, "empty extension request (SIZE 1..MAX)")
    if type(items) is list:
        out = []
        for i, (oid, critical, (value, value_start, value_end)) in enumerate(items):
            if not seen.add(oid):
                raise src.fail("duplicate-extension", value_start, (path, i),
                               oids.name_of(oid))
            out.append(_extension(src, oid, critical, value, value_start, value_end, path, i))
        return tuple(out)
    c, e = src.contents(start, end)
    reader = Reader.of(src, extension_at, (path,), "extensions")
    return read_elements(src, c, e, items, reader, _first_extension_at, (path, seen))


def extension_at(src: Source, pos: int, end: int, i: int, path: Path) -> Extension:
    """Return extension ``i`` of an Extensions, the element ``buf[pos:end]``.

    Raises DecodeError for an invalid one.
    """
    oid, critical, (value, value_start, value_end) = src.decode(
        plan(schemas.Extension), pos, end, _EXTENSIONS_DEPTH, (path, i))
    return _extension(src, oid, critical, value, value_start, value_end, path, i)


def _first_extension_at(src: Source, pos: int, end: int, i: int, path: Path,
                        seen: SeenOids) -> Extension:
    """Return :func:`extension_at` the first time: a repeated OID raises DecodeError."""
    oid, critical, (value, value_start, value_end) = src.decode(
        plan(schemas.Extension), pos, end, _EXTENSIONS_DEPTH, (path, i))
    if not seen.add(oid, pos):
        raise src.fail("duplicate-extension", value_start, (path, i), oids.name_of(oid))
    return _extension(src, oid, critical, value, value_start, value_end, path, i)


def _extension(src: Source, oid: str, critical: bool, value: Any, value_start: int,
               value_end: int, path: Path, i: int) -> Extension:
    """Return the Extension of its decoded parts: the value typed where csrlib knows it."""
    reader = _READERS.get(oid)
    if reader is None:
        return _make_extension(oid, critical, UnrecognizedExtension(oid, value), value)
    buf = src.buf
    if buf[value_start + 1] < 0x80:
        c, e = value_start + 2, value_end
    else:
        c, e = src.contents(value_start, value_end)
    typed = reader(src, value, c, (path, i, "extnValue"))
    return _make_extension(oid, critical, typed, buf[c:e])


def join_extensions(src: Source, requested: list[tuple[Extensions, int, int]]) -> Extensions:
    """Return the extensions of every extension request, in order, as one Extensions.

    ``requested`` holds each request's extensions with the span of its
    Extensions element.  Two requests (the standard one and Microsoft's)
    of which one is a LazySequence give a LazySequence of both, holding the
    offset of each Extension element; otherwise a tuple.
    """
    if not requested:
        return Extensions()
    if len(requested) == 1:
        return requested[0][0]
    if not any(isinstance(found._items, LazySequence) for found, _, _ in requested):
        return Extensions([ext for found, _, _ in requested for ext in found])
    buf = src.buf
    positions = offsets(len(buf))
    for _, start, end in requested:
        pos = contents_start(buf, start)
        while pos < end:
            positions.append(pos)
            pos = element_end(buf, pos)
    reader = Reader.of(src, extension_at, ("",), "extensions")
    return Extensions(LazySequence(buf, positions, len(positions), reader, step=1))
