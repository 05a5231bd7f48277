"""A small, strict certificate reader: what verifying an RFC 9883 request needs.

:class:`Certificate` holds a certificate's serial number, issuer, subject,
public key and signature algorithm, with its exact octets (``der``).  It
checks the certificate as DER (strictly by default) and the values it
types as a request's; it does not verify the certificate's signature,
validity period or path: that is the caller's job (RFC 9883 3 makes the
CA validate the signature certificate's path, RFC 5280 6).
"""

from __future__ import annotations

from typing import Any

from .. import cert_schemas
from ..der.tlv import Limits
from ..errors import DecodeError, int_text
from ..frozen import field, frozen
from .algorithms import SignatureAlgorithm, read_signature_algorithm
from .keys import PublicKey, read_spki
from .names import Name, read_name
from .reading import Source, maker, plan

__all__ = ["Certificate", "read_certificate"]

_PEM_LABELS = ("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE")


@frozen(eq=False)
class Certificate:
    """An X.509 certificate, read (RFC 5280 4.1): the parts csrlib needs, and its DER.

    ``version`` is 0, 1 or 2 (v1..v3); ``serial_number`` as encoded (RFC 5280
    4.1.2.2 asks for a positive one of at most 20 octets; others are read).
    Two certificates are equal when their DER is.
    """

    der: bytes = field(repr=False)
    version: int
    serial_number: int
    issuer: Name
    subject: Name
    public_key: PublicKey
    signature_algorithm: SignatureAlgorithm
    #: The DER of the issuer Name, exactly as the certificate holds it.
    issuer_der: bytes = field(repr=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Certificate) and self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return (f"<Certificate serial={int_text(self.serial_number)} "
                f"issuer={self.issuer.rfc4514()!r} subject={self.subject.rfc4514()!r} "
                f"key={self.public_key!r}>")

    @staticmethod
    def from_der(data: bytes | bytearray | memoryview, *, strict: bool = True,
                 limits: Limits | None = None) -> Certificate:
        """Return the certificate a DER encoding holds; raise DecodeError if it is not one."""
        src = Source(bytes(data), strict, limits)
        value = src.decode(plan(cert_schemas.Certificate), 0, len(src.buf), 0, "")
        return read_certificate(src, value, 0, "")

    @staticmethod
    def load(data: bytes | bytearray | memoryview | str, *, strict: bool = True) -> Certificate:
        """Return the certificate in ``data``: DER, or PEM holding exactly one ``CERTIFICATE``.

        Raises DecodeError for anything else (kind ``pem`` for PEM without
        exactly one certificate block).
        """
        from ..pem import detect_format, pem_blocks

        raw = data.encode("ascii", "replace") if isinstance(data, str) else bytes(data)
        if detect_format(raw) == "der":
            return Certificate.from_der(raw, strict=strict)
        found = [body for _, body in pem_blocks(raw, _PEM_LABELS) if body is not None]
        if len(found) != 1:
            raise DecodeError("pem", 0, f"expected one CERTIFICATE block, found {len(found)}")
        return Certificate.from_der(found[0], strict=strict)


def read_certificate(src: Source, value: Any, depth: int, path: str) -> Certificate:
    """Return the Certificate of a decoded :class:`csrlib.cert_schemas.Certificate` at ``depth``.

    ``path`` names it in errors.  Raises DecodeError for a version other
    than v1..v3 or a key or name the request reader refuses.
    """
    (tbs, alg, _signature), start, end = value
    (version, serial, _sig_alg, issuer, _validity, subject, spki, *_rest), t_start, _ = tbs
    prefix = f"{path}.tbsCertificate" if path else "tbsCertificate"
    if version not in (0, 1, 2):
        raise src.fail("bad-version", t_start, f"{prefix}.version", int_text(version))
    issuer_name = read_name(src, issuer, depth + 3, f"{prefix}.issuer")
    subject_name = read_name(src, subject, depth + 3, f"{prefix}.subject")
    key = read_spki(src, spki, depth + 3, f"{prefix}.subjectPublicKeyInfo")
    algorithm = read_signature_algorithm(src, alg, depth + 2,
                                         f"{path}.signatureAlgorithm" if path
                                         else "signatureAlgorithm")
    return _certificate(src.buf[start:end], version, serial, issuer_name, subject_name, key,
                        algorithm, src.buf[issuer[1]:issuer[2]])


_certificate = maker(Certificate)
