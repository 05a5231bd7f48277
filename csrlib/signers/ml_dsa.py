"""ML-DSA signing (FIPS 204 algorithm 2: pure, empty context, RFC 9881 3).

:class:`MlDsaSigner` signs hedged by default (fresh randomness from
:mod:`secrets`, FIPS 204 3.4), deterministically with
``deterministic=True``; the arithmetic is ``dilithium-py``'s
(:mod:`csrlib.crypto.mldsa`, the ``pq`` extra).  Its key is checked first
and written in the seed form when the seed is known
(:mod:`csrlib.signers.ml_dsa_keys`).  Like the other pure-Python backends,
this arithmetic is not constant-time.
"""

from __future__ import annotations

from ..errors import BuildError
from ..model.algorithms import SignatureAlgorithm
from ..model.ml_dsa_keys import MlDsaPublicKey
from .ml_dsa_keys import check_ml_dsa
from .private import MlDsaPrivateKey

__all__ = ["MlDsaSigner"]


class MlDsaSigner:
    """Signs pure ML-DSA (FIPS 204 algorithm 2, empty context) with ``dilithium-py``."""

    __slots__ = ("_algorithm", "_deterministic", "_expanded", "_key_type", "_public_key",
                 "_seed")

    def __init__(self, key: MlDsaPrivateKey, *, deterministic: bool = False) -> None:
        """Check ``key`` (see :func:`check_ml_dsa`) and keep its expanded form.

        Hedged signatures unless ``deterministic``.  Raises InvalidKey,
        TypeError for a ``key`` that is not an MlDsaPrivateKey.
        """
        if not isinstance(key, MlDsaPrivateKey):
            raise TypeError(f"expected an MlDsaPrivateKey, not {type(key).__name__}")
        if not isinstance(deterministic, bool):
            raise BuildError("deterministic must be True or False")
        public, expanded = check_ml_dsa(key)
        self._key_type = key.key_type
        self._seed = None if key.seed is None else bytes(key.seed)
        self._expanded = expanded
        self._deterministic = deterministic
        self._public_key = MlDsaPublicKey.from_bytes(key.key_type, public)
        self._algorithm = SignatureAlgorithm.for_key(key.key_type)

    @property
    def public_key(self) -> MlDsaPublicKey:
        """The ML-DSA public key."""
        return self._public_key

    @property
    def signature_algorithm(self) -> SignatureAlgorithm:
        """ML-DSA-44, ML-DSA-65 or ML-DSA-87 (no parameters)."""
        return self._algorithm

    @property
    def private_numbers(self) -> MlDsaPrivateKey:
        """The private key: its seed when known, else its expanded key (secret)."""
        return MlDsaPrivateKey(self._key_type, self._seed,
                               self._expanded if self._seed is None else None,
                               self._public_key.public_bytes)

    def private_key_pem(self) -> str:
        """Return the private key as PKCS#8 PEM (``PRIVATE KEY``), in the seed form when known."""
        from .key_writing import pkcs8_pem

        return pkcs8_pem(self.private_numbers)

    def sign(self, data: bytes) -> bytes:
        """Return the ML-DSA signature of ``data`` (2420, 3309 or 4627 octets)."""
        from ..crypto.mldsa import sign_ml_dsa

        return sign_ml_dsa(self._key_type, self._expanded, data,
                           deterministic=self._deterministic)

    def __repr__(self) -> str:
        return f"MlDsaSigner({self._key_type})"

    __str__ = __repr__
