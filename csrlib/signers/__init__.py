"""Signers: the protocol a key must follow, the backends, keys and key files.

``generate(spec)`` makes a key; ``load_private_key(data)`` reads one (PKCS#8,
PKCS#1, SEC1; PEM or DER); both return a signer whose ``private_key_pem()``
writes PKCS#8.  Only the backend modules import ``rsa`` and ``ecdsa``.
"""

from __future__ import annotations

import os
from typing import Any

from .base import AsyncExternalSigner, AsyncSigner, ExternalSigner, Signer
from .ecdsa_backend import EcdsaSigner, EdDsaSigner
from .keygen import SPECS, generate
from .ml_dsa import MlDsaSigner
from .ml_kem import MlKemPrivateKey, generate_ml_kem
from .private import (
    EcPrivateNumbers,
    EdPrivateSeed,
    MlDsaPrivateKey,
    PrivateKeyData,
    RsaPrivateNumbers,
)
from .rsa_backend import RsaSigner

#: What generate, load_private_key and signer_for return.
AnySigner = RsaSigner | EcdsaSigner | EdDsaSigner | MlDsaSigner

__all__ = [
    "SPECS",
    "AsyncExternalSigner",
    "AsyncSigner",
    "EcPrivateNumbers",
    "EcdsaSigner",
    "EdDsaSigner",
    "EdPrivateSeed",
    "ExternalSigner",
    "MlDsaPrivateKey",
    "MlDsaSigner",
    "MlKemPrivateKey",
    "PrivateKeyData",
    "RsaPrivateNumbers",
    "RsaSigner",
    "Signer",
    "generate",
    "generate_ml_kem",
    "from_cryptography",
    "load_private_key",
    "private_key_pem",
    "save_private_key",
    "signer_for",
]


def signer_for(key: PrivateKeyData, **options: object) -> AnySigner:
    """Return the signer of private key material.

    ``options`` go to the signer: ``hash``, ``pss``, ``salt_length`` and
    ``allow_sha1`` for RSA, ``hash`` and ``deterministic`` for ECDSA, none for
    EdDSA, ``deterministic`` for ML-DSA (hedged by default).  Raises BuildError
    for an option the key type does not take.
    """
    from ..errors import BuildError

    allowed = {RsaPrivateNumbers: {"hash", "pss", "salt_length", "allow_sha1"},
               EcPrivateNumbers: {"hash", "deterministic"}, EdPrivateSeed: set(),
               MlDsaPrivateKey: {"deterministic"}}[type(key)]
    extra = sorted(set(options) - allowed)
    if extra:
        kind = (type(key).__name__.replace("PrivateNumbers", "").replace("PrivateSeed", "DSA")
                .replace("PrivateKey", ""))
        raise BuildError(f"{', '.join(extra)} cannot be used with {kind} keys")
    if isinstance(key, RsaPrivateNumbers):
        return RsaSigner.from_numbers(key, **options)
    if isinstance(key, EcPrivateNumbers):
        return EcdsaSigner.from_numbers(key, **options)
    if isinstance(key, MlDsaPrivateKey):
        return MlDsaSigner(key, **options)  # type: ignore[arg-type]
    return EdDsaSigner.from_seed(key)


def load_private_key(
    data: bytes | str, password: bytes | str | None = None, **options: object
) -> AnySigner:
    """Return a signer for the private key in ``data`` (PEM or DER; PKCS#8, PKCS#1, SEC1).

    ML-DSA keys (PKCS#8, RFC 9881 6) take ``deterministic=True`` for
    deterministic signatures (hedged by default) and need the ``pq`` extra.

    ``password`` decrypts an encrypted key: PKCS#8 EncryptedPrivateKeyInfo
    with PBES2 (PBKDF2 or scrypt, AES-CBC) or legacy PEM with
    ``Proc-Type: 4,ENCRYPTED`` (AES-CBC); a wrong one raises
    ``InvalidKey("wrong password or corrupted key")``, and so does a damaged
    ciphertext (see :mod:`csrlib.signers.encrypted_keys`).

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


def private_key_pem(signer: AnySigner,
                    password: bytes | str | None = None, **encryption: Any) -> str:
    """Return the signer's key as PKCS#8 PEM, encrypted when ``password`` is given.

    Encrypted: an ``ENCRYPTED PRIVATE KEY`` block, PBES2 with PBKDF2-HMAC-SHA256
    (600,000 iterations), a random 16-octet salt and AES-256-CBC, unless
    ``encryption`` says otherwise (``iterations``, ``hash``, ``cipher``,
    ``kdf="scrypt"``: see :func:`csrlib.signers.encrypted_keys.encrypt_pkcs8`).
    OpenSSL, cryptography and csrlib read it.  Raises TypeError for
    ``encryption`` without a password.
    """
    if password is None:
        if encryption:
            raise TypeError("encryption options need a password")
        return signer.private_key_pem()
    from .encrypted_keys import encrypted_pem
    from .key_writing import pkcs8_der

    return encrypted_pem(pkcs8_der(signer.private_numbers), password, **encryption)


def save_private_key(signer: AnySigner, path: str | os.PathLike[str],
                     *, overwrite: bool = False, password: bytes | str | None = None,
                     **encryption: Any) -> None:
    """Write the signer's key to ``path`` as PKCS#8 PEM, readable by its owner only (0600).

    With ``password`` the key is encrypted as :func:`private_key_pem` does
    (PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC by default).

    The key goes to a new file that then takes the name in one step
    (:func:`csrlib.signers.files.write_file`): an existing file is refused
    unless ``overwrite=True``, and is then replaced (a new file, never
    written into; a symlink there is replaced, not followed).  Raises
    FileExistsError or another OSError, naming ``path``; no partial or
    temporary file is left behind.
    """
    from .files import write_file

    text = private_key_pem(signer, password, **encryption)
    write_file(path, text.encode("ascii"), overwrite=overwrite, private=True)


def from_cryptography(private_key: Any, **options: Any) -> ExternalSigner:
    """Return a signer over a ``cryptography`` private key object (RSA, EC, Ed25519, Ed448,
    ML-DSA where cryptography's OpenSSL has it).

    ``cryptography`` is imported only here, and is not a dependency of
    csrlib.  Options: ``hash``, ``pss`` (see
    :func:`csrlib.signers.cryptography_adapter.cryptography_signer`).  The
    result is an :class:`ExternalSigner`: each signature is verified before use.
    """
    from .cryptography_adapter import cryptography_signer

    return cryptography_signer(private_key, **options)
