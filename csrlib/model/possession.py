"""RFC 9883's privateKeyPossessionStatement attribute: who signed a request for a KEM key.

A key that cannot sign (an ML-KEM key, an X25519 or ECDH key) cannot make
the self-signature of PKCS#10.  RFC 9883 lets the requester sign the
request with the key of a signature certificate it already holds, and
name that certificate in the attribute (OID 1.3.6.1.4.1.22112.2.1,
``id-at-statementOfPossession`` in the RFC's ASN.1 module)::

    PrivateKeyPossessionStatement ::= SEQUENCE {
        signer  IssuerAndSerialNumber,
        cert    Certificate OPTIONAL }

A request holds at most one such attribute, of one value; both are checked
when the request loads (the certificate, when present, as a certificate:
:mod:`csrlib.model.certificate`).  Whether the statement names the
certificate that really signed is checked by
``CertificateRequest.verify(signer_certificate=...)``.
"""

from __future__ import annotations

from .. import cert_schemas
from ..der.primitives import encode_integer
from ..der.tlv import tlv
from ..errors import int_text
from ..frozen import field, frozen
from .certificate import Certificate, read_certificate
from .names import Name, read_name
from .reading import Path, Source, maker, path_text, plan

__all__ = ["PossessionStatement", "read_possession"]


@frozen(eq=False)
class PossessionStatement:
    """The value of a privateKeyPossessionStatement attribute (RFC 9883 3).

    ``issuer`` and ``serial_number`` name the signature certificate whose
    key signed the request (``issuer_der``: the issuer Name's DER as
    encoded); ``certificate`` is that certificate when the statement
    carries it, else None.  Two statements are equal when their DER is.
    """

    issuer: Name
    serial_number: int
    certificate: Certificate | None
    der: bytes = field(repr=False)
    issuer_der: bytes = field(repr=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PossessionStatement) and self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return (f"PossessionStatement(issuer={self.issuer.rfc4514()!r}, "
                f"serial_number={int_text(self.serial_number)}, "
                f"certificate={'included' if self.certificate is not None else 'absent'})")

    def to_der(self) -> bytes:
        """Return the DER PrivateKeyPossessionStatement."""
        return self.der

    def names(self, certificate: Certificate) -> bool:
        """Return whether the statement names ``certificate``: same issuer and serial number.

        The issuer Names are compared as encoded (their DER), as RFC 5652's
        IssuerAndSerialNumber is matched in practice.
        """
        return (self.serial_number == certificate.serial_number
                and self.issuer_der == certificate.issuer_der)

    @staticmethod
    def of(certificate: Certificate, include_certificate: bool = True) -> PossessionStatement:
        """Return the statement naming ``certificate`` (and carrying it, by default)."""
        signer = tlv(0x30, certificate.issuer_der
                     + tlv(0x02, encode_integer(certificate.serial_number)))
        der = tlv(0x30, signer + (certificate.der if include_certificate else b""))
        return _statement(certificate.issuer, certificate.serial_number,
                          certificate if include_certificate else None, der,
                          certificate.issuer_der)

    @staticmethod
    def from_der(data: bytes) -> PossessionStatement:
        """Return the statement a DER PrivateKeyPossessionStatement holds; raise DecodeError."""
        src = Source(bytes(data))
        return read_possession(src, 0, len(src.buf), 0, "")


def read_possession(src: Source, start: int, end: int, depth: int,
                    path: Path) -> PossessionStatement:
    """Return the PossessionStatement of the element ``buf[start:end]``; raise DecodeError.

    Every part is checked: the IssuerAndSerialNumber, and the certificate
    (as :func:`csrlib.model.certificate.read_certificate` reads one).
    """
    text = path_text(path)
    signer, cert = src.decode(plan(cert_schemas.PrivateKeyPossessionStatement), start, end,
                              depth, path)
    issuer, serial = signer
    prefix = f"{text}.signer" if text else "signer"
    name = read_name(src, issuer, depth + 3, f"{prefix}.issuer")
    certificate = None
    if cert is not None:
        certificate = read_certificate(src, cert, depth + 1, f"{text}.cert" if text else "cert")
    return _statement(name, serial, certificate, src.buf[start:end],
                      src.buf[issuer[1]:issuer[2]])


_statement = maker(PossessionStatement)
