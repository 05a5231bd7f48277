"""UTCTime and GeneralizedTime in their DER forms (X.690 11.7, 11.8)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from ..errors import DecodeError, EncodeError
from .tlv import Context

__all__ = [
    "decode_generalized_time",
    "decode_utc_time",
    "encode_generalized_time",
    "encode_utc_time",
    "parse_time",
]

# X.690 11.8: YYMMDDHHMMSSZ, seconds present, 'Z'.
_UTC = re.compile(rb"[0-9]{12}Z")
# X.690 11.7: seconds present, '.' and a fraction without trailing zeros, 'Z'.
_GENERALIZED = re.compile(rb"[0-9]{14}(?:\.[0-9]*[1-9])?Z")


def _check(raw: bytes, c: int, pattern: re.Pattern[bytes], name: str) -> str:
    if pattern.fullmatch(raw) is None:
        raise DecodeError("bad-time", c, name)
    text = raw.decode("ascii")
    try:
        parse_time(text)
    except ValueError:
        raise DecodeError("bad-time", c, f"{name} out of range") from None
    return text


def decode_utc_time(buf: bytes, c: int, e: int, ctx: Context) -> str:
    """Return the text of a DER UTCTime after checking its form and calendar."""
    return _check(buf[c:e], c, _UTC, "UTCTime")


def decode_generalized_time(buf: bytes, c: int, e: int, ctx: Context) -> str:
    """Return the text of a DER GeneralizedTime after checking its form and calendar."""
    return _check(buf[c:e], c, _GENERALIZED, "GeneralizedTime")


def parse_time(text: str) -> datetime:
    """Return a DER UTCTime or GeneralizedTime text as an aware UTC datetime.

    UTCTime years 50..99 are 1950..1999 (RFC 5280 4.1.2.5.1).  Fractions
    beyond microseconds are truncated.  Raises ValueError if out of range.
    """
    if len(text) == 13:
        yy = int(text[:2])
        year = 1900 + yy if yy >= 50 else 2000 + yy
        rest = text[2:]
    else:
        year = int(text[:4])
        rest = text[4:]
    micro = 0
    if "." in rest:
        rest, frac = rest[:-1].split(".")
        micro = int(frac[:6].ljust(6, "0"))
        rest += "Z"
    return datetime(year, int(rest[0:2]), int(rest[2:4]), int(rest[4:6]), int(rest[6:8]),
                    int(rest[8:10]), micro, tzinfo=timezone.utc)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise EncodeError("time must be timezone-aware")
    return value.astimezone(timezone.utc)


def encode_utc_time(value: datetime) -> bytes:
    """Return UTCTime contents for ``value`` (years 1950..2049; seconds precision)."""
    value = _utc(value)
    if not 1950 <= value.year <= 2049:
        raise EncodeError("UTCTime holds years 1950..2049 only")
    return value.strftime("%y%m%d%H%M%SZ").encode("ascii")


def encode_generalized_time(value: datetime) -> bytes:
    """Return GeneralizedTime contents for ``value``, fraction without trailing zeros."""
    value = _utc(value)
    text = f"{value.year:04d}" + value.strftime("%m%d%H%M%S")
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    return (text + "Z").encode("ascii")
