"""Public keys read from a SubjectPublicKeyInfo (RFC 5280 4.1.2.7).

``PublicKey.from_der(spki)`` returns an :class:`RsaPublicKey`,
:class:`EcPublicKey` (on any curve: verification says which ones csrlib
cannot check), :class:`Ed25519PublicKey`, :class:`Ed448PublicKey`,
:class:`DsaPublicKey` (read, never verified) or, for any other algorithm, an
:class:`UnknownPublicKey` (parsing succeeds; verification says the algorithm
is unsupported).  Each keeps the exact SubjectPublicKeyInfo it came from
(``to_der()``, ``fingerprint()``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from .. import key_schemas, oids, schemas
from ..der.primitives import decode_oid, encode_integer, encode_oid
from ..der.tlv import Limits, read_header, tlv
from ..errors import bytes_text, int_text
from ..frozen import field, frozen
from .algorithms import is_null, read_pss_parameters
from .curves import (
    Curve,
    curve_bits,
    curve_by_name,
    decode_point,
    named_curve,
    read_specified_curve,
    split_point,
)
from .reading import Source, maker, plan

if TYPE_CHECKING:
    from collections.abc import Callable

    from .algorithms import PssParameters

__all__ = ["MAX_RSA_BITS", "MAX_RSA_EXPONENT", "SPKI_READERS", "DsaPublicKey", "Ed448PublicKey",
           "Ed25519PublicKey", "EcPublicKey", "PublicKey", "RsaPublicKey", "UnknownPublicKey"]

#: RSA moduli over this many bits are refused (verification cost is quadratic+).
MAX_RSA_BITS = 16384
#: The largest RSA public exponent csrlib's signers and verification policy
#: (``Policy.max_rsa_exponent``) accept: verification cost is linear in its
#: size.  Loading bounds the exponent only by the modulus size, so that a
#: linter sees the key it judges (``csrlib.lint``, rule ``key.rsa.exponent``).
MAX_RSA_EXPONENT = 2 ** 64

#: Readers of the keys that modules of their own define, by algorithm OID
#: (``csrlib.model.ml_dsa_keys`` and ``ml_kem_keys`` register themselves;
#: ``csrlib.model`` imports them first): ``reader(src, algorithm, params, alg_start, alg_end, bits,
#: unused, der, path, key_path)`` returns the key or raises DecodeError.
SPKI_READERS: dict[str, Callable[..., PublicKey]] = {}

_SPKI_PATH = "subjectPublicKey"
_OFF_CURVE = "point not on the curve"


class PublicKey:
    """Base of the public key types."""

    __slots__ = ()
    key_type: ClassVar[str] = "unknown"
    der: bytes

    @property
    def key_size(self) -> int:
        """Return the size in bits (RSA modulus, curve order, DSA p); 0 when unknown."""
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
        import hashlib  # imported when first needed: it costs import csrlib 6 %

        return hashlib.new(hash_name, self.der).digest()

    @staticmethod
    def from_der(
        data: bytes | bytearray | memoryview, *, strict: bool = True, limits: Limits | None = None
    ) -> PublicKey:
        """Return the public key of a DER SubjectPublicKeyInfo; raise DecodeError if invalid."""
        src = Source(bytes(data), strict, limits)
        value = src.decode(plan(schemas.SubjectPublicKeyInfo), 0, len(src.buf), 0, "")
        return read_spki(src, value, 0, "")

    @staticmethod
    def from_pem(data: bytes | str, *, strict: bool = True) -> PublicKey:
        """Return the public key of a PEM ``PUBLIC KEY`` block (RFC 7468 13: SPKI).

        Raises DecodeError for malformed PEM or DER, or when there is not
        exactly one ``PUBLIC KEY`` block.
        """
        from ..errors import DecodeError
        from ..pem import pem_blocks

        raw = data.encode("utf-8", "replace") if isinstance(data, str) else bytes(data)
        found = [body for label, body in pem_blocks(raw, ("PUBLIC KEY",)) if body is not None]
        if len(found) != 1:
            raise DecodeError("pem", 0, f"expected one PUBLIC KEY block, found {len(found)}")
        return PublicKey.from_der(found[0], strict=strict)


def _repr_int(value: int) -> str:
    """Return an integer as hex, its middle elided past 24 characters (linear, never decimal)."""
    text = f"{value:#x}"
    return text if len(text) <= 24 else f"{text[:12]}...{text[-8:]}"


@frozen(eq=False)
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

    @property
    def pss_only(self) -> bool:
        """Return whether the key is an id-RSASSA-PSS key, which signs RSASSA-PSS only
        (RFC 4055 1.2); its restrictions, if it has any, are ``pss``."""
        return self.algorithm == oids.RSASSA_PSS

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return f"RsaPublicKey(bits={self.key_size}, e={int_text(self.e)}, n={_repr_int(self.n)})"

    @staticmethod
    def from_numbers(n: int, e: int) -> RsaPublicKey:
        """Return the rsaEncryption key (n, e); raise InvalidKey if it is not a valid one."""
        body = tlv(0x30, tlv(0x02, encode_integer(n)) + tlv(0x02, encode_integer(e)))
        key = _built(tlv(0x30, tlv(0x06, encode_oid(oids.RSA_ENCRYPTION)) + b"\x05\x00"), body)
        assert isinstance(key, RsaPublicKey)
        return key


@frozen(eq=False)
class EcPublicKey(PublicKey):
    """An EC key (id-ecPublicKey, RFC 5480).

    ``curve_name``: ``secp256r1``, ``secp384r1``, ``secp521r1``, ``secp256k1``
    (the curves csrlib verifies on), another curve's name (``brainpoolP256r1``,
    ``secp224r1``...: read, not verified), the dotted OID of a named curve
    csrlib does not know, or (lenient mode only) ``"explicit"`` for explicit
    parameters (specifiedCurve) and ``"implicit"`` for absent or NULL ones.
    ``x``, ``y``: the point, checked on the curve whenever csrlib holds the
    curve's parameters (named curves it verifies on, P-192, P-224,
    brainpoolP256r1/P384r1/P512r1, explicit prime-field parameters), taken as
    encoded otherwise.  ``key_bits``: the size of the curve's order, 0 when
    unknown.  ``encoded_point``: the point's SEC 1 encoding as received.
    """

    key_type: ClassVar[str] = "ec"
    curve_name: str
    x: int
    y: int
    der: bytes = field(repr=False)
    key_bits: int = 0
    encoded_point: bytes = field(default=b"", repr=False)

    @property
    def key_size(self) -> int:
        """Return the size in bits of the curve's order (as OpenSSL reports it); 0 if unknown."""
        return self.key_bits or curve_bits(self.curve_name)

    @property
    def curve(self) -> str:
        """Return the curve name (``secp256r1``...), dotted OID, ``explicit`` or ``implicit``."""
        return self.curve_name

    def point(self, compressed: bool = False) -> bytes:
        """Return the SEC 1 encoding of the point."""
        curve = curve_by_name(self.curve_name)
        encoded = self.encoded_point
        if curve is not None:
            size = curve.size
        elif encoded:
            size = (len(encoded) - 1) // (2 if encoded[0] == 0x04 else 1)
        else:
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
        from ..errors import InvalidKey
        from .curves import CURVES_BY_NAME

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


@frozen(eq=False)
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


@frozen(eq=False, repr=False)
class Ed25519PublicKey(_EdwardsKey):
    """An Ed25519 key (RFC 8410): 32 octets."""

    key_type: ClassVar[str] = "ed25519"

    @property
    def key_size(self) -> int:
        """Return 256."""
        return 256


@frozen(eq=False, repr=False)
class Ed448PublicKey(_EdwardsKey):
    """An Ed448 key (RFC 8410): 57 octets."""

    key_type: ClassVar[str] = "ed448"

    @property
    def key_size(self) -> int:
        """Return 448, the size of the curve the name refers to."""
        return 448


@frozen(eq=False)
class DsaPublicKey(PublicKey):
    """A DSA key (id-dsa, RFC 3279 2.3.2): read and described; csrlib does not verify DSA.

    ``p``, ``q``, ``g``: the Dss-Parms, or all None when the parameters are
    absent (RFC 3279 2.3.2: inherited from the issuer's key); ``y``: the
    public value.
    """

    key_type: ClassVar[str] = "dsa"
    y: int
    p: int | None
    q: int | None
    g: int | None
    der: bytes = field(repr=False)

    @property
    def key_size(self) -> int:
        """Return the size of p in bits; 0 when the parameters are absent."""
        return self.p.bit_length() if self.p is not None else 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        return f"DsaPublicKey(bits={self.key_size}, y={_repr_int(self.y)})"


@frozen(eq=False)
class UnknownPublicKey(PublicKey):
    """A key of an algorithm csrlib does not know; kept as received."""

    key_type: ClassVar[str] = "unknown"
    algorithm: str
    parameters: bytes | None
    bits: bytes = field(repr=False)
    unused_bits: int = 0
    der: bytes = field(default=b"", repr=False)

    def __repr__(self) -> str:
        params = "None" if self.parameters is None else bytes_text(self.parameters)
        return (f"UnknownPublicKey(algorithm={self.algorithm!r}, parameters={params}, "
                f"unused_bits={int_text(self.unused_bits)})")

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
        return _ec(src, params, alg_start, alg_end, bits, unused, der, depth, path, key_path)
    if algorithm == oids.DSA:
        return _dsa(src, params, alg_start, alg_end, end, der, depth, path, key_path)
    if algorithm in (oids.ED25519, oids.ED448):
        if params is not None:
            src.deviate("bad-parameters", alg_start, f"{path}.algorithm" if path else "algorithm",
                        "EdDSA key parameters must be absent")
        size, cls = (32, Ed25519PublicKey) if algorithm == oids.ED25519 else (57, Ed448PublicKey)
        if unused or len(bits) != size:
            raise src.fail("bad-key", alg_end, key_path, f"{cls.key_type} key is {size} octets")
        return _EDWARDS_MAKERS[cls](bits, der)
    reader = SPKI_READERS.get(algorithm)
    if reader is not None:
        return reader(src, algorithm, params, alg_start, alg_end, bits, unused, der, path,
                      key_path)
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
    # Checked before the integers are built: the octets bound the key's size
    # (the largest acceptable key, an exponent as long as its modulus, needs
    # 4108: headers and a sign octet each).
    if e - c > 2 * (MAX_RSA_BITS // 8) + 32:
        raise src.fail("bad-key", c, key_path, f"RSA key larger than {MAX_RSA_BITS} bits")
    n, exponent = src.decode(plan(key_schemas.RsaPublicKey), c, e, depth + 1, key_path)
    # Only what makes no key at all is refused here: a modulus below 3, an
    # exponent below 1 or longer than the modulus.  An even modulus or
    # exponent, e = 1 or e >= n load, so that csrlib.lint can report them;
    # verification refuses them (crypto/verify.py), and its Policy bounds
    # the exponent (2**64 by default) before any arithmetic.
    if n < 3 or exponent < 1 or exponent.bit_length() > n.bit_length():
        raise src.fail("bad-key", c, key_path, "invalid RSA modulus or exponent")
    if n.bit_length() > MAX_RSA_BITS:
        raise src.fail("bad-key", c, key_path, f"RSA key larger than {MAX_RSA_BITS} bits")
    return _rsa_key(n, exponent, der, algorithm, pss)


def _ec(
    src: Source, params: bytes | None, alg_start: int, alg_end: int, bits: bytes, unused: int,
    der: bytes, depth: int, path: str, key_path: str,
) -> PublicKey:
    alg_path = f"{path}.algorithm" if path else "algorithm"
    tag = params[:1] if params is not None else b""
    curve: Curve | None = None
    # RFC 5480 2.1.1: namedCurve; implicitCurve and specifiedCurve are not
    # allowed (lenient mode reads them, RFC 3279 2.3.5).
    if tag == b"\x06":
        assert params is not None
        # One OID (the decoder checked the element): one decoded before needs no second look.
        hit = src.ctx.oids.get(params[2:]) if params[1] == len(params) - 2 < 0x80 else None
        oid = hit[0] if hit is not None else decode_oid(
            params, *read_header(params, 0, len(params), src.ctx)[1:], src.ctx)[0]
        name, key_bits, curve = named_curve(oid)
    elif tag in (b"", b"\x05"):
        src.deviate("bad-parameters", alg_start, alg_path,
                    "EC parameters missing" if params is None else "EC parameters implicitCurve")
        name, key_bits = "implicit", 0
    elif tag == b"\x30":
        assert params is not None
        src.deviate("bad-parameters", alg_start, alg_path,
                    "EC parameters not a named curve (specifiedCurve)")
        name = "explicit"
        key_bits, curve = read_specified_curve(src, alg_end - len(params), alg_end,
                                               depth + 2, f"{alg_path}.parameters")
    else:
        raise src.fail("bad-parameters", alg_start, alg_path, "EC parameters not ECParameters")
    if unused:
        raise src.fail("bad-key", alg_end, key_path, "unused bits in the key")
    point = decode_point(curve, bits) if curve is not None else split_point(bits)
    if point == _OFF_CURVE and not src.ctx.strict:
        # Lenient mode keeps an uncompressed point off the curve, as a
        # deviation, for csrlib.lint (key.ec.point); verification refuses it.
        src.deviate("bad-key", alg_end, key_path, _OFF_CURVE)
        point = split_point(bits)
    if isinstance(point, str):
        raise src.fail("bad-key", alg_end, key_path, point)
    if point is None:
        # A compressed point on a curve whose field csrlib does not know:
        # its y cannot be computed, so the key is kept as received.
        return UnknownPublicKey(oids.EC_PUBLIC_KEY, params, bits, unused, der)
    return _ec_key(name, point[0], point[1], der, key_bits, bits)


def _dsa(
    src: Source, params: bytes | None, alg_start: int, alg_end: int, end: int, der: bytes,
    depth: int, path: str, key_path: str,
) -> DsaPublicKey:
    from pyasn1_modules import rfc3279  # DSA keys are rare: imported when one is read

    alg_path = f"{path}.algorithm" if path else "algorithm"
    p = q = g = None
    if params is not None and is_null(params):
        # RFC 3279 2.3.2: absent when inherited, never NULL.
        src.deviate("bad-parameters", alg_start, alg_path,
                    "DSA parameters must be absent, not NULL")
    elif params is not None:
        params_path = f"{alg_path}.parameters"
        params_start = alg_end - len(params)
        p, q, g = src.decode(plan(rfc3279.Dss_Parms), params_start, alg_end, depth + 2,
                             params_path)
        if not (p > 3 and 1 < q < p and 1 < g < p):
            raise src.fail("bad-parameters", params_start, params_path, "invalid DSA parameters")
    c, e = _bit_contents(src, alg_end, end, key_path)
    y = src.decode(plan(rfc3279.DSAPublicKey), c, e, depth + 1, key_path)
    if y <= 1 or (p is not None and y >= p):
        raise src.fail("bad-key", c, key_path, "DSA public value out of range")
    return _dsa_key(y, p, q, g, der)


def _built(algorithm: bytes, key_bits: bytes) -> PublicKey:
    """Return the key of an SPKI built from its parts, read back strictly."""
    from ..errors import DecodeError, InvalidKey

    try:
        return PublicKey.from_der(tlv(0x30, algorithm + tlv(0x03, b"\x00" + key_bits)))
    except DecodeError as exc:
        raise InvalidKey(f"not a valid public key: {exc.detail or exc.kind}") from None


_rsa_key = maker(RsaPublicKey)
_ec_key = maker(EcPublicKey)
_dsa_key = maker(DsaPublicKey)
_EDWARDS_MAKERS = {cls: maker(cls) for cls in (Ed25519PublicKey, Ed448PublicKey)}
