"""The DER a loaded request's parts re-encode to, for ``CertificateRequest.to_der()``.

A request loaded leniently is written back in DER: the parts that deviated
are re-encoded from the model, the others made canonical octet for octet
(:func:`csrlib.der.canonical.canonical_der`).
"""

from __future__ import annotations

from ..der.canonical import canonical_der
from ..der.primitives import encode_integer, encode_oid
from ..der.tlv import Context, read_header, tlv
from .algorithms import SignatureAlgorithm
from .attributes import Attribute
from .extensions import Extension, Extensions, UnrecognizedExtension
from .keys import PublicKey, RsaPublicKey

__all__ = ["canonical_algorithm", "canonical_attribute", "canonical_key"]


def canonical_algorithm(algorithm: SignatureAlgorithm) -> bytes:
    """Return an AlgorithmIdentifier in DER: PSS parameters re-encoded, others canonical."""
    if algorithm.pss is not None:
        return tlv(0x30, tlv(0x06, encode_oid(algorithm.oid)) + algorithm.pss.to_der())
    return canonical_der(algorithm.to_der())


def canonical_key(key: PublicKey) -> bytes:
    """Return a SubjectPublicKeyInfo in DER: an RSA key's integers re-encoded inside."""
    spki = canonical_der(key.to_der())
    if not isinstance(key, RsaPublicKey):
        return spki
    _, c, e = read_header(spki, 0, len(spki), Context())
    _, _, alg_end = read_header(spki, c, e, Context())
    if key.pss is not None:
        algorithm = tlv(0x30, tlv(0x06, encode_oid(key.algorithm)) + key.pss.to_der())
    else:
        algorithm = spki[c:alg_end]
    inner = tlv(0x30, tlv(0x02, encode_integer(key.n)) + tlv(0x02, encode_integer(key.e)))
    return tlv(0x30, algorithm + tlv(0x03, b"\x00" + inner))


def canonical_attribute(attribute: Attribute) -> bytes:
    """Return an Attribute in DER: typed extension values re-encoded, others canonical.

    A typed value is written from the model, then made canonical as a whole:
    the parts it keeps as DER (an otherName's value, a policy qualifier) are
    canonical too.
    """
    values = attribute.values
    if len(values) == 1 and isinstance(values[0], Extensions):
        extensions = Extensions([
            e if isinstance(e.value, UnrecognizedExtension)
            else Extension(e.oid, e.critical, e.value, canonical_der(e.value.to_der()))
            for e in values[0]])
        return Attribute(attribute.oid, (extensions,)).to_der()
    return canonical_der(attribute.to_der())
