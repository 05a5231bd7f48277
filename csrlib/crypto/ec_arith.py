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
  Q, which changes with every key, a width-5 table Q, 3Q, ..., 15Q.
* Every table point is affine, so every addition is mixed Jacobian + affine
  (Guide, Algorithm 3.22; 8M + 3S).  Q's table is built without an inversion
  per point: 2Q is computed in Jacobian coordinates (X₂, Y₂, Z₂), and the
  odd multiples are summed on the isomorphic curve where 2Q is the affine
  point (X₂, Y₂) (Q there is (x·Z₂², y·Z₂³); a mixed addition does not use
  the coefficient a); their Jacobian Z on the real curve is the computed Z
  times Z₂, and one simultaneous inversion (Montgomery's trick, Guide 2.2.5)
  makes them all affine.
* Doubling in Jacobian coordinates, with the formula for the curve's a:
  a = -3 (the NIST curves, P-224) "dbl-2001-b" style, 3(X-Z²)(X+Z²) for
  the slope numerator (Guide, Algorithm 3.21; 3M + 5S); a = 0 (secp256k1)
  3X² ("dbl-2009-l"); otherwise 3X² + aZ⁴ (brainpool; 4M + 6S).  Formulas as
  catalogued in the Explicit-Formulas Database (https://hyperelliptic.org/EFD/
  g1p/auto-shortw-jacobian.html), written with fewer modular reductions:
  sums and differences are reduced together with the product they feed.
* The point at infinity is a Jacobian point with Z = 0; an addition whose
  operands are equal (H = R = 0) becomes a doubling, and one whose operands
  are opposite (H = 0, R ≠ 0) gives the point at infinity, so every case of
  the interleaved loop is handled exactly.
* When ``gmpy2`` is importable the coordinates are ``gmpy2.mpz`` (faster
  multiplication and reduction; the results are the same integers), else
  Python ints.  ``gmpy2`` is never required.
"""

from __future__ import annotations

import importlib
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
    digits = []
    full, half = 1 << width, 1 << (width - 1)
    pos = 0
    while k:
        # Skip the run of zero bits at once.
        zeros = (k & -k).bit_length() - 1
        k >>= zeros
        pos += zeros
        digit = k & (full - 1)
        if digit >= half:
            digit -= full
        digits.append((pos, digit))
        k -= digit  # now divisible by 2^width
        k >>= width
        pos += width
    return digits


def _add_affine(p: int, a: int, x1: int, y1: int, x2: int, y2: int) -> tuple[int, int] | None:
    """Return P1 + P2 for affine points (None is the point at infinity); slow, for set-up."""
    if x1 == x2:
        if (y1 + y2) % p == 0:
            return None
        slope = (3 * x1 * x1 + a) * pow(2 * y1, -1, p) % p
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, p) % p
    x3 = (slope * slope - x1 - x2) % p
    return x3, (slope * (x1 - x3) - y1) % p


class CurveArith:
    """The arithmetic of one curve: its parameters in the working integer type
    and, built on first use, the table of G's odd multiples."""

    __slots__ = ("_g_table", "a", "gx", "gy", "kind", "n", "num", "p")

    def __init__(self, p: int, a: int, n: int, gx: int, gy: int,
                 num: Callable[[int], Any] | None = None) -> None:
        self.num: Callable[[int], Any] = num or int
        self.p = self.num(p)
        self.a = self.num(a % p)
        self.n = n
        self.gx, self.gy = gx, gy
        #: 1 for a = -3, 0 for a = 0, 2 for any other a: the doubling formula.
        self.kind = 1 if a % p == p - 3 else 0 if a % p == 0 else 2
        self._g_table: list[tuple[Any, Any, Any]] | None = None

    # -- set-up -----------------------------------------------------------

    def _odd_multiples_g(self) -> list[tuple[Any, Any, Any]]:
        """Return G, 3G, 5G, ... (2^(G_WIDTH-2) points) as (x, y, -y), affine."""
        if self._g_table is None:
            p, a = int(self.p), int(self.a)
            twice = _add_affine(p, a, self.gx, self.gy, self.gx, self.gy)
            assert twice is not None  # G has a large odd order
            points = [(self.gx, self.gy)]
            for _ in range((1 << (G_WIDTH - 2)) - 1):
                nxt = _add_affine(p, a, *points[-1], *twice)
                if nxt is None:
                    raise ValueError("base point of small order")
                points.append(nxt)
            num = self.num
            self._g_table = [(num(x), num(y), num(-y % p)) for x, y in points]
        return self._g_table

    def odd_multiples(self, x: int, y: int, count: int) -> list[tuple[Any, Any, Any]]:
        """Return P, 3P, ..., (2·count-1)P of the affine point P = (x, y) as
        (x, y, -y), affine, with one inversion (see the module docstring)."""
        p = self.p
        num = self.num
        x, y = num(x), num(y)
        table = [(x, y, (-y) % p)]
        if count == 1:
            return table
        # 2P in Jacobian coordinates (doubling with Z = 1).
        yy = y * y % p
        s = (x * yy << 2) % p
        m = (3 * x * x + self.a) % p
        x2 = (m * m - (s << 1)) % p
        y2 = (m * (s - x2) - (yy * yy << 3)) % p
        z2 = (y << 1) % p
        if not z2:
            raise ValueError("point of order 2")
        zz = z2 * z2 % p
        # P on the isomorphic curve where 2P is the affine point (x2, y2).
        jac: list[tuple[Any, Any, Any]] = []
        acc = (x * zz % p, y * zz * z2 % p, num(1))
        for _ in range(count - 1):
            acc = _madd(p, *acc, x2, y2)
            if not acc[2]:
                raise ValueError("point of small order")
            jac.append(acc)
        # Real Jacobian Z = Z·z2; invert them all at once (Montgomery's trick).
        zs = [j[2] * z2 % p for j in jac]
        prefix = [zs[0]]
        for z in zs[1:]:
            prefix.append(prefix[-1] * z % p)
        inv = num(pow(int(prefix[-1]), -1, int(p)))
        invs = [num(0)] * len(zs)
        for i in range(len(zs) - 1, 0, -1):
            invs[i] = inv * prefix[i - 1] % p
            inv = inv * zs[i] % p
        invs[0] = inv
        for (jx, jy, _), zi in zip(jac, invs, strict=True):
            zi2 = zi * zi % p
            ay = jy * zi2 * zi % p
            table.append((jx * zi2 % p, ay, (-ay) % p))
        return table

    # -- the double-scalar multiplication ----------------------------------

    def mul_add(self, u1: int, u2: int, qx: int, qy: int) -> tuple[Any, Any, Any]:
        """Return u1·G + u2·Q in Jacobian coordinates (Z = 0: the point at
        infinity), for 0 ≤ u1, u2 and Q = (qx, qy) an affine point of the group."""
        events = []
        for k, width in ((u1, G_WIDTH), (u2, Q_WIDTH)):
            if not k:
                continue
            table = (self._odd_multiples_g() if width == G_WIDTH
                     else self.odd_multiples(qx, qy, 1 << (Q_WIDTH - 2)))
            for pos, digit in wnaf(k, width):
                entry = table[digit >> 1] if digit > 0 else table[-digit >> 1]
                events.append((pos, entry[0], entry[1] if digit > 0 else entry[2]))
        if not events:
            return self.num(1), self.num(1), self.num(0)
        events.sort(key=_position, reverse=True)
        return self._run(events)

    def _run(self, events: list[tuple[int, Any, Any]]) -> tuple[Any, Any, Any]:
        """Add the events' points, from the most significant, doubling in between."""
        p = self.p
        double = self._doubler()
        prev, X, Y = events[0]
        Z = self.num(1)
        events.append((0, None, None))
        for i in range(1, len(events)):
            pos, x2, y2 = events[i]
            if prev != pos:
                X, Y, Z = double(p, self.a, X, Y, Z, prev - pos)
                prev = pos
            if x2 is None:
                break
            if not Z:
                X, Y, Z = x2, y2, self.num(1)
                continue
            # Mixed addition (Guide, Algorithm 3.22), H³ and V reduced with
            # the sums they feed.
            zz = Z * Z % p
            h = zz * x2 % p - X
            r = zz * Z % p * y2 % p - Y
            if not h:
                if r:
                    X, Y, Z = self.num(1), self.num(1), self.num(0)
                else:
                    X, Y, Z = self._double_affine(x2, y2)
                continue
            Z = Z * h % p
            hh = h * h % p
            hhh = hh * h
            v = hh * X
            X = (r * r - hhh - (v << 1)) % p
            Y = (r * (v - X) - hhh * Y) % p
        return X, Y, Z

    def _doubler(self) -> Callable[..., tuple[Any, Any, Any]]:
        if self.kind == 1:
            return _double_m3
        return _double_0 if self.kind == 0 else _double_a

    def _double_affine(self, x: Any, y: Any) -> tuple[Any, Any, Any]:
        """Return 2P for the affine point P = (x, y), in Jacobian coordinates."""
        p = self.p
        yy = y * y % p
        s = (x * yy << 2) % p
        m = (3 * x * x + self.a) % p
        x3 = (m * m - (s << 1)) % p
        return x3, (m * (s - x3) - (yy * yy << 3)) % p, (y << 1) % p

    # -- ECDSA ------------------------------------------------------------

    def verify(self, qx: int, qy: int, e: int, r: int, s: int) -> bool:
        """Return whether (r, s) is a valid signature by Q = (qx, qy) of the
        already truncated digest integer ``e`` (SEC 1 v2 4.1.4)."""
        n = self.n
        if not (0 < r < n and 0 < s < n):
            return False
        w = pow(s, -1, n)
        X, _, Z = self.mul_add(e * w % n, r * w % n, qx, qy)
        if not Z:
            return False
        p = self.p
        zz = Z * Z % p
        candidate = r
        while candidate < p:
            if candidate * zz % p == X:
                return True
            candidate += n
        return False

    def to_affine(self, point: tuple[Any, Any, Any]) -> tuple[int, int] | None:
        """Return the affine coordinates of a Jacobian point, or None for infinity."""
        X, Y, Z = point
        if not Z:
            return None
        p = int(self.p)
        zi = pow(int(Z), -1, p)
        zi2 = zi * zi % p
        return int(X) * zi2 % p, int(Y) * zi2 * zi % p


def _double_m3(p: Any, a: Any, X: Any, Y: Any, Z: Any, count: int) -> tuple[Any, Any, Any]:
    """Return 2^count·(X, Y, Z) on a curve with a = -3 (Guide, Algorithm 3.21)."""
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
    """Return 2^count·(X, Y, Z) on a curve with a = 0 (EFD dbl-2009-l's terms)."""
    for _ in range(count):
        yy = Y * Y % p
        m = X * 3 * X % p
        s = (X * yy << 2) % p
        Z = (Y * Z << 1) % p
        X = (m * m - (s << 1)) % p
        Y = (m * (s - X) - (yy * yy << 3)) % p
    return X, Y, Z


def _double_a(p: Any, a: Any, X: Any, Y: Any, Z: Any, count: int) -> tuple[Any, Any, Any]:
    """Return 2^count·(X, Y, Z) for any a (EFD dbl-1998-cmo-2's terms)."""
    for _ in range(count):
        zz = Z * Z % p
        yy = Y * Y % p
        m = (X * 3 * X + a * (zz * zz % p)) % p
        s = (X * yy << 2) % p
        Z = (Y * Z << 1) % p
        X = (m * m - (s << 1)) % p
        Y = (m * (s - X) - (yy * yy << 3)) % p
    return X, Y, Z


def _position(event: tuple[int, Any, Any]) -> int:
    return event[0]


def _madd(p: Any, X: Any, Y: Any, Z: Any, x2: Any, y2: Any) -> tuple[Any, Any, Any]:
    """Return (X, Y, Z) + (x2, y2), mixed Jacobian + affine, for distinct
    non-opposite finite points (table building; the loop inlines it)."""
    zz = Z * Z % p
    h = zz * x2 % p - X
    r = zz * Z % p * y2 % p - Y
    if not h:
        return X, Y, Z * 0  # equal or opposite: the callers treat Z = 0 as failure
    Z3 = Z * h % p
    hh = h * h % p
    hhh = hh * h % p
    v = hh * X % p
    X3 = (r * r - hhh - (v << 1)) % p
    return X3, (r * (v - X3) - hhh * Y) % p, Z3


_ARITH: dict[tuple[int, int, int, int, int], CurveArith] = {}


def arith_for(p: int, a: int, n: int, gx: int, gy: int) -> CurveArith:
    """Return the (cached) arithmetic of the curve with these parameters."""
    key = (p, a, n, gx, gy)
    arith = _ARITH.get(key)
    if arith is None:
        arith = _ARITH[key] = CurveArith(p, a, n, gx, gy, MPZ)
    return arith
