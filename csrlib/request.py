"""The certificate request: load it from PEM or DER, inspect it, write it back.

``load()`` validates the whole request eagerly (every DER rule, every
known value's own rules), so no error can surface later on attribute access.
The exact input bytes are kept (``der``, ``tbs_der``) and the signature is
checked over them, never over a re-encoding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import schemas
from .crypto.verify import Policy, verify_signature
from .der.canonical import canonical_der
from .der.collector import collector_paused
from .der.primitives import encode_integer
from .der.tlv import (
    DEFAULT_LIMITS,
    Deviation,
    Limits,
    Writer,
    encode_length,
)
from .errors import DecodeError, InvalidSignature, SignerCertificateRequired, int_text
from .frozen import field, frozen
from .model.algorithms import SignatureAlgorithm, read_signature_algorithm
from .model.attributes import Attributes, StringValue, read_attributes
from .model.canonical import canonical_algorithm, canonical_attribute, canonical_key
from .model.extensions import Extensions
from .model.key_shapes import SHAPED_SIZES, read_shaped_key
from .model.keys import PublicKey, read_spki
from .model.names import Name, read_name
from .model.plain_request import (
    ALGORITHM_PATH,
    ATTRIBUTES_PATH,
    CRI_PATH,
    PLAIN_MAX_SIZE,
    SPKI_PATH,
    SUBJECT_PATH,
    read_plain_request,
)
from .model.reading import Source, maker, plan
from .pem import check_text, detect_format, encode_pem, iter_pem_blocks, label_text

if TYPE_CHECKING:  # both imported when first used: few requests carry a statement
    from .model.certificate import Certificate
    from .model.possession import PossessionStatement

__all__ = ["PEM_LABELS", "CertificateRequest", "load", "load_der", "load_pem", "load_pem_all"]

#: PEM labels of certificate requests (RFC 7468 7, and the older Netscape form).
PEM_LABELS = ("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST")


@frozen(eq=False)
class CertificateRequest:
    """A parsed PKCS#10 certification request (RFC 2986).

    ``der``, ``tbs_der`` and ``signature`` are exact input bytes; the other
    fields are the decoded values.  Two requests are equal when their DER is.

    Two fields matter only for lenient input, so that ``to_der()`` gives the
    bytes received: ``signature_unused_bits`` (the signature BIT STRING's
    unused-bit count, 0 in DER; verification refuses anything else) and
    ``attributes_present`` (False when the mandatory ``[0]`` attributes
    were missing).

    ``extensions`` holds the extensions of the extension request attribute
    and of Microsoft's older one (1.3.6.1.4.1.311.2.1.14) together, in the
    order received; the same OID in both is a ``duplicate-extension`` error,
    as within one.  (cryptography reads only the first such attribute.)

    ``attributes`` is an :class:`~csrlib.model.attributes.Attributes`: the
    sequence of them (equal to the tuple of them) with ``get(oid_or_name)``
    and ``get_all``; for a request of more than
    :data:`csrlib.model.lazy.EAGER_MAX` attributes they are read from ``der``
    when used.  So are the large collections inside the model (see
    :mod:`csrlib.model.lazy`).
    """

    der: bytes = field(repr=False)
    tbs_der: bytes = field(repr=False)
    signature: bytes = field(repr=False)
    version: int
    subject: Name
    public_key: PublicKey
    signature_algorithm: SignatureAlgorithm
    attributes: Attributes
    extensions: Extensions
    #: Departures from DER tolerated in lenient mode, as (offset, kind, path).
    deviations: tuple[Deviation, ...] = ()
    signature_unused_bits: int = field(default=0, repr=False)
    attributes_present: bool = field(default=True, repr=False)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CertificateRequest):
            return self.der == other.der
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        exts = ", ".join(e.name for e in self.extensions)
        return (f"<CertificateRequest subject={self.subject.rfc4514()!r} "
                f"key={self.public_key!r} signature={self.signature_algorithm.name}"
                f"{' extensions=[' + exts + ']' if exts else ''}>")

    @property
    def challenge_password(self) -> str | None:
        """Return the challengePassword attribute's text, or None."""
        from . import oids

        for attr in self.attributes:
            if attr.oid == oids.CHALLENGE_PASSWORD and isinstance(attr.values[0], StringValue):
                return attr.values[0].value
        return None

    def to_der(self) -> bytes:
        """Return the request re-encoded from the model: ``der`` itself for DER input.

        For a request read leniently, every element is written as DER
        encodes its value (lengths, INTEGERs and BOOLEANs in their DER form,
        DEFAULTs left out, SETs in order, typed extension values re-encoded),
        and every value stays as read: a version of 1 or 2, missing ``[0]``
        attributes, the string type and text of each value, the parameters
        of keys and algorithms, and the octets of extensions csrlib does not
        type.  So the result reads leniently to the same request, with only
        the deviations of value (:data:`csrlib.errors.ENCODING_DEVIATIONS` never remain),
        and strictly when there were none of those.
        """
        w = Writer()
        canonical = bool(self.deviations)
        with w.constructed(0x30):
            w.raw(self._tbs_der(canonical=canonical))
            w.raw(canonical_algorithm(self.signature_algorithm) if canonical
                  else self.signature_algorithm.to_der())
            w.primitive(0x03, bytes((self.signature_unused_bits,)) + self.signature)
        return w.getvalue()

    def _tbs_der(self, with_attributes: bool = False, canonical: bool = False) -> bytes:
        if canonical:
            middle = canonical_der(self.subject.to_der()) + canonical_key(self.public_key)
        else:
            middle = self.subject.to_der() + self.public_key.to_der()
        body = (b"\x02" + encode_length(len(encode_integer(self.version)))
                + encode_integer(self.version) + middle)
        if self.attributes_present or with_attributes:
            attrs = sorted(canonical_attribute(a) if canonical else a.to_der()
                           for a in self.attributes)
            joined = b"".join(attrs)
            body += b"\xa0" + encode_length(len(joined)) + joined
        return b"\x30" + encode_length(len(body)) + body

    def to_pem(self) -> str:
        """Return the request as PEM (``CERTIFICATE REQUEST``), from ``to_der()``."""
        return encode_pem(PEM_LABELS[0], self.to_der())

    def to_pyasn1(self) -> Any:
        """Return the request as a ``pyasn1_modules.rfc2986.CertificationRequest`` value.

        The value is decoded from ``der`` with the strictness the request was
        loaded with; a request loaded without its (mandatory) attributes gets
        an empty set of them, as pyasn1's schema requires.
        """
        from pyasn1_modules import rfc2986

        from .asn1 import decode

        der = self.der
        if not self.attributes_present:
            header = 2 + (der[1] & 0x7F if der[1] & 0x80 else 0)
            rest = self._tbs_der(with_attributes=True) + der[header + len(self.tbs_der):]
            der = b"\x30" + encode_length(len(rest)) + rest
        return decode(der, rfc2986.CertificationRequest(), strict=not self.deviations)

    @property
    def possession_statement(self) -> PossessionStatement | None:
        """Return the privateKeyPossessionStatement (RFC 9883) naming the signer, or None."""
        from . import oids

        attribute = self.attributes.get(oids.STATEMENT_OF_POSSESSION)
        if attribute is None:
            return None
        from .model.possession import PossessionStatement

        value = attribute.values[0]
        assert isinstance(value, PossessionStatement)
        return value

    def verify(self, *, policy: Policy | None = None,
               signer_certificate: bytes | str | Certificate | None = None) -> None:
        """Check the signature over ``tbs_der``, the exact bytes received; return None.

        Without ``signer_certificate``, the self-signature, with the
        request's own key.  A request with a privateKeyPossessionStatement
        (RFC 9883) is signed by the key of the certificate the statement
        names: then ``signer_certificate`` (DER, PEM or a
        :class:`~csrlib.model.certificate.Certificate`) must be that
        certificate; its key checks the signature, and the statement must
        name it (same issuer and serial number) and, when it carries a
        certificate, carry this one.  Checking that certificate itself (its
        path, validity and key usage, RFC 9883 3) is the caller's job.

        Raises InvalidSignature, UnsupportedAlgorithm or PolicyError (see
        :func:`csrlib.verify_signature`); :class:`SignerCertificateRequired`
        (an UnsupportedAlgorithm) when the request names a signer
        certificate and none was given; InvalidSignature when one was given
        that the request does not name, or the request names none, or when
        the request's ML-KEM key is one a lenient load kept but RFC 9935 or
        FIPS 203 refuse (``MlKemPublicKey.problem()``); DecodeError when
        ``signer_certificate`` is not a certificate.
        """
        statement = self.possession_statement
        key = self.public_key
        if signer_certificate is None:
            if statement is not None:
                raise SignerCertificateRequired(
                    "the request is signed by another key than its own: that of the "
                    f"certificate of serial number {int_text(statement.serial_number)} issued "
                    f"by {_name_text(statement.issuer)} (RFC 9883 "
                    "privateKeyPossessionStatement); verify it with that certificate "
                    "(verify(signer_certificate=...), csrlib verify --signer-cert)")
            if key.key_type.startswith("ml-kem"):
                raise InvalidSignature(f"an {key.key_type} key cannot sign: its request must be "
                                       "signed by a certificate's key that a "
                                       "privateKeyPossessionStatement names (RFC 9883)")
        else:
            from .model.certificate import Certificate

            cert = (signer_certificate if isinstance(signer_certificate, Certificate)
                    else Certificate.load(signer_certificate))
            _check_signer(statement, cert)
            from .model.ml_kem_keys import MlKemPublicKey

            problem = key.problem() if isinstance(key, MlKemPublicKey) else None
            if problem is not None:
                # A lenient load keeps such a key; it is no key to certify.
                raise InvalidSignature(f"the request's {key.key_type} key is not valid: "
                                       f"{problem}")
            key = cert.public_key
        verify_signature(key, self.signature_algorithm, self.signature,
                         self.tbs_der, policy=policy, unused_bits=self.signature_unused_bits)

    @classmethod
    def from_pyasn1(cls, value: Any, *, strict: bool = True) -> CertificateRequest:
        """Return the request a pyasn1 CertificationRequest value encodes."""
        from .asn1 import encode

        return load_der(encode(value), strict=strict)


def _name_text(name: Name) -> str:
    """Return a Name as quoted RFC 4514 text for a message, at most 200 characters of it."""
    text = name.rfc4514()
    return repr(text if len(text) <= 200 else text[:200] + "...")


def _check_signer(statement: PossessionStatement | None, cert: Certificate) -> None:
    """Raise InvalidSignature unless ``statement`` names ``cert`` (RFC 9883 3)."""
    if statement is None:
        raise InvalidSignature("the request has no privateKeyPossessionStatement attribute "
                               "(RFC 9883): it names no signer certificate")
    if not statement.names(cert):
        raise InvalidSignature(
            "the privateKeyPossessionStatement names another certificate: serial number "
            f"{int_text(statement.serial_number)} issued by {_name_text(statement.issuer)}, "
            f"not serial number {int_text(cert.serial_number)} issued by "
            f"{_name_text(cert.issuer)}")
    if statement.certificate is not None and statement.certificate != cert:
        raise InvalidSignature("the certificate the privateKeyPossessionStatement carries is "
                               "not the signer certificate given")


def _input(
    data: bytes | bytearray | memoryview | str, limits: Limits | None, *, text: bool = True
) -> bytes:
    """Return ``data`` as bytes, its size checked first; raise DecodeError or TypeError.

    Raises DecodeError (kind ``size-limit``, at ``max_size``) when the raw
    input, PEM or DER, is larger than ``limits.max_size``, before it is copied,
    scanned or decoded; TypeError when it is not bytes, bytearray or
    memoryview (or str, when ``text``).
    """
    max_size = (limits or DEFAULT_LIMITS).max_size
    if type(data) is bytes:  # the common case first
        if len(data) > max_size:
            raise DecodeError("size-limit", max_size)
        return data
    if isinstance(data, memoryview):
        size = data.nbytes
    elif isinstance(data, bytes | bytearray) or (text and isinstance(data, str)):
        size = len(data)
    else:
        kinds = "bytes, bytearray, memoryview or str" if text else "bytes, bytearray or memoryview"
        raise TypeError(f"data must be {kinds}, not {type(data).__name__}")
    if size > max_size:
        raise DecodeError("size-limit", max_size)
    # A str's characters are octets of PEM (non-ASCII ones only in explanatory
    # text, where "?" serves as well): one octet each, so the size holds.
    return data.encode("ascii", "replace") if isinstance(data, str) else bytes(data)


def load(
    data: bytes | bytearray | memoryview | str, *, strict: bool = True,
    limits: Limits | None = None,
) -> CertificateRequest:
    """Return the request in ``data``, PEM or DER; raise DecodeError if invalid.

    The format is judged from the data's shape (:func:`csrlib.pem.detect_format`):
    text is PEM; binary data starting with a SEQUENCE tag is DER; other
    binary data is refused as PEM that is not text (kind ``pem``, at its
    first binary octet).  The data is never searched for a PEM block, so a
    DER request carrying PEM text in a value is read as that DER request.
    The raw input, PEM or DER, is at most ``limits.max_size`` octets
    (DecodeError ``size-limit`` before any other work).  Raises TypeError
    when ``data`` is not bytes, bytearray, memoryview or str.

    The cyclic garbage collector is paused while the request loads (its
    state restored however the load ends): a load's objects form no cycle,
    and the collector's passes over thousands of them would only cost time.
    """
    # The guard stays outermost: from a caller deep in its stack, the
    # handler itself needs the frames a nested one would not have.
    try:
        return collector_paused(_load, data, strict, limits)
    except RecursionError:
        raise _out_of_stack() from None


def _load(data: bytes | bytearray | memoryview | str, strict: bool,
          limits: Limits | None) -> CertificateRequest:
    raw = _input(data, limits)
    if detect_format(raw) == "der":
        return _load_der(raw, strict, limits)
    return _load_pem_all(raw, strict, limits)[0]


def load_pem(
    data: bytes | bytearray | memoryview | str, *, strict: bool = True,
    limits: Limits | None = None,
) -> CertificateRequest:
    """Return the first certificate request of a PEM text; raise DecodeError if there is none.

    Every request block of the text is loaded (and can fail); see
    :func:`load_pem_all` for what is refused.
    """
    return load_pem_all(data, strict=strict, limits=limits)[0]


def load_pem_all(
    data: bytes | bytearray | memoryview | str, *, strict: bool = True,
    limits: Limits | None = None,
) -> list[CertificateRequest]:
    """Return every certificate request of a PEM text (other blocks are skipped).

    Raises DecodeError: kind ``size-limit`` when the whole text is larger
    than ``limits.max_size`` (a bundle is bounded as a whole, before any
    scanning); kind ``pem`` when the data is not text (binary data holding a
    PEM block is not PEM: at the offset of the first binary octet), when a
    request block is malformed, or when there is no request block; any kind
    for a request that does not load.  Raises TypeError when ``data`` is not
    bytes, bytearray, memoryview or str.  The cyclic garbage collector is
    paused meanwhile, as by :func:`load`.
    """
    try:
        return collector_paused(_load_pem_text, data, strict, limits)
    except RecursionError:
        raise _out_of_stack() from None


def _load_pem_text(data: bytes | bytearray | memoryview | str, strict: bool,
                   limits: Limits | None) -> list[CertificateRequest]:
    return _load_pem_all(_input(data, limits), strict, limits)


def _out_of_stack() -> DecodeError:
    # A caller already deep in its own stack: the walks themselves keep
    # their own stacks, but a frame or two of set-up may be one too many.
    return DecodeError("depth-limit", 0, "interpreter recursion limit")


#: Labels of other blocks named in the error for a text without a request.
_LABELS_SHOWN = 4


def _load_pem_all(raw: bytes, strict: bool, limits: Limits | None) -> list[CertificateRequest]:
    """Return the requests of a PEM text already checked for size; raise DecodeError."""
    check_text(raw)
    requests: list[bytes] = []
    others: dict[str, None] = {}  # ordered, and bounded: only for the message
    for label, der in iter_pem_blocks(raw, PEM_LABELS):
        if der is not None:
            requests.append(der)
        elif label and len(others) <= _LABELS_SHOWN:
            others[label] = None
    if not requests:
        shown = [label_text(label) for label in list(others)[:_LABELS_SHOWN]]
        if len(others) > _LABELS_SHOWN:
            shown.append("...")
        found = f" (found {', '.join(shown)})" if shown else ""
        raise DecodeError("pem", 0, f"no CERTIFICATE REQUEST block{found}")
    return [_load_der(der, strict, limits) for der in requests]


def load_der(
    data: bytes | bytearray | memoryview, *, strict: bool = True, limits: Limits | None = None
) -> CertificateRequest:
    """Return the request a DER encoding holds; raise DecodeError if it is not valid.

    Raises DecodeError ``size-limit`` for input over ``limits.max_size``
    before copying it, and TypeError when ``data`` is not bytes, bytearray
    or memoryview.  The cyclic garbage collector is paused meanwhile, as by
    :func:`load`.
    """
    try:
        return collector_paused(_load_der, data, strict, limits)
    except RecursionError:
        raise _out_of_stack() from None


def _load_der(
    data: bytes | bytearray | memoryview, strict: bool, limits: Limits | None
) -> CertificateRequest:
    buf = _input(data, limits, text=False)
    # A small request of the common shape, read in one pass (model/plain_request.py):
    # the request the general reading below makes of it, in either mode.
    if len(buf) <= PLAIN_MAX_SIZE and (limits is None or limits == DEFAULT_LIMITS):
        plain = read_plain_request(buf, strict)
        if plain is not None:
            start, end, subject, key, attrs, extensions, algorithm, signature = plain
            return _request(buf, buf[start:end], signature, 0, subject, key, algorithm,
                            attrs, extensions, (), 0, True)
    return _load_general(buf, strict, limits)


def _load_general(buf: bytes, strict: bool, limits: Limits | None) -> CertificateRequest:
    """Return the request of DER ``buf`` (its size checked), read through the decoders."""
    src = Source(buf, strict, limits)
    (cri, cri_start, cri_end), sig_alg, (signature, unused) = src.decode(
        plan(schemas.CertificationRequest), 0, len(buf), 0, "")
    version, rdns, spki, attributes = cri
    # RFC 2986 4.1: version is 0; old generators wrote 1 or 2.
    if version != 0:
        cri_contents = src.contents(cri_start, cri_end)[0]
        if version in (1, 2):
            src.deviate("bad-version", cri_contents, f"{CRI_PATH}.version", int_text(version))
        else:
            raise src.fail("bad-version", cri_contents, f"{CRI_PATH}.version", int_text(version))
    # Depths as the decoder counts them: the request's contents are at 1, the
    # info's at 2, so its components (subject, key, attributes) are at 3.
    subject = read_name(src, rdns, 3, SUBJECT_PATH)
    # A fixed-shape key (model/key_shapes.py) is read by its octets: the same key.
    start, end = spki[1], spki[2]
    public_key = ((read_shaped_key(buf[start:end]) if end - start in SHAPED_SIZES else None)
                  or read_spki(src, spki, 3, SPKI_PATH))
    if attributes is None:
        src.deviate("attributes-missing", cri_end, CRI_PATH)
        attrs = Attributes()
        extensions = Extensions()
    else:
        attrs, extensions = read_attributes(src, attributes, 3, ATTRIBUTES_PATH)
    algorithm = read_signature_algorithm(src, sig_alg, 2, ALGORITHM_PATH)
    if unused:
        # No algorithm csrlib knows signs a bit string that is not whole
        # octets; the unused-bits octet is the one before the signature's
        # octets, which end the input.
        src.deviate("signature-unused-bits", len(buf) - len(signature) - 1, "signature",
                    f"{int_text(unused)} unused bits")
    return _request(buf, buf[cri_start:cri_end], signature, version, subject, public_key,
                    algorithm, attrs, extensions, src.deviations(), unused,
                    attributes is not None)


_request = maker(CertificateRequest)
