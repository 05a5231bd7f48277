"""Signers: the protocol a key must follow, the backends, keys and key files.

``generate(spec)`` makes a key; ``load_private_key(data)`` reads one (PKCS#8,
PKCS#1, SEC1; PEM or DER); both return a signer whose ``private_key_pem()``
writes PKCS#8.  Only the backend modules import ``rsa`` and ``ecdsa``.
"""

from __future__ import annotations

from .base import AsyncExternalSigner, AsyncSigner, ExternalSigner, Signer
from .ecdsa_backend import EcdsaSigner, EdDsaSigner
from .keygen import SPECS, generate
from .private import EcPrivateNumbers, EdPrivateSeed, PrivateKeyData, RsaPrivateNumbers
from .rsa_backend import RsaSigner

__all__ = [
    "SPECS",
    "AsyncExternalSigner",
    "AsyncSigner",
    "EcPrivateNumbers",
    "EcdsaSigner",
    "EdDsaSigner",
    "EdPrivateSeed",
    "ExternalSigner",
    "PrivateKeyData",
    "RsaPrivateNumbers",
    "RsaSigner",
    "Signer",
    "generate",
    "load_private_key",
    "signer_for",
]


def signer_for(key: PrivateKeyData, **options: object) -> RsaSigner | EcdsaSigner | EdDsaSigner:
    """Return the signer of private key material (``options`` go to the signer)."""
    if isinstance(key, RsaPrivateNumbers):
        return RsaSigner.from_numbers(key, **options)
    if isinstance(key, EcPrivateNumbers):
        return EcdsaSigner.from_numbers(key, **options)
    return EdDsaSigner.from_seed(key)


def load_private_key(
    data: bytes | str, password: bytes | None = None, **options: object
) -> RsaSigner | EcdsaSigner | EdDsaSigner:
    """Return a signer for the private key in ``data`` (PEM or DER; PKCS#8, PKCS#1, SEC1).

    The key is checked for consistency (RSA numbers, a stated public key
    equal to the derived one) and the signer's public key is derived from
    the private key.  Raises InvalidKey, never showing key material.
    """
    from ..errors import InvalidKey
    from .keyfiles import read_private_key

    key = read_private_key(data, password)
    signer = signer_for(key, **options)
    stated = key.public if not isinstance(key, RsaPrivateNumbers) else None
    if isinstance(key, EcPrivateNumbers) and stated is not None:
        derived = signer.private_numbers.public  # type: ignore[union-attr]
        if derived != stated:
            raise InvalidKey("the key file's public key does not match its private key")
    elif (isinstance(key, EdPrivateSeed) and stated is not None
          and signer.public_key.public_bytes != stated):  # type: ignore[attr-defined]
        raise InvalidKey("the key file's public key does not match its private key")
    return signer
