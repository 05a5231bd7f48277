"""A request as plain data: what ``csrlib show`` prints and ``show --json`` emits.

``summarize(req)`` returns a dict of JSON types with a stable shape
(documented in the README); ``describe(summary)`` renders it as text in the
manner of ``openssl req -text -noout``.

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

from ..crypto.verify import Policy
from ..errors import CSRError, UnsupportedAlgorithm, int_text
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
from ..request import CertificateRequest

__all__ = ["describe", "general_name_value", "summarize"]


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
    return str(name.value)  # type: ignore[attr-defined]


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


def _extension_value(value: ExtensionValue) -> Any:
    if isinstance(value, SubjectAlternativeName | IssuerAlternativeName):
        return _names(value.names)
    if isinstance(value, KeyUsage):
        return list(value.usages)
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
    assert isinstance(value, UnrecognizedExtension)
    return {"der": value.value.hex()}


def _attribute_value(value: object) -> Any:
    if isinstance(value, StringValue):
        return value.value
    if isinstance(value, Extensions):
        return [e.oid for e in value]
    assert isinstance(value, bytes)
    return value.hex()


def summarize(req: CertificateRequest, policy: Policy | None = None) -> dict[str, Any]:
    """Return the request as JSON-ready data (the ``csrlib show --json`` shape).

    ``signature_valid`` is True, False, or None when csrlib could not check
    the signature (UnsupportedAlgorithm); ``verify_error`` then says why.
    """
    valid: bool | None
    try:
        req.verify(policy=policy)
        valid, error = True, None
    except UnsupportedAlgorithm as exc:
        valid, error = None, f"{type(exc).__name__}: {exc}"
    except CSRError as exc:
        valid, error = False, f"{type(exc).__name__}: {exc}"
    key = req.public_key
    alg = req.signature_algorithm
    san = req.extensions.value(SubjectAlternativeName)
    return {
        "subject": req.subject.rfc4514(),
        "subject_attributes": [
            {"oid": a.oid, "name": a.short_name,
             "value": a.value.hex() if isinstance(a.value, bytes) else a.value,
             "string_type": a.string_type} for a in req.subject],
        "public_key": {"type": key.key_type,
                       "size": key.key_size,
                       "curve": key.curve,
                       "fingerprint_sha256": key.fingerprint().hex()},
        "signature_algorithm": {"oid": alg.oid, "name": alg.name, "hash": alg.hash},
        "signature_valid": valid,
        "verify_error": error,
        "extensions": [{"oid": e.oid, "name": e.name, "critical": e.critical,
                        "value": _extension_value(e.value)} for e in req.extensions],
        "san": _names(san.names) if san is not None else [],
        "attributes": [{"oid": a.oid, "name": a.name,
                        "values": [_attribute_value(v) for v in a.values]}
                       for a in req.attributes],
        "deviations": [{"offset": d.offset, "kind": d.kind, "path": d.path}
                       for d in req.deviations],
        "der_sha256": hashlib.sha256(req.der).hexdigest(),
    }


# Fields _integer fills: a large value is hexadecimal text, shown bounded.
_INTEGER_FIELDS = frozenset(("path_length", "serial"))


def _integer_text(value: int | str) -> str:
    return int_text(int(value, 16)) if isinstance(value, str) else int_text(value)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        if set(value) == {"type", "value"}:
            return f"{value['type']}:{value['value']}"
        if set(value) == {"type", "value", "unicode"}:
            return f"{value['type']}:{value['value']} ({value['unicode']})"
        return ", ".join(f"{k}={_integer_text(v) if k in _INTEGER_FIELDS else _text(v)}"
                         for k, v in value.items() if v is not None)
    return str(value)


def _key_text(key: dict[str, Any]) -> str:
    size = f"{key['size']} bits" if key["size"] else "size unknown"
    curve = key["curve"]
    if curve is None:
        return size
    if curve in ("explicit", "implicit"):
        return f"{curve} curve parameters, {size}"
    if curve[:1].isdigit():
        return f"curve {curve}, {size}"
    return str(curve)


def _signature_text(summary: dict[str, Any]) -> str:
    valid = summary["signature_valid"]
    if valid:
        return "valid"
    if valid is None:
        return f"not checked ({summary['verify_error']})"
    return f"NOT VALID ({summary['verify_error']})"


def describe(summary: dict[str, Any]) -> list[str]:
    """Return the lines of the text form of a summary."""
    key = summary["public_key"]
    alg = summary["signature_algorithm"]
    lines = [
        "Certificate request:",
        f"  Subject: {summary['subject'] or '(empty)'}",
        f"  Public key: {key['type']} ({_key_text(key)})",
        f"    SHA-256 fingerprint: {key['fingerprint_sha256']}",
        f"  Signature algorithm: {alg['name']} ({alg['oid']})",
        f"  Signature: {_signature_text(summary)}",
    ]
    if summary["extensions"]:
        lines.append("  Requested extensions:")
        for ext in summary["extensions"]:
            flag = " (critical)" if ext["critical"] else ""
            lines.append(f"    {ext['name']}{flag}: {_text(ext['value'])}")
    if any(a["oid"] != "1.2.840.113549.1.9.14" for a in summary["attributes"]):
        lines.append("  Attributes:")
        for attr in summary["attributes"]:
            if attr["oid"] != "1.2.840.113549.1.9.14":  # shown above, as extensions
                lines.append(f"    {attr['name']}: {_text(attr['values'])}")
    if summary["deviations"]:
        lines.append("  Deviations from DER tolerated (lenient mode):")
        for dev in summary["deviations"]:
            lines.append(f"    {dev['kind']} at byte {dev['offset']} ({dev['path']})")
    lines.append(f"  DER SHA-256: {summary['der_sha256']}")
    return lines
