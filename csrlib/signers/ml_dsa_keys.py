"""ML-DSA private keys (RFC 9881 6): reading, checking and writing them.

In PKCS#8 the privateKey OCTET STRING holds (RFC 9881 6)::

    ML-DSA-xx-PrivateKey ::= CHOICE {
      seed        [0] OCTET STRING (SIZE (32)),
      expandedKey OCTET STRING (SIZE (2560 | 4032 | 4896)),
      both        SEQUENCE { seed OCTET STRING (SIZE (32)),
                             expandedKey OCTET STRING (SIZE (...)) } }

:func:`read_ml_dsa_private_key` reads any of the three and checks the key
(:func:`check_ml_dsa`): the seed derives the key (and, in ``both``, exactly
the expanded key given: refused otherwise); an expanded key alone must be
a consistent one (coefficients in range, t0 and tr recomputed); a stated
public key must be the derived one.  :func:`ml_dsa_private_key_der` writes
the seed form when the seed is known (RFC 9881 6 recommends it), else the
expanded key.  Every failure is an :class:`~csrlib.errors.InvalidKey` with no
key material in it.
"""

from __future__ import annotations

from ..der.tlv import tlv
from ..errors import InvalidKey, UnsupportedAlgorithm
from ..model.ml_dsa_keys import ML_DSA_SIZES
from .private import MlDsaPrivateKey
from .seed_choice import read_seed_choice

__all__ = ["check_ml_dsa", "ml_dsa_private_key_der", "read_ml_dsa_private_key"]

_SEED_SIZE = 32


def _backend_error(exc: UnsupportedAlgorithm) -> InvalidKey:
    # Starts with "unsupported": an encrypted key's reader lets this message through.
    return InvalidKey(f"unsupported: {exc}")


def check_ml_dsa(key: MlDsaPrivateKey) -> tuple[bytes, bytes]:
    """Return (public key, expanded key) of ``key``, checked; raise InvalidKey.

    See the module docstring for the checks.  A missing ``dilithium-py``
    raises InvalidKey saying to install csrlib[pq].
    """
    from ..crypto.mldsa import derive, expanded_public_key

    kind = key.key_type
    if kind not in ML_DSA_SIZES:
        raise InvalidKey("unsupported ML-DSA key type (expected ml-dsa-44, ml-dsa-65 or ml-dsa-87)")
    pk_size, sk_size, _ = ML_DSA_SIZES[kind]
    if key.seed is None and key.expanded is None:
        raise InvalidKey(f"{kind} private key without a seed or an expanded key")
    if key.seed is not None and len(key.seed) != _SEED_SIZE:
        raise InvalidKey(f"{kind} seed is {len(key.seed)} octets, not {_SEED_SIZE}")
    if key.expanded is not None and len(key.expanded) != sk_size:
        raise InvalidKey(f"{kind} expanded key is {len(key.expanded)} octets, not {sk_size}")
    if key.public is not None and len(key.public) != pk_size:
        raise InvalidKey(f"{kind} public key is {len(key.public)} octets, not {pk_size}")
    try:
        if key.seed is not None:
            public, expanded = derive(kind, key.seed)
            if key.expanded is not None and key.expanded != expanded:
                raise InvalidKey(f"{kind} private key: the expanded key is not the one its "
                                 "seed derives")
        else:
            assert key.expanded is not None
            expanded = bytes(key.expanded)
            public = expanded_public_key(kind, expanded)
    except UnsupportedAlgorithm as exc:
        raise _backend_error(exc) from None
    if key.public is not None and key.public != public:
        raise InvalidKey("the key file's public key does not match its private key")
    return public, expanded


def read_ml_dsa_private_key(key_type: str, private: bytes,
                            public: bytes | None) -> MlDsaPrivateKey:
    """Return the checked key of a PKCS#8 privateKey's contents (RFC 9881 6 CHOICE)."""
    seed, expanded = read_seed_choice(key_type, private, _SEED_SIZE,
                                      ML_DSA_SIZES[key_type][1], "RFC 9881 6")
    key = MlDsaPrivateKey(key_type, seed, expanded, public)
    derived, _ = check_ml_dsa(key)
    return MlDsaPrivateKey(key_type, seed, expanded, derived)


def ml_dsa_private_key_der(key: MlDsaPrivateKey) -> bytes:
    """Return the RFC 9881 6 private key CHOICE: ``seed`` when known, else ``expandedKey``."""
    check_ml_dsa(key)
    if key.seed is not None:
        return tlv(0x80, bytes(key.seed))
    assert key.expanded is not None
    return tlv(0x04, bytes(key.expanded))
