"""csrlib's pyasn1 schemas of keys and signature algorithm parameters.

RSAPublicKey (RFC 8017), Ecdsa-Sig-Value (RFC 5480 / RFC 3279) and
RSASSA-PSS-params (RFC 4055) with real DEFAULT values (pyasn1-modules
makes the first two OPTIONAL), so that an encoded default is caught as in
any other type.  The request's own schemas are :mod:`csrlib.schemas`.
"""

from __future__ import annotations

from typing import Any

from pyasn1.type import namedtype, univ

from . import oids
from .schemas import SpannedAny, _ctx

__all__ = ["EcdsaSigValue", "HashAlgorithm", "MaskGenAlgorithm", "RsaPublicKey",
           "RsassaPssParams"]


class RsaPublicKey(univ.Sequence):
    """RSAPublicKey (RFC 8017 A.1.1)."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("modulus", univ.Integer()),
        namedtype.NamedType("publicExponent", univ.Integer()),
    )


class EcdsaSigValue(univ.Sequence):
    """Ecdsa-Sig-Value (RFC 5480 / RFC 3279 2.2.3)."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("r", univ.Integer()),
        namedtype.NamedType("s", univ.Integer()),
    )


class HashAlgorithm(univ.Sequence):
    """A hash AlgorithmIdentifier (parameters NULL or absent)."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("algorithm", univ.ObjectIdentifier()),
        namedtype.OptionalNamedType("parameters", univ.Any()),
    )


class MaskGenAlgorithm(univ.Sequence):
    """The MGF AlgorithmIdentifier of RSASSA-PSS; its parameters kept with their span."""

    componentType = namedtype.NamedTypes(
        namedtype.NamedType("algorithm", univ.ObjectIdentifier()),
        namedtype.OptionalNamedType("parameters", SpannedAny()),
    )


def _algorithm_value(cls: type[Any], oid: str, parameters: bytes | None, number: int) -> Any:
    value = cls().subtype(explicitTag=_ctx(number))
    value["algorithm"] = univ.ObjectIdentifier(oid)
    if parameters is not None:
        value["parameters"] = univ.Any(parameters)
    return value


# RFC 4055 3.1: sha1Identifier is { id-sha1, NULL }; mgf1SHA1Identifier is
# { id-mgf1, sha1Identifier }.
_SHA1_IDENTIFIER_DER = bytes.fromhex("300906052b0e03021a0500")


class RsassaPssParams(univ.Sequence):
    """RSASSA-PSS-params (RFC 4055 3.1) with its DEFAULT values."""

    componentType = namedtype.NamedTypes(
        namedtype.DefaultedNamedType("hashAlgorithm",
                                     _algorithm_value(HashAlgorithm, oids.SHA1, b"\x05\x00", 0)),
        namedtype.DefaultedNamedType("maskGenAlgorithm",
                                     _algorithm_value(MaskGenAlgorithm, oids.MGF1,
                                                      _SHA1_IDENTIFIER_DER, 1)),
        namedtype.DefaultedNamedType("saltLength", univ.Integer(20).subtype(
            explicitTag=_ctx(2))),
        namedtype.DefaultedNamedType("trailerField", univ.Integer(1).subtype(
            explicitTag=_ctx(3))),
    )
