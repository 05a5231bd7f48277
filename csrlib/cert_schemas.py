"""Schemas for what a request may carry of a certificate (RFC 5280 4.1, RFC 9883 3).

Only what csrlib reads of a certificate is typed (version, serial number,
issuer, subject, key, signature algorithm); the validity and the
extensions are checked as DER and kept as they are.  The spans follow
:mod:`csrlib.schemas`: the certificate, its TBS, names, keys and algorithm
identifiers are *spanned*, so the model keeps their exact octets.
"""

from __future__ import annotations

from pyasn1.type import namedtype, univ, useful

from .schemas import AlgorithmIdentifier, RDNSequence, SubjectPublicKeyInfo, _ctx

__all__ = ["Certificate", "IssuerAndSerialNumber", "PrivateKeyPossessionStatement",
           "TBSCertificate", "Time", "Validity"]


class Time(univ.Choice):
    """Time (RFC 5280 4.1.2.5): UTCTime or GeneralizedTime."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("utcTime", useful.UTCTime()),
        namedtype.NamedType("generalTime", useful.GeneralizedTime()),
    )


class Validity(univ.Sequence):
    """Validity (RFC 5280 4.1.2.5): checked as DER, not judged."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("notBefore", Time()),
        namedtype.NamedType("notAfter", Time()),
    )


class TBSCertificate(univ.Sequence):
    """TBSCertificate (RFC 5280 4.1), spanned; the extensions kept as checked DER."""

    csrlib_span = True
    componentType = namedtype.NamedTypes(
        namedtype.DefaultedNamedType("version", univ.Integer(0).subtype(explicitTag=_ctx(0))),
        namedtype.NamedType("serialNumber", univ.Integer()),
        namedtype.NamedType("signature", AlgorithmIdentifier()),
        namedtype.NamedType("issuer", RDNSequence()),
        namedtype.NamedType("validity", Validity()),
        namedtype.NamedType("subject", RDNSequence()),
        namedtype.NamedType("subjectPublicKeyInfo", SubjectPublicKeyInfo()),
        namedtype.OptionalNamedType("issuerUniqueID",
                                    univ.BitString().subtype(implicitTag=_ctx(1, False))),
        namedtype.OptionalNamedType("subjectUniqueID",
                                    univ.BitString().subtype(implicitTag=_ctx(2, False))),
        namedtype.OptionalNamedType("extensions", univ.Any().subtype(explicitTag=_ctx(3))),
    )


class Certificate(univ.Sequence):
    """Certificate (RFC 5280 4.1), spanned."""

    csrlib_span = True
    componentType = namedtype.NamedTypes(
        namedtype.NamedType("tbsCertificate", TBSCertificate()),
        namedtype.NamedType("signatureAlgorithm", AlgorithmIdentifier()),
        namedtype.NamedType("signatureValue", univ.BitString()),
    )


class IssuerAndSerialNumber(univ.Sequence):
    """IssuerAndSerialNumber (RFC 5652 10.2.4): the issuer's Name and a serial number."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("issuer", RDNSequence()),
        namedtype.NamedType("serialNumber", univ.Integer()),
    )


class PrivateKeyPossessionStatement(univ.Sequence):
    """PrivateKeyPossessionStatement (RFC 9883 3): the signer and, optionally, its certificate."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("signer", IssuerAndSerialNumber()),
        namedtype.OptionalNamedType("cert", Certificate()),
    )
