"""A request as plain data: what ``csrlib show`` prints and ``show --json`` emits.

``summarize(req)`` returns a dict of JSON types with a stable shape
(documented in the README); :func:`csrlib.cli.show_text.describe` renders
it as text in the manner of ``openssl req -text -noout``.

Integers a request carries (an authorityKeyIdentifier serial, a
pathLenConstraint) can be as long as the input: they are never turned into
decimal text whole (CPython refuses past 4300 digits, and the work is
quadratic).  In the summary an integer of at most 64 bits is a JSON number
and a larger one a string of its exact value in hexadecimal, ``"0x..."``
(``"-0x..."`` if negative; hexadecimal text takes linear work and no limit
applies).  The text form shows those with :func:`csrlib.errors.int_text`
(hexadecimal up to 1024 bits, then only the size).

Both return the request's text as it is: a caller that prints it escapes
it (``csrlib show`` passes every line through :func:`csrlib.cli.text.escape`
and JSON through :func:`csrlib.cli.text.json_text`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from .. import oids
from ..crypto.verify import Policy
from ..errors import CSRError, UnsupportedAlgorithm
from ..model.algorithms import PssParameters
from ..model.attributes import StringValue
from ..model.extensions import (
    AuthorityKeyIdentifier,
    BasicConstraints,
    CertificatePolicies,
    ExtendedKeyUsage,
    Extensions,
    ExtensionValue,
    IssuerAlternativeName,
    KeyUsage,
    SubjectAlternativeName,
    SubjectKeyIdentifier,
    UnrecognizedExtension,
)
from ..model.general_names import (
    DirectoryName,
    DNSName,
    EDIPartyName,
    GeneralName,
    IPAddress,
    OtherName,
    RFC822Name,
    X400Address,
)
from ..model.hostnames import to_unicode
from ..model.keys import (
    DsaPublicKey,
    EcPublicKey,
    Ed448PublicKey,
    Ed25519PublicKey,
    PublicKey,
    RsaPublicKey,
    UnknownPublicKey,
)
from ..model.ml_dsa_keys import MlDsaPublicKey
from ..model.ml_kem_keys import MlKemPublicKey
from ..model.more_extensions import (
    AuthorityInformationAccess,
    CertificateTemplate,
    CertificateTemplateName,
    CRLDistributionPoints,
    NameConstraints,
    TLSFeature,
)
from ..model.ms_attributes import ClientInformation, CspInformation, NameValuePair
from ..model.possession import PossessionStatement
from ..request import CertificateRequest
from .show_text import describe

__all__ = ["describe", "general_name_value", "public_key_summary", "pss_summary", "summarize"]


def general_name_value(name: GeneralName) -> str:
    """Return one GeneralName's value as text (hex for the forms kept as DER)."""
    if isinstance(name, IPAddress):
        return str(name.value)
    if isinstance(name, DirectoryName):
        return name.value.rfc4514()
    if isinstance(name, OtherName):
        return f"{name.type_id};{name.value.hex()}"
    if isinstance(name, X400Address | EDIPartyName):
        return name.der.hex()
    return str(name.value)


def _integer(value: int | None) -> int | str | None:
    """Return an integer for JSON: itself up to 64 bits, else its exact value as ``"0x..."``."""
    if value is None or value.bit_length() <= 64:
        return value
    return f"{value:#x}"


def _names(names: Sequence[GeneralName] | None) -> list[dict[str, str]] | None:
    if names is None:
        return None
    out = []
    for n in names:
        entry = {"type": n.kind, "value": general_name_value(n)}
        if isinstance(n, DNSName | RFC822Name):
            # A-labels also as U-labels, where every xn-- label is valid IDNA 2008.
            local, at, domain = entry["value"].rpartition("@")
            unicode = to_unicode(domain)
            if unicode is not None and unicode != domain:
                entry["unicode"] = local + at + unicode
        out.append(entry)
    return out


def _one_name(name: GeneralName) -> dict[str, str]:
    names = _names((name,))
    assert names is not None
    return names[0]


def _extension_value(value: ExtensionValue) -> Any:
    if isinstance(value, SubjectAlternativeName | IssuerAlternativeName):
        return _names(value.names)
    if isinstance(value, KeyUsage):
        return list(value.names)
    if isinstance(value, ExtendedKeyUsage):
        return list(value.names)
    if isinstance(value, BasicConstraints):
        return {"ca": value.ca, "path_length": _integer(value.path_length)}
    if isinstance(value, SubjectKeyIdentifier):
        return value.digest.hex()
    if isinstance(value, AuthorityKeyIdentifier):
        return {"key_identifier": None if value.key_identifier is None
                else value.key_identifier.hex(),
                "issuer": _names(value.authority_cert_issuer),
                "serial": _integer(value.authority_cert_serial_number)}
    if isinstance(value, CertificatePolicies):
        return [{"policy": p.policy_identifier,
                 "qualifiers": [{"oid": q, "der": raw.hex()} for q, raw in p.qualifiers or ()]}
                for p in value.policies]
    if isinstance(value, TLSFeature):
        return list(value.names)
    if isinstance(value, CertificateTemplateName):
        return value.name
    if isinstance(value, CertificateTemplate):
        return {"template": value.template, "major_version": _integer(value.major_version),
                "minor_version": _integer(value.minor_version)}
    if isinstance(value, NameConstraints):
        return {key: None if trees is None else [
                    {"base": _one_name(t.base), "minimum": _integer(t.minimum),
                     "maximum": _integer(t.maximum)} for t in trees]
                for key, trees in (("permitted", value.permitted), ("excluded", value.excluded))}
    if isinstance(value, AuthorityInformationAccess):
        return [{"method": d.method_name, "oid": d.method,
                 "location": _one_name(d.location)} for d in value.descriptions]
    if isinstance(value, CRLDistributionPoints):
        return [{"full_name": _names(p.full_name), "relative_name": None,
                 "reasons": None if p.reasons is None else list(p.reasons),
                 "crl_issuer": _names(p.crl_issuer)} for p in value.points]
    assert isinstance(value, UnrecognizedExtension)
    return {"der": value.value.hex()}


def _attribute_value(value: object) -> Any:
    if isinstance(value, StringValue):
        return value.value
    if isinstance(value, Extensions):
        return [e.oid for e in value]
    if isinstance(value, ClientInformation):
        return {"client_id": _integer(value.client_id), "machine_name": value.machine_name,
                "user_name": value.user_name, "process_name": value.process_name}
    if isinstance(value, CspInformation):
        return {"key_spec": _integer(value.key_spec), "csp_name": value.csp_name,
                "signature": value.signature.hex()}
    if isinstance(value, NameValuePair):
        return {"name": value.name, "value": value.value}
    if isinstance(value, PossessionStatement):
        return _possession(value)
    assert isinstance(value, bytes)
    return value.hex()


def _possession(value: PossessionStatement) -> dict[str, Any]:
    """Return an RFC 9883 statement: the signer's issuer and serial, and its certificate."""
    cert = value.certificate
    return {"issuer": value.issuer.rfc4514(), "serial": _integer(value.serial_number),
            "certificate": None if cert is None else {
                "subject": cert.subject.rfc4514(), "issuer": cert.issuer.rfc4514(),
                "serial": _integer(cert.serial_number), "key_type": cert.public_key.key_type,
                "sha256": hashlib.sha256(cert.der).hexdigest()}}


def summarize(req: CertificateRequest, policy: Policy | None = None) -> dict[str, Any]:
    """Return the request as JSON-ready data (the ``csrlib show --json`` shape).

    ``signature_valid`` is True, False, or None when csrlib could not check
    the signature (UnsupportedAlgorithm); ``verify_error`` then says why.
    Octets (key numbers, the signature) are lowercase hexadecimal.
    """
    valid: bool | None
    try:
        req.verify(policy=policy)
        valid, error = True, None
    except UnsupportedAlgorithm as exc:
        valid, error = None, f"{type(exc).__name__}: {exc}"
    except CSRError as exc:
        valid, error = False, f"{type(exc).__name__}: {exc}"
    alg = req.signature_algorithm
    san = req.extensions.value(SubjectAlternativeName)
    return {
        "version": req.version,
        "subject": req.subject.rfc4514(),
        "subject_attributes": [
            {"oid": a.oid, "name": a.short_name,
             "value": a.value.hex() if isinstance(a.value, bytes) else a.value,
             "string_type": a.string_type, "rdn": i}
            for i, rdn in enumerate(req.subject.rdns) for a in rdn],
        "public_key": public_key_summary(req.public_key),
        "signature_algorithm": {"oid": alg.oid, "name": alg.name, "hash": alg.hash,
                                "parameters": pss_summary(alg.pss)},
        "signature_valid": valid,
        "verify_error": error,
        "extensions": [{"oid": e.oid, "name": e.name, "critical": e.critical,
                        "value": _extension_value(e.value)} for e in req.extensions],
        "san": _names(san.names) if san is not None else [],
        "attributes": [{"oid": a.oid, "name": a.name,
                        "values": [_attribute_value(v) for v in a.values]}
                       for a in req.attributes],
        "signature": req.signature.hex(),
        "deviations": [{"offset": d.offset, "kind": d.kind, "path": d.path}
                       for d in req.deviations],
        "der_sha256": hashlib.sha256(req.der).hexdigest(),
    }


def pss_summary(pss: PssParameters | None) -> dict[str, Any] | None:
    """Return RSASSA-PSS parameters as JSON data, or None."""
    if pss is None:
        return None
    return {"hash": pss.hash, "mgf": oids.name_of(pss.mgf), "mgf_hash": pss.mgf_hash,
            "salt_length": _integer(pss.salt_length),
            "trailer_field": _integer(pss.trailer_field)}


def _hex_int(value: int | None) -> str | None:
    """Return a non-negative integer's big-endian octets in hex (OpenSSL's key dumps)."""
    if value is None:
        return None
    return value.to_bytes((value.bit_length() + 7) // 8 or 1, "big").hex()


def public_key_summary(key: PublicKey) -> dict[str, Any]:
    """Return a public key as JSON data: type, size, curve, fingerprint, and its numbers.

    RSA: ``modulus`` (hex), ``exponent``, ``pss_only`` and ``pss`` (an
    id-RSASSA-PSS key's restrictions); EC: ``point`` (the encoded point as
    received, hex); Ed25519/Ed448/ML-KEM: ``public_bytes`` (hex); ML-DSA: ``public_bytes``
    and ``parameters`` (hex, null when absent, as RFC 9881 requires); DSA: ``y``, ``p``,
    ``q``, ``g`` (hex, null when absent); unknown: ``bits`` (hex).
    """
    algorithm = getattr(key, "algorithm", None)
    if isinstance(key, EcPublicKey):
        algorithm = oids.EC_PUBLIC_KEY
    elif isinstance(key, Ed25519PublicKey):
        algorithm = oids.ED25519
    elif isinstance(key, Ed448PublicKey):
        algorithm = oids.ED448
    elif isinstance(key, DsaPublicKey):
        algorithm = oids.DSA
    out: dict[str, Any] = {
        "type": key.key_type, "size": key.key_size, "curve": key.curve,
        "fingerprint_sha256": key.fingerprint().hex(),
        "algorithm": {"oid": algorithm, "name": oids.name_of(str(algorithm))},
    }
    if isinstance(key, RsaPublicKey):
        out.update(modulus=_hex_int(key.n), exponent=_integer(key.e), pss_only=key.pss_only,
                   pss=pss_summary(key.pss))
    elif isinstance(key, EcPublicKey):
        out["point"] = (key.encoded_point or key.point()).hex()
    elif isinstance(key, Ed25519PublicKey | Ed448PublicKey | MlKemPublicKey):
        out["public_bytes"] = key.public_bytes.hex()
    elif isinstance(key, MlDsaPublicKey):
        out["public_bytes"] = key.public_bytes.hex()
        out["parameters"] = None if key.parameters is None else key.parameters.hex()
    elif isinstance(key, DsaPublicKey):
        out.update(y=_hex_int(key.y), p=_hex_int(key.p), q=_hex_int(key.q), g=_hex_int(key.g))
    elif isinstance(key, UnknownPublicKey):
        out["bits"] = key.bits.hex()
    return out
