"""Key generation: ``generate("ec:P-256")`` and the other specs, as signers.

Randomness comes only from the operating system through ``secrets``: EC
secrets, EdDSA and ML-DSA seeds, and the RSA primes of
:mod:`csrlib.signers.rsa_keygen` (an incremental sieve and the FIPS 186-5
A.1.3 conditions; some 0.3 s for RSA-2048 in CPython, where the ``rsa``
package's ``newkeys`` takes 1 to 18 s).
"""

from __future__ import annotations

import re
import secrets

from ..errors import BuildError
from ..model.keys import MAX_RSA_BITS
from .ecdsa_backend import EcdsaSigner, EdDsaSigner
from .ml_dsa import MlDsaSigner
from .private import EcPrivateNumbers, EdPrivateSeed, MlDsaPrivateKey
from .rsa_backend import RsaSigner

__all__ = ["SPECS", "generate"]

_EC = {"P-256": "secp256r1", "P-384": "secp384r1", "P-521": "secp521r1",
       "secp256k1": "secp256k1", "P-224": "secp224r1", "brainpoolP256r1": "brainpoolP256r1",
       "brainpoolP384r1": "brainpoolP384r1", "brainpoolP512r1": "brainpoolP512r1"}
#: The key specs ``generate`` takes (``rsa:N`` also accepts other sizes).
SPECS = ("ec:P-256", "ec:P-384", "ec:P-521", "ec:secp256k1", "ec:P-224", "ec:brainpoolP256r1",
         "ec:brainpoolP384r1", "ec:brainpoolP512r1", "rsa:2048", "rsa:3072", "rsa:4096",
         "ed25519", "ed448", "ml-dsa-44", "ml-dsa-65", "ml-dsa-87")
# ASCII digits only: str.isdigit() and int() accept other scripts' digits
# (and isdigit() superscripts, which int() then refuses).
_RSA_SPEC = re.compile(r"rsa:([0-9]+)")
_MIN_RSA_BITS, _STRONG_RSA_BITS = 1024, 2048

Generated = RsaSigner | EcdsaSigner | EdDsaSigner | MlDsaSigner


def generate(spec: str = "ec:P-256", *, allow_weak: bool = False) -> Generated:
    """Return a signer over a new key of ``spec`` (see :data:`SPECS`).

    ``rsa:N`` takes N in 1024..16384 (ASCII digits); under 2048 only
    with ``allow_weak=True``; the public exponent is 65537.  The default
    Policy does not accept P-224 and the brainpool curves (see README).
    ``ml-dsa-44|65|87`` need the ``pq`` extra (UnsupportedAlgorithm without it).  Raises BuildError
    for any other spec, before any key is made; TypeError if ``spec`` is
    not a str.
    """
    if not isinstance(spec, str):
        raise TypeError(f"spec must be a str, not {type(spec).__name__}")
    kind, _, arg = spec.partition(":")
    if kind == "ec" and arg in _EC:
        from ..model.curves import CURVES_BY_NAME

        curve = CURVES_BY_NAME[_EC[arg]]
        return EcdsaSigner.from_numbers(EcPrivateNumbers(curve.name,
                                                         secrets.randbelow(curve.n - 1) + 1))
    if spec in ("ed25519", "ed448"):
        size = 32 if spec == "ed25519" else 57
        return EdDsaSigner.from_seed(EdPrivateSeed(spec, secrets.token_bytes(size)))
    if spec in ("ml-dsa-44", "ml-dsa-65", "ml-dsa-87"):
        # RFC 9881 6 / FIPS 204 6.1: the key is its 32-octet seed.
        from ..crypto.mldsa import backend

        backend(spec)  # UnsupportedAlgorithm("... install csrlib[pq]") without dilithium-py
        return MlDsaSigner(MlDsaPrivateKey(spec, secrets.token_bytes(32)))
    match = _RSA_SPEC.fullmatch(spec)
    if match is None:
        raise BuildError(f"unknown key spec {spec[:40]!r}; one of {', '.join(SPECS)}")
    # At most five digits before int(): its cost, and its own limit, stay out of reach.
    digits = match[1]
    bits = int(digits) if len(digits) <= 5 else 0
    if not _MIN_RSA_BITS <= bits <= MAX_RSA_BITS:
        raise BuildError(f"RSA key size must be {_MIN_RSA_BITS}..{MAX_RSA_BITS} bits")
    if bits < _STRONG_RSA_BITS and not allow_weak:
        raise BuildError(f"RSA keys under {_STRONG_RSA_BITS} bits are weak: {bits} "
                         "(allow_weak=True if you must)")
    import rsa

    from .rsa_keygen import generate_rsa_numbers

    n, e, d, p, q = generate_rsa_numbers(bits)
    return RsaSigner(rsa.PrivateKey(n, e, d, p, q))
