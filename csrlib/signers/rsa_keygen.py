"""RSA key generation: random probable primes found with an incremental sieve.

FIPS 186-5 A.1.3 ("Generation of Random Primes that are Probably Prime"),
with e = 65537:

* p and q have nlen/2 bits each with the top two bits set, which puts them
  above sqrt(2) * 2^(nlen/2 - 1) (A.1.3 step 4.4 / 5.4: 0.75 > 0.7071)
  and makes n = p * q exactly nlen bits;
* gcd(p - 1, e) = gcd(q - 1, e) = 1 (steps 4.5 / 5.6; e is prime, so
  p mod e != 1);
* p and q pass :func:`csrlib.signers.primes.is_probable_prime`: Miller-Rabin
  with the rounds of FIPS 186-5 Table B.1 plus the Baillie-PSW test;
* |p - q| > 2^(nlen/2 - 100) (step 5.4);
* d = e^-1 mod lcm(p - 1, q - 1) > 2^(nlen/2) (FIPS 186-5 A.1.1), a new pair
  otherwise.

Where A.1.3 draws a fresh random odd number for every candidate, this draws
one random start and walks up from it by 2, crossing off the multiples of
the primes below :data:`SIEVE_LIMIT` for a whole window at once with slice
assignments (a sieve of Eratosthenes over the window); only the survivors
(about 1 in 10 odd numbers) get a modular exponentiation.  That is the
usual incremental search (OpenSSL's probable_prime does the same); its only
departure, a prime's chance of being chosen proportional to the gap below
it, costs well under a bit of entropy.  A window of 5 * nlen/2 odd numbers
(A.1.3's candidate bound) without a prime starts over from a new random
point.  Randomness: :mod:`secrets` only.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from math import gcd, isqrt

from .primes import is_probable_prime, miller_rabin

__all__ = ["SIEVE_LIMIT", "generate_rsa_numbers", "random_prime"]

#: Candidates are sieved by the odd primes below this.
SIEVE_LIMIT = 1 << 17
E = 65537


def _odd_primes(limit: int) -> list[int]:
    flags = bytearray([1]) * limit
    flags[:2] = b"\x00\x00"
    for i in range(2, isqrt(limit) + 1):
        if flags[i]:
            flags[i * i::i] = bytes(len(range(i * i, limit, i)))
    return [i for i in range(3, limit) if flags[i]]


_SIEVE_PRIMES: list[int] = []


def _sieve_primes() -> list[int]:
    if not _SIEVE_PRIMES:
        _SIEVE_PRIMES.extend(_odd_primes(SIEVE_LIMIT))
    return _SIEVE_PRIMES


def random_prime(bits: int, *, check: Callable[[int], bool] | None = None) -> int:
    """Return a random probable prime of exactly ``bits`` bits, the top two set, with
    p mod 65537 != 1 and ``check(p)`` true when given.

    ValueError for fewer than 64 bits.
    """
    if bits < 64:
        raise ValueError("primes for RSA have at least 64 bits")
    small = _sieve_primes()
    window = 5 * bits  # A.1.3 step 4.7: at most 5 * (nlen/2) candidates
    while True:
        # Top two bits set, odd (A.1.3 steps 4.2-4.3 and 4.4's bound).
        start = secrets.randbits(bits) | (3 << (bits - 2)) | 1
        # composite[k] marks start + 2k as divisible by a small prime.
        composite = bytearray(window)
        for f in small:
            # start + 2k = 0 mod f  <=>  k = -start * 2^-1 mod f
            first = (-(start % f) * ((f + 1) >> 1)) % f
            composite[first::f] = b"\x01" * len(range(first, window, f))
        e_first = ((1 - start % E) * ((E + 1) >> 1)) % E  # start + 2k = 1 mod e
        composite[e_first::E] = b"\x01" * len(range(e_first, window, E))
        k = composite.find(0)
        while k >= 0:
            candidate = start + 2 * k
            if candidate.bit_length() != bits:
                break
            # Base 2 first: it throws out almost every composite for one
            # exponentiation, before the full test.
            if (miller_rabin(candidate, (2,)) and (check is None or check(candidate))
                    and is_probable_prime(candidate)):
                return candidate
            k = composite.find(0, k + 1)


def generate_rsa_numbers(nlen: int) -> tuple[int, int, int, int, int]:
    """Return (n, e, d, p, q) of a new RSA key of ``nlen`` bits (e = 65537), per the
    module docstring; ValueError under 1024 bits.

    FIPS 186-5 speaks of even sizes; an odd ``nlen`` (which some callers
    ask for) gets a p one bit longer than q.
    """
    if nlen < 1024:
        raise ValueError("RSA keys have at least 1024 bits")
    half = nlen // 2
    while True:
        p = random_prime(nlen - half)

        def far_from_p(c: int, p: int = p) -> bool:
            # A.1.3 step 5.4: |p - q| > 2^(nlen/2 - 100).
            return abs(p - c).bit_length() > half - 100

        q = random_prime(half, check=far_from_p)
        lam = (p - 1) * (q - 1) // gcd(p - 1, q - 1)
        d = pow(E, -1, lam)
        if d.bit_length() > half:  # FIPS 186-5 A.1.1: d > 2^(nlen/2)
            break
    if p < q:
        p, q = q, p
    return p * q, E, d, p, q
