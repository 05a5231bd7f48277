"""Parsers for the two text forms of names: RFC 4514 and OpenSSL's slash form.

Each returns the RDNs as tuples of attributes, in DER order (most
significant first); :class:`csrlib.Name` builds the name of them.
"""

from __future__ import annotations

from ..der.tlv import read_header
from ..errors import BuildError, DecodeError
from .name_attributes import NameAttribute, _check_text, _oid_for, _shown, read_attribute_value
from .reading import Source

__all__ = ["parse_openssl", "parse_rfc4514"]

_HEX = "0123456789abcdefABCDEF"
_SPECIAL = '\\ #=\"+,;<>'


def parse_rfc4514(text: str) -> list[tuple[NameAttribute, ...]]:
    """Return the RDNs an RFC 4514 string denotes; raise BuildError if malformed.

    RDNs are written most specific first, so their order is reversed into DER
    order.  Spaces after ``,`` and ``+`` and a value's unescaped leading and
    trailing spaces are ignored (a common human habit the RFC does not allow;
    write ``\\ `` for a space that belongs to the value).
    """
    if not text.strip():
        return []
    parsed = [(_attribute(rdn_text),) if "+" not in rdn_text
              else tuple(_attribute(part) for part in _split(rdn_text, "+"))
              for rdn_text in _split(text, ",")]
    return parsed[::-1]


def parse_openssl(text: str) -> list[tuple[NameAttribute, ...]]:
    """Return the RDNs of OpenSSL's ``/type=value/type=value+type=value`` form."""
    if not text.startswith("/"):
        raise BuildError(f"an OpenSSL-style name starts with '/': {_shown(text)}")
    rdns: list[tuple[NameAttribute, ...]] = []
    for rdn_text in _split(text[1:], "/", keep_escapes=True):
        if not rdn_text:
            continue
        attrs = []
        for part in _split(rdn_text, "+", keep_escapes=True):
            key, sep, value = _unescaped_partition(part)
            if not sep or not key:
                raise BuildError(f"expected type=value in {_shown(part)}")
            attrs.append(NameAttribute.from_text(key.strip(), _unescape_slashes(value)))
        rdns.append(tuple(attrs))
    return rdns


def _split(text: str, sep: str, keep_escapes: bool = True) -> list[str]:
    """Split on unescaped ``sep``; escapes stay in the parts for the next stage."""
    if "\\" not in text:
        # Nothing escaped: a plain split (spaces after "," and "+" dropped).
        parts = text.split(sep)
        return parts if sep not in ",+" else [parts[0]] + [p.lstrip(" ") for p in parts[1:]]
    parts = []
    current = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            if i + 1 >= len(text):
                raise BuildError(f"dangling backslash in {_shown(text)}")
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
            i += 1
            while sep in ",+" and i < len(text) and text[i] == " ":
                i += 1
            continue
        current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _unescaped_partition(part: str) -> tuple[str, str, str]:
    if "\\" not in part:
        return part.partition("=")
    i = 0
    while i < len(part):
        if part[i] == "\\":
            i += 2
            continue
        if part[i] == "=":
            return part[:i], "=", part[i + 1 :]
        i += 1
    return part, "", ""


def _attribute(part: str) -> NameAttribute:
    key, sep, value = _unescaped_partition(part)
    if not sep or not key.strip():
        raise BuildError(f"expected type=value in {_shown(part)}")
    key = key.strip()
    value = value.lstrip(" ")
    if value.startswith("#"):
        return _hex_value(key, value[1:].rstrip(" "))
    return NameAttribute.from_text(key, _unescape(value))


def _hex_value(key: str, digits: str) -> NameAttribute:
    """Return the attribute of ``key=#hex``; raise BuildError unless the hex is one DER value.

    RFC 4514 2.4 and 3: ``#`` and the hex of the BER encoding of the value;
    csrlib takes DER only, read as from a request in strict mode: one element,
    nothing after it, its type kept and checked against the attribute type
    (:data:`csrlib.model.name_attributes.VALUE_TAGS`).
    """
    oid = _oid_for(key)
    # RFC 4514 3: hexstring = SHARP 1*hexpair; no spaces, no other characters.
    if not digits or len(digits) % 2 or any(c not in _HEX for c in digits):
        raise BuildError(f"invalid hex value #{_shown(digits)[1:-1]}")
    element = bytes.fromhex(digits)
    try:
        src = Source(element)
        _, _, e = read_header(element, 0, len(element), src.ctx)
        if e != len(element):
            # X.690 8.1.1: one element; RFC 4514 3: the encoding of one value.
            raise DecodeError("trailing-data", e)
        attribute = read_attribute_value(src, oid, 0, e, 1)
    except DecodeError as exc:
        raise BuildError(f"invalid value #{_shown(digits)[1:-1]}: {exc}") from None
    _check_text(oid, attribute.value)
    return attribute


def _unescape(value: str) -> str:
    """Resolve RFC 4514 escapes: ``\\`` + special character, or hex pairs of UTF-8."""
    if "\\" not in value:
        return value.rstrip(" ")
    # Unescaped trailing spaces are dropped; an escaped one stays.
    end = len(value)
    while end > 0 and value[end - 1] == " " and not _escaped_at(value, end - 1):
        end -= 1
    value = value[:end]
    out = bytearray()
    i = 0
    while i < len(value):
        ch = value[i]
        if ch != "\\":
            try:
                out += ch.encode("utf-8")
            except UnicodeEncodeError:
                # A lone surrogate has no UTF-8 form (RFC 3629 3).
                raise BuildError(f"{_shown(value)} holds a lone surrogate") from None
            i += 1
            continue
        nxt = value[i + 1 : i + 3]
        if len(nxt) == 2 and nxt[0] in _HEX and nxt[1] in _HEX:
            out.append(int(nxt, 16))
            i += 3
        elif nxt[:1] in _SPECIAL and nxt[:1]:
            out += nxt[0].encode("ascii")
            i += 2
        else:
            raise BuildError(f"invalid escape in {_shown(value)}")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise BuildError(f"escaped octets are not UTF-8 in {_shown(value)}") from None


def _escaped_at(value: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and value[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _unescape_slashes(value: str) -> str:
    out = []
    i = 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append(value[i + 1])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)
