"""What ML-DSA and ML-KEM keys share: a raw public key in a SubjectPublicKeyInfo.

Both put the raw FIPS 203/204 octets in the BIT STRING, under an algorithm
whose parameters must be absent (RFC 9881 2, RFC 9935 3), one length per
parameter set.  :func:`check_raw_key` makes the checks of reading one;
:func:`raw_key_spki` makes the SPKI of raw octets for ``from_bytes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..der.primitives import encode_oid
from ..der.tlv import tlv

if TYPE_CHECKING:
    from .reading import Source

__all__ = ["check_raw_key", "raw_key_spki"]


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


def raw_key_spki(oid: str, public: object, family: str) -> bytes:
    """Return the DER SubjectPublicKeyInfo of raw key octets under ``oid``, no parameters.

    Raises TypeError when ``public`` is not bytes, bytearray or memoryview
    (``bytes(1312)`` would be 1312 zero octets).
    """
    if not isinstance(public, bytes | bytearray | memoryview):
        raise TypeError(f"an {family} public key is bytes")
    return tlv(0x30, tlv(0x30, tlv(0x06, encode_oid(oid))) + tlv(0x03, b"\x00" + bytes(public)))
