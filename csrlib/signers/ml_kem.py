"""ML-KEM key pairs (FIPS 203): made with the optional ``kyber-py``, kept as their seed.

An ML-KEM key cannot sign, so it is no signer: it is the key a request
carries, signed by another key (RFC 9883, see
``CertificateRequestBuilder.possession_statement``).  This module makes
one, ``generate_ml_kem(768)``, from 64 random octets of :mod:`secrets`
(FIPS 203 ``ML-KEM.KeyGen_internal(d, z)`` with ``seed = d || z``, through
kyber-py's ``key_derive``), and writes its private key as RFC 9935 6
recommends: the seed, in PKCS#8 (``privateKey`` = ``[0] IMPLICIT OCTET
STRING (SIZE (64))``).  The arithmetic is kyber-py's (``pip install
csrlib[pq]``), imported only here; without it, UnsupportedAlgorithm.

A key made elsewhere needs no backend: ``MlKemPublicKey.from_bytes(768,
raw)`` or ``PublicKey.from_der(spki)`` / ``from_pem``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from ..der.primitives import encode_oid
from ..der.tlv import tlv
from ..errors import InvalidKey, UnsupportedAlgorithm
from ..model.ml_kem_keys import ML_KEM_SIZES, MlKemPublicKey

__all__ = ["MlKemPrivateKey", "generate_ml_kem"]

_SEED_SIZE = 64


def _backend(kind: str) -> Any:
    """Return kyber-py's ML_KEM object for ``kind``; raise UnsupportedAlgorithm without it."""
    try:
        from kyber_py.ml_kem import ML_KEM_512, ML_KEM_768, ML_KEM_1024
    except ImportError:
        raise UnsupportedAlgorithm(f"{kind} keys need kyber-py: install csrlib[pq]") from None
    return {"ml-kem-512": ML_KEM_512, "ml-kem-768": ML_KEM_768,
            "ml-kem-1024": ML_KEM_1024}[kind]


def _kind(level: int | str) -> str:
    kind = level if isinstance(level, str) else f"ml-kem-{level}"
    if kind not in ML_KEM_SIZES:
        raise InvalidKey(f"unknown ML-KEM level {str(level)[:20]!r} (512, 768 or 1024)")
    return kind


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class MlKemPrivateKey:
    """An ML-KEM key pair, held as its 64-octet seed (d || z) and its public key.

    The seed never appears in ``repr`` or in errors.
    """

    seed: bytes = field(repr=False)
    public_key: MlKemPublicKey

    def __repr__(self) -> str:
        return f"MlKemPrivateKey({self.public_key.key_type})"

    @staticmethod
    def from_seed(level: int | str, seed: bytes) -> MlKemPrivateKey:
        """Return the key pair FIPS 203 derives from a 64-octet seed (needs kyber-py).

        Raises InvalidKey for another level or seed size, UnsupportedAlgorithm
        without kyber-py.
        """
        kind = _kind(level)
        if not isinstance(seed, bytes | bytearray) or len(seed) != _SEED_SIZE:
            raise InvalidKey(f"an {kind} seed is {_SEED_SIZE} octets")
        ek, _ = _backend(kind).key_derive(bytes(seed))
        return MlKemPrivateKey(bytes(seed), MlKemPublicKey.from_bytes(kind, ek))

    def decapsulation_key(self) -> bytes:
        """Return the expanded FIPS 203 decapsulation key (needs kyber-py)."""
        _, dk = _backend(self.public_key.key_type).key_derive(self.seed)
        return bytes(dk)

    def to_pkcs8_der(self) -> bytes:
        """Return the private key as PKCS#8 DER in RFC 9935's seed form (version 0)."""
        algorithm = tlv(0x30, tlv(0x06, encode_oid(self.public_key.algorithm)))
        private = tlv(0x04, tlv(0x80, self.seed))
        return tlv(0x30, b"\x02\x01\x00" + algorithm + private)

    def to_pem(self) -> str:
        """Return :meth:`to_pkcs8_der` as a ``PRIVATE KEY`` PEM block."""
        from ..pem import encode_pem

        return encode_pem("PRIVATE KEY", self.to_pkcs8_der())

    def save(self, path: str, *, overwrite: bool = False) -> None:
        """Write :meth:`to_pem` to a new file readable by its owner only (0600).

        Refuses an existing file unless ``overwrite`` (see
        :func:`csrlib.signers.save_private_key`); raises OSError naming ``path``.
        """
        from .files import write_file

        write_file(path, self.to_pem().encode("ascii"), overwrite=overwrite, private=True)


def generate_ml_kem(level: int | str = 768) -> MlKemPrivateKey:
    """Return a new ML-KEM key pair of level 512, 768 (the default) or 1024 (needs kyber-py)."""
    return MlKemPrivateKey.from_seed(level, secrets.token_bytes(_SEED_SIZE))
