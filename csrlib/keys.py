"""Public keys read from a SubjectPublicKeyInfo (RFC 5280 4.1.2.7).

``PublicKey.from_der(spki)`` returns an :class:`RsaPublicKey`,
:class:`EcPublicKey`, :class:`Ed25519PublicKey`, :class:`Ed448PublicKey` or,
for any other algorithm, an :class:`UnknownPublicKey` (parsing succeeds;
verification says the algorithm is unsupported).  Each keeps the exact
SubjectPublicKeyInfo it came from (``to_der()``, ``fingerprint()``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from . import oids, schemas
from .algorithms import is_null, read_pss_parameters
from .curves import CURVES, decode_point
from .der.primitives import decode_oid, encode_integer, encode_oid
from .der.tlv import Limits, read_header, tlv
from .parsing import Source, plan
from .records import maker

if TYPE_CHECKING:
    from .algorithms import PssParameters

__all__ = [
    "MAX_RSA_BITS",
    "MAX_RSA_EXPONENT",
    "Ed448PublicKey",
    "Ed25519PublicKey",
    "EcPublicKey",
    "PublicKey",
    "RsaPublicKey",
    "UnknownPublicKey",
]

#: RSA moduli over this many bits are refused (verification cost is quadratic+).
MAX_RSA_BITS = 16384
#: RSA public exponents over this are refused (verification cost is linear in its size).
MAX_RSA_EXPONENT = 2 ** 64

_SPKI_PATH = "subjectPublicKey"


class PublicKey:
    """Base of the public key types."""

    __slots__ = ()
    key_type: ClassVar[str] = "unknown"
    der: bytes

    @property
    def key_size(self) -> int:
        """Return the size in bits (RSA modulus, curve size)."""
        raise NotImplementedError

    @property
    def curve(self) -> str | None:
        """Return the curve name for EC keys, else None."""
        return None

    def to_der(self) -> bytes:
        """Return the DER SubjectPublicKeyInfo."""
        return self.der

    def fingerprint(self, hash_name: str = "sha256") -> bytes:
        """Return the digest of the DER SubjectPublicKeyInfo (SHA-256 by default)."""
        return hashlib.new(hash_name, self.der).digest()

    @staticmethod
    def from_der(
        data: bytes | bytearray | memoryview, *, strict: bool = True, limits: Limits | None = None
    ) -> PublicKey:
        """Return the public key of a DER SubjectPublicKeyInfo; raise DecodeError if invalid."""
        src = Source(bytes(data), strict, limits)
        value = src.decode(plan(schemas.SubjectPublicKeyInfo), 0, len(src.buf), 0, "")
        return read_spki(src, value, 0, "")


def _repr_int(value: int) -> str:
    text = f"{value:#x}"
    return text if len(text) <= 24 else f"{text[:12]}...{text[-8:]}"


@dataclass(frozen=True, slots=True, eq=False)
class RsaPublicKey(PublicKey):
    """An RSA key (rsaEncryption, or id-RSASSA-PSS with optional parameters)."""

    key_type: ClassVar[str] = "rsa"
    n: int
    e: int
    der: bytes = field(repr=False)
    algorithm: str = oids.RSA_ENCRYPTION
    #: For an id-RSASSA-PSS key with parameters (RFC 4055 3.1), its parameters.
    pss: PssParameters | None = None

    @property
    def key_size(self) -> int:
        """Return the modulus size in bits."""
        return self.n.bit_length()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return f"RsaPublicKey(bits={self.key_size}, e={self.e}, n={_repr_int(self.n)})"

    @staticmethod
    def from_numbers(n: int, e: int) -> RsaPublicKey:
        """Return the rsaEncryption key (n, e); raise InvalidKey if it is not a valid one."""
        body = tlv(0x30, tlv(0x02, encode_integer(n)) + tlv(0x02, encode_integer(e)))
        key = _built(tlv(0x30, tlv(0x06, encode_oid(oids.RSA_ENCRYPTION)) + b"\x05\x00"), body)
        assert isinstance(key, RsaPublicKey)
        return key


@dataclass(frozen=True, slots=True, eq=False)
class EcPublicKey(PublicKey):
    """An EC key on a named curve: secp256r1, secp384r1, secp521r1 or secp256k1."""

    key_type: ClassVar[str] = "ec"
    curve_name: str
    x: int
    y: int
    der: bytes = field(repr=False)

    @property
    def key_size(self) -> int:
        """Return the curve size in bits."""
        return next(c.bits for c in CURVES.values() if c.name == self.curve_name)

    @property
    def curve(self) -> str:
        """Return the curve name (``secp256r1``...)."""
        return self.curve_name

    def point(self, compressed: bool = False) -> bytes:
        """Return the SEC 1 encoding of the point."""
        size = (self.key_size + 7) // 8
        if compressed:
            return bytes((2 + (self.y & 1),)) + self.x.to_bytes(size, "big")
        return b"\x04" + self.x.to_bytes(size, "big") + self.y.to_bytes(size, "big")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return f"EcPublicKey({self.curve_name}, x={_repr_int(self.x)}, y={_repr_int(self.y)})"

    @staticmethod
    def from_point(curve_name: str, x: int, y: int) -> EcPublicKey:
        """Return the key (x, y) on a named curve; raise InvalidKey if the point is not on it."""
        from .curves import CURVES_BY_NAME
        from .errors import InvalidKey

        curve = CURVES_BY_NAME.get(curve_name)
        if curve is None:
            raise InvalidKey(f"unknown curve {curve_name!r}")
        if not (0 <= x < curve.p and 0 <= y < curve.p):
            raise InvalidKey("EC point coordinates out of range")
        point = b"\x04" + x.to_bytes(curve.size, "big") + y.to_bytes(curve.size, "big")
        algorithm = tlv(0x30, tlv(0x06, encode_oid(oids.EC_PUBLIC_KEY))
                        + tlv(0x06, encode_oid(curve.oid)))
        key = _built(algorithm, point)
        assert isinstance(key, EcPublicKey)
        return key


@dataclass(frozen=True, slots=True, eq=False)
class _EdwardsKey(PublicKey):
    public_bytes: bytes
    der: bytes = field(repr=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.public_bytes.hex()})"

    @classmethod
    def from_bytes(cls, public: bytes) -> PublicKey:
        """Return the key of its RFC 8032 encoding; raise InvalidKey if the length is wrong."""
        oid = oids.ED25519 if cls.key_type == "ed25519" else oids.ED448
        return _built(tlv(0x30, tlv(0x06, encode_oid(oid))), public)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Ed25519PublicKey(_EdwardsKey):
    """An Ed25519 key (RFC 8410): 32 octets."""

    key_type: ClassVar[str] = "ed25519"

    @property
    def key_size(self) -> int:
        """Return 256."""
        return 256


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Ed448PublicKey(_EdwardsKey):
    """An Ed448 key (RFC 8410): 57 octets."""

    key_type: ClassVar[str] = "ed448"

    @property
    def key_size(self) -> int:
        """Return 448, the size of the curve the name refers to."""
        return 448


@dataclass(frozen=True, slots=True, eq=False)
class UnknownPublicKey(PublicKey):
    """A key of an algorithm csrlib does not know; kept as received."""

    key_type: ClassVar[str] = "unknown"
    algorithm: str
    parameters: bytes | None
    bits: bytes = field(repr=False)
    unused_bits: int = 0
    der: bytes = field(default=b"", repr=False)

    @property
    def key_size(self) -> int:
        """Return the size of the key's BIT STRING in bits."""
        return len(self.bits) * 8 - self.unused_bits

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)


def read_spki(src: Source, value: Any, depth: int, path: str) -> PublicKey:
    """Return the key of a decoded (spanned) SubjectPublicKeyInfo at ``depth``.

    ``value`` is the plain value of :class:`csrlib.schemas.SubjectPublicKeyInfo`;
    ``path`` names it in errors.
    """
    ((algorithm, params), alg_start, alg_end), (bits, unused) = value[0]
    start, end = value[1], value[2]
    der = src.buf[start:end]
    key_path = f"{path}.{_SPKI_PATH}" if path else _SPKI_PATH
    if algorithm in (oids.RSA_ENCRYPTION, oids.RSASSA_PSS):
        return _rsa(src, algorithm, params, alg_start, alg_end, end, der, depth, path, key_path)
    if algorithm == oids.EC_PUBLIC_KEY:
        return _ec(src, params, alg_start, alg_end, bits, unused, der, path, key_path)
    if algorithm in (oids.ED25519, oids.ED448):
        if params is not None:
            src.deviate("bad-parameters", alg_start, f"{path}.algorithm" if path else "algorithm",
                        "EdDSA key parameters must be absent")
        size, cls = (32, Ed25519PublicKey) if algorithm == oids.ED25519 else (57, Ed448PublicKey)
        if unused or len(bits) != size:
            raise src.fail("bad-key", alg_end, key_path, f"{cls.key_type} key is {size} octets")
        return _EDWARDS_MAKERS[cls](bits, der)
    return UnknownPublicKey(algorithm, params, bits, unused, der)


def _bit_contents(src: Source, bit_string_start: int, end: int, path: str) -> tuple[int, int]:
    # The element runs to the end of the SPKI (it was decoded there).
    buf = src.buf
    n = buf[bit_string_start + 1]
    c = bit_string_start + 2 + (n & 0x7F if n & 0x80 else 0)
    e = end
    if c == e or src.buf[c]:
        raise src.fail("bad-key", c, path, "key BIT STRING with unused bits")
    return c + 1, e


def _rsa(
    src: Source, algorithm: str, params: bytes | None, alg_start: int, alg_end: int,
    end: int, der: bytes, depth: int, path: str, key_path: str,
) -> RsaPublicKey:
    pss = None
    if algorithm == oids.RSA_ENCRYPTION:
        # RFC 3279 2.3.1: the parameters are NULL.
        if params is None or not is_null(params):
            src.deviate("bad-parameters", alg_start, f"{path}.algorithm" if path else "algorithm",
                        "rsaEncryption key parameters must be NULL")
    elif params is not None:
        alg_path = f"{path}.algorithm" if path else "algorithm"
        params_start = alg_end - len(params)
        pss = read_pss_parameters(src, params_start, alg_end, depth + 2, f"{alg_path}.parameters")
    c, e = _bit_contents(src, alg_end, end, key_path)
    # Checked before the integers are built: the modulus octets bound its size
    # (the largest acceptable key needs 2068: headers, a sign octet, 9 for e).
    if e - c > MAX_RSA_BITS // 8 + 32:
        raise src.fail("bad-key", c, key_path, f"RSA key larger than {MAX_RSA_BITS} bits")
    n, exponent = src.decode(plan(schemas.RsaPublicKey), c, e, depth + 1, key_path)
    if n <= 0 or exponent <= 1 or not n & 1 or not exponent & 1 or exponent >= n:
        raise src.fail("bad-key", c, key_path, "invalid RSA modulus or exponent")
    if n.bit_length() > MAX_RSA_BITS:
        raise src.fail("bad-key", c, key_path, f"RSA key larger than {MAX_RSA_BITS} bits")
    if exponent > MAX_RSA_EXPONENT:
        raise src.fail("bad-key", c, key_path, "RSA public exponent over 2**64")
    return _rsa_key(n, exponent, der, algorithm, pss)


def _ec(
    src: Source, params: bytes | None, alg_start: int, alg_end: int, bits: bytes, unused: int,
    der: bytes, path: str, key_path: str,
) -> PublicKey:
    alg_path = f"{path}.algorithm" if path else "algorithm"
    # RFC 5480 2.1.1: namedCurve; implicitCurve and specifiedCurve are not allowed.
    if params is None or params[:1] != b"\x06":
        reason = "missing" if params is None else "not a named curve"
        src.deviate("bad-parameters", alg_start, alg_path, f"EC parameters {reason}")
        return UnknownPublicKey(oids.EC_PUBLIC_KEY, params, bits, unused, der)
    _, c, e = read_header(params, 0, len(params), src.ctx)
    curve = CURVES.get(decode_oid(params, c, e, src.ctx)[0])
    if curve is None:
        return UnknownPublicKey(oids.EC_PUBLIC_KEY, params, bits, unused, der)
    point = decode_point(curve, bits) if not unused else "unused bits in the key"
    if isinstance(point, str):
        raise src.fail("bad-key", alg_end, key_path, point)
    return _ec_key(curve.name, point[0], point[1], der)


def _built(algorithm: bytes, key_bits: bytes) -> PublicKey:
    """Return the key of an SPKI built from its parts, read back strictly."""
    from .errors import DecodeError, InvalidKey

    try:
        return PublicKey.from_der(tlv(0x30, algorithm + tlv(0x03, b"\x00" + key_bits)))
    except DecodeError as exc:
        raise InvalidKey(f"not a valid public key: {exc.detail or exc.kind}") from None


_rsa_key = maker(RsaPublicKey)
_ec_key = maker(EcPublicKey)
_EDWARDS_MAKERS = {cls: maker(cls) for cls in (Ed25519PublicKey, Ed448PublicKey)}
