"""``csrlib new --addext``: extensions in OpenSSL's ``-addext`` syntax.

``NAME=[critical,]VALUE`` for the extensions people write by hand:

* ``subjectAltName=DNS:a.example,IP:192.0.2.1,email:a@example,URI:...``
  (split only before a known ``type:``, as ``--san``);
* ``keyUsage=critical,digitalSignature,keyEncipherment`` (the names
  ``--key-usage`` takes);
* ``extendedKeyUsage=serverAuth,clientAuth,1.2.3.4``;
* ``basicConstraints=critical,CA:FALSE`` or ``CA:TRUE,pathlen:0``;
* ``OID=[critical,]DER:hex``: any extension, its value as the hex of its
  DER (``1.3.6.1.5.5.7.1.24=DER:3003020105``, must-staple), kept as given.

Without ``critical`` an extension is not critical, as in OpenSSL (the
builder's defaults apply to ``--key-usage`` and the other options only).
"""

from __future__ import annotations

import re

from .. import oids
from ..der.primitives import encode_oid
from ..errors import BuildError, EncodeError
from ..model.extensions import (
    KEY_USAGE_NAMES,
    BasicConstraints,
    ExtendedKeyUsage,
    ExtensionValue,
    KeyUsage,
    SubjectAlternativeName,
    UnrecognizedExtension,
)
from ..model.general_names import split_general_names

__all__ = ["basic_constraints", "key_usage", "parse_addext", "purposes"]

_KEY_USAGES = {name: bit for bit, name in KEY_USAGE_NAMES.items()}
_KEY_USAGES["contentCommitment"] = "content_commitment"
_EKU = {name.lower(): oid for oid, name in oids.EXTENDED_KEY_USAGE_NAMES.items()}
_NUMBER = re.compile(r"[0-9]{1,9}")
_DOTTED_OID = re.compile(r"[0-9]{1,20}(?:\.[0-9]{1,20})+")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def key_usage(items: list[str], option: str = "keyUsage") -> KeyUsage:
    """Return the keyUsage of bit names (``digitalSignature``...); raise BuildError."""
    bits = {}
    for usage in items:
        if usage not in _KEY_USAGES:
            raise BuildError(f"{option}: unknown usage {usage!r} "
                             f"(one of {', '.join(KEY_USAGE_NAMES.values())})")
        bits[_KEY_USAGES[usage]] = True
    return KeyUsage(**bits)


def purposes(items: list[str], option: str = "extendedKeyUsage") -> ExtendedKeyUsage:
    """Return the extendedKeyUsage of purpose names or dotted OIDs; raise BuildError."""
    found = []
    for purpose in items:
        oid = _EKU.get(purpose.lower()) or (purpose if _DOTTED_OID.fullmatch(purpose) else None)
        if oid is None:
            raise BuildError(f"{option}: unknown purpose {purpose!r}")
        found.append(oid)
    return ExtendedKeyUsage(tuple(found))


def basic_constraints(items: list[str], spec: str) -> BasicConstraints:
    """Return the basicConstraints of ``CA:TRUE|FALSE[,pathlen:N]`` items; raise BuildError."""
    ca = None
    path_length = None
    for part in items:
        key, _, value = part.partition(":")
        if key.strip().upper() == "CA" and value.strip().upper() in ("TRUE", "FALSE"):
            ca = value.strip().upper() == "TRUE"
        elif key.strip().lower() == "pathlen" and _NUMBER.fullmatch(value.strip()):
            path_length = int(value.strip())
        else:
            raise BuildError(f'basicConstraints: expected "CA:TRUE|FALSE[,pathlen:N]", '
                             f"not {spec!r}")
    if ca is None:
        raise BuildError("basicConstraints needs CA:TRUE or CA:FALSE")
    return BasicConstraints(ca, path_length)


def parse_addext(spec: str) -> tuple[ExtensionValue, bool]:
    """Return the extension value and its critical flag of one ``--addext`` argument.

    Raises BuildError for a malformed one (see the module docstring).
    """
    name, sep, value = spec.partition("=")
    name = name.strip()
    if not sep or not name:
        raise BuildError(f"--addext: expected NAME=VALUE, not {spec!r}")
    value = value.strip()
    critical = False
    head, _, rest = value.partition(",")
    if head.strip().lower() == "critical":
        critical, value = True, rest.strip()
    if not value:
        raise BuildError(f"--addext {name}: no value")
    if name == "subjectAltName":
        return SubjectAlternativeName.from_strings(split_general_names(value)), critical
    if name == "keyUsage":
        return key_usage(_list(value)), critical
    if name == "extendedKeyUsage":
        return purposes(_list(value)), critical
    if name == "basicConstraints":
        return basic_constraints(_list(value), value), critical
    if _DOTTED_OID.fullmatch(name):
        try:
            encode_oid(name)
        except EncodeError:
            raise BuildError(f"--addext: invalid OID {name!r}") from None
        if not value.startswith("DER:") or not _HEX.fullmatch(value[4:].replace(":", "")):
            raise BuildError(f"--addext {name}: expected DER:hex (the extension value's DER)")
        return UnrecognizedExtension(name, bytes.fromhex(value[4:].replace(":", ""))), critical
    raise BuildError(f"--addext: unsupported extension {name!r} (subjectAltName, keyUsage, "
                     "extendedKeyUsage, basicConstraints, or a dotted OID with DER:hex)")
