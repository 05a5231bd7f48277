"""PEM per RFC 7468: tell PEM from DER, find the blocks, decode their base64 strictly.

Text around blocks is ignored (RFC 7468 section 5.2 explanatory text), lines
may end in CRLF, CR or LF (RFC 7468 ``eol``) and carry trailing whitespace;
inside a block only the base64 alphabet, correct padding and a matching END
line are accepted.  Callers name the labels they want: only those blocks'
contents are decoded (and can fail), so a bundle holding, say, an encrypted
key next to a request still yields the request.

PEM is text.  Data holding an octet no text file holds (a C0 control other
than the whitespace of RFC 7468's ``W``, or DEL) is binary: a DER request
always is (its version is an INTEGER: tag 0x02, length 0x01, value 0x00), so
:func:`detect_format` calls it DER, and :func:`check_text` refuses it as PEM.
Binary data is never searched for a ``-----BEGIN``: a DER request may carry
another request's PEM in one of its values (a polyglot), and must not be
read as that other request.

Text in UTF-8 (with or without its byte order mark) or Latin-1 passes, as
explanatory text; UTF-16 and UTF-32 do not (every ASCII character has a NUL
next to it) and are refused, with a hint when they start with a byte order
mark.  Trailing NUL octets (a C string written with its terminator) are
binary too: refused, at the first of them.

Cost: the text is scanned about once, without backtracking that grows with
the input.  A candidate BEGIN or END line's label ends at the next
``-----``, which every later marker contains, so candidates scan disjoint
spans; a line's base64 is one character class then at most two ``=``.  No
pattern repeats a group (``re`` keeps backtracking state for each
repetition of a group: a single pattern for a label, or for a block's lines,
needs 75 to 250 times the input's size on long labels or many short lines).
Memory: the base64 of a decoded block is gathered in one buffer, never as
one object per line; the lines themselves are visited one at a time.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection, Iterator

from .errors import DecodeError

__all__ = ["check_text", "detect_format", "encode_pem", "first_binary", "is_text",
           "iter_pem_blocks", "label_text", "pem_blocks"]

_BEGIN = b"-----BEGIN "
_DASHES = b"-----"
# RFC 7468 3: label = [ labelchar *( ["-" / SP] labelchar ) ], labelchar = %x21-2C / %x2E-7E.
# Checked as what a label may not hold (no repetition of a group: ``re`` keeps
# state per repetition, over 100 octets per octet of a long label).
_NOT_LABEL = re.compile(rb"[^\x20-\x7e]|[- ][- ]")
_END = re.compile(rb"-----END ([^\r\n]*?)-----")
_B64 = re.compile(rb"[A-Za-z0-9+/]*={0,2}")
_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
# A line: leading whitespace, the rest up to the end of the line, the end of the line.
_LINE = re.compile(rb"[ \t]*([^\r\n]*)(?:\r\n|\r|\n|$)")
# Octets no text file holds: the C0 controls but RFC 7468's whitespace W
# (HTAB, LF, VTAB, FF, CR), and DEL.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-32's little-endian BOM starts like UTF-16's
#: Characters of a label shown in an error message.
_LABEL_SHOWN = 64


def first_binary(data: bytes) -> int:
    """Return the offset of the first octet no text file holds in ``data``; -1 if there is none."""
    found = _BINARY.search(data)
    return -1 if found is None else found.start()


def is_text(data: bytes) -> bool:
    """Return whether ``data`` could be a text file: no C0 control but HT, LF, VT, FF, CR; no DEL.

    Every DER request holds some (its version is an INTEGER, tag 0x02), so
    no request in DER passes for text.
    """
    return _BINARY.search(data) is None


def check_text(data: bytes) -> None:
    """Return None if ``data`` is text; raise DecodeError (kind ``pem``) if it is not.

    The error is at the offset of the first binary octet and says that the
    data is not text (and that it may be UTF-16 or UTF-32 when it starts with
    a byte order mark of theirs).
    """
    pos = first_binary(data)
    if pos >= 0:
        hint = "; UTF-16 or UTF-32 text? PEM is ASCII" if data[:2] in _UTF16_BOMS else ""
        raise DecodeError("pem", pos, f"the data is not text: octet {data[pos]:#04x}{hint}")


def detect_format(data: bytes) -> str:
    """Return ``"der"`` or ``"pem"``: how ``data`` must be read, judged from its shape alone.

    PEM when the data is text (RFC 7468: optional explanatory text and
    whitespace, then ``-----BEGIN``).  Binary data is DER when it starts as
    DER does, with a SEQUENCE tag (0x30); other binary data is PEM too, so
    that the PEM reader says where it stops being text (a PEM file with
    trailing NULs, in UTF-16...): neither reader accepts it.  A DER request
    is never text (see the module docstring), and the data is never searched
    for a ``-----BEGIN`` inside it: a DER request carrying PEM text in one of
    its values (a polyglot) is the DER request.
    """
    if is_text(data) or data[:1] != b"\x30":
        return "pem"
    return "der"


def label_text(label: bytes | str) -> str:
    """Return a PEM label for an error message: at most its first 64 characters, then "..."."""
    text = label.decode("ascii", "replace") if isinstance(label, bytes) else label
    return text if len(text) <= _LABEL_SHOWN else text[:_LABEL_SHOWN] + "..."


def iter_pem_blocks(
    data: bytes, labels: Collection[str] | None = None
) -> Iterator[tuple[str, bytes | None]]:
    """Yield ``(label, contents)`` for each PEM block of ``data``, in order.

    Only blocks whose label is in ``labels`` (all, when None) are decoded;
    the others come with ``None``.  Raises DecodeError (kind ``pem``) when it
    reaches a block without a matching END line, or a decoded block with
    text after its BEGIN line, headers, bad base64 or bad padding.  The data
    is scanned once, from the start: each block's search starts at the end
    of the previous one.
    """
    pos = 0
    while True:
        found = _find_begin(data, pos)
        if found is None:
            return
        begin, label_end = found
        raw_label = data[begin + len(_BEGIN):label_end]
        label = raw_label.decode("ascii")
        end = _END.search(data, label_end + len(_DASHES))
        if end is None:
            raise DecodeError("pem", begin, f"no END line for {label_text(label)!r}")
        if end.group(1) != raw_label:
            raise DecodeError("pem", end.start(), f"END label {label_text(end.group(1))!r} "
                                                  f"does not match {label_text(label)!r}")
        if labels is None or label in labels:
            yield label, _decode_body(data, label_end + len(_DASHES), end.start())
        else:
            yield label, None
        pos = end.end()


def _find_begin(data: bytes, pos: int) -> tuple[int, int] | None:
    """Return the offsets of the next BEGIN line at or after ``pos`` and of its label's end.

    A BEGIN line is ``-----BEGIN``, a space, a label (RFC 7468 3) and
    ``-----``; None when there is no more.  A label holds no ``--``, so the
    first ``-----`` after the space ends it.  A candidate that is not a BEGIN
    line was scanned up to that ``-----`` at most, which is where the next
    candidate begins at the latest: the data is scanned about once.
    """
    while True:
        begin = data.find(_BEGIN, pos)
        if begin < 0:
            return None
        start = begin + len(_BEGIN)
        stop = data.find(_DASHES, start)
        if stop < 0:
            return None
        if stop == start or (data[start] not in b"- " and data[stop - 1] not in b"- "
                             and _NOT_LABEL.search(data, start, stop) is None):
            return begin, stop
        pos = begin + 1


def pem_blocks(
    data: bytes, labels: Collection[str] | None = None
) -> list[tuple[str, bytes | None]]:
    """Return ``(label, contents)`` for every PEM block in ``data``; [] if there is none.

    Only blocks whose label is in ``labels`` (all, when None) are decoded;
    the others come with ``None``.  Raises DecodeError (kind ``pem``) for a
    block without a matching END line, and for a decoded block with text
    after its BEGIN line, headers, bad base64 or bad padding.  The data is
    not required to be text (see :func:`check_text` for callers that must
    not read PEM out of binary data).
    """
    return list(iter_pem_blocks(data, labels))


def _decode_body(data: bytes, start: int, stop: int) -> bytes:
    """Return the octets of the base64 in ``data[start:stop]`` (after a BEGIN line, to its END).

    Raises DecodeError (kind ``pem``) at the offending offset for text after
    the BEGIN line, headers, a character outside base64, bad padding or
    non-canonical base64.
    """
    body = bytearray()
    lines = _LINE.finditer(data, start, stop)
    rest = next(lines)  # the rest of the BEGIN line: nothing but whitespace
    if rest.group(1).strip(b" \t"):
        raise DecodeError("pem", rest.start(1), "text after the BEGIN line")
    for match in lines:
        # Leading whitespace is outside the group; rstrip returns the very
        # object when there is nothing to strip: one copy per line at most.
        text = match.group(1).rstrip(b" \t")
        if not text:
            continue
        offset = match.start(1)
        if b":" in text:
            raise DecodeError("pem", offset, "encapsulated headers (an encrypted block?)")
        if _B64.fullmatch(text) is None:
            bad = next((i for i, ch in enumerate(text) if ch not in _ALPHABET), None)
            if bad is None:
                raise DecodeError("pem", offset, "bad base64 padding")
            raise DecodeError("pem", offset + bad, "character outside base64")
        body += text
    # Padding only at the very end, one or two "=", completing a 4-character quantum.
    pad = body.find(b"=")
    tail = len(body) - pad if pad >= 0 else 0
    if len(body) % 4 or tail > 2 or (tail == 2 and body[-1] != 0x3D):
        raise DecodeError("pem", start, "bad base64 padding")
    try:
        # The alphabet and the padding are checked: nothing is discarded.
        out = binascii.a2b_base64(body)
    except binascii.Error as exc:
        raise DecodeError("pem", start, f"bad base64: {exc}") from None
    # Non-zero bits after the last full octet: the text is not canonical.
    # Only the last quantum can carry them: full quanta map one to one.
    if tail and base64.b64encode(out[-(3 - tail):]) != body[-4:]:
        raise DecodeError("pem", start, "non-canonical base64")
    return out


def encode_pem(label: str, der: bytes) -> str:
    """Return ``der`` as a PEM block with 64-character lines (RFC 7468 section 2)."""
    text = binascii.b2a_base64(der, newline=False).decode("ascii")
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"
