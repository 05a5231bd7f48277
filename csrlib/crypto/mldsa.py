"""ML-DSA (FIPS 204) arithmetic, from the optional ``dilithium-py`` package.

``dilithium-py`` (pure Python, FIPS 204 final) comes with the ``pq`` extra
(``pip install csrlib[pq]``) and is imported only when an ML-DSA key is
used: without it, ML-DSA requests still load and every operation here
raises ``UnsupportedAlgorithm("... install csrlib[pq]")``.

Only pure ML-DSA with the empty context is used (RFC 9881 3: the context
string is empty; HashML-DSA is not allowed).  ``dilithium-py`` raises
ValueError for some malformed inputs (a public key of the wrong length):
here every wrong input is an :class:`~csrlib.errors.InvalidSignature` or
:class:`~csrlib.errors.InvalidKey`, with no key material in the message.

Key checks beyond what ``dilithium-py`` does: an expanded private key
(FIPS 204 skEncode: rho ‖ K ‖ tr ‖ s1 ‖ s2 ‖ t0) must have s1 and s2
coefficients in [-η, η] and the t0 and tr that rho, s1 and s2 give
(:func:`expanded_public_key` recomputes t = A·s1 + s2 as key generation does).
"""

from __future__ import annotations

import secrets
from typing import Any

from ..errors import InvalidKey, InvalidSignature, UnsupportedAlgorithm
from ..model.ml_dsa_keys import ML_DSA_SIZES

__all__ = ["backend", "derive", "expanded_public_key", "sign_ml_dsa", "verify_ml_dsa"]

INSTALL_HINT = "install csrlib[pq]"


def backend(key_type: str) -> Any:
    """Return dilithium-py's parameter set object for ``ml-dsa-44|65|87``.

    Raises UnsupportedAlgorithm when dilithium-py is not installed.
    """
    try:
        from dilithium_py import ml_dsa
    except ImportError:
        raise UnsupportedAlgorithm(f"{key_type} needs the dilithium-py package: "
                                   f"{INSTALL_HINT}") from None
    if key_type not in ML_DSA_SIZES:
        raise UnsupportedAlgorithm(f"unknown ML-DSA parameter set {key_type[:20]!r}")
    return getattr(ml_dsa, key_type.upper().replace("-", "_"))


def verify_ml_dsa(key_type: str, public: bytes, signature: bytes, message: bytes) -> None:
    """Check a pure ML-DSA signature (empty context) over ``message``; raise InvalidSignature."""
    scheme = backend(key_type)
    pk_size, _, sig_size = ML_DSA_SIZES[key_type]
    if len(public) != pk_size:
        raise InvalidSignature(f"{key_type} public key is {pk_size} octets")
    if len(signature) != sig_size:
        raise InvalidSignature(f"{key_type} signature is {sig_size} octets, not {len(signature)}")
    try:
        good = scheme.verify(public, message, signature)
    except ValueError:
        good = False
    if not good:
        raise InvalidSignature(f"{key_type} signature does not match")


def derive(key_type: str, seed: bytes) -> tuple[bytes, bytes]:
    """Return (public key, expanded private key) of a 32-octet seed (FIPS 204 KeyGen_internal)."""
    if len(seed) != 32:
        raise InvalidKey(f"{key_type} seed is {len(seed)} octets, not 32")
    public, expanded = backend(key_type).key_derive(bytes(seed))
    return bytes(public), bytes(expanded)


def sign_ml_dsa(key_type: str, expanded: bytes, message: bytes, *,
                deterministic: bool = False) -> bytes:
    """Return the pure ML-DSA signature (empty context) of ``message``.

    FIPS 204 algorithm 2 (ML-DSA.Sign) done here: ``rnd`` is 32 fresh octets
    of :func:`secrets.token_bytes` (hedged, FIPS 204 3.4) or, when
    ``deterministic``, 32 zero octets; M' = 0 || len(ctx) || ctx || M with
    the empty context (FIPS 204 5.2); then dilithium-py's ML-DSA.Sign_internal
    (algorithm 7).  csrlib draws the randomness itself: dilithium-py's
    parameter set objects are shared by the process, and their
    ``random_bytes`` may be a seeded DRBG (``set_drbg_seed``) set by
    another user.
    """
    scheme = backend(key_type)
    rnd = bytes(32) if deterministic else secrets.token_bytes(32)
    try:
        sign_internal = scheme._sign_internal
    except AttributeError:
        raise UnsupportedAlgorithm("this dilithium-py has no ML-DSA.Sign_internal "
                                   "(csrlib was tested with 1.5.1)") from None
    return bytes(sign_internal(expanded, b"\x00\x00" + message, rnd))


def _coefficients_in_range(packed: bytes, eta: int) -> bool:
    """Return whether every coefficient of BitPack(s, η, η) is η - c with |c| ≤ η (FIPS 204 17)."""
    if eta == 4:
        # 4 bits each: a value above 8 is out of range.
        return all(b & 0x0F <= 8 and b >> 4 <= 8 for b in packed)
    # η = 2, 3 bits each, little-endian: 8 coefficients per 3 octets.
    value = int.from_bytes(packed, "little")
    return all((value >> shift) & 7 <= 4 for shift in range(0, len(packed) * 8, 3))


def expanded_public_key(key_type: str, expanded: bytes) -> bytes:
    """Return the public key of an expanded private key, after checking the key.

    Raises InvalidKey for a key of the wrong length, s1 or s2 out of range,
    or a t0 or tr other than the key's rho, s1 and s2 give.
    """
    scheme = backend(key_type)
    size = ML_DSA_SIZES[key_type][1]
    if len(expanded) != size:
        raise InvalidKey(f"{key_type} expanded private key is {len(expanded)} octets, not {size}")
    eta, k, ell = scheme.eta, scheme.k, scheme.l
    s_size = 96 if eta == 2 else 128
    s_end = 128 + s_size * (ell + k)
    if not _coefficients_in_range(expanded[128:s_end], eta):
        raise InvalidKey(f"{key_type} private key: s1 or s2 coefficients out of range")
    # dilithium-py's key generation steps (FIPS 204 algorithm 6, lines 5-9), through
    # its internal methods: checked against 1.5.1 (tests/constraints.txt).
    try:
        rho, _, tr, s1, s2, _ = scheme._unpack_sk(expanded)
        a_hat = scheme._expand_matrix_from_seed(rho)
        t = (a_hat @ s1.to_ntt()).from_ntt() + s2
        t1, t0 = t.power_2_round(scheme.d)
        public = bytes(scheme._pack_pk(rho, t1))
        packed_t0, hashed = t0.bit_pack_t0(), scheme._h(public, 64)
    except AttributeError:
        raise UnsupportedAlgorithm("this dilithium-py cannot check expanded ML-DSA keys "
                                   "(csrlib was tested with 1.5.1)") from None
    if packed_t0 != expanded[s_end:] or hashed != tr:
        raise InvalidKey(f"{key_type} private key is inconsistent (t0 or tr)")
    return public
