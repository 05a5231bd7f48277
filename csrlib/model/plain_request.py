"""Requests of the common shape, read in one pass over their octets, or not at all.

Most requests are alike: a subject of RDNs of one attribute each, with a
short string value each; one extensionRequest attribute (perhaps beside a
challengePassword); a subjectAltName of DNS names and IP addresses; a
fixed-shape key (:mod:`csrlib.model.key_shapes`) and one of a few
signature algorithms.  :func:`read_plain_request` reads such a request
without the general walk (the generated decoders over the whole request,
then the model built from their plain values): each element's header is
compared with the one tag it must have, and each part is made as the
general reading makes it, with the same checks.  The parts it does not
read itself (another key or algorithm, an extension other than such a
subjectAltName, an attribute other than an extensionRequest) it hands to
the general reader of that one part, with the load's mode.

It never reports an error.  Anything it does not take (another shape, a
length not in its minimal DER form, a value a check refuses, a deviation
lenient mode would record, a collection large enough for the general
reading to keep it lazily) gives None, and the caller reads the request
the general way, which gives the same request or says what is wrong.  A
load tries it only with the default limits and for inputs of at most
:data:`PLAIN_MAX_SIZE` octets.  Its work is linear in the input: on a
request it reads, or gives up on at the signature or at an attribute's
header, at most 1.25 times the general reading's on every hostile shape
(``tests/test_resource_bounds.py`` counts it).  Broken deeper inside, a
request may cost it what reading the intact request would, up to where
it gives up, where the general walk (every header checked before any
value) may stop sooner: at most 16 KiB of reading, then the general
reading's.

So a request it reads is one the general reading reads the same, with no
deviation: ``tests/model/test_plain_request.py`` compares the two, field by
field down to each value's type, on real requests, on every one-octet
change of them, on every kind of malformation csrlib.fuzz makes, and on
generated requests.

Why a second reader, when csrlib's design is one codec driven by schemas:
a load spent about 60 % of its time building the model after the walk
(issue 19), one small object and one small check at a time, and half of
that went on passing plain values from one to the other.  Reading the
common shape directly made a load of a P-256 request take about half as
long, which is what brought it under cryptography's time.  The schemas
still define what is valid: everything here is checked against the
general reading, which stays the reference and reads everything else.
"""

from __future__ import annotations

from .. import oids, schemas
from ..der.primitives import encode_oid
from ..der.tlv import Context, tlv
from .algorithms import SignatureAlgorithm, read_signature_algorithm
from .attributes import Attribute, Attributes, _attribute, _first_attribute_at, _Loading
from .extension_reading import _EXTENSIONS_DEPTH, _make_extension, _san_value
from .extension_reading import _extension as read_extension
from .extensions import Extension, Extensions
from .general_names import KEPT_NAMES, KEPT_OCTETS, GeneralName, _dns, _ip
from .key_shapes import SHAPED_SIZES, read_shaped_key
from .keys import PublicKey, read_spki
from .lazy import EAGER_MAX
from .name_attributes import PLAIN_STRINGS, TYPE_NAMES, VALUE_TAGS, make_attribute
from .names import _EMPTY_NAME, Name, RelativeDistinguishedName, _name, _rdn
from .reading import Path, Source, plan

__all__ = ["ALGORITHM_PATH", "ATTRIBUTES_PATH", "CRI_PATH", "PLAIN_MAX_SIZE", "SPKI_PATH",
           "SUBJECT_PATH", "PlainRequest", "read_plain_request"]

#: Octets of DER up to which a load tries this reader first: requests of
#: the common shape are a few KiB, and a larger input that it gives up on
#: late would cost its work twice.
PLAIN_MAX_SIZE = 16384

#: What :func:`read_plain_request` returns: the span of the info (the signed
#: octets), its parts, the algorithm and the signature's octets.
PlainRequest = tuple[int, int, Name, PublicKey, Attributes, Extensions, SignatureAlgorithm, bytes]


class _Off(Exception):
    """Raised inside the reader for anything it does not take: the caller reads the long way."""


_OFF = _Off()

#: The strict context the value checks get: they raise where lenient mode
#: would record a deviation, and the reader then gives None.
_STRICT = Context()

#: Depths as the general reading counts them: its decoder reads the request
#: from depth 0, so the info and the signature algorithm at 1, the key at 2;
#: the readers of a part are given one more (request.py), and an attribute's
#: reader the depth request.py gives it (an Extension's: extension_reading's).
_ALGORITHM_DEPTH = 1
_KEY_DEPTH = 2
_ATTRIBUTES_DEPTH = 3

#: Paths of parts in errors (kept by the readers of lazy sequences made here).
CRI_PATH = "certificationRequestInfo"
SUBJECT_PATH = f"{CRI_PATH}.subject"
SPKI_PATH = f"{CRI_PATH}.subjectPKInfo"
ATTRIBUTES_PATH = f"{CRI_PATH}.attributes"
ALGORITHM_PATH = "signatureAlgorithm"

#: Attributes whose reading spans the request (requested extensions joined,
#: a statement of possession checked against them): the general reading's.
_LEFT_TO_THE_GENERAL_READING = frozenset(
    encode_oid(oid) for oid in (oids.MS_EXTENSION_REQUEST, oids.STATEMENT_OF_POSSESSION))

#: Made on first use: the attribute types of names, by their OID's contents
#: octets, with the value tags each allows; the algorithms, by their DER.
_NAME_TYPES: dict[bytes, tuple[str, frozenset[int]]] = {}
_ALGORITHMS: dict[bytes, SignatureAlgorithm] = {}

#: The AlgorithmIdentifiers most requests carry (CA/B BR 7.1.3.2's
#: encodings): RSA PKCS#1 v1.5 with NULL parameters; ECDSA and EdDSA
#: without.
_RSA_ALGORITHMS = (oids.SHA256_WITH_RSA, oids.SHA384_WITH_RSA, oids.SHA512_WITH_RSA)
_OTHER_ALGORITHMS = (oids.ECDSA_WITH_SHA256, oids.ECDSA_WITH_SHA384, oids.ECDSA_WITH_SHA512,
                     oids.ED25519, oids.ED448)

_EXTENSION_REQUEST = encode_oid(oids.EXTENSION_REQUEST)
_SAN = encode_oid(oids.SUBJECT_ALT_NAME)
_NO_ATTRIBUTES = Attributes()
_NO_EXTENSIONS = Extensions()


def _fill() -> None:
    for oid, tags in VALUE_TAGS.items():
        _NAME_TYPES[encode_oid(oid)] = (oid, tags & PLAIN_STRINGS.keys())
    for oid in _RSA_ALGORITHMS + _OTHER_ALGORITHMS:
        der = tlv(0x30, tlv(0x06, encode_oid(oid)) + (b"\x05\x00" if oid in _RSA_ALGORITHMS
                                                        else b""))
        # Read the general way once: the object a load makes of these octets.
        src = Source(der)
        value = src.decode(plan(schemas.AlgorithmIdentifier), 0, len(der), _ALGORITHM_DEPTH,
                           ALGORITHM_PATH)
        _ALGORITHMS[der] = read_signature_algorithm(src, value, _ALGORITHM_DEPTH + 1,
                                                    ALGORITHM_PATH)


def _span(buf: bytes, pos: int, end: int, tag: int) -> tuple[int, int]:
    """Return the contents' span of the ``tag`` element at ``pos``, in DER's length forms.

    Short form, or the one- or two-octet long form when it is needed;
    raises _Off for anything else, and for an element past ``end``.
    """
    if buf[pos] != tag:
        raise _OFF
    n = buf[pos + 1]
    if n < 0x80:
        c = pos + 2
        e = c + n
    elif n == 0x81 and buf[pos + 2] >= 0x80:
        c = pos + 3
        e = c + buf[pos + 2]
    elif n == 0x82 and buf[pos + 2]:
        c = pos + 4
        e = c + (buf[pos + 2] << 8 | buf[pos + 3])
    else:
        raise _OFF
    if e > end:
        raise _OFF
    return c, e


def read_plain_request(buf: bytes, strict: bool = True) -> PlainRequest | None:
    """Return the parts of a request of the common shape, read as a load reads them.

    None for any other input (the module docstring says which), valid or
    not: the caller then reads it the general way.  ``strict`` is the
    load's mode, which the general readers of single parts are given (a
    deviation they record gives None too).  For the default limits only: a
    caller with others reads the general way.
    """
    if not _NAME_TYPES:
        _fill()
    reading = _Reading(buf, strict)
    try:
        parts = _read(buf, reading)
    except Exception:
        # _Off; IndexError (a header read past the end of the input); and
        # whatever a general part-reader raises (DecodeError, BuildError):
        # the general reading decides, in its own order.
        return None
    if reading.src is not None and reading.src.ctx.deviations:
        return None  # lenient mode: the general reading records them
    return parts


class _Reading:
    """The general readers' Source, made when a part first needs one."""

    __slots__ = ("buf", "src", "strict")

    def __init__(self, buf: bytes, strict: bool) -> None:
        self.buf = buf
        self.strict = strict
        self.src: Source | None = None

    def source(self) -> Source:
        if self.src is None:
            self.src = Source(self.buf, self.strict)
        return self.src


def _read(buf: bytes, reading: _Reading) -> PlainRequest:
    c, e = _span(buf, 0, len(buf), 0x30)
    if e != len(buf):
        raise _OFF
    info_c, info_e = _span(buf, c, e, 0x30)
    # The signature algorithm and the signature first: cheap, and a request
    # broken there is given up on before the work of reading the info.
    alg_e = _span(buf, info_e, e, 0x30)[1]
    algorithm = _ALGORITHMS.get(buf[info_e:alg_e])
    if algorithm is None:
        src = reading.source()
        algorithm = read_signature_algorithm(src, src.decode(
            plan(schemas.AlgorithmIdentifier), info_e, alg_e, _ALGORITHM_DEPTH, ALGORITHM_PATH),
            _ALGORITHM_DEPTH + 1, ALGORITHM_PATH)
    sig_c, sig_e = _span(buf, alg_e, e, 0x03)
    if sig_e != e or sig_c == sig_e or buf[sig_c]:
        raise _OFF  # unused bits: lenient only
    # version 0 (RFC 2986 4.1), then the subject.
    if buf[info_c:info_c + 3] != b"\x02\x01\x00":
        raise _OFF
    name_c, name_e = _span(buf, info_c + 3, info_e, 0x30)
    subject = _subject(buf, name_c, name_e)
    key_e = _span(buf, name_e, info_e, 0x30)[1]
    key = read_shaped_key(buf[name_e:key_e]) if key_e - name_e in SHAPED_SIZES else None
    if key is None:
        # Any other key: the general reader of an SPKI, at its depth in a request.
        src = reading.source()
        key = read_spki(src, src.decode(plan(schemas.SubjectPublicKeyInfo), name_e, key_e,
                                        _KEY_DEPTH, SPKI_PATH), _KEY_DEPTH + 1, SPKI_PATH)
    attrs_c, attrs_e = _span(buf, key_e, info_e, 0xA0)
    if attrs_e != info_e:
        raise _OFF
    attributes, extensions = _attributes(buf, attrs_c, attrs_e, reading)
    return (c, info_e, subject, key, attributes, extensions, algorithm, buf[sig_c + 1:e])


def _attributes(buf: bytes, pos: int, end: int,
                reading: _Reading) -> tuple[Attributes, Extensions]:
    """Return the attributes filling ``buf[pos:end]`` and the extensions requested.

    An extensionRequest is read here; any other attribute by the general
    reader of one (with its checks).  The SET OF is in DER order; at most
    EAGER_MAX attributes (more are kept lazily by the general reading).
    """
    if pos == end:
        return _NO_ATTRIBUTES, _NO_EXTENSIONS
    # Every attribute's header first (cheap): the values are read after.
    spans: list[tuple[int, int, int]] = []
    prev = b""
    while pos < end:
        attr_c, attr_e = _span(buf, pos, end, 0x30)
        element = buf[pos:attr_e]
        if element < prev or len(spans) == EAGER_MAX:
            raise _OFF  # not in DER order; or more than EAGER_MAX
        prev = element
        spans.append((pos, attr_c, attr_e))
        pos = attr_e
    out: list[Attribute] = []
    extensions = _NO_EXTENSIONS
    loading = None
    for pos, attr_c, attr_e in spans:
        oid_c, oid_e = _span(buf, attr_c, attr_e, 0x06)
        oid = buf[oid_c:oid_e]
        if oid == _EXTENSION_REQUEST:
            if extensions is not _NO_EXTENSIONS:
                raise _OFF  # duplicate-attribute
            extensions = _extension_request(buf, oid_e, attr_e, reading,
                                            (ATTRIBUTES_PATH, len(out), "values", 0))
            out.append(_attribute(oids.EXTENSION_REQUEST, (extensions,)))
        elif oid in _LEFT_TO_THE_GENERAL_READING:
            raise _OFF
        else:
            src = reading.source()
            if loading is None:
                loading = _Loading(buf)
            out.append(_first_attribute_at(src, pos, attr_e, len(out), _ATTRIBUTES_DEPTH,
                                           ATTRIBUTES_PATH, loading))
    return Attributes(tuple(out)), extensions


def _subject(buf: bytes, pos: int, end: int) -> Name:
    """Return the Name of RDNs of one attribute each, with a short string value each."""
    if pos == end:
        return _EMPTY_NAME
    rdns: list[RelativeDistinguishedName] = []
    while pos < end:
        # SET { SEQUENCE { OBJECT IDENTIFIER, string } }, short lengths only.
        if buf[pos] != 0x31 or buf[pos + 2] != 0x30 or buf[pos + 4] != 0x06:
            raise _OFF
        rdn_end = pos + 2 + buf[pos + 1]
        if buf[pos + 1] >= 0x80 or rdn_end > end or buf[pos + 3] != buf[pos + 1] - 2:
            raise _OFF
        value = pos + 6 + buf[pos + 5]
        known = _NAME_TYPES.get(buf[pos + 6:value])
        if known is None or value + 2 > rdn_end:
            raise _OFF
        tag = buf[value]
        if tag not in known[1] or value + 2 + buf[value + 1] != rdn_end:
            raise _OFF  # also a long length: rdn_end is short
        text = PLAIN_STRINGS[tag](buf, value + 2, rdn_end, _STRICT)
        if len(rdns) == EAGER_MAX:
            raise _OFF  # more: kept lazily by the general reading
        rdns.append(_rdn((make_attribute(known[0], text, TYPE_NAMES[tag],
                                         buf[value:rdn_end]),)))
        pos = rdn_end
    return _name(tuple(rdns))


def _extension_request(buf: bytes, pos: int, end: int, reading: _Reading,
                       path: Path) -> Extensions:
    """Return the extensions of an extensionRequest's values, ``buf[pos:end]`` after its type."""
    set_c, set_e = _span(buf, pos, end, 0x31)
    exts_c, exts_e = _span(buf, set_c, set_e, 0x30)
    if set_e != end or exts_e != set_e or exts_c == exts_e:
        raise _OFF  # one value (RFC 2985 5.4), SIZE (1..MAX)
    found: list[Extension] = []
    seen: set[str] = set()
    pos = exts_c
    while pos < exts_e:
        ext_c, ext_e = _span(buf, pos, exts_e, 0x30)
        extension = _san(buf, ext_c, ext_e)
        if extension is None:
            # Any other extension: the general reader of one, with its checks.
            src = reading.source()
            oid, critical, (value, value_c, value_e) = src.decode(
                plan(schemas.Extension), pos, ext_e, _EXTENSIONS_DEPTH, (path, len(found)))
            extension = read_extension(src, oid, critical, value, value_c, value_e, path,
                                       len(found))
        if extension.oid in seen or len(found) == EAGER_MAX:
            raise _OFF  # duplicate-extension; more: kept lazily by the general reading
        seen.add(extension.oid)
        found.append(extension)
        pos = ext_e
    return Extensions(tuple(found))


def _san(buf: bytes, pos: int, end: int) -> Extension | None:
    """Return a subjectAltName of DNS names and IP addresses read inline; None for others."""
    oid_c, oid_e = _span(buf, pos, end, 0x06)
    if buf[oid_c:oid_e] != _SAN:
        return None
    critical = buf[oid_e:oid_e + 3] == b"\x01\x01\xff"
    value_c, value_e = _span(buf, oid_e + 3 if critical else oid_e, end, 0x04)
    names_c, names_e = _span(buf, value_c, value_e, 0x30)
    if value_e != end or names_e != value_e or names_c == names_e:
        return None
    if names_e - names_c > KEPT_OCTETS or (
            names_e - names_c > 2 * KEPT_NAMES and _count(buf, names_c, names_e) > KEPT_NAMES):
        # Kept lazily by the general reader, which is left this extension.  Counted
        # first, so that no name is built twice; a name of a long length ends
        # the loop below, so every name built was counted: never more than KEPT_NAMES.
        return None
    names: list[GeneralName] = []
    pos = names_c
    while pos < names_e:
        tag = buf[pos]
        c = pos + 2
        e = c + buf[pos + 1]
        if buf[pos + 1] >= 0x80 or e > names_e:
            return None
        if tag == 0x82:  # dNSName, an IA5String: ASCII
            raw = buf[c:e]
            if not raw.isascii():
                return None
            names.append(_dns(raw.decode("ascii")))
        elif tag == 0x87 and e - c in (4, 16):  # iPAddress (RFC 5280 4.2.1.6)
            import ipaddress  # as general_names: imported when first needed

            raw = buf[c:e]
            names.append(_ip(ipaddress.IPv4Address(raw) if len(raw) == 4
                             else ipaddress.IPv6Address(raw)))
        else:
            return None
        pos = e
    return _make_extension(oids.SUBJECT_ALT_NAME, critical, _san_value(tuple(names)),
                           buf[value_c:value_e])


def _count(buf: bytes, pos: int, end: int) -> int:
    """Return how many elements of short length fill ``buf[pos:end]``, up to KEPT_NAMES + 1."""
    count = 0
    while pos < end and count <= KEPT_NAMES:
        pos += 2 + buf[pos + 1]
        count += 1
    return count
