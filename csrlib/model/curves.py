"""The named curves csrlib knows, and point decoding on them (SEC 1 2.3.4).

Three tables, by how far csrlib goes with a curve:

* :data:`CURVES`: the curves csrlib verifies and signs on (P-256, P-384,
  P-521, secp256k1, and P-224, brainpoolP256r1/P384r1/P512r1, which the
  default Policy does not accept), with their domain parameters;
* :data:`UNVERIFIED_CURVES`: curves whose domain parameters csrlib holds, so
  that keys on them are read and their points checked, but on which it does
  not verify or sign (P-192);
* every other curve of :data:`csrlib.oids.CURVE_NAMES`: a name and the size
  of its order, nothing more.

Explicit parameters (specifiedCurve, RFC 3279 2.3.5) are read by
:func:`read_specified_curve` into a :class:`Curve` named ``explicit``.

Only the arithmetic needed to read a public key: decompression and the
curve equation.  Signing is the ``ecdsa`` package's job; ECDSA verification uses
csrlib.crypto.ec_arith.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyasn1.type import namedtype, univ

from .. import oids, schemas
from ..asn1 import compile_schema
from ..frozen import frozen
from .reading import plan

if TYPE_CHECKING:
    from ..asn1 import Plan
    from .reading import Source

__all__ = [
    "CURVES",
    "CURVES_BY_NAME",
    "UNVERIFIED_CURVES",
    "Curve",
    "curve_bits",
    "curve_by_name",
    "decode_point",
    "named_curve",
    "read_specified_curve",
    "split_point",
]


@frozen
class Curve:
    """A short Weierstrass curve y^2 = x^3 + ax + b over GF(p), with base point
    (gx, gy) of prime order n; ``bits`` is the size of n (the key size)."""

    name: str
    oid: str
    bits: int
    p: int
    a: int
    b: int
    n: int
    ecdsa_name: str
    default_hash: str
    gx: int
    gy: int

    @property
    def size(self) -> int:
        """Return the octets of one coordinate (of a field element, SEC 1 2.3.5)."""
        return (self.p.bit_length() + 7) // 8


def _hex(*parts: str) -> int:
    return int("".join(parts), 16)


CURVES: dict[str, Curve] = {
    c.oid: c
    for c in (
        # FIPS 186-4 D.1.2.3
        Curve("secp256r1", oids.SECP256R1, 256,
              0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
              -3,
              0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
              0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
              "NIST256p", "sha256",
              0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
              0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5),
        # FIPS 186-4 D.1.2.4
        Curve("secp384r1", oids.SECP384R1, 384,
              _hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE",
                   "FFFFFFFF0000000000000000FFFFFFFF"),
              -3,
              _hex("B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A",
                   "C656398D8A2ED19D2A85C8EDD3EC2AEF"),
              _hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF",
                   "581A0DB248B0A77AECEC196ACCC52973"),
              "NIST384p", "sha384",
              _hex("AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A38",
                   "5502F25DBF55296C3A545E3872760AB7"),
              _hex("3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C0",
                   "0A60B1CE1D7E819D7A431D7C90EA0E5F")),
        # FIPS 186-4 D.1.2.5
        Curve("secp521r1", oids.SECP521R1, 521, 2 ** 521 - 1, -3,
              _hex("0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF1",
                   "09E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B50",
                   "3F00"),
              _hex("01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
                   "FFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386",
                   "409"),
              "NIST521p", "sha512",
              _hex("00C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D",
                   "3DBAA14B5E77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5",
                   "BD66"),
              _hex("011839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E",
                   "662C97EE72995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD1",
                   "6650")),
        # SEC 2 (v2) 2.4.1
        Curve("secp256k1", oids.SECP256K1, 256,
              0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F,
              0, 7,
              0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
              "SECP256k1", "sha256",
              0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
              0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8),
    )
}
CURVES_BY_NAME: dict[str, Curve] = {
    **{c.name: c for c in CURVES.values()},
    "P-256": CURVES[oids.SECP256R1],
    "P-384": CURVES[oids.SECP384R1],
    "P-521": CURVES[oids.SECP521R1],
    "prime256v1": CURVES[oids.SECP256R1],
}

#: Curves csrlib reads keys on, checking the point, but does not verify or
#: sign on yet (not in CURVES, CURVES_BY_NAME or the default Policy): the
#: domain parameters are here for that.
UNVERIFIED_CURVES: dict[str, Curve] = {
    c.oid: c
    for c in (
        # FIPS 186-4 D.1.2.1
        Curve("secp192r1", oids.SECP192R1, 192, 2 ** 192 - 2 ** 64 - 1, -3,
              0x64210519E59C80E70FA7E9AB72243049FEB8DEECC146B9B1,
              0xFFFFFFFFFFFFFFFFFFFFFFFF99DEF836146BC9B1B4D22831,
              "NIST192p", "sha256",
              0x188DA80EB03090F67CBF20EB43A18800F4FF0AFD82FF1012,
              0x07192B95FFC8DA78631011ED6B24CDD573F977A11E794811),
        # FIPS 186-4 D.1.2.2 (p = 1 mod 4: decompression needs Tonelli-Shanks)
        Curve("secp224r1", oids.SECP224R1, 224, 2 ** 224 - 2 ** 96 + 1, -3,
              0xB4050A850C04B3ABF54132565044B0B7D7BFD8BA270B39432355FFB4,
              0xFFFFFFFFFFFFFFFFFFFFFFFFFFFF16A2E0B8F03E13DD29455C5C2A3D,
              "NIST224p", "sha224",
              0xB70E0CBD6BB4BF7F321390B94A03C1D356C21122343280D6115C1D21,
              0xBD376388B5F723FB4C22DFE6CD4375A05A07476444D5819985007E34),
        # RFC 5639 3.4
        Curve("brainpoolP256r1", oids.BRAINPOOLP256R1, 256,
              0xA9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377,
              0x7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9,
              0x26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6,
              0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7,
              "BRAINPOOLP256r1", "sha256",
              0x8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262,
              0x547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997),
        # RFC 5639 3.6
        Curve("brainpoolP384r1", oids.BRAINPOOLP384R1, 384,
              _hex("8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B412B1DA197FB71123",
                   "ACD3A729901D1A71874700133107EC53"),
              _hex("7BC382C63D8C150C3C72080ACE05AFA0C2BEA28E4FB22787139165EFBA91F90F",
                   "8AA5814A503AD4EB04A8C7DD22CE2826"),
              _hex("04A8C7DD22CE28268B39B55416F0447C2FB77DE107DCD2A62E880EA53EEB62D5",
                   "7CB4390295DBC9943AB78696FA504C11"),
              _hex("8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B31F166E6CAC0425A7",
                   "CF3AB6AF6B7FC3103B883202E9046565"),
              "BRAINPOOLP384r1", "sha384",
              _hex("1D1C64F068CF45FFA2A63A81B7C13F6B8847A3E77EF14FE3DB7FCAFE0CBD10E8",
                   "E826E03436D646AAEF87B2E247D4AF1E"),
              _hex("8ABE1D7520F9C2A45CB1EB8E95CFD55262B70B29FEEC5864E19C054FF9912928",
                   "0E4646217791811142820341263C5315")),
        # RFC 5639 3.7
        Curve("brainpoolP512r1", oids.BRAINPOOLP512R1, 512,
              _hex("AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330871",
                   "7D4D9B009BC66842AECDA12AE6A380E62881FF2F2D82C68528AA6056583A48F3"),
              _hex("7830A3318B603B89E2327145AC234CC594CBDD8D3DF91610A83441CAEA9863BC",
                   "2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A72BF2C7B9E7C1AC4D77FC94CA"),
              _hex("3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A7",
                   "2BF2C7B9E7C1AC4D77FC94CADC083E67984050B75EBAE5DD2809BD638016F723"),
              _hex("AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330870",
                   "553E5C414CA92619418661197FAC10471DB1D381085DDADDB58796829CA90069"),
              "BRAINPOOLP512r1", "sha512",
              _hex("81AEE4BDD82ED9645A21322E9C4C6A9385ED9F70B5D916C1B43B62EEF4D0098E",
                   "FF3B1F78E2D0D48D50D1687B93B97D5F7C6D5047406A5E688B352209BCB9F822"),
              _hex("7DDE385D566332ECC0EABFA9CF7822FDF209F70024A57B1AA000C55B881F8111",
                   "B2DCDE494A5F485E5BCA4BD88A2763AED1CA2B2FA8F0540678CD1E0F3AD80892")),
    )
}
# Verified and signed on since issue 16 (python-ecdsa has their arithmetic;
# Wycheproof's files for them pass): moved to CURVES.  The default Policy
# still accepts only its four curves (csrlib.crypto.verify).
for _oid in (oids.SECP224R1, oids.BRAINPOOLP256R1, oids.BRAINPOOLP384R1, oids.BRAINPOOLP512R1):
    _moved = UNVERIFIED_CURVES.pop(_oid)
    CURVES[_oid] = _moved
    CURVES_BY_NAME[_moved.name] = _moved
CURVES_BY_NAME["P-224"] = CURVES[oids.SECP224R1]

#: The size in bits of the order of the other named curves (the key size, as
#: OpenSSL reports it; for the binary curves, with their cofactor 2 or 4, one
#: or two bits under the field size).
_ORDER_BITS: dict[str, int] = {
    "prime192v2": 192, "prime192v3": 192,
    "prime239v1": 239, "prime239v2": 239, "prime239v3": 239,
    "secp160r1": 161, "secp160k1": 161, "secp160r2": 161, "secp192k1": 192, "secp224k1": 225,
    "brainpoolP160r1": 160, "brainpoolP160t1": 160, "brainpoolP192r1": 192,
    "brainpoolP192t1": 192, "brainpoolP224r1": 224, "brainpoolP224t1": 224,
    "brainpoolP256t1": 256, "brainpoolP320r1": 320, "brainpoolP320t1": 320,
    "brainpoolP384t1": 384, "brainpoolP512t1": 512,
    "SM2": 256,
    "sect163k1": 163, "sect163r2": 163, "sect233k1": 232, "sect233r1": 233,
    "sect283k1": 281, "sect283r1": 282, "sect409k1": 407, "sect409r1": 409,
    "sect571k1": 570, "sect571r1": 570,
}
_BY_NAME: dict[str, Curve] = {c.name: c for t in (CURVES, UNVERIFIED_CURVES) for c in t.values()}


def named_curve(oid: str) -> tuple[str, int, Curve | None]:
    """Return the name, the order's size in bits and the parameters of a named curve.

    The parameters are None when csrlib holds only the name; an unknown
    curve is named by its dotted OID, with size 0 (unknown).
    """
    curve = CURVES.get(oid) or UNVERIFIED_CURVES.get(oid)
    if curve is not None:
        return curve.name, curve.bits, curve
    name = oids.CURVE_NAMES.get(oid)
    if name is None:
        return oid, 0, None
    return name, _ORDER_BITS[name], None


def curve_bits(name: str) -> int:
    """Return the size in bits of the order of the curve named ``name``; 0 if unknown."""
    curve = _BY_NAME.get(name) or CURVES_BY_NAME.get(name)
    return curve.bits if curve is not None else _ORDER_BITS.get(name, 0)


def curve_by_name(name: str) -> Curve | None:
    """Return the parameters of the named curve ``name`` csrlib holds, verified or not."""
    return _BY_NAME.get(name) or CURVES_BY_NAME.get(name)


#: Tonelli-Shanks runs in O(s^2) multiplications, for p - 1 = q * 2^s: P-224
#: has s = 96; the bound keeps hostile explicit parameters cheap.
_MAX_TWO_ADICITY = 128


def _sqrt(value: int, p: int) -> int | None:
    """Return a square root of ``value`` modulo the odd prime ``p``, or None."""
    value %= p
    if p % 4 == 3 or not value:
        return pow(value, (p + 1) // 4, p)
    # Tonelli-Shanks (Cohen, A Course in Computational Algebraic Number Theory, 1.5).
    q, s = p - 1, 0
    while q % 2 == 0:
        q, s = q // 2, s + 1
    if s > _MAX_TWO_ADICITY:
        return None
    z = next((z for z in range(2, 66) if pow(z, (p - 1) // 2, p) == p - 1), None)
    if z is None:
        return None  # p is not prime (a prime has a non-residue among them, in practice)
    m, c, t, root = s, pow(z, q, p), pow(value, q, p), pow(value, (q + 1) // 2, p)
    while t != 1:
        i, t2 = 0, t
        while t2 != 1:
            t2, i = t2 * t2 % p, i + 1
            if i == m:
                return None  # not a square
        b = pow(c, 1 << (m - i - 1), p)
        m, c, t, root = i, b * b % p, t * b * b % p, root * b % p
    return root


def decode_point(curve: Curve, data: bytes) -> tuple[int, int] | str:
    """Return the affine point an octet string encodes, or the reason it is invalid.

    Uncompressed (0x04) and compressed (0x02, 0x03) forms are read; the
    hybrid forms and the point at infinity are refused, and the point must
    satisfy the curve equation (every named curve here has cofactor 1, so
    that also places it in the prime-order group; explicit parameters may
    not, and their points are only checked on the curve).
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
        root = _sqrt(rhs, p)
        if root is None:
            return "x coordinate not on the curve"
        y = root
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


def split_point(data: bytes) -> tuple[int, int] | str | None:
    """Return the coordinates of an uncompressed point on a curve csrlib has no
    parameters for, unchecked; None for a compressed point (it cannot be
    expanded without the field); or the reason the encoding is invalid."""
    if not data:
        return "empty point"
    form = data[0]
    if form == 0x04 and len(data) >= 3 and len(data) % 2:
        size = len(data) // 2
        return int.from_bytes(data[1 : 1 + size], "big"), int.from_bytes(data[1 + size :], "big")
    if form in (0x02, 0x03) and len(data) >= 2:
        return None
    if form == 0x00:
        return "point at infinity"
    return f"unsupported point encoding (first octet {form:#04x}, {len(data)} octets)"


_PLANS: list[Plan] = []


def _specified_curve_plan() -> Plan:
    """Return the plan of ECParameters (RFC 3279 2.3.5), SpecifiedECDomain of SEC 1
    C.2 without its extensions; the FieldID parameters spanned, as Prime-p is
    read from them.  Built on first use: explicit parameters are rare."""
    if not _PLANS:
        from pyasn1_modules import rfc3279

        _PLANS.append(compile_schema(univ.Sequence(componentType=namedtype.NamedTypes(
            namedtype.NamedType("version", univ.Integer()),
            namedtype.NamedType("fieldID", univ.Sequence(componentType=namedtype.NamedTypes(
                namedtype.NamedType("fieldType", univ.ObjectIdentifier()),
                namedtype.NamedType("parameters", schemas.SpannedAny())))),
            namedtype.NamedType("curve", rfc3279.Curve()),
            namedtype.NamedType("base", univ.OctetString()),
            namedtype.NamedType("order", univ.Integer()),
            namedtype.OptionalNamedType("cofactor", univ.Integer())))))
    return _PLANS[0]


#: Explicit prime fields over this size are refused: the arithmetic that
#: checks the points grows with it, and no standard curve comes close.
_MAX_FIELD_BITS = 1024


def read_specified_curve(src: Source, start: int, end: int, depth: int,
                         path: str) -> tuple[int, Curve | None]:
    """Return the order's size in bits and, over a prime field, the curve of explicit
    EC parameters (its base point checked); raise DecodeError if they are invalid."""
    version, (field_type, (_, f_start, f_end)), (a, b, _), base, n, _ = src.decode(
        _specified_curve_plan(), start, end, depth, path)
    # RFC 3279 2.3.5: ecpVer1; SEC 1 C.2 adds versions 2 and 3.
    if version not in (1, 2, 3) or n < 2:
        raise src.fail("bad-parameters", start, path, "invalid explicit EC parameters")
    if field_type != oids.PRIME_FIELD:
        return n.bit_length(), None  # characteristic-two: csrlib has no arithmetic for it
    field_path = f"{path}.fieldID.parameters"
    p = src.decode(plan(univ.Integer), f_start, f_end, depth + 2, field_path)
    if p < 5 or not p & 1 or p.bit_length() > _MAX_FIELD_BITS:
        raise src.fail("bad-parameters", f_start, field_path,
                       f"EC prime field must be odd and at most {_MAX_FIELD_BITS} bits")
    a_int, b_int = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    if a_int >= p or b_int >= p:
        raise src.fail("bad-parameters", start, path, "EC curve coefficient out of range")
    curve = Curve("explicit", "", n.bit_length(), p, a_int, b_int, n, "", "", 0, 0)
    g = decode_point(curve, base)
    if isinstance(g, str):
        raise src.fail("bad-parameters", start, path, f"EC base point: {g}")
    return curve.bits, Curve("explicit", "", curve.bits, p, a_int, b_int, n, "", "", *g)
