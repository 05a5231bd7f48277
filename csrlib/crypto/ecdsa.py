"""ECDSA signature verification through the ``ecdsa`` package.

Only this module (and the signers) import ``ecdsa``, lazily, so loading and
verifying RSA requests never imports it.  Every argument is passed
explicitly: the point is the one csrlib decoded and checked, the signature
values are the ones csrlib parsed with its own strict DER, and the digest is
the one csrlib computed with the hash the algorithm identifier names.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .. import key_schemas
from ..errors import DecodeError, InvalidSignature

__all__ = ["parse_ecdsa_signature", "raw_to_der", "verify_ecdsa"]

_ECDSA_PLAN: Any = None


def parse_ecdsa_signature(signature: bytes) -> tuple[int, int]:
    """Return (r, s) of a DER Ecdsa-Sig-Value; raise InvalidSignature if it is not strict DER."""
    global _ECDSA_PLAN  # noqa: PLW0603 - compiled on first use
    from ..asn1 import compile_schema

    if _ECDSA_PLAN is None:
        _ECDSA_PLAN = compile_schema(key_schemas.EcdsaSigValue())
    try:
        r, s = _ECDSA_PLAN.decode_plain(signature)
    except DecodeError as exc:
        raise InvalidSignature(f"malformed ECDSA signature: {exc}") from None
    return r, s


def raw_to_der(signature: bytes, order: int) -> bytes:
    """Return the DER Ecdsa-Sig-Value of a raw ``r || s`` signature (IEEE P1363).

    P1363 (and PKCS#11 CKM_ECDSA, WebCrypto, JOSE): r and s as unsigned
    big-endian integers, each exactly as long as the group order.  Raises
    InvalidSignature for another length or for r or s outside 1..n-1.
    """
    from ..der.primitives import encode_integer
    from ..der.tlv import tlv

    size = (order.bit_length() + 7) // 8
    if len(signature) != 2 * size:
        raise InvalidSignature(f"raw ECDSA signature of {len(signature)} octets; this curve's "
                               f"is {2 * size} (r and s of {size} octets each)")
    r = int.from_bytes(signature[:size], "big")
    s = int.from_bytes(signature[size:], "big")
    if not (0 < r < order and 0 < s < order):
        raise InvalidSignature("ECDSA signature values out of range")
    return tlv(0x30, tlv(0x02, encode_integer(r)) + tlv(0x02, encode_integer(s)))


_VERIFYING_KEYS: dict[tuple[str, int, int], Any] = {}


def _verifying_key(curve_name: str, x: int, y: int) -> Any:
    key = (curve_name, x, y)
    vk = _VERIFYING_KEYS.get(key)
    if vk is None:
        import ecdsa
        from ecdsa.ellipticcurve import PointJacobi

        from ..model.curves import CURVES_BY_NAME

        curve = getattr(ecdsa.curves, CURVES_BY_NAME[curve_name].ecdsa_name)
        point = PointJacobi(curve.curve, x, y, 1, curve.order)
        # The point was checked on the curve when the key was read; every curve
        # here has cofactor 1, so the order check ecdsa would add is redundant.
        vk = ecdsa.VerifyingKey.from_public_point(point, curve=curve, validate_point=False)
        if len(_VERIFYING_KEYS) >= 64:
            _VERIFYING_KEYS.clear()
        _VERIFYING_KEYS[key] = vk
    return vk


def verify_ecdsa(
    curve_name: str, order: int, x: int, y: int, hash_name: str, signature: bytes,
    message: bytes,
) -> None:
    """Return None if ``signature`` is a valid ECDSA signature of ``message``; else raise."""
    r, s = parse_ecdsa_signature(signature)
    # X9.62 / FIPS 186-4 6.4: 0 < r, s < n, checked here before any arithmetic.
    if not (0 < r < order and 0 < s < order):
        raise InvalidSignature("ECDSA signature values out of range")
    from ecdsa.keys import BadSignatureError

    digest = hashlib.new(hash_name, message).digest()
    vk = _verifying_key(curve_name, x, y)
    try:
        # allow_truncate: FIPS 186-4 6.4 keeps the leftmost bits of a longer digest.
        vk.verify_digest(signature, digest, sigdecode=lambda _sig, _order: (r, s),
                         allow_truncate=True)
    except BadSignatureError:
        raise InvalidSignature("ECDSA signature does not match") from None
    except (TypeError, ArithmeticError):
        # ecdsa 0.19 fails this way when u1*G + u2*Q is the point at infinity,
        # which a crafted signature can reach: the signature is invalid.
        raise InvalidSignature("ECDSA signature does not match") from None
