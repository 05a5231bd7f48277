"""The request a strict load of a built request's DER returns, made from the builder's parts.

``CertificateRequestBuilder.sign()`` returns what ``load_der(der)`` returns
for the DER it wrote.  Reading the whole request back costs more than
building it, so the builder makes that request from the parts it holds
instead, where it can tell that reading would give those same objects:

* a subject (:func:`plain_name`) whose attributes are strings of a type
  their attribute type allows, each read from its own encoding as a load
  reads it, to the same text, type and OID;
* extension values read once when added (:func:`read_back_value`): a
  subjectAltName of a few ASCII DNS names as it is, any other through the
  loader's own extension reader, from the extension's DER;
* the key read from its DER each time (a key is not cached: signing one
  request per key is the common use): a fixed-shape key by its octets
  (:mod:`csrlib.model.key_shapes`), any other through the loader's reader;
  the signature algorithm through the reader, kept in a small cache by DER
  (a program signs with few).

Anything else (attributes other than the extension request, many
elements, a part that does not read back, a value kept as raw DER whose
reading differs from it) makes :func:`request_of` return None, and the
builder reads the whole request back as before: every refusal of a strict
load is still made, with its own message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import oids, schemas
from .der.primitives import decode_oid, encode_oid
from .der.tlv import DEFAULT_LIMITS, Context, Limits, read_header, short_header, tlv
from .errors import DecodeError, EncodeError
from .model.algorithms import SignatureAlgorithm, read_signature_algorithm
from .model.attributes import Attribute, Attributes
from .model.extension_reading import extension_at
from .model.extensions import Extension, Extensions, ExtensionValue, SubjectAlternativeName
from .model.general_names import DNSName
from .model.hostnames import plain_dns_name
from .model.key_shapes import read_shaped_key
from .model.keys import PublicKey, read_spki
from .model.lazy import EAGER_MAX, LazySequence
from .model.name_attributes import (
    PLAIN_STRINGS,
    TYPE_NAMES,
    VALUE_TAGS,
    NameAttribute,
    oid_element,
)
from .model.names import Name, RelativeDistinguishedName
from .model.reading import Source, maker, plan
from .request import CertificateRequest

__all__ = ["encode_name", "plain_name", "plain_san_der", "read_back_value", "request_of"]

_request = maker(CertificateRequest)
_extension = maker(Extension)
_attribute = maker(Attribute)

#: Depths (as the decoder counts them, one more than a load's, which errs
#: on the strict side) of the key and the signature algorithm in a request.
_KEY_DEPTH = 4
_ALGORITHM_DEPTH = 3
#: The reading of an algorithm, by DER: a program signs with few.
_CACHE_MAX = 64
_algorithms: dict[bytes, SignatureAlgorithm] = {}


def _cached(cache: dict[Any, Any], der: Any, value: Any) -> Any:
    if len(cache) >= _CACHE_MAX:
        cache.clear()
    cache[der] = value
    return value


def _read(cache: dict[bytes, Any] | None, der: bytes, schema: Any, reader: Any, depth: int,
          path: str) -> Any:
    """Return what a strict load's ``reader`` makes of ``der`` (a ``schema`` value), or None.

    ``depth`` is the element's in a request (plus one: the strict side);
    ``cache`` keeps the readings by DER (None: none kept).
    """
    value = None if cache is None else cache.get(der)
    if value is None:
        try:
            src = Source(der, True, DEFAULT_LIMITS)
            value = reader(src, src.decode(plan(schema), 0, len(der), depth, path), depth, path)
        except DecodeError:
            return None
        if cache is not None:
            _cached(cache, der, value)
    return value


def _read_key(der: bytes) -> PublicKey | None:
    """Return the key a strict load reads of a SubjectPublicKeyInfo, or None if it refuses it."""
    key = read_shaped_key(der)
    if key is None:
        key = _read(None, der, schemas.SubjectPublicKeyInfo, read_spki, _KEY_DEPTH,
                    "certificationRequestInfo.subjectPKInfo")
    return key


def _read_algorithm(der: bytes) -> SignatureAlgorithm | None:
    """Return the algorithm a strict load reads of an AlgorithmIdentifier, or None."""
    algorithm: SignatureAlgorithm | None = _read(
        _algorithms, der, schemas.AlgorithmIdentifier, read_signature_algorithm,
        _ALGORITHM_DEPTH, "signatureAlgorithm")
    return algorithm


#: OIDs known to be written as a load reads them back (bounded: cleared when full).
_PLAIN_OIDS: dict[str, bool] = {}


def _plain_oid(oid: str) -> bool:
    """Return True if ``oid`` is written as a load reads it back, within the default limits."""
    known = _PLAIN_OIDS.get(oid)
    if known is None:
        try:
            raw = encode_oid(oid)
            known = decode_oid(raw, 0, len(raw), Context(DEFAULT_LIMITS))[0] == oid
        except (DecodeError, EncodeError):
            known = False
        _cached(_PLAIN_OIDS, oid, known)
    return known


def _plain_attribute(attribute: NameAttribute) -> bool:
    """Return True if a load reads ``attribute`` back from its encoding as it is."""
    value = attribute.value
    if type(attribute) is not NameAttribute or type(value) is not str:
        return False
    encoded = attribute.encoded
    size = len(encoded)
    if size < 2:
        return False
    tag = encoded[0]
    check = PLAIN_STRINGS.get(tag)
    if check is None or TYPE_NAMES[tag] != attribute.string_type:
        return False
    oid = attribute.oid
    allowed = VALUE_TAGS.get(oid)
    if (allowed is not None and tag not in allowed) or not (_PLAIN_OIDS.get(oid)
                                                            or _plain_oid(oid)):
        return False
    try:
        if encoded[1] < 0x80:
            # A short-form header: the decoder's reading of it.
            return 2 + encoded[1] == size and check(encoded, 2, size, _STRICT) == value
        _, c, e = read_header(encoded, 0, size, _STRICT)
        return e == size and check(encoded, c, e, _STRICT) == value
    except DecodeError:
        return False


#: The checkers' context: strict, so it records nothing (a deviation raises).
_STRICT = Context(DEFAULT_LIMITS)


def plain_name(name: Name) -> bool:
    """Return True if a strict load of ``name.to_der()`` gives a Name equal to it, field by field.

    True for a name of at most EAGER_MAX RDNs of at most EAGER_MAX
    attributes each (a load keeps those in tuples), every attribute a
    string its type allows that reads back to the same text; False
    otherwise (the builder then reads the request back).
    """
    return encode_name(name)[1]


def encode_name(name: Name) -> tuple[bytes, bool]:
    """Return ``name.to_der()`` and :func:`plain_name` of it, in one pass over the attributes."""
    rdns = name.rdns
    if type(name) is not Name or type(rdns) is not tuple:
        return name.to_der(), False
    plain = len(rdns) <= EAGER_MAX
    parts = []
    for rdn in rdns:
        attributes = rdn.attributes
        if type(rdn) is not RelativeDistinguishedName or type(attributes) is not tuple:
            parts.append(rdn.to_der())
            plain = False
        elif len(attributes) == 1:
            # RelativeDistinguishedName.to_der() of one attribute, inline:
            # SET { SEQUENCE { type, value } }, short headers when they fit.
            attribute = attributes[0]
            inner = oid_element(attribute.oid) + attribute.encoded
            n = len(inner)
            parts.append(short_header(0x31, n + 2) + short_header(0x30, n) + inner
                         if n < 0x7E else tlv(0x31, tlv(0x30, inner)))
            plain = plain and _plain_attribute(attribute)
        else:
            parts.append(rdn.to_der())
            plain = (plain and len(attributes) <= EAGER_MAX
                     and all(_plain_attribute(a) for a in attributes))
    return tlv(0x30, b"".join(parts)), plain


def _dns_names(value: ExtensionValue) -> tuple[DNSName, ...] | None:
    """Return the names of a subjectAltName of 1 to EAGER_MAX DNS names of text, in a tuple.

    None for any other value.
    """
    if type(value) is not SubjectAlternativeName:
        return None
    names = value.names
    if type(names) is not tuple or not 0 < len(names) <= EAGER_MAX:
        return None
    for n in names:
        if type(n) is not DNSName or type(n.value) is not str:
            return None
    return names


def _plain_san(value: ExtensionValue) -> bool:
    """Return True for a subjectAltName of at most EAGER_MAX ASCII DNS names, in a tuple."""
    names = _dns_names(value)
    return names is not None and all(n.value.isascii() for n in names)


def plain_san_der(value: ExtensionValue) -> bytes | None:
    """Return the DER of a subjectAltName of plain DNS names (see :func:`_plain_san`), or None.

    A plain name (:data:`csrlib.model.hostnames.plain_dns_name`: LDH
    labels, no A-label, at most 253 characters) passes every check the
    builder makes of a name, and a load reads the value back as it is: for
    such a value of at most EAGER_MAX names, its checks, ``to_der()`` and
    :func:`read_back_value` in one pass.  None for any other value.
    """
    names = _dns_names(value)
    if names is None:
        return None
    for n in names:
        if plain_dns_name(n.value) is None:
            return None
    return tlv(0x30, b"".join([n.to_der() for n in names]))


def _holds_lazy(value: Any, depth: int = 0) -> bool:
    """Return True if ``value`` holds a LazySequence (read from a buffer) anywhere inside."""
    if isinstance(value, LazySequence) or depth > 8:
        return True
    if isinstance(value, tuple | list):
        return any(_holds_lazy(v, depth + 1) for v in value)
    slots = getattr(type(value), "__dataclass_fields__", None)
    if slots is None:
        return False
    return any(_holds_lazy(getattr(value, f), depth + 1) for f in slots)


def read_back_value(value: ExtensionValue, der: bytes) -> tuple[str, ExtensionValue] | None:
    """Return the (OID, value) a strict load reads of an extension whose value is ``der``.

    ``value`` is the value the builder was given and ``der`` its encoding.
    None when a load would refuse it, or would hold part of it as a
    LazySequence over its own octets (then the builder reads the request
    back when it signs).
    """
    if _plain_san(value):
        return value.oid, value
    try:
        raw = tlv(0x30, tlv(0x06, encode_oid(value.oid)) + tlv(0x04, der))
        src = Source(raw, True, DEFAULT_LIMITS)
        read = extension_at(src, 0, len(raw), 0, "")
    except (DecodeError, EncodeError, RecursionError):
        return None
    if read.value_der != der or _holds_lazy(read.value):
        return None
    return read.oid, read.value


def request_of(
    der: bytes, tbs: bytes, signature: bytes, subject: Name | None, key_der: bytes,
    algorithm_der: bytes, extensions: Sequence[tuple[tuple[str, ExtensionValue] | None, bool,
                                                     bytes]],
    limits: Limits = DEFAULT_LIMITS,
) -> CertificateRequest | None:
    """Return the request ``load_der(der)`` returns, made from its parts; None if unsure.

    ``subject`` is the request's subject when :func:`plain_name` holds for
    it (None otherwise); ``extensions`` holds, for each extension in the
    order written, what :func:`read_back_value` returned, its criticality
    and its value's DER.  The request holds no attribute but the extension
    request (when there are extensions).
    """
    if subject is None or len(der) > limits.max_size or len(extensions) > EAGER_MAX:
        return None
    key = _read_key(key_der)
    algorithm = _read_algorithm(algorithm_der)
    if key is None or algorithm is None:
        return None
    made = []
    seen = set()
    for read, critical, value_der in extensions:
        if read is None or read[0] in seen:
            return None
        seen.add(read[0])
        made.append(_extension(read[0], critical, read[1], value_der))
    if made:
        requested = Extensions(tuple(made))
        attributes = Attributes((_attribute(oids.EXTENSION_REQUEST, (requested,)),))
    else:
        requested = Extensions()
        attributes = Attributes()
    return _request(der, tbs, signature, 0, subject, key, algorithm, attributes, requested,
                    (), 0, True)
