"""What ML-DSA and ML-KEM keys share: a raw public key in a SubjectPublicKeyInfo.

Both put the raw FIPS 203/204 octets in the BIT STRING, under an algorithm
whose parameters must be absent (RFC 9881 2, RFC 9935 3), one length per
parameter set.  :func:`check_raw_key` makes the checks of reading one;
:func:`key_from_raw` makes the key of raw octets, for ``from_bytes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from ..der.primitives import encode_oid
from ..der.tlv import tlv
from ..errors import DecodeError, InvalidKey, bytes_text
from ..frozen import field, frozen
from .keys import PublicKey

if TYPE_CHECKING:
    from .reading import Source

__all__ = ["RawPublicKey", "check_raw_key", "key_from_raw"]


@frozen(eq=False)
class RawPublicKey(PublicKey):
    """Base of the ML-DSA and ML-KEM keys: one class per family, ``level`` names the set.

    ``public_bytes``: the raw FIPS encoding; ``parameters``: the DER of
    algorithm parameters a lenient load met (the RFCs require them absent),
    else None.  A subclass names its family (``ml-dsa``) and its OIDs by key type.
    """

    _family: ClassVar[str]
    _types: ClassVar[dict[str, str]]

    level: int
    public_bytes: bytes = field(repr=False)
    der: bytes = field(repr=False)
    parameters: bytes | None = field(default=None, repr=False)

    @property
    def key_type(self) -> str:  # type: ignore[override]  # one class, three parameter sets
        """Return the family and the level: ``ml-dsa-65``, ``ml-kem-768``..."""
        return f"{self._family}-{self.level}"

    @property
    def algorithm(self) -> str:
        """Return the OID of the key (for ML-DSA, of its signatures too)."""
        return self._types[self.key_type]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublicKey) and self.der == other.der

    def __hash__(self) -> int:
        return hash(self.der)

    def __repr__(self) -> str:
        head = self.public_bytes[:8].hex()
        params = "" if self.parameters is None else f", parameters={bytes_text(self.parameters)}"
        return f"{type(self).__name__}({self.key_type}, {head}...{params})"


def check_raw_key(src: Source, kind: str, size: int, params: bytes | None, rule: str,
                  alg_start: int, alg_end: int, bits: bytes, unused: int, path: str,
                  key_path: str) -> None:
    """Check a raw key of ``kind`` (``ml-dsa-65``...) read from an SPKI.

    Parameters present are a deviation (``rule`` names the RFC section that
    wants them absent); a BIT STRING of another length than ``size``, or
    with unused bits, is refused.
    """
    if params is not None:
        family = kind.rpartition("-")[0].upper()
        src.deviate("bad-parameters", alg_start, f"{path}.algorithm" if path else "algorithm",
                    f"{family} key parameters must be absent ({rule})")
    if len(bits) != size:
        raise src.fail("bad-key", alg_end, key_path, f"{kind} public key is {size} octets")
    if unused:
        raise src.fail("bad-key", alg_end, key_path,
                       f"{kind} public key BIT STRING has {unused} unused bits (must be 0)")


def key_from_raw(types: dict[str, str], family: str, levels: str, level: int | str,
                 public: object) -> PublicKey:
    """Return the key of raw octets ``public`` at ``level`` (``65`` or ``"ml-dsa-65"``...).

    ``types`` maps key types (``ml-dsa-65``) to their OIDs; ``family`` is
    ``ML-DSA`` or ``ML-KEM``, ``levels`` the levels for a message.  The key
    is read back from its SubjectPublicKeyInfo, so it gets every check of a
    key read from a request.  Raises InvalidKey for another level or a key
    the reader refuses, TypeError when ``public`` is not bytes, bytearray or
    memoryview (``bytes(1312)`` would be 1312 zero octets).
    """
    kind = level if isinstance(level, str) else f"{family.lower()}-{level}"
    oid = types.get(kind) if isinstance(kind, str) else None
    if oid is None:
        raise InvalidKey(f"unknown {family} level {str(level)[:20]!r} ({levels})")
    if not isinstance(public, bytes | bytearray | memoryview):
        raise TypeError(f"an {family} public key is bytes")
    spki = tlv(0x30, tlv(0x30, tlv(0x06, encode_oid(oid))) + tlv(0x03, b"\x00" + bytes(public)))
    try:
        return PublicKey.from_der(spki)
    except DecodeError as exc:
        raise InvalidKey(f"not a valid {kind} public key: {exc.detail or exc.kind}") from None
