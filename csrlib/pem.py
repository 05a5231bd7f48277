"""PEM per RFC 7468: find the blocks, decode their base64 strictly.

Text around blocks is ignored (RFC 7468 section 5.2 explanatory text), lines
may end in CRLF and carry trailing whitespace; inside a block only the
base64 alphabet, correct padding and a matching END line are accepted.
"""

from __future__ import annotations

import base64
import binascii
import re

from .errors import DecodeError

__all__ = ["encode_pem", "pem_blocks"]

_BEGIN = re.compile(rb"-----BEGIN ([\x21-\x2c\x2e-\x7e](?:[- ]?[\x21-\x2c\x2e-\x7e])*)?-----")
_END = re.compile(rb"-----END ([^\r\n]*?)-----")
_B64 = re.compile(rb"[A-Za-z0-9+/]*={0,2}")
_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


def pem_blocks(data: bytes) -> list[tuple[str, bytes]]:
    """Return ``(label, contents)`` for every PEM block in ``data``; [] if there is none.

    Raises DecodeError (kind ``pem``) for a block with bad base64, bad
    padding, headers, or no matching END line.
    """
    blocks: list[tuple[str, bytes]] = []
    pos = 0
    while True:
        begin = _BEGIN.search(data, pos)
        if begin is None:
            return blocks
        label = (begin.group(1) or b"").decode("ascii")
        end = _END.search(data, begin.end())
        if end is None:
            raise DecodeError("pem", begin.start(), f"no END line for {label!r}")
        if end.group(1) != begin.group(1) and end.group(1) != (begin.group(1) or b""):
            raise DecodeError("pem", end.start(),
                              f"END label {end.group(1).decode('ascii', 'replace')!r} "
                              f"does not match {label!r}")
        blocks.append((label, _decode_body(data, begin.end(), end.start())))
        pos = end.end()


def _decode_body(data: bytes, start: int, stop: int) -> bytes:
    chunks = []
    offset = start
    for line in data[start:stop].split(b"\n"):
        text = line.strip(b" \t\r")
        if text:
            if b":" in text:
                raise DecodeError("pem", offset, "encapsulated headers (an encrypted block?)")
            if _B64.fullmatch(text) is None:
                bad = next((i for i, ch in enumerate(text) if ch not in _ALPHABET), None)
                if bad is None:
                    raise DecodeError("pem", offset + line.index(text), "bad base64 padding")
                raise DecodeError("pem", offset + line.index(text) + bad,
                                  "character outside base64")
            chunks.append(text)
        offset += len(line) + 1
    body = b"".join(chunks)
    if b"=" in body.rstrip(b"=") or len(body) % 4:
        raise DecodeError("pem", start, "bad base64 padding")
    try:
        out = base64.b64decode(body, validate=True)
    except binascii.Error as exc:
        raise DecodeError("pem", start, f"bad base64: {exc}") from None
    # Non-zero bits after the last full octet: the text is not canonical.
    if base64.b64encode(out) != body:
        raise DecodeError("pem", start, "non-canonical base64")
    return out


def encode_pem(label: str, der: bytes) -> str:
    """Return ``der`` as a PEM block with 64-character lines (RFC 7468 section 2)."""
    text = binascii.b2a_base64(der, newline=False).decode("ascii")
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"
