"""Elliptic-curve arithmetic for ECDSA verification: u1·G + u2·Q on a short
Weierstrass curve y² = x³ + ax + b over GF(p), in pure Python.

Only public values enter it (the curve, the public key, the signature and
the digest), so it makes no attempt at constant time: it branches and
indexes on the scalars freely.  Signing, where a secret is used, stays with
the ``ecdsa`` package.

Method
------
* Verification is SEC 1 v2 section 4.1.4 (also FIPS 186-5 6.4.2): with
  e the leftmost bits of the digest (as many as n has, step 5 of 4.1.3),
  w = s⁻¹ mod n, u1 = e·w, u2 = r·w, the signature is valid when
  R = u1·G + u2·Q is not the point at infinity and x(R) mod n = r.  The
  caller has checked 1 ≤ r, s ≤ n-1 and that Q is on the curve.
* The last step needs no inversion: R = (X, Y, Z) in Jacobian coordinates
  has x(R) = X/Z², and x(R) mod n = r holds for x(R) = r + k·n < p only, so
  X = (r + k·n)·Z² mod p is tested for k = 0 and, when r + n < p, k = 1.
* u1·G + u2·Q by interleaving with w-NAFs (Hankerson, Menezes, Vanstone,
  *Guide to Elliptic Curve Cryptography*, 2004, Algorithm 3.51; the w-NAF
  of a scalar by Algorithm 3.35): one shared chain of doublings, and one
  addition per nonzero digit of either scalar.  G has a width-8 table of its
  odd multiples G, 3G, ..., 127G, built once per curve on first use;
  Q, which changes with every key, a width-5 table Q, 3Q, ..., 15Q.  For
  P-256 (no gmpy2) about 60% of the time goes to the 256 doublings, 30% to
  the 71 additions on average, 6% to Q's table.
* Every table point is affine, so every addition is mixed Jacobian + affine
  (Guide, Algorithm 3.22; 8M + 3S).  A table is built with one inversion:
  2P is computed in Jacobian coordinates (X₂, Y₂, Z₂), and the odd
  multiples are summed on the isomorphic curve where 2P is the affine point
  (X₂, Y₂) (P there is (x·Z₂², y·Z₂³); a mixed addition does not use the
  coefficient a); their Jacobian Z on the real curve is the computed Z
  times Z₂, and Montgomery's simultaneous inversion (one inversion and
  three multiplications per point) makes them all affine.
* Doubling in Jacobian coordinates, with the formula for the curve's a:
  a = -3 (the NIST curves) 3(X-Z²)(X+Z²) for the slope numerator (Guide,
  Algorithm 3.21; EFD dbl-2001-b; 3M + 5S); a = 0 (secp256k1) 3X²
  (dbl-2009-l); otherwise 3X² + aZ⁴ (brainpool; dbl-1998-cmo-2).  The
  formulas are those of the Explicit-Formulas Database
  (https://hyperelliptic.org/EFD/g1p/auto-shortw-jacobian.html), written
  with fewer modular reductions: sums and differences are reduced together
  with the product they feed, and in the addition H³ and X·H² are not
  reduced before the sums that use them.
* P-384 and P-521 on Python ints: p = 2^k - c with c small (c = 1 for
  P-521), so t mod p is replaced by two folds t → (t mod 2^k) + (t >> k)·c,
  which keep every value congruent and under 2^(k+1) without a division
  (``%`` of a 1042-bit number costs several times a fold).  P-256's c has
  224 bits, so ``%`` stays there.
* secp256k1 has the endomorphism φ(x, y) = (βx, y) = λ·(x, y) (Gallant,
  Lambert, Vanstone, CRYPTO 2001): each scalar k is split into k1 + k2·λ
  with k1, k2 of about 128 bits (Guide, Algorithm 3.74, the lattice basis
  from the extended Euclidean algorithm on (n, λ)), and the four
  half-length products G, φ(G), Q, φ(Q) share 128 doublings instead of 256;
  φ's tables are the tables with x multiplied by β.
* The point at infinity is a Jacobian point with Z = 0; an addition whose
  operands are equal (H = R = 0) becomes a doubling, and one whose operands
  are opposite (H = 0, R ≠ 0) gives the point at infinity, so every case of
  the interleaved loop is handled exactly.
* When ``gmpy2`` is importable the coordinates are ``gmpy2.mpz`` (faster
  multiplication and reduction; the results are the same integers), else
  Python ints.  ``gmpy2`` is never required.
* Measured by ``benchmarks/ecdsa_verify.py`` against python-ecdsa's verify
  on the same inputs; see the README's benchmark section.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from typing import Any

__all__ = ["CurveArith", "arith_for"]

#: Width of the w-NAF of u1 (G's table holds 2^(w-2) = 64 points) and of u2.
G_WIDTH = 8
Q_WIDTH = 5


def _load_mpz() -> Callable[[int], Any] | None:
    try:
        mpz: Callable[[int], Any] = importlib.import_module("gmpy2").mpz
    except ImportError:
        return None
    return mpz


#: ``gmpy2.mpz`` when importable, else None (Python ints are used).
MPZ = _load_mpz()


def wnaf(k: int, width: int) -> list[tuple[int, int]]:
    """Return the nonzero digits of the width-``width`` NAF of ``k`` ≥ 0, as
    (position, digit) from the least significant (Guide, Algorithm 3.35).

    Each digit is odd with |digit| < 2^(width-1), any ``width`` consecutive
    positions hold at most one of them, and k = Σ digit·2^position.
    """
    half = 1 << (width - 1)
    digits: list[tuple[int, ...]] = [(d,) for d in range(1, half, 2)]
    digits += [(d,) for d in range(1 - half, 0, 2)]
    found: list[tuple[int, ...]] = []
    _add_events(found, k, digits, width)
    return [(pos, digit) for pos, digit in found]


def _signed(table: list[tuple[Any, Any, Any]]) -> list[tuple[Any, Any]]:
    """Return d·P for odd d of either sign, at index d >> 1, from (x, y, -y) of P, 3P, ..."""
    return [(x, y) for x, y, _ in table] + [(x, neg_y) for x, _, neg_y in reversed(table)]


class CurveArith:
    """The arithmetic of one curve: its parameters in the working integer type
    and, built on first use, the table of G's odd multiples."""

    __slots__ = ("_add", "_double", "_endo", "_g_endo_table", "_g_table", "a", "gx", "gy",
                 "n", "num", "p")

    def __init__(self, p: int, a: int, n: int, gx: int, gy: int,
                 num: Callable[[int], Any] | None = None) -> None:
        self.num: Callable[[int], Any] = num or int
        self.p = self.num(p)
        self.a = self.num(a % p)
        self.n = n
        self.gx, self.gy = gx, gy
        self._double: Callable[..., tuple[Any, Any, Any]]
        self._add: Callable[..., tuple[Any, Any, Any]] = _madd
        if a % p == p - 3:
            self._double = _double_m3
            if self.num is int and _uses_fold(p, a):
                self._double, self._add = _double_fold, _madd_fold
        else:
            self._double = _double_0 if a % p == 0 else _double_a
        self._g_table: list[tuple[Any, Any]] | None = None
        self._g_endo_table: list[tuple[Any, Any]] = []
        #: (β, λ, lattice basis) of the endomorphism, if the curve has one.
        self._endo: tuple[Any, int, tuple[int, int, int, int]] | None = None
        endo = _ENDOMORPHISMS.get(p)
        if endo is not None and endo[0] == n and a % p == 0:
            self._endo = (self.num(endo[1]), endo[2], _glv_basis(n, endo[2]))

    def odd_multiples(self, x: int, y: int, count: int) -> list[tuple[Any, Any, Any]]:
        """Return P, 3P, ..., (2·count-1)P of the affine point P = (x, y) of
        the group as (x, y, -y), affine, with one inversion (see the module
        docstring); raise ValueError if P's order is 2·count or less."""
        p, a = self.p, self.a
        num = self.num
        x, y = num(x), num(y)
        table = [(x, y, (-y) % p)]
        if count == 1:
            return table
        x2, y2, z2 = _double_affine(p, a, x, y)
        if not z2:
            raise ValueError("point of order 2")
        zz = z2 * z2 % p
        # P on the isomorphic curve where 2P is the affine point (x2, y2).
        jac: list[tuple[Any, Any, Any]] = []
        acc = (x * zz % p, y * zz * z2 % p, num(1))
        for _ in range(count - 1):
            acc = _madd(p, a, *acc, x2, y2)
            if not acc[2]:
                raise ValueError("point of small order")
            jac.append(acc)
        # Real Jacobian Z = Z·z2; invert them all at once (Montgomery's trick).
        zs = [j[2] * z2 % p for j in jac]
        prefix = [zs[0]]
        for z in zs[1:]:
            prefix.append(prefix[-1] * z % p)
        inv = num(pow(int(prefix[-1]), -1, int(p)))
        invs = [inv] * len(zs)
        for i in range(len(zs) - 1, 0, -1):
            invs[i] = inv * prefix[i - 1] % p
            inv = inv * zs[i] % p
        invs[0] = inv
        for (jx, jy, _), zi in zip(jac, invs, strict=True):
            zi2 = zi * zi % p
            ay = jy * zi2 * zi % p
            table.append((jx * zi2 % p, ay, (-ay) % p))
        return table

    def _g_tables(self) -> tuple[list[tuple[Any, Any]], list[tuple[Any, Any]]]:
        """Return G's signed table and, with an endomorphism, φ(G)'s (else [])."""
        if self._g_table is None:
            self._g_table = _signed(self.odd_multiples(self.gx, self.gy, 1 << (G_WIDTH - 2)))
            self._g_endo_table = self._endo_table(self._g_table)
        return self._g_table, self._g_endo_table

    def _endo_table(self, table: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
        """Return φ of each point of ``table``: φ(x, y) = (βx, y), or [] without φ."""
        if self._endo is None:
            return []
        beta, p = self._endo[0], self.p
        return [(beta * x % p, y) for x, y in table]

    def split(self, k: int) -> tuple[int, int]:
        """Return k1, k2 of about half n's size with k ≡ k1 + k2·λ (mod n)
        (GLV; Guide, Algorithm 3.74); only for a curve with φ."""
        assert self._endo is not None
        n = self.n
        a1, b1, a2, b2 = self._endo[2]
        c1 = (2 * b2 * k + n) // (2 * n)  # round(b2·k/n)
        c2 = (-2 * b1 * k + n) // (2 * n)  # round(-b1·k/n)
        return k - c1 * a1 - c2 * a2, -c1 * b1 - c2 * b2

    def mul_add(self, u1: int, u2: int, qx: int, qy: int) -> tuple[Any, Any, Any]:
        """Return u1·G + u2·Q in Jacobian coordinates (Z ≡ 0: the point at
        infinity; coordinates congruent mod p, not always reduced), for
        u1, u2 ≥ 0 and Q = (qx, qy) an affine point of the group."""
        events: list[tuple[Any, ...]] = []
        if u1:
            g_table, g_endo = self._g_tables()
            if self._endo is None:
                _add_events(events, u1, g_table, G_WIDTH)
            else:
                k1, k2 = self.split(u1)
                _add_events(events, k1, g_table, G_WIDTH)
                _add_events(events, k2, g_endo, G_WIDTH)
        if u2:
            q_table = _signed(self.odd_multiples(qx, qy, 1 << (Q_WIDTH - 2)))
            if self._endo is None:
                _add_events(events, u2, q_table, Q_WIDTH)
            else:
                k1, k2 = self.split(u2)
                _add_events(events, k1, q_table, Q_WIDTH)
                _add_events(events, k2, self._endo_table(q_table), Q_WIDTH)
        if not events:
            return 1, 1, 0
        events.sort(reverse=True)  # by position (ties: any order will do)
        # Add the points from the most significant, doubling in between.
        p, a, double, add = self.p, self.a, self._double, self._add
        prev, X, Y = events[0]
        Z = 1
        events.append((0, None, None))
        for pos, x2, y2 in events[1:]:
            if prev != pos:
                X, Y, Z = double(p, a, X, Y, Z, prev - pos)
                prev = pos
            if x2 is None:
                break
            X, Y, Z = add(p, a, X, Y, Z, x2, y2)
        return X, Y, Z

    def verify(self, qx: int, qy: int, e: int, r: int, s: int) -> bool:
        """Return whether (r, s) is a valid signature by Q = (qx, qy) of the
        already truncated digest integer ``e`` (SEC 1 v2 4.1.4)."""
        n = self.n
        if not (0 < r < n and 0 < s < n):
            return False
        w = pow(s, -1, n)
        X, _, Z = self.mul_add(e * w % n, r * w % n, qx, qy)
        p = self.p
        zz = Z * Z % p
        if not zz:
            return False  # the point at infinity
        candidate = r
        while candidate < p:
            if (candidate * zz - X) % p == 0:
                return True
            candidate += n
        return False

    def to_affine(self, point: tuple[Any, Any, Any]) -> tuple[int, int] | None:
        """Return the affine coordinates of a Jacobian point, or None for infinity."""
        X, Y, Z = (int(c) for c in point)
        p = int(self.p)
        if not Z % p:
            return None
        zi = pow(Z, -1, p)
        zi2 = zi * zi % p
        return X * zi2 % p, Y * zi2 * zi % p


def _add_events(events: list[tuple[Any, ...]], k: int, signed: list[tuple[Any, ...]],
                width: int) -> None:
    """Append (position, x, y) of d·P for each nonzero digit d of the
    width-``width`` NAF of k (Guide, Algorithm 3.35), k of either sign (-k's
    digits negated); ``signed[d >> 1]`` is d·P (see _signed)."""
    negative = k < 0
    if negative:
        k = -k
    full, half, mask = 1 << width, 1 << (width - 1), (1 << width) - 1
    pos = 0
    while k:
        zeros = (k & -k).bit_length() - 1  # skip the run of zero bits at once
        k >>= zeros
        pos += zeros
        digit = k & mask
        if digit >= half:
            digit -= full
        k = (k - digit) >> width  # k - digit is divisible by 2^width
        events.append((pos,) + signed[(-digit if negative else digit) >> 1])
        pos += width


def _glv_basis(n: int, lam: int) -> tuple[int, int, int, int]:
    """Return a1, b1, a2, b2: short vectors with a + b·λ ≡ 0 (mod n), from the
    extended Euclidean algorithm on (n, λ) (Guide, Algorithm 3.74)."""
    root = math.isqrt(n)
    seq = [(n, 0), (lam, 1)]  # (r_i, t_i) with r_i ≡ t_i·λ (mod n)
    while seq[-2][0] >= root:  # until r_(l+2) is known, l the last with r_l ≥ √n
        (r0, t0), (r1, t1) = seq[-2], seq[-1]
        q = r0 // r1
        seq.append((r0 - q * r1, t0 - q * t1))
    l_index = max(i for i, (r, _) in enumerate(seq) if r >= root)
    (rl, tl), (r1, t1), (r2, t2) = seq[l_index : l_index + 3]
    a2, b2 = min((rl, -tl), (r2, -t2), key=lambda v: v[0] ** 2 + v[1] ** 2)
    return r1, -t1, a2, b2


#: Curves with an efficient endomorphism φ(x, y) = (βx, y) = λ·(x, y), by p:
#: (n, β, λ), β and λ cube roots of unity mod p and n (secp256k1; SEC 2
#: v2 2.4.1 notes the curve is a Koblitz curve with it; GLV 2001).
_ENDOMORPHISMS = {
    0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F: (
        0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
        0x7AE96A2B657C07106E64479EAC3434E99CF0497512F58995C1396C28719501EE,
        0x5363AD4CC05C30E0A5261C028812645A122E22EA20816678DF02967C1B23BD72),
}


# Doubling: 2^count·(X, Y, Z), Jacobian, each with the slope numerator
# m = 3X² + aZ⁴ its curve allows, s = 4XY², X' = m² - 2s,
# Y' = m(s - X') - 8Y⁴, Z' = 2YZ (Guide, Algorithm 3.21; EFD dbl-2001-b,
# dbl-2009-l, dbl-1998-cmo-2).  Z = 0 (the point at infinity) stays 0.

def _double_m3(p: Any, a: Any, X: Any, Y: Any, Z: Any, count: int) -> tuple[Any, Any, Any]:
    """a = -3: m = 3(X - Z²)(X + Z²)."""
    for _ in range(count):
        zz = Z * Z % p
        yy = Y * Y % p
        m = (X - zz) * 3 * (X + zz) % p
        s = (X * yy << 2) % p
        Z = (Y * Z << 1) % p
        X = (m * m - (s << 1)) % p
        Y = (m * (s - X) - (yy * yy << 3)) % p
    return X, Y, Z


def _double_0(p: Any, a: Any, X: Any, Y: Any, Z: Any, count: int) -> tuple[Any, Any, Any]:
    """a = 0: m = 3X²."""
    for _ in range(count):
        yy = Y * Y % p
        m = X * 3 * X % p
        s = (X * yy << 2) % p
        Z = (Y * Z << 1) % p
        X = (m * m - (s << 1)) % p
        Y = (m * (s - X) - (yy * yy << 3)) % p
    return X, Y, Z


def _double_a(p: Any, a: Any, X: Any, Y: Any, Z: Any, count: int) -> tuple[Any, Any, Any]:
    """Any a: m = 3X² + aZ⁴."""
    for _ in range(count):
        zz = Z * Z % p
        yy = Y * Y % p
        m = (X * 3 * X + a * (zz * zz % p)) % p
        s = (X * yy << 2) % p
        Z = (Y * Z << 1) % p
        X = (m * m - (s << 1)) % p
        Y = (m * (s - X) - (yy * yy << 3)) % p
    return X, Y, Z


def _double_fold(p: int, a: int, X: int, Y: int, Z: int, count: int) -> tuple[int, int, int]:
    """a = -3 and p = 2^k - c with c small (P-384, P-521; Python ints): t mod p
    reduced by folding, t ≡ (t & (2^k - 1)) + (t >> k)·c, twice, which costs
    less than ``%`` there and keeps every value congruent and of magnitude
    under 2^(k+1) (see _fold_shape), not fully reduced.  Written out, not
    called: a call per reduction made it 8% slower (P-521)."""
    k, c, low = _fold_shape(p)
    for _ in range(count):
        t = Z * Z
        t = (t & low) + (t >> k) * c
        zz = (t & low) + (t >> k) * c
        t = Y * Y
        t = (t & low) + (t >> k) * c
        yy = (t & low) + (t >> k) * c
        t = (X - zz) * 3 * (X + zz)
        t = (t & low) + (t >> k) * c
        m = (t & low) + (t >> k) * c
        t = X * yy << 2
        t = (t & low) + (t >> k) * c
        s = (t & low) + (t >> k) * c
        t = Y * Z << 1
        t = (t & low) + (t >> k) * c
        Z = (t & low) + (t >> k) * c
        t = m * m - (s << 1)
        t = (t & low) + (t >> k) * c
        X = (t & low) + (t >> k) * c
        t = m * (s - X) - (yy * yy << 3)
        t = (t & low) + (t >> k) * c
        Y = (t & low) + (t >> k) * c
    return X, Y, Z


def _fold_shape(p: int) -> tuple[int, int, int]:
    """Return k, c and 2^k - 1 for p = 2^k - c.

    With |t| < 2^(2k+6) (every product or sum the formulas reduce, of values
    under 2^(k+1)), one fold leaves under 2^(k+7+b), b the size of c, and a
    second one under 2^k + 2^(7+2b), below 2^(k+1) when 7 + 2b < k: that is
    the condition for using it (:func:`_uses_fold`).
    """
    k = p.bit_length()
    return k, (1 << k) - p, (1 << k) - 1


def _uses_fold(p: int, a: int) -> bool:
    """Whether folding replaces ``%`` for ints: a = -3 and p = 2^k - c with a
    c small enough (P-384, P-521), and k ≥ 384 (measured: below that, as on
    P-224, ``%`` costs less)."""
    k, c, _ = _fold_shape(p)
    return a % p == p - 3 and k >= 384 and 7 + 2 * c.bit_length() < k


def _double_affine(p: Any, a: Any, x: Any, y: Any) -> tuple[Any, Any, Any]:
    """Return 2P for the affine point P = (x, y), in Jacobian coordinates."""
    yy = y * y % p
    s = (x * yy << 2) % p
    m = (3 * x * x + a) % p
    x3 = (m * m - (s << 1)) % p
    return x3, (m * (s - x3) - (yy * yy << 3)) % p, (y << 1) % p


# Mixed addition (X, Y, Z) + (x2, y2) (Guide, Algorithm 3.22): U2 = x2·Z²,
# S2 = y2·Z³, H = U2 - X, R = S2 - Y, X' = R² - H³ - 2XH², Y' = R(XH² - X')
# - YH³, Z' = ZH.  H = 0 means equal points (R = 0: a doubling) or opposite
# ones (the point at infinity); Z = 0 means the sum is (x2, y2).

def _madd(p: Any, a: Any, X: Any, Y: Any, Z: Any, x2: Any, y2: Any) -> tuple[Any, Any, Any]:
    """The addition for reduced coordinates; H³ and XH² are reduced with the
    sums they feed."""
    if not Z:
        return x2, y2, 1
    zz = Z * Z % p
    h = zz * x2 % p - X
    r = zz * Z % p * y2 % p - Y
    if not h:
        return _double_affine(p, a, x2, y2) if not r else (1, 1, 0)
    Z = Z * h % p
    hh = h * h % p
    hhh = hh * h
    v = hh * X
    X = (r * r - hhh - (v << 1)) % p
    return X, (r * (v - X) - hhh * Y) % p, Z


def _madd_fold(p: int, a: int, X: int, Y: int, Z: int, x2: int,
              y2: int) -> tuple[int, int, int]:
    """The addition with _double_fold's reduction (its inputs and outputs not
    fully reduced: the zero tests reduce)."""
    if not Z % p:
        return x2, y2, 1
    k, c, low = _fold_shape(p)
    t = Z * Z
    t = (t & low) + (t >> k) * c
    zz = (t & low) + (t >> k) * c
    t = zz * x2 - X
    t = (t & low) + (t >> k) * c
    h = (t & low) + (t >> k) * c
    t = zz * Z
    t = (t & low) + (t >> k) * c
    t = ((t & low) + (t >> k) * c) * y2 - Y
    t = (t & low) + (t >> k) * c
    r = (t & low) + (t >> k) * c
    if not h % p:
        return _double_affine(p, a, x2, y2) if not r % p else (1, 1, 0)
    t = Z * h
    t = (t & low) + (t >> k) * c
    Z = (t & low) + (t >> k) * c
    t = h * h
    t = (t & low) + (t >> k) * c
    hh = (t & low) + (t >> k) * c
    t = hh * h
    t = (t & low) + (t >> k) * c
    hhh = (t & low) + (t >> k) * c
    t = hh * X
    t = (t & low) + (t >> k) * c
    v = (t & low) + (t >> k) * c
    t = r * r - hhh - (v << 1)
    t = (t & low) + (t >> k) * c
    X = (t & low) + (t >> k) * c
    t = r * (v - X) - hhh * Y
    t = (t & low) + (t >> k) * c
    return X, (t & low) + (t >> k) * c, Z


_ARITH: dict[tuple[int, int, int, int, int], CurveArith] = {}


def arith_for(p: int, a: int, n: int, gx: int, gy: int) -> CurveArith:
    """Return the (cached) arithmetic of the curve with these parameters."""
    key = (p, a, n, gx, gy)
    arith = _ARITH.get(key)
    if arith is None:
        arith = _ARITH[key] = CurveArith(p, a, n, gx, gy, MPZ)
    return arith
