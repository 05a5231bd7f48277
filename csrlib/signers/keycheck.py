"""Consistency checks of private key records, run when a key is read and before it is written.

RSA: size bounded first, then the exponent range, n = p·q with primes of
about half its size each, e·d ≡ 1 mod lcm(p-1, q-1), and (costliest, last)
p and q probable primes.  EC: the secret in 1..n-1 and a stated public point
equal to secret·G.  EdDSA: the seed size and a stated public key equal to
the derived one.  Messages never hold key material; exceptions of the
``ecdsa`` package are not chained.
"""

from __future__ import annotations

from math import gcd

from .. import oids
from ..curves import CURVES, Curve, decode_point
from ..der.primitives import encode_integer, encode_oid
from ..der.tlv import tlv
from ..errors import DecodeError, InvalidKey
from ..keys import MAX_RSA_BITS, MAX_RSA_EXPONENT, PublicKey, RsaPublicKey
from .private import EcPrivateNumbers, EdPrivateSeed, RsaPrivateNumbers

__all__ = ["check_ec", "check_ed", "check_rsa", "crt", "probable_prime", "pss_public_key"]

_CURVES_BY_CANONICAL_NAME = {curve.name: curve for curve in CURVES.values()}
_SEED_SIZES = {"ed25519": 32, "ed448": 57}


def probable_prime(m: int) -> bool:
    """Return whether the odd ``m`` > 2 passes the Miller-Rabin test to base 2."""
    if m < 3 or not m & 1:
        return False
    r, s = m - 1, 0
    while not r & 1:
        r >>= 1
        s += 1
    x = pow(2, r, m)
    if x in (1, m - 1):
        return True
    for _ in range(s - 1):
        x = x * x % m
        if x == m - 1:
            return True
    return False


def check_rsa(key: RsaPrivateNumbers) -> None:
    n, e, d, p, q = key.n, key.e, key.d, key.p, key.q
    # Bounded before any arithmetic: every value below is under n.
    if n.bit_length() > MAX_RSA_BITS:
        raise InvalidKey(f"RSA key larger than {MAX_RSA_BITS} bits")
    if not 1 < e < n or not e & 1 or e > MAX_RSA_EXPONENT:
        raise InvalidKey("invalid RSA public exponent (odd, 1 < e < n, at most 2**64)")
    if not 0 < d < n:
        raise InvalidKey("RSA private exponent out of range")
    if not (1 < p < n and 1 < q < n) or p * q != n:
        raise InvalidKey("RSA modulus is not the product of the two primes")
    # Each prime about half the modulus (FIPS 186-5 A.1.1 asks for exactly
    # half; python-rsa makes them half ± 1/32 of the modulus size): this also
    # bounds the primality test below, which a 16384-bit key with p = 3
    # would otherwise spend 13 s on.
    bits = n.bit_length()
    if max(abs(2 * f.bit_length() - bits) for f in (p, q)) > bits // 8:
        raise InvalidKey("RSA prime factors are unbalanced (each must be about half "
                         "the modulus size)")
    # RFC 8017 3.2: e·d ≡ 1 mod λ(n) (a d computed modulo φ(n) satisfies it too).
    lam = (p - 1) // gcd(p - 1, q - 1) * (q - 1)
    if e * d % lam != 1:
        raise InvalidKey("RSA private exponent does not match the public exponent")
    # Last, as the costliest: two modular exponentiations, under 2 s at 16384 bits.
    if p == q or not probable_prime(p) or not probable_prime(q):
        raise InvalidKey("RSA prime factors are not two distinct odd primes")


def crt(key: RsaPrivateNumbers) -> tuple[int, int, int]:
    """Return exponent1, exponent2 and coefficient (RFC 8017 3.2) of a checked key."""
    return key.d % (key.p - 1), key.d % (key.q - 1), pow(key.q, -1, key.p)


def check_ec(key: EcPrivateNumbers) -> Curve:
    curve = _CURVES_BY_CANONICAL_NAME.get(key.curve)
    if curve is None:
        raise InvalidKey("unsupported curve name (expected secp256r1, secp384r1, secp521r1 "
                         "or secp256k1)")
    if not 0 < key.secret < curve.n:
        raise InvalidKey(f"EC private key out of range for {curve.name}")
    if key.public is None:
        return curve
    x, y = key.public
    if not (0 <= x < curve.p and 0 <= y < curve.p) or isinstance(decode_point(
            curve, b"\x04" + x.to_bytes(curve.size, "big") + y.to_bytes(curve.size, "big")),
            str):
        raise InvalidKey(f"EC public key is not a point on {curve.name}")
    try:
        import ecdsa

        point = ecdsa.SigningKey.from_secret_exponent(
            key.secret, curve=getattr(ecdsa.curves, curve.ecdsa_name)).verifying_key.pubkey.point
        derived = (int(point.x()), int(point.y()))
    except Exception:
        # The message of a dependency's exception could hold key material.
        raise InvalidKey("cannot derive the EC public key") from None
    if derived != (x, y):
        raise InvalidKey("EC public key does not match the private key")
    return curve


def check_ed(key: EdPrivateSeed) -> None:
    size = _SEED_SIZES.get(key.key_type)
    if size is None:
        raise InvalidKey("unsupported EdDSA key type (expected ed25519 or ed448)")
    if len(key.seed) != size:
        raise InvalidKey(f"{key.key_type} private key must be {size} octets")
    if key.public is None:
        return
    try:
        import ecdsa

        curve = ecdsa.curves.Ed25519 if key.key_type == "ed25519" else ecdsa.curves.Ed448
        derived = ecdsa.SigningKey.from_string(bytes(key.seed), curve=curve).verifying_key
        matches = derived.to_string() == key.public
    except Exception:
        raise InvalidKey(f"cannot derive the {key.key_type} public key") from None
    if not matches:
        raise InvalidKey(f"{key.key_type} public key does not match the private key")


def pss_public_key(n: int, e: int, params: bytes | None) -> RsaPublicKey:
    """Return the id-RSASSA-PSS public key (n, e) restricted by ``params`` (DER or None).

    Raises InvalidKey when ``params`` are not valid RSASSA-PSS-params (RFC
    4055 3.1: trailerField 1, MGF1 with its hash, a salt length of 0 or more).
    """
    algorithm = tlv(0x30, tlv(0x06, encode_oid(oids.RSASSA_PSS)) + (params or b""))
    numbers = tlv(0x30, tlv(0x02, encode_integer(n)) + tlv(0x02, encode_integer(e)))
    try:
        public = PublicKey.from_der(tlv(0x30, algorithm + tlv(0x03, b"\x00" + numbers)))
    except DecodeError as exc:
        where = exc.path.rpartition("parameters")[2].lstrip(".") or "parameters"
        raise InvalidKey(f"the key's RSASSA-PSS parameters are not valid ({where}: "
                         f"{exc.detail or exc.kind})") from None
    assert isinstance(public, RsaPublicKey)
    return public
