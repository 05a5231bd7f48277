"""Extension and structure rules: ``ext.*``, ``version``, ``der.deviation``."""

from __future__ import annotations

from .. import oids
from ..der.generic import validate_content
from ..der.tlv import Context as DerContext
from ..der.tlv import read_header
from ..errors import DecodeError
from ..model.extensions import BasicConstraints, KeyUsage, UnrecognizedExtension
from .context import Context

__all__ = ["check_extensions", "check_structure", "is_one_der_element"]

_EXTENSIONS = "certificationRequestInfo.attributes.extensionRequest"
# Key usage bits each key type cannot have: RFC 5480 3 (EC: no keyEncipherment
# or dataEncipherment), RFC 3279 2.3.1 / RFC 4055 1.2 (RSA: no keyAgreement,
# encipherOnly, decipherOnly), RFC 8410 5 (EdDSA: signing bits only), RFC 9881 5
# (ML-DSA: signing bits only), RFC 9935 3 (ML-KEM: keyEncipherment only).
_FORBIDDEN_USAGES = {
    "ec": ("key_encipherment", "data_encipherment"),
    "rsa": ("key_agreement", "encipher_only", "decipher_only"),
    "ed25519": ("key_encipherment", "data_encipherment", "key_agreement", "encipher_only",
                "decipher_only"),
    "ed448": ("key_encipherment", "data_encipherment", "key_agreement", "encipher_only",
              "decipher_only"),
    # RFC 9881 5: ML-DSA keys sign only.
    **{f"ml-dsa-{level}": ("key_encipherment", "data_encipherment", "key_agreement",
                           "encipher_only", "decipher_only") for level in (44, 65, 87)},
    # RFC 9935 3: "the key usage certificate extension MUST only contain
    # keyEncipherment".
    **{f"ml-kem-{level}": ("digital_signature", "content_commitment", "data_encipherment",
                           "key_agreement", "key_cert_sign", "crl_sign", "encipher_only",
                           "decipher_only") for level in (512, 768, 1024)},
}
# The source of each key type's row above, cited by its findings.
_USAGE_SOURCES = {"ec": "RFC 5480 3", "rsa": "RFC 8017 / RFC 4055 1.2",
                  "ed25519": "RFC 8410 5", "ed448": "RFC 8410 5",
                  **dict.fromkeys(("ml-dsa-44", "ml-dsa-65", "ml-dsa-87"), "RFC 9881 5"),
                  **dict.fromkeys(("ml-kem-512", "ml-kem-768", "ml-kem-1024"), "RFC 9935 3")}
_STATUS_REQUEST = 5  # RFC 7633 4: TLS feature status_request (OCSP must-staple)


def check_structure(ctx: Context) -> None:
    """Run ``version`` and ``der.deviation``."""
    req = ctx.req
    if req.version != 0:
        ctx.report("version", f"version is {req.version}, not 0 (v1)",
                   "certificationRequestInfo.version")
    if ctx.on("der.deviation"):
        for offset, kind, path in req.deviations:
            ctx.report("der.deviation", f"{kind}: a departure from DER tolerated when loading",
                       path, offset)


def is_one_der_element(value: bytes) -> bool:
    """Return whether ``value`` is exactly one element in DER."""
    der = DerContext()
    try:
        key, start, end = read_header(value, 0, len(value), der)
        if end != len(value):
            return False
        validate_content(value, key, 0, start, end, der, 1)
    except DecodeError:
        return False
    return True


def _tls_features(value: bytes) -> list[int] | None:
    """Return the features of a DER ``SEQUENCE OF INTEGER`` (RFC 7633), or None."""
    der = DerContext()
    try:
        key, pos, end = read_header(value, 0, len(value), der)
        if key != 0x30 or end != len(value):
            return None
        features = []
        while pos < end:
            key, start, stop = read_header(value, pos, end, der)
            if key != 0x02 or stop - start > 8:
                return None
            features.append(int.from_bytes(value[start:stop], "big", signed=True))
            pos = stop
    except DecodeError:
        return None
    return features


def check_extensions(ctx: Context) -> None:
    """Run the extension rules."""
    key_type = ctx.req.public_key.key_type
    for i, extension in enumerate(ctx.req.extensions):
        path = f"{_EXTENSIONS}[{i}]"
        value = extension.value
        offset = ctx.offset_of(extension.to_der())
        if isinstance(value, BasicConstraints) and value.ca:
            ctx.report("ext.ca", "basicConstraints asks for a CA certificate (cA TRUE)",
                       path, offset)
        elif isinstance(value, KeyUsage):
            bad = [u for u in _FORBIDDEN_USAGES.get(key_type, ()) if getattr(value, u)]
            if bad:
                ctx.report("ext.key-usage", f"keyUsage {', '.join(bad)} with a {key_type} key",
                           path, offset, citation=_USAGE_SOURCES.get(key_type))
        if extension.oid == oids.TLS_FEATURE and ctx.on("ext.must-staple"):
            features = _tls_features(extension.value_der)
            if features is None or _STATUS_REQUEST in features:
                ctx.report("ext.must-staple", "TLS feature status_request (OCSP must-staple)"
                           if features is not None else "TLS feature extension that cannot "
                           "be read", path, offset)
        if isinstance(value, UnrecognizedExtension):
            if extension.critical and extension.oid != oids.TLS_FEATURE:
                ctx.report("ext.unknown-critical", f"extension {extension.name} is critical "
                           "and csrlib does not know it", path, offset)
            if ctx.on("ext.not-der") and not is_one_der_element(value.value):
                ctx.report("ext.not-der", f"extension {extension.name}: the value is not one "
                           "DER element", path, offset)
