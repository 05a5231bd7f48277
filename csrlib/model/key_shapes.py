"""Keys whose SubjectPublicKeyInfo has a fixed shape, read by comparing its leading octets.

A named-curve EC key with an uncompressed point (RFC 5480 2.1.1 and 2.2)
and an Ed25519 or Ed448 key (RFC 8410 4) are, in DER, one fixed string of
octets (the headers, the algorithm's OIDs, the unused-bits octet) and then
the point or the key's octets, of one length per curve.  An SPKI of that
length starting with that string has every header, length and OID a strict
load checks fixed by it; what is left to check is the point (on the curve:
:func:`csrlib.model.curves.decode_point`), and the key made is the one
:func:`csrlib.model.keys.read_spki` makes of the same octets.

An rsaEncryption key (RFC 3279 2.3.1: NULL parameters) of 2048, 3072 or
4096 bits with the exponent 65537, most RSA keys in requests, is likewise
a fixed string, the modulus, then the exponent's five octets ``02 03 01 00
01``.  The modulus' INTEGER is its octets after one 0x00 (X.690 8.3.2: the
first of them must then be 0x80 or more, which is checked); the rest of
what the long way checks (RSAPublicKey, keys.py ``_rsa``) holds for any
such modulus: it is over 3, no longer than 16384 bits, and longer than the
exponent.

The builder reads its signer's key this way (:mod:`csrlib.built_request`):
no walk, no decoder context.  Any other SPKI, and a point that fails its
check, gives None: the caller reads it the long way, which says what is
wrong.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import oids
from ..der.primitives import encode_oid
from ..der.tlv import tlv
from .curves import CURVES, Curve, decode_point
from .keys import _EDWARDS_MAKERS, Ed448PublicKey, Ed25519PublicKey, PublicKey, _ec_key, _rsa_key

__all__ = ["SHAPED_SIZES", "read_shaped_key"]

#: The curves csrlib verifies on; decode_point checks their points.
_EC_CURVES = (oids.SECP256R1, oids.SECP384R1, oids.SECP521R1, oids.SECP256K1)

#: The lengths of the fixed-shape SPKIs (secp256k1, P-256, P-384, P-521,
#: Ed25519, Ed448, RSA-2048, RSA-3072, RSA-4096): a caller may skip the call
#: for any other.  Written out, so that importing costs nothing; the tables
#: below are checked against it.
SHAPED_SIZES = frozenset({88, 91, 120, 158, 44, 69, 294, 422, 550})

#: Modulus sizes, in octets, of the fixed-shape RSA keys.
_RSA_MODULUS_SIZES = (256, 384, 512)
#: The exponent 65537 as the RSAPublicKey's last element.
_RSA_EXPONENT = b"\x02\x03\x01\x00\x01"

#: By the SPKI's length: its leading octets and the curve (EC) or the key's
#: maker (EdDSA); made on first use.
_EC_SHAPES: dict[int, tuple[bytes, Curve]] = {}
_ED_SHAPES: dict[int, tuple[bytes, Callable[[bytes, bytes], PublicKey]]] = {}
#: By the SPKI's length: the octets before the modulus' first.
_RSA_SHAPES: dict[int, bytes] = {}


def _fill() -> None:
    ec_algorithm = tlv(0x06, encode_oid(oids.EC_PUBLIC_KEY))
    for oid in _EC_CURVES:
        curve = CURVES[oid]
        point_size = 1 + 2 * curve.size  # uncompressed: 0x04, x, y (SEC 1 2.3.3)
        algorithm = tlv(0x30, ec_algorithm + tlv(0x06, encode_oid(oid)))
        whole = tlv(0x30, algorithm + tlv(0x03, bytes(1 + point_size)))
        _EC_SHAPES[len(whole)] = (whole[:-point_size], curve)
    for oid, size, cls in ((oids.ED25519, 32, Ed25519PublicKey), (oids.ED448, 57, Ed448PublicKey)):
        # RFC 8410 3: the algorithm's parameters are absent.
        whole = tlv(0x30, tlv(0x30, tlv(0x06, encode_oid(oid))) + tlv(0x03, bytes(1 + size)))
        _ED_SHAPES[len(whole)] = (whole[:-size], _EDWARDS_MAKERS[cls])
    rsa_algorithm = tlv(0x30, tlv(0x06, encode_oid(oids.RSA_ENCRYPTION)) + b"\x05\x00")
    for size in _RSA_MODULUS_SIZES:
        key = tlv(0x30, tlv(0x02, bytes(1 + size)) + _RSA_EXPONENT)
        whole = tlv(0x30, rsa_algorithm + tlv(0x03, b"\x00" + key))
        _RSA_SHAPES[len(whole)] = whole[:-size - len(_RSA_EXPONENT)]
    assert len(set(_EC_SHAPES) | set(_ED_SHAPES) | set(_RSA_SHAPES)) == len(SHAPED_SIZES)
    assert set(_EC_SHAPES) | set(_ED_SHAPES) | set(_RSA_SHAPES) == SHAPED_SIZES


def read_shaped_key(der: bytes) -> PublicKey | None:
    """Return the key a strict load reads of SPKI ``der`` if it has a fixed shape; else None.

    None also for a point that decode_point refuses (off its curve, a
    compressed or hybrid form byte) and for a modulus written with a
    needless leading zero: a strict load refuses that key or reads it the
    long way, and says why.
    """
    if not _EC_SHAPES:
        _fill()
    size = len(der)
    ec = _EC_SHAPES.get(size)
    if ec is not None:
        prefix, curve = ec
        if not der.startswith(prefix):
            return None
        bits = der[len(prefix):]
        point = decode_point(curve, bits)
        if type(point) is not tuple:
            return None
        key: PublicKey = _ec_key(curve.name, point[0], point[1], der, curve.bits, bits)
        return key
    ed = _ED_SHAPES.get(size)
    if ed is not None:
        if not der.startswith(ed[0]):
            return None
        return ed[1](der[len(ed[0]):], der)
    rsa = _RSA_SHAPES.get(size)
    if (rsa is None or not der.startswith(rsa) or der[len(rsa)] < 0x80
            or not der.endswith(_RSA_EXPONENT)):
        return None
    modulus = int.from_bytes(memoryview(der)[len(rsa):-len(_RSA_EXPONENT)], "big")
    return _rsa_key(modulus, 65537, der, oids.RSA_ENCRYPTION, None)
