"""PEM per RFC 7468: find the blocks, decode their base64 strictly.

Text around blocks is ignored (RFC 7468 section 5.2 explanatory text), lines
may end in CRLF, CR or LF (RFC 7468 ``eol``) and carry trailing whitespace;
inside a block only the base64 alphabet, correct padding and a matching END
line are accepted.  Callers name the labels they want: only those blocks'
contents are decoded (and can fail), so a bundle holding, say, an encrypted
key next to a request still yields the request.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection

from .errors import DecodeError

__all__ = ["detect_format", "encode_pem", "is_text", "pem_blocks"]

_BEGIN = re.compile(rb"-----BEGIN ([\x21-\x2c\x2e-\x7e](?:[- ]?[\x21-\x2c\x2e-\x7e])*)?-----")
_END = re.compile(rb"-----END ([^\r\n]*?)-----")
_B64 = re.compile(rb"[A-Za-z0-9+/]*={0,2}")
_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="


_LINE = re.compile(rb"([^\r\n]*)(?:\r\n|\r|\n|$)")
# Octets no text file holds: C0 controls but tab, LF, FF and CR; and DEL.
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def is_text(data: bytes) -> bool:
    """Return whether ``data`` could be a text file: no control octet but tab, LF, FF, CR.

    Every DER request holds some (its version is an INTEGER, tag 0x02), so
    no request in DER passes for text.
    """
    return _BINARY.search(data) is None


def _der_length(data: bytes) -> int | None:
    """Return the length a SEQUENCE header at the start of ``data`` gives it, or None."""
    if len(data) < 2 or data[0] != 0x30:
        return None
    n = data[1]
    if n < 0x80:
        return 2 + n
    count = n & 0x7F
    if not 1 <= count <= 8 or len(data) < 2 + count:
        return None
    return 2 + count + int.from_bytes(data[2 : 2 + count], "big")


def detect_format(data: bytes) -> str:
    """Return ``"der"`` or ``"pem"``: how ``data`` must be read, judged from its shape alone.

    DER when it starts with a SEQUENCE header whose length is exactly the
    input's; otherwise PEM when it is text (RFC 7468: optional explanatory
    text and whitespace, then ``-----BEGIN``); otherwise DER, which then
    fails to decode.  The data is never searched for a ``-----BEGIN`` inside
    it: a DER request may carry PEM text in one of its values (a polyglot),
    and is still the DER request.
    """
    if _der_length(data) == len(data):
        return "der"
    return "pem" if is_text(data) else "der"


def pem_blocks(
    data: bytes, labels: Collection[str] | None = None
) -> list[tuple[str, bytes | None]]:
    """Return ``(label, contents)`` for every PEM block in ``data``; [] if there is none.

    Only blocks whose label is in ``labels`` (all, when None) are decoded;
    the others come with ``None``.  Raises DecodeError (kind ``pem``) for a
    block without a matching END line, and for a decoded block with text
    after its BEGIN line, headers, bad base64 or bad padding.
    """
    blocks: list[tuple[str, bytes | None]] = []
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
        if labels is None or label in labels:
            blocks.append((label, _decode_body(data, begin.end(), end.start())))
        else:
            blocks.append((label, None))
        pos = end.end()


def _decode_body(data: bytes, start: int, stop: int) -> bytes:
    chunks = []
    first = True
    for match in _LINE.finditer(data, start, stop):
        line = match.group(1)
        text = line.strip(b" \t")
        if first:
            # The rest of the BEGIN line: nothing but whitespace.
            first = False
            if text:
                raise DecodeError("pem", match.start(), "text after the BEGIN line")
            continue
        if not text:
            continue
        offset = match.start() + line.index(text)
        if b":" in text:
            raise DecodeError("pem", offset, "encapsulated headers (an encrypted block?)")
        if _B64.fullmatch(text) is None:
            bad = next((i for i, ch in enumerate(text) if ch not in _ALPHABET), None)
            if bad is None:
                raise DecodeError("pem", offset, "bad base64 padding")
            raise DecodeError("pem", offset + bad, "character outside base64")
        chunks.append(text)
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
