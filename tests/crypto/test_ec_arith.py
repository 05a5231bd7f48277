"""csrlib.crypto.ec_arith against python-ecdsa's point arithmetic.

Every expected point is computed by python-ecdsa (an independent
implementation), on every curve csrlib verifies on, with Python ints and,
when gmpy2 is importable, with gmpy2.mpz coordinates.  The Wycheproof
ECDSA files run through the same code in test_wycheproof.py.
"""

from __future__ import annotations

import hashlib
import itertools
import sys
from typing import Any

import ecdsa
import pytest
from ecdsa.ellipticcurve import INFINITY, PointJacobi
from hypothesis import given, settings
from hypothesis import strategies as st

from csrlib.crypto import ec_arith
from csrlib.crypto.ec_arith import CurveArith, wnaf
from csrlib.model.curves import CURVES, Curve

CURVE_LIST = sorted(CURVES.values(), key=lambda c: c.name)
NUMS: list[Any] = [int] + ([ec_arith.MPZ] if ec_arith.MPZ is not None else [])


def _ecdsa_curve(curve: Curve) -> Any:
    return getattr(ecdsa.curves, curve.ecdsa_name)


def _arith(curve: Curve, num: Any) -> CurveArith:
    return CurveArith(curve.p, curve.a, curve.n, curve.gx, curve.gy, num)


def _affine(point: Any) -> tuple[int, int] | None:
    """Return python-ecdsa's point as (x, y), or None for the point at infinity."""
    if point == INFINITY:
        return None
    return point.x(), point.y()


def _expected(curve: Curve, u1: int, u2: int, q: Any) -> tuple[int, int] | None:
    generator = _ecdsa_curve(curve).generator
    return _affine(generator * u1 + q * u2)


def _point(curve: Curve, k: int) -> Any:
    """Return k·G as python-ecdsa computes it (a PointJacobi)."""
    return _ecdsa_curve(curve).generator * k


@pytest.mark.parametrize("num", NUMS, ids=lambda n: n.__name__)
@pytest.mark.parametrize("curve", CURVE_LIST, ids=lambda c: c.name)
@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_mul_add_matches_python_ecdsa(curve: Curve, num: Any, data: st.DataObject) -> None:
    n = curve.n
    scalar = st.integers(0, n - 1) | st.sampled_from([0, 1, 2, n - 2, n - 1, n, n + 1])
    u1, u2, k = data.draw(scalar), data.draw(scalar), data.draw(st.integers(1, n - 1))
    q = _point(curve, k)
    arith = _arith(curve, num)
    got = arith.to_affine(arith.mul_add(u1, u2, q.x(), q.y()))
    assert got == _expected(curve, u1, u2, q)


@pytest.mark.parametrize("num", NUMS, ids=lambda n: n.__name__)
@pytest.mark.parametrize("curve", CURVE_LIST, ids=lambda c: c.name)
def test_collisions_in_the_interleaved_loop(curve: Curve, num: Any) -> None:
    """Q a small multiple of ±G, so that the loop adds a point to itself
    (a doubling), to its opposite (the point at infinity), and goes on from
    the point at infinity."""
    arith = _arith(curve, num)
    n = curve.n
    cases = []
    for k in (1, n - 1, 2, 3, n - 3, 5):
        for u1, u2 in ((1, 1), (7, 7), (1, n - 1), (5, n - 5), (2**40 + 1, 2**40 + 1),
                       (12345, n - 12345), (n - 1, n - 1), (0, 1), (1, 0), (0, 0),
                       (n, n), (3, 1), (2**127 + 2**100, 2**127 + 2**100),
                       # with Q = -G: the point at infinity at 2^200, then G added to it
                       (2**200 + 2**100 + 1, 2**200 + 1), (2**200 + 1, 2**200 + 2**100 + 1)):
            cases.append((k, u1, u2))
    for k, u1, u2 in cases:
        q = _point(curve, k)
        got = arith.to_affine(arith.mul_add(u1, u2, q.x(), q.y()))
        assert got == _expected(curve, u1, u2, q), (k, u1, u2)


@pytest.mark.parametrize("curve", CURVE_LIST, ids=lambda c: c.name)
def test_odd_multiples(curve: Curve) -> None:
    arith = _arith(curve, int)
    q = _point(curve, 987654321)
    table = arith.odd_multiples(q.x(), q.y(), 8)
    assert len(table) == 8
    for index, (x, y, neg_y) in enumerate(table):
        assert (x, y) == _affine(q * (2 * index + 1))
        assert neg_y == (-y) % curve.p


@given(k=st.integers(0, 2**600), width=st.integers(2, 9))
def test_wnaf(k: int, width: int) -> None:
    digits = wnaf(k, width)
    assert sum(d << pos for pos, d in digits) == k
    for _pos, d in digits:
        assert d % 2 == 1 and -(1 << (width - 1)) < d < 1 << (width - 1)
    positions = [pos for pos, _ in digits]
    assert positions == sorted(positions)
    # Of any `width` consecutive digits, at most one is nonzero.
    assert all(b - a >= width for a, b in itertools.pairwise(positions))


def _sign(curve: Curve, secret: int, digest: bytes, nonce: int) -> tuple[int, int]:
    key = ecdsa.SigningKey.from_secret_exponent(secret, curve=_ecdsa_curve(curve))
    signature: tuple[int, int] = key.sign_digest(
        digest, sigencode=lambda r, s, _order: (r, s), k=nonce, allow_truncate=True)
    return signature


def _digest_int(curve: Curve, digest: bytes) -> int:
    return int.from_bytes(digest, "big") >> max(0, 8 * len(digest) - curve.n.bit_length())


@pytest.mark.parametrize("num", NUMS, ids=lambda n: n.__name__)
@pytest.mark.parametrize("curve", CURVE_LIST, ids=lambda c: c.name)
@settings(max_examples=8, deadline=None)
@given(secret=st.integers(1, 2**200), nonce=st.integers(1, 2**200), message=st.binary())
def test_verify_agrees_with_python_ecdsa(curve: Curve, num: Any, secret: int, nonce: int,
                                         message: bytes) -> None:
    digest = hashlib.new(curve.default_hash, message).digest()
    r, s = _sign(curve, secret, digest, nonce)
    q = _point(curve, secret)
    arith = _arith(curve, num)
    e = _digest_int(curve, digest)
    assert arith.verify(q.x(), q.y(), e, r, s)
    assert not arith.verify(q.x(), q.y(), e + 1, r, s)
    vk = ecdsa.VerifyingKey.from_public_point(q, curve=_ecdsa_curve(curve))
    n = curve.n
    for bad in ((r, s % (n - 1) + 1), (r % (n - 1) + 1, s), (n - r, s), (r, n - s)):
        try:
            theirs = vk.verify_digest(bad, digest, sigdecode=lambda sig, _order: sig,
                                      allow_truncate=True)
        except ecdsa.BadSignatureError:
            theirs = False
        assert arith.verify(q.x(), q.y(), e, *bad) is theirs, bad


@pytest.mark.parametrize("num", NUMS, ids=lambda n: n.__name__)
@pytest.mark.parametrize("curve", CURVE_LIST, ids=lambda c: c.name)
def test_u1_zero(curve: Curve, num: Any) -> None:
    """A digest of zero (and one equal to n) makes u1 = 0: only u2·Q is added."""
    arith = _arith(curve, num)
    secret, nonce = 0x1234567, 0x7654321
    q = _point(curve, secret)
    r, s = _sign(curve, secret, bytes(curve.size), nonce)
    assert arith.verify(q.x(), q.y(), 0, r, s)
    assert arith.verify(q.x(), q.y(), curve.n, r, s)
    assert not arith.verify(q.x(), q.y(), 1, r, s)


def _sqrt(value: int, p: int) -> int | None:
    root = pow(value, (p + 1) // 4, p)
    return root if root * root % p == value % p else None


@pytest.mark.parametrize("num", NUMS, ids=lambda n: n.__name__)
def test_x_of_r_above_n(num: Any) -> None:
    """x(R) = r + n (possible on secp256k1, where n < p by about 2^128): the
    signature is valid.  The key is made to fit a chosen R, by python-ecdsa."""
    curve = next(c for c in CURVES.values() if c.name == "secp256k1")
    p, n = curve.p, curve.n
    x = n + 12345
    while (y := _sqrt(x ** 3 + curve.b, p)) is None:
        x += 1
    point_r = PointJacobi(_ecdsa_curve(curve).curve, x, y, 1, n)
    r, s, e = x - n, 0xABCDEF, 0x12345
    w = pow(s, -1, n)
    u1, u2 = e * w % n, r * w % n
    # Q = u2^-1 (R - u1 G), so that u1 G + u2 Q = R.
    q = (point_r + _point(curve, n - u1)) * pow(u2, -1, n)
    arith = _arith(curve, num)
    assert arith.verify(q.x(), q.y(), e, r, s)
    assert not arith.verify(q.x(), q.y(), e, x % n + 1, s)
    vk = ecdsa.VerifyingKey.from_public_point(q, curve=_ecdsa_curve(curve))
    assert vk.verify_digest((r, s), e.to_bytes(32, "big"), sigdecode=lambda sig, _o: sig)


def test_verify_refuses_out_of_range_values() -> None:
    curve = CURVE_LIST[0]
    arith = _arith(curve, int)
    for r, s in ((0, 1), (1, 0), (curve.n, 1), (1, curve.n), (-1, 1)):
        assert not arith.verify(curve.gx, curve.gy, 1, r, s)


def test_without_gmpy2(monkeypatch: pytest.MonkeyPatch) -> None:
    """gmpy2 is optional: blocked, the loader says so and ints are used."""
    monkeypatch.setitem(sys.modules, "gmpy2", None)
    assert ec_arith._load_mpz() is None
    curve = CURVE_LIST[0]
    arith = CurveArith(curve.p, curve.a, curve.n, curve.gx, curve.gy, None)
    point = arith.mul_add(3, 0, curve.gx, curve.gy)
    assert type(point[0]) is int
    assert arith.to_affine(point) == _affine(_point(curve, 3))


@pytest.mark.parametrize("curve", CURVE_LIST, ids=lambda c: c.name)
def test_table_for_g_is_built_once_per_curve(curve: Curve) -> None:
    arith = ec_arith.arith_for(curve.p, curve.a, curve.n, curve.gx, curve.gy)
    assert ec_arith.arith_for(curve.p, curve.a, curve.n, curve.gx, curve.gy) is arith
    arith.mul_add(1, 0, curve.gx, curve.gy)
    table = arith._g_table
    # d·G for d = ±1, ±3, ..., ±127, at index d >> 1.
    assert table is not None and len(table) == 1 << (ec_arith.G_WIDTH - 1)
    arith.mul_add(3, 0, curve.gx, curve.gy)
    assert arith._g_table is table
    for d in (1, 3, 35, 127, -1, -3, -35, -127):
        assert tuple(map(int, table[d >> 1])) == _affine(_point(curve, d % curve.n))


def _by_name(name: str) -> Curve:
    return next(c for c in CURVES.values() if c.name == name)


def test_glv_endomorphism() -> None:
    """secp256k1's φ(G) = (βx, y) is λ·G (python-ecdsa multiplies)."""
    curve = _by_name("secp256k1")
    arith = _arith(curve, int)
    assert arith._endo is not None
    beta, lam, _ = arith._endo
    assert _affine(_point(curve, lam)) == (beta * curve.gx % curve.p, curve.gy)


@settings(deadline=None)
@given(k=st.integers(0, 2**256))
def test_glv_split(k: int) -> None:
    """secp256k1's k = k1 + k2·λ (mod n) with k1, k2 of at most 129 bits."""
    curve = _by_name("secp256k1")
    arith = _arith(curve, int)
    assert arith._endo is not None
    lam = arith._endo[1]
    k1, k2 = arith.split(k)
    assert (k1 + k2 * lam - k) % curve.n == 0
    assert abs(k1).bit_length() <= 129 and abs(k2).bit_length() <= 129


def test_only_secp256k1_has_an_endomorphism() -> None:
    assert [c.name for c in CURVE_LIST if _arith(c, int)._endo is not None] == ["secp256k1"]


@pytest.mark.parametrize("name", ["secp384r1", "secp521r1"])
def test_folding_reduction(name: str) -> None:
    """P-384 and P-521 reduce ints by folding: extreme inputs (of magnitude
    up to the bound the folding keeps, 2^(k+1)) give congruent results
    within that bound, for doubling and addition."""
    curve = _by_name(name)
    p = curve.p
    arith = _arith(curve, int)
    assert arith._double is ec_arith._double_fold and arith._add is ec_arith._madd_fold
    k = p.bit_length()
    edge = [p - 1, p, p + 1, 2 * p, (1 << (k + 1)) - 1, -(1 << 11), -1, 0, 1]
    q = _point(curve, 5)
    for X in edge:
        for Y in edge[::2]:
            for Z in edge[1::2]:
                got = ec_arith._double_fold(p, curve.a, X, Y, Z, 3)
                want = ec_arith._double_m3(p, curve.a, X % p, Y % p, Z % p, 3)
                assert all(abs(v) < 1 << (k + 1) for v in got)
                assert [v % p for v in got] == list(want)
                got = ec_arith._madd_fold(p, curve.a, X, Y, Z, q.x(), q.y())
                want = ec_arith._madd(p, curve.a, X % p, Y % p, Z % p, q.x(), q.y())
                assert all(abs(v) < 1 << (k + 1) for v in got)
                assert [v % p for v in got] == [v % p for v in want]
