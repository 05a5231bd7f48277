"""ECDSA signatures: parsing (strict DER, raw P1363) and verification.

Verification uses csrlib's own arithmetic (:mod:`csrlib.crypto.ec_arith`,
SEC 1 v2 4.1.4), on public values only; the ``ecdsa`` package is left to
the signers, where a secret is used.  The point is the one csrlib decoded
and checked, the signature values are the ones csrlib parsed with its own
strict DER, and the digest is the one csrlib computed with the hash the
algorithm identifier names.
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


def verify_ecdsa(
    curve_name: str, order: int, x: int, y: int, hash_name: str, signature: bytes,
    message: bytes,
) -> None:
    """Return None if ``signature`` is a valid ECDSA signature of ``message``; else raise.

    The arithmetic is csrlib's own (:mod:`csrlib.crypto.ec_arith`, SEC 1 v2
    4.1.4); the caller has checked that (x, y) is on the curve.
    """
    from ..model.curves import CURVES_BY_NAME
    from .ec_arith import arith_for

    r, s = parse_ecdsa_signature(signature)
    # X9.62 / FIPS 186-4 6.4: 0 < r, s < n, checked here before any arithmetic.
    if not (0 < r < order and 0 < s < order):
        raise InvalidSignature("ECDSA signature values out of range")
    curve = CURVES_BY_NAME[curve_name]
    if curve.n != order:
        raise ValueError(f"order given for {curve_name} is not its order")
    digest = hashlib.new(hash_name, message).digest()
    # SEC 1 4.1.3 step 5 (FIPS 186-4 6.4): keep the leftmost bits of a longer digest.
    e = int.from_bytes(digest, "big") >> max(0, 8 * len(digest) - order.bit_length())
    if not arith_for(curve.p, curve.a, order, curve.gx, curve.gy).verify(x, y, e, r, s):
        raise InvalidSignature("ECDSA signature does not match")
