"""Probable-prime tests for RSA primes: Miller-Rabin with random bases and the strong Lucas test.

:func:`is_probable_prime` is what key loading runs on the primes of an RSA
key file, which may have been made to fool a test.  In order:

1. trial division by the primes below 1000 (exact for numbers below 1000²);
2. Miller-Rabin to base 2, then rounds with bases drawn by :mod:`secrets`
   (FIPS 186-5 B.3.1), as many as FIPS 186-5 Table B.1 asks for primes of
   the size (:func:`miller_rabin_rounds`).  A composite survives a random
   round with probability at most 1/4, whoever chose it; a fixed base can
   be fooled by a number built for it (Wycheproof's
   ``FixedMillerRabinBasis`` cases, or 8321 and 49141 for base 2);
3. the strong Lucas test, which with the base-2 round makes the
   Baillie-PSW test: no composite is known to pass it, so for every known
   composite the verdict does not depend on the random bases.

Cost: a Miller-Rabin round is one modular exponentiation, the Lucas test
about three; a composite usually stops at the first round.  For a prime of
1024 bits that is some 40 ms in all, of 8192 bits (a 16384-bit key) some
10 s in CPython.

Written to serve prime generation as well as key checking.  Nothing here
raises for any integer: values below 2 and even values above 2 are not
prime.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from math import gcd, isqrt, prod

__all__ = ["is_probable_prime", "jacobi", "miller_rabin", "miller_rabin_rounds",
           "random_bases", "strong_lucas"]

_SMALL_PRIMES = tuple(n for n in range(2, 1000) if all(n % f for f in range(2, isqrt(n) + 1)))
_SMALL_PRODUCT = prod(_SMALL_PRIMES)
# A number below this with no factor in _SMALL_PRIMES is prime.
_EXACT_BELOW = 1000 * 1000


def miller_rabin_rounds(bits: int) -> int:
    """Return the random-base Miller-Rabin rounds for a prime of ``bits`` bits.

    FIPS 186-5 Table B.1 (error probability 2**-100 for the primes p and q
    of RSA): 4 rounds at 1024 bits, 3 at 1536, 2 at 2048 and more.  The
    table starts at 1024 bits; below, 8 rounds, the count the bound of FIPS
    186-5 C.1 (Damgard, Landrock and Pomerance) gives at 512 bits.
    """
    if bits >= 2048:
        return 2
    if bits >= 1536:
        return 3
    if bits >= 1024:
        return 4
    return 8


def is_probable_prime(w: int, rounds: int | None = None) -> bool:
    """Return whether ``w`` is a probable prime (see the module docstring); False below 2.

    ``rounds``: the random-base Miller-Rabin rounds after the Baillie-PSW
    test, :func:`miller_rabin_rounds` when None.
    """
    if w < 2:
        return False
    if gcd(w, _SMALL_PRODUCT) != 1:
        return w in _SMALL_PRIMES
    if w < _EXACT_BELOW:
        return True
    count = miller_rabin_rounds(w.bit_length()) if rounds is None else rounds
    # The random rounds before the Lucas test: they cost less and reject
    # most composites that base 2 lets through.
    return (miller_rabin(w, (2,)) and miller_rabin(w, random_bases(w, count))
            and strong_lucas(w))


def random_bases(w: int, count: int) -> Iterator[int]:
    """Yield ``count`` bases drawn uniformly from 2..w-2 with :mod:`secrets` (``w`` >= 5)."""
    # FIPS 186-5 B.3.1 steps 4.1-4.2: a random b with 1 < b < w - 1.
    for _ in range(count):
        yield secrets.randbelow(w - 3) + 2


def miller_rabin(w: int, bases: Iterable[int]) -> bool:
    """Return False when one of ``bases`` proves the odd ``w`` > 3 composite, True otherwise.

    FIPS 186-5 B.3.1 with the bases given (each in 2..w-2); one modular
    exponentiation per base.  An even ``w`` or one below 5 returns False.
    """
    if w < 5 or not w & 1:
        return False
    # Step 1: w - 1 = 2**a * m with m odd.
    m, a = w - 1, 0
    while not m & 1:
        m >>= 1
        a += 1
    for b in bases:
        z = pow(b, m, w)  # step 4.3
        if z in (1, w - 1):  # step 4.4
            continue
        for _ in range(a - 1):  # step 4.5
            z = z * z % w
            if z == w - 1:
                break
            if z == 1:  # step 4.5.3: a square root of 1 other than +-1
                return False
        else:
            return False  # step 4.6
    return True


def jacobi(a: int, n: int) -> int:
    """Return the Jacobi symbol (a/n), -1, 0 or 1, of an odd ``n`` > 0 (as FIPS 186-5 B.3.3)."""
    a %= n
    result = 1
    while a:
        while not a & 1:
            a >>= 1
            if n & 7 in (3, 5):  # (2/n) = -1 when n = 3 or 5 mod 8
                result = -result
        a, n = n, a  # quadratic reciprocity
        if a & 3 == 3 and n & 3 == 3:
            result = -result
        a %= n
    return result if n == 1 else 0


def _half(x: int, w: int) -> int:
    # x/2 mod the odd w, for 0 <= x < w: (x + w)/2 when x is odd (FIPS 186-5 B.3.3).
    return (x if not x & 1 else x + w) >> 1


def strong_lucas(w: int) -> bool:
    """Return whether the odd ``w`` > 2 is a strong Lucas probable prime; False if even or < 3.

    The parameters of FIPS 186-5 B.3.3 (P = 1, Q = (1 - D)/4, D the first of
    5, -7, 9, -11, ... with Jacobi symbol (D/w) = -1, perfect squares
    refused), tested in the strong form of Baillie and Wagstaff (1980), the
    one of Baillie-PSW: with w + 1 = k * 2**s, k odd, U(k) = 0 or
    V(k * 2**r) = 0 mod w for some 0 <= r < s.  It implies the FIPS test
    (U(w + 1) = 0) and is passed by fewer composites.
    """
    if w < 3 or not w & 1:
        return w == 2
    # B.3.3 step 1: a square has no D with (D/w) = -1.
    if isqrt(w) ** 2 == w:
        return False
    # Step 2: a Jacobi symbol 0 means gcd(D, w) > 1: composite unless w = |D|.
    d = 5
    while (symbol := jacobi(d, w)) != -1:
        if symbol == 0:
            return w == abs(d)
        d = -d - 2 if d > 0 else -d + 2
    k, s = w + 1, 0
    while not k & 1:
        k >>= 1
        s += 1
    # Step 6, over the bits of k after the first: U(1) = V(1) = 1; the index
    # doubles (U(2j) = U(j)V(j), V(2j) = (V(j)**2 + D U(j)**2)/2), then
    # grows by one where the bit is set.
    u, v = 1, 1
    for bit in bin(k)[3:]:
        u, v = u * v % w, _half((v * v + d * u * u) % w, w)
        if bit == "1":
            u, v = _half((u + v) % w, w), _half((v + d * u) % w, w)
    if u == 0 or v == 0:
        return True
    for _ in range(s - 1):
        u, v = u * v % w, _half((v * v + d * u * u) % w, w)
        if v == 0:
            return True
    return False
