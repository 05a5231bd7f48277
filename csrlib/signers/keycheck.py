"""Consistency checks of private key records, run when a key is read and before it is written.

RSA (:func:`check_rsa`), after SP 800-56B Rev. 2 6.4.1.2.3 (rsakpv1-crt),
cheapest first: the size bounded (:data:`~csrlib.model.keys.MAX_RSA_BITS`), the
exponents in range, n = p·q with primes of about half its size each (this
bounds the cost of what follows), gcd(p, q) = 1, gcd(e, λ(n)) = 1,
e·d ≡ 1 mod λ(n), the CRT values a PKCS#1 file states, and last, costliest,
p and q probable primes (:func:`csrlib.signers.primes.is_probable_prime`:
Miller-Rabin with random bases and a strong Lucas test).
:func:`check_rsa_numbers` is all but that last test: enough for every
later computation on the numbers to be defined.  EC: the secret in 1..n-1
and a stated public point equal to secret·G.  EdDSA: the seed size and a
stated public key equal to the derived one.

Every failure is :class:`~csrlib.errors.InvalidKey` with a message naming
the check, never a value; exceptions of the ``ecdsa`` package are not
chained.
"""

from __future__ import annotations

from math import gcd

from .. import oids
from ..der.primitives import encode_integer, encode_oid
from ..der.tlv import tlv
from ..errors import DecodeError, InvalidKey
from ..model.curves import CURVES, Curve, decode_point
from ..model.keys import MAX_RSA_BITS, MAX_RSA_EXPONENT, PublicKey, RsaPublicKey
from .primes import is_probable_prime
from .private import EcPrivateNumbers, EdPrivateSeed, RsaPrivateNumbers

__all__ = ["check_ec", "check_ed", "check_rsa", "check_rsa_numbers", "crt", "probable_prime",
           "pss_public_key"]

_CURVES_BY_CANONICAL_NAME = {curve.name: curve for curve in CURVES.values()}
_SEED_SIZES = {"ed25519": 32, "ed448": 57}
# The name csrlib.fuzz.strategies imports; the test is primes.is_probable_prime.
probable_prime = is_probable_prime


def check_rsa_numbers(key: RsaPrivateNumbers) -> None:
    """Return None if the RSA numbers are consistent but for primality; raise InvalidKey if not.

    After these checks p and q are coprime integers above 1 whose product
    is n, so λ = lcm(p-1, q-1), d mod (p-1) and q**-1 mod p are defined.
    """
    n, e, d, p, q = key.n, key.e, key.d, key.p, key.q
    # Bounded before any arithmetic: every value below is under n.
    if n.bit_length() > MAX_RSA_BITS:
        raise InvalidKey(f"RSA key larger than {MAX_RSA_BITS} bits")
    if not 1 < e < n or not e & 1 or e > MAX_RSA_EXPONENT:
        raise InvalidKey("invalid RSA public exponent (odd, 1 < e < n, at most 2**64)")
    if not 0 < d < n:
        raise InvalidKey("RSA private exponent out of range")
    # SP 800-56B Rev. 2 6.4.1.2.3: n = p·q.
    if not (1 < p < n and 1 < q < n) or p * q != n:
        raise InvalidKey("RSA modulus is not the product of the two primes")
    # Each prime about half the modulus (FIPS 186-5 A.1.1 asks for exactly
    # half; python-rsa makes them half ± 1/32 of the modulus size): this also
    # bounds the primality test, which a 16384-bit key with p = 3 would
    # otherwise spend a minute on.
    bits = n.bit_length()
    if max(abs(2 * f.bit_length() - bits) for f in (p, q)) > bits // 8:
        raise InvalidKey("RSA prime factors are unbalanced (each must be about half "
                         "the modulus size)")
    # Distinct primes are coprime; composites may not be, and q**-1 mod p
    # needs it (8321 and 49141 pass Miller-Rabin to base 2 and share 157).
    if gcd(p, q) != 1:
        raise InvalidKey("RSA prime factors are not coprime (gcd(p, q) != 1)")
    lam = (p - 1) // gcd(p - 1, q - 1) * (q - 1)
    # SP 800-56B Rev. 2 6.4.1.2.3: gcd(e, p-1) = gcd(e, q-1) = 1, that is gcd(e, λ) = 1.
    if gcd(e, lam) != 1:
        raise InvalidKey("RSA public exponent is not coprime to lcm(p-1, q-1)")
    # RFC 8017 3.2: e·d ≡ 1 mod λ(n) (a d computed modulo φ(n) satisfies it too).
    if e * d % lam != 1:
        raise InvalidKey("RSA private exponent does not match the public exponent "
                         "(e·d mod lcm(p-1, q-1) is not 1)")


def check_rsa(key: RsaPrivateNumbers, crt_values: tuple[int, int, int] | None = None) -> None:
    """Return None if the RSA key is valid (see the module docstring); raise InvalidKey if not.

    ``crt_values``: exponent1, exponent2 and coefficient as a PKCS#1
    RSAPrivateKey states them, checked against the key before the primes
    are tested.
    """
    check_rsa_numbers(key)
    p, q = key.p, key.q
    if crt_values is not None:
        dp, dq, qinv = crt_values
        # SP 800-56B Rev. 2 6.4.1.2.3 and RFC 8017 3.2: dP = d mod (p-1),
        # dQ = d mod (q-1), 0 < qInv < p with qInv·q ≡ 1 mod p.
        if dp != key.d % (p - 1):
            raise InvalidKey("RSA exponent1 is not d mod (p-1)")
        if dq != key.d % (q - 1):
            raise InvalidKey("RSA exponent2 is not d mod (q-1)")
        if not 0 < qinv < p or qinv * q % p != 1:
            raise InvalidKey("RSA coefficient is not the inverse of q mod p")
    # Last, as the costliest (SP 800-56B Rev. 2 6.4.1.2.3: p and q prime).
    if not is_probable_prime(p):
        raise InvalidKey("RSA prime1 (p) is not prime")
    if not is_probable_prime(q):
        raise InvalidKey("RSA prime2 (q) is not prime")


def crt(key: RsaPrivateNumbers) -> tuple[int, int, int]:
    """Return exponent1, exponent2 and coefficient (RFC 8017 3.2) of a key that passed
    :func:`check_rsa_numbers` (for others, pow() may raise ValueError)."""
    return key.d % (key.p - 1), key.d % (key.q - 1), pow(key.q, -1, key.p)


def check_ec(key: EcPrivateNumbers) -> Curve:
    """Return the key's curve; raise InvalidKey for a secret outside 1..n-1 or a wrong point."""
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
    """Return None; raise InvalidKey for a seed of the wrong size or a wrong public key."""
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
