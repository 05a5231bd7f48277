"""Character string types: alphabets checked on decode and on encode (X.680 41).

Each string type has a universal tag number, the codec pyasn1 uses for it
and a checker.  Decoders return ``str``; encoders refuse a value outside the
type's alphabet with EncodeError.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import DecodeError, EncodeError
from .tlv import Context

__all__ = [
    "STRING_TYPES",
    "StringType",
    "decode_string",
    "encode_string",
]

Checker = Callable[[bytes, int, int, Context], str]

_DIGITS = b"0123456789"
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# X.680 41.4, Table 10.
_PRINTABLE = _LETTERS + _DIGITS + b" '()+,-./:=?"
_NUMERIC = _DIGITS + b" "
_VISIBLE = bytes(range(0x20, 0x7F))
_HIGH = bytes(range(0x80, 0x100))


def _first_outside(raw: bytes, allowed: bytes) -> int:
    """Return the index of the first octet of ``raw`` not in ``allowed``."""
    for i, b in enumerate(raw):
        if b not in allowed:
            return i
    return -1  # pragma: no cover - only called when one exists


def _printable(buf: bytes, c: int, e: int, ctx: Context) -> str:
    raw = buf[c:e]
    if raw.translate(None, _PRINTABLE):
        # Seen in real requests ('@', '_', '*', '&'): other visible ASCII is
        # tolerated in lenient mode; control characters and non-ASCII never.
        if raw.translate(None, _VISIBLE):
            raise DecodeError("bad-string", c + _first_outside(raw, _VISIBLE), "PrintableString")
        i = _first_outside(raw, _PRINTABLE)
        ctx.deviate("printable-alphabet", c + i, chr(raw[i]))
    return raw.decode("ascii")


def _alphabet(name: str, allowed: bytes) -> Checker:
    def check(buf: bytes, c: int, e: int, ctx: Context) -> str:
        raw = buf[c:e]
        if raw.translate(None, allowed):
            raise DecodeError("bad-string", c + _first_outside(raw, allowed), name)
        return raw.decode("ascii")

    return check


def _ia5(buf: bytes, c: int, e: int, ctx: Context) -> str:
    raw = buf[c:e]
    if not raw.isascii():
        raise DecodeError("bad-string", c + _first_outside(raw, bytes(range(128))), "IA5String")
    return raw.decode("ascii")


def _teletex(buf: bytes, c: int, e: int, ctx: Context) -> str:
    raw = buf[c:e]
    # Strict mode admits the printable ASCII subset of T.61; Latin-1 or UTF-8
    # octets (seen from old generators) are a tolerated deviation, control
    # characters are not.
    if raw.translate(None, _VISIBLE):
        control = raw.translate(None, _VISIBLE + _HIGH)
        if control:
            raise DecodeError("bad-string", c + _first_outside(raw, _VISIBLE + _HIGH),
                              "TeletexString control character")
        ctx.deviate("teletex-non-ascii", c + _first_outside(raw, _VISIBLE))
        # Read as those generators meant it: UTF-8 when it is, else Latin-1.
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("latin-1")
    return raw.decode("ascii")


#: Strings longer than this are decoded from a view of the input, not a copy.
_VIEWED = 1 << 12


def _codec(name: str, codec: str, unit: int) -> Checker:
    def check(buf: bytes, c: int, e: int, ctx: Context) -> str:
        if (e - c) % unit:
            raise DecodeError("bad-string", c, f"{name} length not a multiple of {unit}")
        try:
            if e - c > _VIEWED:
                with memoryview(buf) as view:
                    return str(view[c:e], codec)
            return buf[c:e].decode(codec)
        except UnicodeDecodeError as exc:
            raise DecodeError("bad-string", c + exc.start, name) from None

    return check


def _latin1(buf: bytes, c: int, e: int, ctx: Context) -> str:
    return buf[c:e].decode("latin-1")


class StringType:
    """A character string type: its tag number, codec and checker.

    ``check(buf, start, end, ctx)`` returns the string in ``buf[start:end]``
    or raises DecodeError.
    """

    __slots__ = ("check", "codec", "name", "number")

    def __init__(self, name: str, number: int, codec: str, check: Checker) -> None:
        self.name = name
        self.number = number
        self.codec = codec
        self.check = check


#: String types by universal tag number.  Types without an alphabet rule in
#: DER (Videotex, Graphic, General, ObjectDescriptor) are read as Latin-1,
#: as pyasn1 does.
STRING_TYPES: dict[int, StringType] = {
    t.number: t
    for t in (
        StringType("UTF8String", 12, "utf-8", _codec("UTF8String", "utf-8", 1)),
        StringType("NumericString", 18, "ascii", _alphabet("NumericString", _NUMERIC)),
        StringType("PrintableString", 19, "ascii", _printable),
        StringType("TeletexString", 20, "latin-1", _teletex),
        StringType("VideotexString", 21, "latin-1", _latin1),
        StringType("IA5String", 22, "ascii", _ia5),
        StringType("GraphicString", 25, "latin-1", _latin1),
        StringType("VisibleString", 26, "ascii", _alphabet("VisibleString", _VISIBLE)),
        StringType("GeneralString", 27, "latin-1", _latin1),
        StringType("UniversalString", 28, "utf-32-be", _codec("UniversalString", "utf-32-be", 4)),
        StringType("BMPString", 30, "utf-16-be", _codec("BMPString", "utf-16-be", 2)),
        StringType("ObjectDescriptor", 7, "latin-1", _latin1),
    )
}


def decode_string(number: int, buf: bytes, c: int, e: int, ctx: Context) -> str:
    """Return the string of universal type ``number`` in ``buf[c:e]``, checked."""
    return STRING_TYPES[number].check(buf, c, e, ctx)


def encode_string(number: int, value: str) -> bytes:
    """Return the contents octets of ``value`` as string type ``number``.

    Raises EncodeError when ``value`` is outside the type's alphabet.
    """
    stype = STRING_TYPES[number]
    try:
        raw = value.encode(stype.codec)
    except UnicodeEncodeError as exc:
        raise EncodeError(f"{stype.name} cannot hold {value[exc.start]!r}") from None
    try:
        # The decoder's checks are the alphabet rules; a strict context makes
        # every deviation an error.
        stype.check(raw, 0, len(raw), _STRICT)
    except DecodeError as exc:
        raise EncodeError(f"{stype.name} cannot hold {value!r}: {exc}") from None
    return raw


_STRICT = Context()
