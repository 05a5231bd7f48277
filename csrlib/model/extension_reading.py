"""Reading requested extensions: each value typed where csrlib knows it, checked.

:func:`read_extensions` reads the extensions of one extension request
(a repeated OID, here or in another request of the same request, is a
``duplicate-extension`` error: :class:`SeenOids`); :func:`join_extensions`
joins those of the standard request and Microsoft's.  An unrecognized
extension's value is its exact octets, not required to be DER.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from .. import oids, schemas
from ..der.primitives import encode_oid
from .extensions import (
    KEY_USAGE_BITS,
    AuthorityKeyIdentifier,
    BasicConstraints,
    CertificatePolicies,
    ExtendedKeyUsage,
    Extension,
    Extensions,
    ExtensionValue,
    IssuerAlternativeName,
    KeyUsage,
    PolicyInformation,
    SubjectAlternativeName,
    SubjectKeyIdentifier,
    UnrecognizedExtension,
)
from .general_names import read_general_names
from .lazy import (
    LazySequence,
    Reader,
    Repeats,
    contents_start,
    element_end,
    offsets,
    read_elements,
)
from .reading import Path, Source, maker, plan

__all__ = ["MORE_OIDS", "SeenOids", "join_extensions", "read_extensions"]

#: The extensions :mod:`csrlib.model.more_extensions` types; that module is
#: imported when a request carries one of them.
MORE_OIDS = frozenset((oids.TLS_FEATURE, oids.MS_CERTIFICATE_TEMPLATE_NAME,
                       oids.MS_CERTIFICATE_TEMPLATE, oids.NAME_CONSTRAINTS,
                       oids.AUTHORITY_INFO_ACCESS, oids.CRL_DISTRIBUTION_POINTS))

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
# Every type the schema decodes has a reader, and no other: checked by
# tests/test_lazy_imports.py (not here: csrlib.schemas runs when first used).


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
        # Typed if it is strict DER of its type, else its octets (more_extensions).
        more = None
        if oid in MORE_OIDS:
            from .more_extensions import read_more_extension

            more = read_more_extension(oid, value)
        return _make_extension(oid, critical, more or UnrecognizedExtension(oid, value), value)
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
