"""The text form of ``csrlib show``: a summary laid out as ``openssl req -text -noout`` does.

The same facts in the same order (version, subject, the public key and its
numbers, attributes, requested extensions with their critical flag,
signature algorithm and value), with OpenSSL's short names for name
attributes and its hexadecimal blocks for key numbers and signatures, then
what csrlib adds: the key's fingerprint, whether the signature verifies,
the subject in RFC 4514, tolerated deviations and the digest of the DER.

:func:`describe` works on the data of :func:`csrlib.cli.show.summarize`,
so the text says nothing the JSON does not.  Its lines hold the request's
text as it is: ``csrlib show`` prints each through
:func:`csrlib.cli.text.escape`.  Integers from the input are shown bounded
(:func:`csrlib.errors.int_text`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import oids
from ..errors import int_text

__all__ = ["describe", "hex_block"]

# OpenSSL's names where they differ from csrlib's (its object table's short names).
_OPENSSL_ALGORITHMS = {"RSASSA-PSS": "rsassaPss", "Ed25519": "ED25519", "Ed448": "ED448",
                       "id-dsa": "dsaEncryption"}
_ASN1_CURVES = {"secp256r1": "prime256v1", "secp192r1": "prime192v1"}
_NIST_CURVES = {"secp192r1": "P-192", "secp224r1": "P-224", "secp256r1": "P-256",
                "secp384r1": "P-384", "secp521r1": "P-521"}
_EXTENSION_REQUEST = "1.2.840.113549.1.9.14"
_MS_EXTENSION_REQUEST = "1.3.6.1.4.1.311.2.1.14"


def hex_block(data: str, per_line: int, indent: str, lead_zero: bool = False) -> list[str]:
    """Return hex octets as OpenSSL dumps them: ``ab:cd:...``, ``per_line`` octets a line.

    ``data`` is lowercase hex; ``lead_zero`` puts a ``00`` before a first
    octet with its high bit set (OpenSSL's modulus, a positive INTEGER).
    """
    if lead_zero and data and int(data[:1], 16) >= 8:
        data = "00" + data
    octets = [data[i:i + 2] for i in range(0, len(data), 2)]
    lines = [":".join(octets[i:i + per_line]) for i in range(0, len(octets), per_line)]
    # OpenSSL ends each full line but the last with a colon.
    return [indent + line + (":" if i < len(lines) - 1 else "") for i, line in enumerate(lines)]


def _number(value: int | str | None) -> str:
    """Return a summary integer (a number, or ``"0x..."`` past 64 bits) as bounded text."""
    if value is None:
        return "none"
    if isinstance(value, str):
        return int_text(int(value, 16))
    return int_text(value)


def _quoted(value: str) -> str:
    """Return a value as OpenSSL's one-line form quotes it (``O = "Ex, Inc"``)."""
    if value and (any(c in value for c in ',+"\\<>;') or value[0] in " #" or value[-1] == " "):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def subject_text(attributes: list[dict[str, Any]]) -> str:
    """Return the subject in OpenSSL's one-line form: DER order, ``C = US, O = x, CN = y``."""
    rdns: list[list[str]] = []
    last = None
    for a in attributes:
        value = a["value"]
        shown = "#" + value if a["string_type"] in ("DER", "BIT STRING") else _quoted(value)
        text = f"{a['name']} = {shown}"
        if rdns and a.get("rdn") == last:
            rdns[-1].append(text)
        else:
            rdns.append([text])
        last = a.get("rdn")
    return ", ".join(" + ".join(rdn) for rdn in rdns)


def _pss_lines(pss: dict[str, Any] | None, indent: str, key: bool = False) -> list[str]:
    if pss is None:
        return [f"{indent}No PSS parameter restrictions"]
    return [f"{indent}Hash Algorithm: {pss['hash']}",
            f"{indent}Mask Algorithm: {pss['mgf']} with {pss['mgf_hash']}",
            f"{indent}{'Minimum ' if key else ''}Salt Length: {_number(pss['salt_length'])}",
            f"{indent}Trailer Field: {_number(pss['trailer_field'])}"]


def key_lines(key: dict[str, Any]) -> list[str]:
    """Return the lines of ``Subject Public Key Info`` (OpenSSL's layout, 8 spaces in)."""
    name = key["algorithm"]["name"]
    i1, i2, i3 = " " * 12, " " * 16, " " * 20
    lines = ["        Subject Public Key Info:",
             f"{i1}Public Key Algorithm: {_OPENSSL_ALGORITHMS.get(name, name)}"]
    size = f"({key['size']} bit)" if key["size"] else "(size unknown)"
    kind = key["type"]
    if kind == "rsa":
        lines += [f"{i2}Public-Key: {size}", f"{i2}Modulus:",
                  *hex_block(key["modulus"], 15, i3, lead_zero=True)]
        e = key["exponent"]
        lines.append(f"{i2}Exponent: {_number(e)}" + (f" ({e:#x})" if isinstance(e, int) else ""))
        if key["pss_only"]:
            lines.append(f"{i2}Restricted to RSASSA-PSS signatures (id-RSASSA-PSS key)")
            if key["pss"] is not None:
                lines.append(f"{i2}PSS parameter restrictions:")
            lines += _pss_lines(key["pss"], i2 + "  ", key=True)
    elif kind == "ec":
        lines += [f"{i2}Public-Key: {size}", f"{i2}pub:", *hex_block(key["point"], 15, i3)]
        curve = key["curve"]
        if curve in ("explicit", "implicit"):
            lines.append(f"{i2}{curve} curve parameters")
        else:
            lines.append(f"{i2}ASN1 OID: {_ASN1_CURVES.get(curve, curve)}")
            if curve in _NIST_CURVES:
                lines.append(f"{i2}NIST CURVE: {_NIST_CURVES[curve]}")
    elif kind in ("ed25519", "ed448"):
        lines += [f"{i2}{kind.upper()} Public-Key:", f"{i2}pub:",
                  *hex_block(key["public_bytes"], 15, i3)]
    elif kind.startswith("ml-dsa-"):
        lines += [f"{i2}{kind.upper()} Public-Key:", f"{i2}pub:",
                  *hex_block(key["public_bytes"], 15, i3)]
        if key["parameters"] is not None:
            lines.append(f"{i2}Parameters (must be absent): {key['parameters']}")
    elif kind.startswith("ml-kem"):
        lines += [f"{i2}{kind.upper()} Public-Key:", f"{i2}ek:",
                  *hex_block(key["public_bytes"], 15, i3)]
    elif kind == "dsa":
        lines += [f"{i2}Public-Key: {size}", f"{i2}pub:",
                  *hex_block(key["y"], 15, i3, lead_zero=True)]
        for part in ("p", "q", "g"):
            if key[part] is not None:
                lines += [f"{i2}{part.upper()}:", *hex_block(key[part], 15, i3, lead_zero=True)]
    elif "bits" in key:
        lines += [f"{i2}Algorithm {key['algorithm']['oid']}, {size}", f"{i2}bits:",
                  *hex_block(key["bits"], 15, i3)]
    lines.append(f"{i2}SHA-256 fingerprint: {key['fingerprint_sha256']}")
    return lines


def _names_text(names: list[dict[str, str]] | None) -> str:
    if not names:
        return ""
    return ", ".join(f"{n['type']}:{n['value']}" + (f" ({n['unicode']})" if "unicode" in n
                                                      else "") for n in names)


def _basic_constraints(v: dict[str, Any]) -> list[str]:
    text = f"CA:{'TRUE' if v['ca'] else 'FALSE'}"
    if v["path_length"] is not None:
        text += f", pathlen:{_number(v['path_length'])}"
    return [text]


def _aki(v: dict[str, Any]) -> list[str]:
    lines = []
    if v["key_identifier"] is not None:
        lines.append("keyid:" + _colons(v["key_identifier"]))
    if v["issuer"] is not None:
        lines.append(_names_text(v["issuer"]))
    if v["serial"] is not None:
        lines.append(f"serial:{_number(v['serial'])}")
    return lines


def _policies(v: list[dict[str, Any]]) -> list[str]:
    lines = []
    for policy in v:
        lines.append(f"Policy: {policy['policy']}")
        lines += [f"  {q['oid']}: {q['der']}" for q in policy["qualifiers"]]
    return lines


def _colons(data: str) -> str:
    return ":".join(data[i:i + 2] for i in range(0, len(data), 2)).upper()


def _name_constraints(v: dict[str, Any]) -> list[str]:
    lines = []
    for key, title in (("permitted", "Permitted:"), ("excluded", "Excluded:")):
        if v[key] is not None:
            lines.append(title)
            for subtree in v[key]:
                text = f"  {subtree['base']['type']}:{subtree['base']['value']}"
                if subtree["minimum"] or subtree["maximum"] is not None:
                    text += (f" (minimum {_number(subtree['minimum'])}, "
                             f"maximum {_number(subtree['maximum'])})")
                lines.append(text)
    return lines


def _access(v: list[dict[str, Any]]) -> list[str]:
    return [f"{d['method']} - {d['location']['type']}:{d['location']['value']}" for d in v]


def _distribution_points(v: list[dict[str, Any]]) -> list[str]:
    lines = []
    for point in v:
        if point["full_name"] is not None:
            lines += ["Full Name:", "  " + _names_text(point["full_name"])]
        if point["relative_name"] is not None:
            lines += ["Relative Name:", "  " + point["relative_name"]]
        if point["reasons"] is not None:
            lines.append("Reasons: " + ", ".join(point["reasons"]))
        if point["crl_issuer"] is not None:
            lines += ["CRL Issuer:", "  " + _names_text(point["crl_issuer"])]
        lines.append("")
    return lines[:-1]


def _template(v: dict[str, Any]) -> list[str]:
    text = f"Template: {v['template']}, major version {_number(v['major_version'])}"
    if v["minor_version"] is not None:
        text += f", minor version {_number(v['minor_version'])}"
    return [text]


def _unrecognized(v: dict[str, Any]) -> list[str]:
    return hex_block(v["der"], 18, "") or ["(empty)"]


_EXTENSION_LINES: dict[str, Callable[[Any], list[str]]] = {
    "2.5.29.17": lambda v: [_names_text(v)],
    "2.5.29.18": lambda v: [_names_text(v)],
    "2.5.29.15": lambda v: [", ".join(v)],
    "2.5.29.37": lambda v: [", ".join(v)],
    "2.5.29.19": _basic_constraints,
    "2.5.29.14": lambda v: [_colons(v)],
    "2.5.29.35": _aki,
    "2.5.29.32": _policies,
    "2.5.29.30": _name_constraints,
    "1.3.6.1.5.5.7.1.24": lambda v: [", ".join(v)],
    "1.3.6.1.5.5.7.1.1": _access,
    "2.5.29.31": _distribution_points,
    "1.3.6.1.4.1.311.21.7": _template,
    "1.3.6.1.4.1.311.20.2": lambda v: [v],
}


def _extension_lines(ext: dict[str, Any], indent: str) -> list[str]:
    value = ext["value"]
    render = _EXTENSION_LINES.get(ext["oid"])
    if render is None or (isinstance(value, dict) and set(value) == {"der"}):
        render = _unrecognized
    return [indent + line if line else "" for line in render(value)]


def _attribute_text(values: list[Any]) -> str:
    def one(value: Any) -> str:
        if isinstance(value, dict):
            return ", ".join(f"{k}={one(v)}" for k, v in value.items() if v is not None)
        if isinstance(value, list):
            return "[" + ", ".join(one(v) for v in value) + "]"
        return _number(value) if isinstance(value, int) else str(value)
    return ", ".join(one(v) for v in values)


def _possession_lines(name: str, value: dict[str, Any]) -> list[str]:
    """Return the lines of an RFC 9883 statement: the signer certificate named, and carried."""
    indent = " " * 16
    cert = value["certificate"]
    lines = [f"            {name}:",
             f"{indent}Signed by the key of the certificate: serial {_number(value['serial'])},"
             f" issuer {value['issuer'] or '(empty)'}"]
    if cert is None:
        lines.append(f"{indent}Certificate: not included")
    else:
        lines += [f"{indent}Certificate included: subject {cert['subject'] or '(empty)'}, "
                  f"{cert['key_type']} key",
                  f"{indent}    SHA-256: {cert['sha256']}"]
    return lines


def _signature_text(summary: dict[str, Any]) -> str:
    valid = summary["signature_valid"]
    if valid:
        return "valid"
    if valid is None:
        return f"not checked ({summary['verify_error']})"
    return f"NOT VALID ({summary['verify_error']})"


def describe(summary: dict[str, Any]) -> list[str]:
    """Return the lines of the text form of a summary (see the module docstring)."""
    version = summary["version"]
    alg = summary["signature_algorithm"]
    lines = ["Certificate Request:", "    Data:",
             f"        Version: {_number(version + 1)} ({version:#x})" if version.bit_length()
             <= 64 else f"        Version: {_number(version)}",
             f"        Subject: {subject_text(summary['subject_attributes'])}",
             f"        Subject (RFC 4514): {summary['subject'] or '(empty)'}",
             *key_lines(summary["public_key"]),
             "        Attributes:"]
    attributes = summary["attributes"]
    if not attributes:
        lines.append("            (none)")
    for attr in attributes:
        if attr["oid"] in (_EXTENSION_REQUEST, _MS_EXTENSION_REQUEST):
            continue  # shown below, with the extensions
        if attr["oid"] == oids.STATEMENT_OF_POSSESSION:
            lines += _possession_lines(attr["name"], attr["values"][0])
            continue
        lines.append(f"            {attr['name']:<25}:{_attribute_text(attr['values'])}")
    if summary["extensions"]:
        lines.append("            Requested Extensions:")
        for ext in summary["extensions"]:
            flag = " critical" if ext["critical"] else ""
            lines.append(f"                {ext['name']}:{flag}")
            lines += _extension_lines(ext, " " * 20)
    lines.append(f"    Signature Algorithm: {_OPENSSL_ALGORITHMS.get(alg['name'], alg['name'])}")
    if alg["parameters"] is not None:
        lines += _pss_lines(alg["parameters"], " " * 8)
    lines += ["    Signature Value:", *hex_block(summary["signature"], 18, " " * 8),
              f"    Signature: {_signature_text(summary)}"]
    if summary["deviations"]:
        lines.append("    Deviations from DER tolerated (lenient mode):")
        for dev in summary["deviations"]:
            lines.append(f"        {dev['kind']} at byte {dev['offset']} ({dev['path']})")
    lines.append(f"    DER SHA-256: {summary['der_sha256']}")
    return lines
