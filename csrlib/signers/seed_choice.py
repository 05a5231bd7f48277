"""The private key CHOICE of RFC 9881 6 (ML-DSA) and RFC 9935 6 (ML-KEM).

Both put the same shape in a PKCS#8 privateKey OCTET STRING::

    PrivateKey ::= CHOICE {
      seed        [0] IMPLICIT OCTET STRING (SIZE (32 | 64)),
      expandedKey OCTET STRING (SIZE (...)),
      both        SEQUENCE { seed OCTET STRING, expandedKey OCTET STRING } }

:func:`read_seed_choice` splits it, checking the sizes; each key module
checks what the octets mean.  Errors are InvalidKey, without key material.
"""

from __future__ import annotations

from ..der.tlv import Context, read_header
from ..errors import DecodeError, InvalidKey

__all__ = ["read_seed_choice"]


def read_seed_choice(key_type: str, private: bytes, seed_size: int, expanded_size: int,
                     source: str) -> tuple[bytes | None, bytes | None]:
    """Return (seed, expanded key) of the CHOICE in ``private``; either may be None.

    ``source`` names the RFC section for the messages (``"RFC 9881 6"``).
    Raises InvalidKey for another shape, trailing data or a wrong size.
    """
    ctx = Context()
    seed = expanded = None
    try:
        tag, c, e = read_header(private, 0, len(private), ctx)
        if e != len(private):
            raise InvalidKey(f"{key_type} private key: data after the key")
        if tag == 0x80:
            seed = private[c:e]
        elif tag == 0x04:
            expanded = private[c:e]
        elif tag == 0x30:
            tag1, c1, e1 = read_header(private, c, e, ctx)
            tag2, c2, e2 = read_header(private, e1, e, ctx) if e1 < e else (0, e, e)
            if tag1 != 0x04 or tag2 != 0x04 or e2 != e:
                raise InvalidKey(f"{key_type} private key: 'both' is not two OCTET STRINGs")
            seed, expanded = private[c1:e1], private[c2:e2]
        else:
            raise InvalidKey(f"{key_type} private key: not a seed [0], expandedKey or both "
                             f"({source})")
    except DecodeError as exc:
        raise InvalidKey(f"{key_type} private key: malformed DER at byte {exc.offset}") from None
    if seed is not None and len(seed) != seed_size:
        raise InvalidKey(f"{key_type} seed is {len(seed)} octets, not {seed_size}")
    if expanded is not None and len(expanded) != expanded_size:
        raise InvalidKey(f"{key_type} expanded key is {len(expanded)} octets, not "
                         f"{expanded_size}")
    return seed, expanded
