"""Schema-less canonical DER: the deviations lenient mode tolerates, written as DER.

``canonical_der(data)`` re-writes elements that lenient reading accepted so
that each is encoded as DER encodes its value, without a schema: lengths in
the fewest octets (X.690 10.1), INTEGER and ENUMERATED contents in the
fewest octets (8.3.2), BOOLEAN TRUE as 0xFF (11.1), and the elements of a
universal SET in ascending order of their encodings (11.6; for a SET whose
elements have distinct tags that is also the canonical tag order of 10.3).
OCTET STRING and BIT STRING contents are not opened, and rules that need
the schema (a DEFAULT value left out, 11.5; a named bit list without
trailing zero bits, 11.2.2) are the typed model's to apply.
"""

from __future__ import annotations

from ..errors import DecodeError
from .tlv import (
    CONSTRUCTED,
    DEFAULT_LIMITS,
    Context,
    Limits,
    encode_length,
    encode_tag,
    read_header,
)

__all__ = ["canonical_der"]

_SET = 0x31
_BOOLEAN = 0x01
_INTEGERS = (0x02, 0x0A)


def _minimal_integer(content: bytes) -> bytes:
    # X.690 8.3.2: the first nine bits are neither all ones nor all zeros.
    i = 0
    while i + 1 < len(content) and (
            (content[i] == 0x00 and content[i + 1] < 0x80)
            or (content[i] == 0xFF and content[i + 1] >= 0x80)):
        i += 1
    return content[i:]


def canonical_der(data: bytes, limits: Limits | None = None) -> bytes:
    """Return the elements ``data`` holds, each re-encoded in its canonical DER form.

    ``data`` is a run of elements as lenient reading accepts them (it is
    read again here, leniently); raises DecodeError if it is not one.  The
    walk keeps its own stack, so deep nesting costs no interpreter frames.
    """
    ctx = Context(limits or DEFAULT_LIMITS, strict=False)
    # Frames: identifier octets (None for the top), next position, end,
    # the encoded children so far, whether they are a SET's.
    frames: list[tuple[bytes | None, list[int], int, list[bytes], bool]] = [
        (None, [0], len(data), [], False)]
    while True:
        ident, pos, end, parts, is_set = frames[-1]
        if pos[0] >= end:
            frames.pop()
            content = b"".join(sorted(parts) if is_set else parts)
            if ident is None:
                return content
            frames[-1][3].append(ident + encode_length(len(content)) + content)
            continue
        key, c, e = read_header(data, pos[0], end, ctx)
        pos[0] = e
        if key & CONSTRUCTED:
            if len(frames) > ctx.limits.max_depth:
                raise DecodeError("depth-limit", c)
            frames.append((encode_tag(key), [c], e, [], key == _SET))
            continue
        content = data[c:e]
        if key in _INTEGERS:
            content = _minimal_integer(content)
        elif key == _BOOLEAN and content not in (b"\x00", b"\xff"):
            content = b"\xff"
        parts.append(encode_tag(key) + encode_length(len(content)) + content)
