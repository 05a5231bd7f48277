"""Writing private key files: PKCS#8 PrivateKeyInfo, DER or PEM.

:func:`pkcs8_der` and :func:`pkcs8_pem` write PrivateKeyInfo version 0:
rsaEncryption with NULL parameters (id-RSASSA-PSS with the key's
parameters for a ``pss_only`` key) and the full RSAPrivateKey (CRT values
computed); id-ecPublicKey with the namedCurve and an ECPrivateKey (version 1,
the secret padded to the curve size, no [0], the [1] public key when the
record has it); Ed25519 / Ed448 with no parameters (RFC 8410; the public key
is not written, since version 0 has no place for it and readers derive it);
ML-DSA with no parameters and its seed [0] when known, else its expandedKey
(RFC 9881 6, :mod:`csrlib.signers.ml_dsa_keys`).

The key is checked first, as :mod:`csrlib.signers.keyfiles` checks what it
reads (:mod:`csrlib.signers.keycheck`); every failure raises
:class:`~csrlib.errors.InvalidKey` holding no key material.
"""

from __future__ import annotations

from .. import oids
from ..der.primitives import encode_integer, encode_oid
from ..der.tlv import tlv
from ..errors import InvalidKey
from ..pem import encode_pem
from .keycheck import check_ec, check_ed, check_rsa, crt, pss_public_key
from .private import (
    EcPrivateNumbers,
    EdPrivateSeed,
    MlDsaPrivateKey,
    PrivateKeyData,
    RsaPrivateNumbers,
)

__all__ = ["pkcs8_der", "pkcs8_pem"]


def _integers(*values: int) -> bytes:
    return b"".join(tlv(0x02, encode_integer(v)) for v in values)


def pkcs8_der(key: PrivateKeyData) -> bytes:
    """Return ``key`` as a DER PKCS#8 PrivateKeyInfo (version 0); raise InvalidKey if invalid.

    The key is checked as on reading first (see the module docstring).
    Raises TypeError if ``key`` is not a PrivateKeyData record.
    """
    if isinstance(key, RsaPrivateNumbers):
        check_rsa(key)
        # RFC 8017 A.1.2: two-prime RSAPrivateKey, version 0.
        inner = tlv(0x30, _integers(0, key.n, key.e, key.d, key.p, key.q, *crt(key)))
        if key.pss_only:
            # RFC 4055 3.1: id-RSASSA-PSS, with the parameters restricting the key.
            params = key.pss_parameters
            pss_public_key(key.n, key.e, params)
            algorithm = tlv(0x06, encode_oid(oids.RSASSA_PSS)) + (params or b"")
        elif key.pss_parameters is not None:
            raise InvalidKey("RSASSA-PSS parameters on a key that is not pss_only")
        else:
            algorithm = tlv(0x06, encode_oid(oids.RSA_ENCRYPTION)) + b"\x05\x00"
    elif isinstance(key, EcPrivateNumbers):
        curve = check_ec(key)
        # RFC 5915 3: version 1, the secret padded to the curve size, [1] publicKey.
        body = _integers(1) + tlv(0x04, key.secret.to_bytes(curve.size, "big"))
        if key.public is not None:
            point = (b"\x04" + key.public[0].to_bytes(curve.size, "big")
                     + key.public[1].to_bytes(curve.size, "big"))
            body += tlv(0xA1, tlv(0x03, b"\x00" + point))
        inner = tlv(0x30, body)
        algorithm = tlv(0x06, encode_oid(oids.EC_PUBLIC_KEY)) + tlv(0x06, encode_oid(curve.oid))
    elif isinstance(key, EdPrivateSeed):
        check_ed(key)
        # RFC 8410 7: CurvePrivateKey inside privateKey; RFC 8410 3: no parameters.
        inner = tlv(0x04, bytes(key.seed))
        algorithm = tlv(0x06, encode_oid(oids.ED25519 if key.key_type == "ed25519"
                                         else oids.ED448))
    elif isinstance(key, MlDsaPrivateKey):
        from ..model.ml_dsa_keys import ML_DSA_TYPES
        from .ml_dsa_keys import ml_dsa_private_key_der

        inner = ml_dsa_private_key_der(key)
        algorithm = tlv(0x06, encode_oid(ML_DSA_TYPES[key.key_type]))
    else:
        raise TypeError(f"expected a PrivateKeyData record, not {type(key).__name__}")
    return tlv(0x30, _integers(0) + tlv(0x30, algorithm) + tlv(0x04, inner))


def pkcs8_pem(key: PrivateKeyData) -> str:
    """Return ``key`` as a PEM ``PRIVATE KEY`` block (PKCS#8); see :func:`pkcs8_der`."""
    return encode_pem("PRIVATE KEY", pkcs8_der(key))
