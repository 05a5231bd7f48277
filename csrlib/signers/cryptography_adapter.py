"""A signer over a ``cryptography`` private key object (``signers.from_cryptography``).

For users who already hold a key in pyca/cryptography (loaded from a
format csrlib does not read, or kept in memory by another part of their
program).  ``cryptography`` is imported only when this is called; it is
not a dependency of csrlib.  The result is an
:class:`~csrlib.signers.ExternalSigner`, so each signature is verified
with csrlib's own verifier before it is used.
"""

from __future__ import annotations

from typing import Any

from ..errors import BuildError
from ..model.algorithms import PssParameters, SignatureAlgorithm
from ..model.curves import CURVES_BY_NAME
from ..model.keys import PublicKey
from .base import ExternalSigner

__all__ = ["cryptography_signer"]

_HASHES = ("sha224", "sha256", "sha384", "sha512")


def cryptography_signer(private_key: Any, *, hash: str | None = None,
                        pss: bool = False) -> ExternalSigner:
    """Return an ExternalSigner over a cryptography RSA, EC, Ed25519, Ed448 or ML-DSA private key.

    ``hash``: for RSA (default sha256) and ECDSA (default: the curve's, e.g.
    sha384 on P-384); ``pss=True``: RSA signs RSASSA-PSS (MGF1 with the same
    hash, salt as long as the hash).  Raises BuildError for another key
    type or option, ImportError when cryptography is not installed.
    """
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

    if hash is not None and hash not in _HASHES:
        raise BuildError(f"hash must be one of {', '.join(_HASHES)}")
    spki = private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) \
        if hasattr(private_key, "public_key") else b""
    public_key = PublicKey.from_der(spki) if spki else None
    sign: Any
    if isinstance(private_key, rsa.RSAPrivateKey):
        assert public_key is not None
        name = hash or "sha256"
        algorithm_hash = getattr(hashes, name.upper())()
        if pss:
            params = PssParameters(name, name, algorithm_hash.digest_size)
            algorithm = SignatureAlgorithm.for_key("rsa", pss=params)
            scheme: Any = padding.PSS(padding.MGF1(algorithm_hash), algorithm_hash.digest_size)
        else:
            algorithm = SignatureAlgorithm.for_key("rsa", name)
            scheme = padding.PKCS1v15()

        def sign(data: bytes) -> bytes:
            result: bytes = private_key.sign(data, scheme, algorithm_hash)
            return result
    elif pss:
        raise BuildError("pss=True is for RSA keys")
    elif isinstance(private_key, ec.EllipticCurvePrivateKey):
        assert public_key is not None
        curve = CURVES_BY_NAME.get(public_key.curve or "")
        if curve is None:
            raise BuildError(f"csrlib does not sign on {public_key.curve}")
        name = hash or curve.default_hash
        algorithm = SignatureAlgorithm.for_key("ec", name)
        ecdsa_scheme = ec.ECDSA(getattr(hashes, name.upper())())

        def sign(data: bytes) -> bytes:
            result: bytes = private_key.sign(data, ecdsa_scheme)
            return result
    elif isinstance(private_key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
        assert public_key is not None
        if hash is not None:
            raise BuildError("EdDSA keys take no hash")
        algorithm = SignatureAlgorithm.for_key(public_key.key_type)
        sign = private_key.sign
    elif public_key is not None and public_key.key_type.startswith("ml-dsa-") and hasattr(
            private_key, "sign_mu"):
        # cryptography >= 46 with OpenSSL >= 3.5: pure ML-DSA, empty context, hedged.
        if hash is not None:
            raise BuildError("ML-DSA keys take no hash")
        algorithm = SignatureAlgorithm.for_key(public_key.key_type)
        sign = private_key.sign
    else:
        raise BuildError(f"not a cryptography RSA, EC, Ed25519, Ed448 or ML-DSA private key: "
                         f"{type(private_key).__name__}")
    return ExternalSigner(public_key, algorithm, sign)
