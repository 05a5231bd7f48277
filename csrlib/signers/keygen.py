"""Key generation: ``generate("ec:P-256")`` and the other specs, as signers.

Randomness comes only from the operating system: ``secrets`` for EC
secrets and EdDSA seeds, and ``os.urandom`` (what the ``rsa`` package reads
through ``rsa.randnum``) for RSA primes.
"""

from __future__ import annotations

import secrets

from ..errors import BuildError
from .ecdsa_backend import EcdsaSigner, EdDsaSigner
from .private import EcPrivateNumbers, EdPrivateSeed
from .rsa_backend import RsaSigner

__all__ = ["SPECS", "generate"]

_EC = {"P-256": "secp256r1", "P-384": "secp384r1", "P-521": "secp521r1",
       "secp256k1": "secp256k1"}
#: The key specs ``generate`` takes (``rsa:N`` also accepts other sizes).
SPECS = ("ec:P-256", "ec:P-384", "ec:P-521", "ec:secp256k1", "rsa:2048", "rsa:3072",
         "rsa:4096", "ed25519", "ed448")
_MAX_RSA_BITS = 16384

Generated = RsaSigner | EcdsaSigner | EdDsaSigner


def generate(spec: str = "ec:P-256", *, allow_weak: bool = False) -> Generated:
    """Return a signer over a new key of ``spec`` (see :data:`SPECS`).

    RSA keys under 2048 bits are refused unless ``allow_weak=True``; the
    public exponent is 65537.  Raises BuildError for an unknown spec.
    """
    kind, _, arg = spec.partition(":")
    if kind == "ec" and arg in _EC:
        from ..curves import CURVES_BY_NAME

        curve = CURVES_BY_NAME[_EC[arg]]
        return EcdsaSigner.from_numbers(EcPrivateNumbers(curve.name,
                                                         secrets.randbelow(curve.n - 1) + 1))
    if kind in ("ed25519", "ed448") and not arg:
        size = 32 if kind == "ed25519" else 57
        return EdDsaSigner.from_seed(EdPrivateSeed(kind, secrets.token_bytes(size)))
    if kind == "rsa" and arg.isdigit():
        bits = int(arg)
        if bits < 2048 and not allow_weak:
            raise BuildError(f"RSA keys under 2048 bits are weak: {bits} (allow_weak=True "
                             "if you must)")
        if not 1024 <= bits <= _MAX_RSA_BITS:
            raise BuildError(f"RSA key size must be 1024..{_MAX_RSA_BITS} bits")
        import rsa

        _, private = rsa.newkeys(bits, accurate=True, poolsize=1, exponent=65537)
        return RsaSigner(private)
    raise BuildError(f"unknown key spec {spec!r}; one of {', '.join(SPECS)}")
