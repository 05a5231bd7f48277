"""The named curves csrlib knows, and point decoding on them (SEC 1 2.3.4).

Only the arithmetic needed to read a public key: decompression and the
curve equation.  Signing and verifying are the ``ecdsa`` package's job.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import oids

__all__ = ["CURVES", "CURVES_BY_NAME", "Curve", "decode_point"]


@dataclass(frozen=True, slots=True)
class Curve:
    """A short Weierstrass curve y^2 = x^3 + ax + b over GF(p), with order n."""

    name: str
    oid: str
    bits: int
    p: int
    a: int
    b: int
    n: int
    ecdsa_name: str
    default_hash: str

    @property
    def size(self) -> int:
        """Return the octets of one coordinate."""
        return (self.bits + 7) // 8


CURVES: dict[str, Curve] = {
    c.oid: c
    for c in (
        Curve("secp256r1", oids.SECP256R1, 256,
              0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
              -3,
              0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
              0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
              "NIST256p", "sha256"),
        Curve("secp384r1", oids.SECP384R1, 384,
              int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE"
                  "FFFFFFFF0000000000000000FFFFFFFF", 16),
              -3,
              int("B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A"
                  "C656398D8A2ED19D2A85C8EDD3EC2AEF", 16),
              int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
                  "581A0DB248B0A77AECEC196ACCC52973", 16),
              "NIST384p", "sha384"),
        Curve("secp521r1", oids.SECP521R1, 521, 2 ** 521 - 1, -3,
              int("0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF1"
                  "09E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B50"
                  "3F00", 16),
              int("01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
                  "FFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386"
                  "409", 16),
              "NIST521p", "sha512"),
        Curve("secp256k1", oids.SECP256K1, 256,
              0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F,
              0, 7,
              0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
              "SECP256k1", "sha256"),
    )
}
CURVES_BY_NAME: dict[str, Curve] = {
    **{c.name: c for c in CURVES.values()},
    "P-256": CURVES[oids.SECP256R1],
    "P-384": CURVES[oids.SECP384R1],
    "P-521": CURVES[oids.SECP521R1],
    "prime256v1": CURVES[oids.SECP256R1],
}


def decode_point(curve: Curve, data: bytes) -> tuple[int, int] | str:
    """Return the affine point an octet string encodes, or the reason it is invalid.

    Uncompressed (0x04) and compressed (0x02, 0x03) forms are read; the
    hybrid forms and the point at infinity are refused, and the point must
    satisfy the curve equation (all four curves have cofactor 1, so that
    also places it in the prime-order group).
    """
    size = curve.size
    p = curve.p
    if not data:
        return "empty point"
    form = data[0]
    if form == 0x04 and len(data) == 1 + 2 * size:
        x = int.from_bytes(data[1 : 1 + size], "big")
        y = int.from_bytes(data[1 + size :], "big")
    elif form in (0x02, 0x03) and len(data) == 1 + size:
        x = int.from_bytes(data[1:], "big")
        if x >= p:
            return "x coordinate out of range"
        rhs = (x * x * x + curve.a * x + curve.b) % p
        # p = 3 (mod 4) for every curve here: the root is rhs^((p+1)/4).
        y = pow(rhs, (p + 1) // 4, p)
        if y * y % p != rhs:
            return "x coordinate not on the curve"
        if y & 1 != form & 1:
            y = p - y
    elif form == 0x00:
        return "point at infinity"
    else:
        return f"unsupported point encoding (first octet {form:#04x}, {len(data)} octets)"
    if x >= p or y >= p or (y * y - (x * x * x + curve.a * x + curve.b)) % p:
        return "point not on the curve"
    return x, y
