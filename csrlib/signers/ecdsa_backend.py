"""ECDSA and EdDSA signing over the ``ecdsa`` package's signing keys.

ECDSA is deterministic by default (RFC 6979, with the message hash as the
HMAC-DRBG hash), hashes with the curve's matching hash unless told
otherwise (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512, secp256k1/SHA-256;
a longer hash is truncated as FIPS 186-4 6.4 says) and returns the DER
``Ecdsa-Sig-Value``.  With ``deterministic=False`` the nonce comes from
``os.urandom``.  EdDSA (Ed25519, Ed448) is deterministic by definition.

python-ecdsa's maintainers declare side channels out of scope: this
arithmetic is not constant-time.  Where that matters, keep the key in an
HSM and sign through :class:`~csrlib.signers.ExternalSigner`.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from ..der.primitives import encode_integer
from ..der.tlv import tlv
from ..errors import BuildError, InvalidKey
from ..model.algorithms import SignatureAlgorithm
from ..model.curves import CURVES_BY_NAME
from ..model.keys import EcPublicKey, Ed448PublicKey, Ed25519PublicKey, PublicKey
from .private import EcPrivateNumbers, EdPrivateSeed

__all__ = ["EcdsaSigner", "EdDsaSigner"]

_HASHES = ("sha224", "sha256", "sha384", "sha512")


def _csrlib_curve(ecdsa_curve: Any) -> str:
    for name, curve in CURVES_BY_NAME.items():
        if curve.ecdsa_name == ecdsa_curve.name:
            return name
    raise InvalidKey(f"curve {ecdsa_curve.name} is not one csrlib signs with "
                     f"({', '.join(CURVES_BY_NAME)})")


class EcdsaSigner:
    """Signs with an ``ecdsa.SigningKey`` on P-256, P-384, P-521 or secp256k1."""

    __slots__ = ("_algorithm", "_curve", "_deterministic", "_hash", "_hashfunc", "_key",
                 "_public_key")

    def __init__(self, key: Any, *, hash: str | None = None, deterministic: bool = True) -> None:
        import ecdsa

        if not isinstance(key, ecdsa.SigningKey):
            raise InvalidKey("EcdsaSigner needs an ecdsa.SigningKey")
        self._curve = CURVES_BY_NAME[_csrlib_curve(key.curve)]
        self._hash = hash or self._curve.default_hash
        if self._hash not in _HASHES:
            raise BuildError(f"ECDSA signing hash must be one of {', '.join(_HASHES)}")
        self._hashfunc = getattr(hashlib, self._hash)
        self._key = key
        self._deterministic = deterministic
        point = key.verifying_key.pubkey.point
        self._public_key = EcPublicKey.from_point(self._curve.name, point.x(), point.y())
        self._algorithm = SignatureAlgorithm.for_key("ec", self._hash)

    @classmethod
    def from_numbers(cls, numbers: EcPrivateNumbers, **options: Any) -> EcdsaSigner:
        """Return a signer for private numbers read from a key file (see ``__init__``).

        Raises InvalidKey for a curve csrlib does not sign on or a secret
        outside 1..n-1.
        """
        import ecdsa

        known = CURVES_BY_NAME.get(numbers.curve)
        if known is None:
            raise InvalidKey(f"curve {str(numbers.curve)[:40]!r} is not one csrlib signs with "
                             f"({', '.join(CURVES_BY_NAME)})")
        curve = getattr(ecdsa.curves, known.ecdsa_name)
        if not 0 < numbers.secret < curve.order:
            raise InvalidKey("EC private key out of range")
        key = ecdsa.SigningKey.from_secret_exponent(numbers.secret, curve=curve,
                                                    hashfunc=hashlib.sha256)
        return cls(key, **options)

    @property
    def public_key(self) -> PublicKey:
        """The public key on the named curve."""
        return self._public_key

    @property
    def signature_algorithm(self) -> SignatureAlgorithm:
        """ecdsa-with-SHA*."""
        return self._algorithm

    @property
    def private_numbers(self) -> EcPrivateNumbers:
        """The private key (secret: keep out of logs)."""
        key = self._public_key
        assert isinstance(key, EcPublicKey)
        return EcPrivateNumbers(self._curve.name, self._key.privkey.secret_multiplier,
                                (key.x, key.y))

    def private_key_pem(self) -> str:
        """Return the private key as PKCS#8 PEM (``PRIVATE KEY``), as ``openssl pkey`` reads."""
        from .key_writing import pkcs8_pem

        return pkcs8_pem(self.private_numbers)

    def sign(self, data: bytes) -> bytes:
        """Return the DER Ecdsa-Sig-Value of ``data``."""
        digest = self._hashfunc(data).digest()
        if self._deterministic:
            r, s = self._key.sign_digest_deterministic(
                digest, hashfunc=self._hashfunc, sigencode=_pair, extra_entropy=b"",
                allow_truncate=True)
        else:
            r, s = self._key.sign_digest(digest, entropy=os.urandom, sigencode=_pair, k=None,
                                         allow_truncate=True)
        return tlv(0x30, tlv(0x02, encode_integer(r)) + tlv(0x02, encode_integer(s)))

    def __repr__(self) -> str:
        return f"EcdsaSigner({self._curve.name}, {self._algorithm.name})"

    __str__ = __repr__


def _pair(r: int, s: int, order: int) -> tuple[int, int]:
    return r, s


_EDWARDS = {"ed25519": (32, Ed25519PublicKey, "Ed25519"), "ed448": (57, Ed448PublicKey, "Ed448")}


class EdDsaSigner:
    """Signs Ed25519 or Ed448 (RFC 8032, pure) with an ``ecdsa.SigningKey``."""

    __slots__ = ("_algorithm", "_key", "_key_type", "_public_key")

    def __init__(self, key: Any) -> None:
        import ecdsa

        if not isinstance(key, ecdsa.SigningKey) or key.curve not in (ecdsa.curves.Ed25519,
                                                                        ecdsa.curves.Ed448):
            raise InvalidKey("EdDsaSigner needs an Ed25519 or Ed448 ecdsa.SigningKey")
        self._key_type = "ed25519" if key.curve == ecdsa.curves.Ed25519 else "ed448"
        self._key = key
        cls = _EDWARDS[self._key_type][1]
        self._public_key = cls.from_bytes(key.verifying_key.to_string())
        self._algorithm = SignatureAlgorithm.for_key(self._key_type)

    @classmethod
    def from_seed(cls, seed: EdPrivateSeed) -> EdDsaSigner:
        """Return a signer for a seed read from a key file.

        Raises InvalidKey for a key type other than ed25519 and ed448, or a
        seed of the wrong size.
        """
        import ecdsa

        if seed.key_type not in _EDWARDS:
            raise InvalidKey("unsupported EdDSA key type (expected ed25519 or ed448)")
        size, _, curve_name = _EDWARDS[seed.key_type]
        if len(seed.seed) != size:
            raise InvalidKey(f"{seed.key_type} private key must be {size} octets")
        return cls(ecdsa.SigningKey.from_string(seed.seed, curve=getattr(ecdsa.curves,
                                                                          curve_name)))

    @property
    def public_key(self) -> PublicKey:
        """The Ed25519 or Ed448 public key."""
        return self._public_key

    @property
    def signature_algorithm(self) -> SignatureAlgorithm:
        """Ed25519 or Ed448."""
        return self._algorithm

    @property
    def private_numbers(self) -> EdPrivateSeed:
        """The private key's seed (secret: keep out of logs)."""
        return EdPrivateSeed(self._key_type, self._key.to_string(),
                             self._key.verifying_key.to_string())

    def private_key_pem(self) -> str:
        """Return the private key as PKCS#8 PEM (``PRIVATE KEY``), as ``openssl pkey`` reads."""
        from .key_writing import pkcs8_pem

        return pkcs8_pem(self.private_numbers)

    def sign(self, data: bytes) -> bytes:
        """Return the 64- or 114-octet signature of ``data``."""
        return bytes(self._key.sign(data))

    def __repr__(self) -> str:
        return f"EdDsaSigner({self._key_type})"

    __str__ = __repr__
