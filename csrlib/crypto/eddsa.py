"""Ed25519 and Ed448 verification (RFC 8032), the group arithmetic written out here.

``ecdsa`` supplies the curve constants and the precomputed base point, but
its Edwards arithmetic returns its ``INFINITY`` object for every point with
x = 0, including the order-2 point (0, -1), and its verifier hashes a
re-encoding of R rather than the R received.  Both change verdicts on
crafted signatures (non-canonical R, small-order keys), so the check is
done here, as OpenSSL does it: decode A strictly (RFC 8032 5.1.3 / 5.2.3),
require S < L, compute k = H(dom || R || A || M) from the octets received,
and compare the canonical encoding of [S]B - [k]A with R, in constant time.
A non-canonical R can never match a canonical encoding, so it fails as the
RFC says (5.1.7 / 5.2.7 step 1) without being decoded.

Points are kept in extended coordinates (X : Y : Z : T), x = X/Z, y = Y/Z,
xy = T/Z, with the unified addition and doubling formulas of Hisil, Wong,
Carter and Dawson (2008), complete on both curves (a square, d not).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from ..errors import InvalidSignature

__all__ = ["decode_edwards_point", "verify_eddsa"]

Point = tuple[int, int, int, int]

# A square root of -1 modulo 2^255 - 19 (RFC 8032 5.1.3 step 3).
_SQRT_MINUS_ONE = pow(2, (2 ** 255 - 20) // 4, 2 ** 255 - 19)


class _Curve:
    """The constants of one Edwards curve, and its signature's hash."""

    __slots__ = ("a", "base", "d", "dom", "name", "order", "p", "size")

    def __init__(self, name: str, ecdsa_curve: Any, size: int, dom: bytes) -> None:
        field = ecdsa_curve.curve
        self.name = name
        self.p: int = int(field.p())
        self.a: int = int(field.a()) % self.p
        self.d: int = int(field.d()) % self.p
        self.order: int = int(ecdsa_curve.generator.order())
        self.base: Any = ecdsa_curve.generator
        self.size = size
        self.dom = dom

    def hash(self, data: bytes) -> int:
        """Return H(dom || data) as an integer mod L (RFC 8032 5.1.7 / 5.2.7 step 2)."""
        if self.name == "ed25519":
            digest = hashlib.sha512(data).digest()
        else:
            digest = hashlib.shake_256(self.dom + data).digest(114)
        return int.from_bytes(digest, "little") % self.order


_CURVES: dict[str, _Curve] = {}


def _curve(name: str) -> _Curve:
    found = _CURVES.get(name)
    if found is None:
        import ecdsa

        if name == "ed25519":
            found = _Curve(name, ecdsa.curves.Ed25519, 32, b"")
        else:
            # RFC 8032 5.2: dom4(0, "") = "SigEd448" || octet(0) || octet(0).
            found = _Curve(name, ecdsa.curves.Ed448, 57, b"SigEd448\x00\x00")
        _CURVES[name] = found
    return found


def decode_edwards_point(curve_name: str, encoded: bytes) -> tuple[int, int]:
    """Return (x, y) of an RFC 8032 point encoding; raise InvalidSignature if none.

    y is the little-endian value without the top bit, which is the sign of
    x; y >= p, a y with no x on the curve, and x = 0 with the sign bit set
    are invalid.  The square root is one modular exponentiation (p = 5 mod
    8 for Ed25519, 3 mod 4 for Ed448).
    """
    c = _curve(curve_name)
    p = c.p
    if len(encoded) != c.size:
        raise InvalidSignature(f"{curve_name} point must be {c.size} octets")
    value = int.from_bytes(encoded, "little")
    top = c.size * 8 - 1
    sign, y = value >> top, value & ((1 << top) - 1)
    if y >= p:
        raise InvalidSignature("public key is not a valid point (y >= p)")
    # a x^2 + y^2 = 1 + d x^2 y^2, so x^2 = u / v.
    u = (y * y - 1) % p
    v = (c.d * y * y - c.a) % p
    if p % 8 == 5:
        x = u * pow(v, 3, p) * pow(u * pow(v, 7, p), (p - 5) // 8, p) % p
        if (v * x * x - u) % p:
            x = x * _SQRT_MINUS_ONE % p
    else:
        x = u ** 3 * v * pow(u ** 5 * v ** 3 % p, (p - 3) // 4, p) % p
    if (v * x * x - u) % p:
        raise InvalidSignature("public key is not a valid point (not on the curve)")
    if x == 0 and sign:
        raise InvalidSignature("public key is not a valid point (x = 0 with sign 1)")
    if x & 1 != sign:
        x = p - x
    return x, y


def _add(c: _Curve, p1: Point, p2: Point) -> Point:
    # add-2008-hwcd (unified): complete on both curves.
    x1, y1, z1, t1 = p1
    x2, y2, z2, t2 = p2
    p = c.p
    a = x1 * x2 % p
    b = y1 * y2 % p
    cc = c.d * t1 % p * t2 % p
    d = z1 * z2 % p
    e = ((x1 + y1) * (x2 + y2) - a - b) % p
    f = (d - cc) % p
    g = (d + cc) % p
    h = (b - c.a * a) % p
    return e * f % p, g * h % p, f * g % p, e * h % p


def _double(c: _Curve, p1: Point) -> Point:
    # dbl-2008-hwcd.
    x1, y1, z1, _ = p1
    p = c.p
    a = x1 * x1 % p
    b = y1 * y1 % p
    cc = 2 * z1 * z1 % p
    d = c.a * a % p
    e = ((x1 + y1) * (x1 + y1) - a - b) % p
    g = (d + b) % p
    f = (g - cc) % p
    h = (d - b) % p
    return e * f % p, g * h % p, f * g % p, e * h % p


def _multiply(c: _Curve, point: Point, k: int) -> Point:
    """Return [k]point with a 4-bit fixed window (k is public: no need for constant time)."""
    table = [(0, 1, 1, 0), point]
    for _ in range(14):
        table.append(_add(c, table[-1], point))
    result: Point = (0, 1, 1, 0)
    for shift in range((k.bit_length() + 3) // 4 * 4 - 4, -4, -4):
        result = _double(c, _double(c, _double(c, _double(c, result))))
        nibble = (k >> shift) & 15
        if nibble:
            result = _add(c, result, table[nibble])
    return result


def _encode(c: _Curve, point: Point) -> bytes:
    x, y, z, _ = point
    inverse = pow(z, -1, c.p)
    x, y = x * inverse % c.p, y * inverse % c.p
    return (y | (x & 1) << (c.size * 8 - 1)).to_bytes(c.size, "little")


def verify_eddsa(curve_name: str, public: bytes, signature: bytes, message: bytes) -> None:
    """Return None if ``signature`` is a valid Ed25519/Ed448 signature; else raise."""
    c = _curve(curve_name)
    if len(signature) != 2 * c.size:
        raise InvalidSignature(f"{curve_name} signature must be {2 * c.size} octets")
    ax, ay = decode_edwards_point(curve_name, public)
    if ax == 0 and curve_name == "ed448":
        # The identity and (0, -1), keys no one can own: OpenSSL refuses them
        # when decoding Ed448 keys (not Ed25519 ones), and so does csrlib.
        raise InvalidSignature("ed448 public key of small order")
    r_bytes, s_bytes = signature[:c.size], signature[c.size:]
    s = int.from_bytes(s_bytes, "little")
    if s >= c.order:
        raise InvalidSignature(f"{curve_name} signature S out of range")
    k = c.hash(r_bytes + public + message)
    # [S]B with ecdsa's precomputed base point: S < L and B has prime order,
    # so only S = 0 gives the identity (its INFINITY is unambiguous here).
    sb: Point = (0, 1, 1, 0)
    if s:
        base = c.base * s
        sb = (base.x() % c.p, base.y() % c.p, 1, base.x() * base.y() % c.p)
    minus_a: Point = ((c.p - ax) % c.p, ay, 1, (c.p - ax) * ay % c.p)
    check = _add(c, sb, _multiply(c, minus_a, k))
    if not hmac.compare_digest(_encode(c, check), r_bytes):
        raise InvalidSignature(f"{curve_name} signature does not match")
