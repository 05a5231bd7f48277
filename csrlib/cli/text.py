"""Text for the terminal: whatever a request or a file name holds, shown as inert text.

A request is hostile input, and its strings (names, SANs, attribute values)
may hold anything UTF-8 or BMPString can carry: newlines that forge lines
of output, escape sequences that hide them (``ESC [8m``), bidirectional
overrides that reorder them.  The command line passes every line it prints
through :func:`escape` and every JSON document through :func:`json_text`.

What is escaped: every character :meth:`str.isprintable` calls
non-printable, that is the Unicode categories Cc (controls, C1 included),
Cf (format: bidi embeddings and overrides U+202A..U+202E and isolates
U+2066..U+2069, zero-width characters, the soft hyphen), Cs (lone
surrogates, which file names read with ``surrogateescape`` carry), Co
(private use), Cn (unassigned), Zl, Zp, and the spaces of Zs other than
U+0020.  Printable non-ASCII (é, ß, 中) is kept as it is.

How: ``\\n``, ``\\r`` and ``\\t`` for those three, otherwise ``\\xNN``,
``\\uNNNN`` or ``\\UNNNNNNNN`` (Python's notation, by code point).  A
backslash is doubled only where it would otherwise read as the start of an
escape: before ``\\``, ``n``, ``r``, ``t``, ``x``, ``u``, ``U`` or an escape.
Every other backslash stays single, so RFC 4514 names keep their own
escapes readable (``O=Example\\, Inc`` prints as it is).  The result reads
back unambiguously (left to right: ``\\\\`` is a backslash, a backslash
and one of ``nrtxuU`` an escape, any other backslash itself), so different
strings always print differently.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

__all__ = ["escape", "json_line", "json_text", "print_line"]

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# The characters after a backslash that make it an escape.
_ESCAPE_LETTERS = frozenset("\\nrtxuU")


def _code(char: str) -> str:
    short = _SHORT.get(char)
    if short is not None:
        return short
    point = ord(char)
    if point < 0x100:
        return f"\\x{point:02x}"
    if point < 0x10000:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


def escape(text: str) -> str:
    """Return ``text`` with every non-printable character escaped (see the module docstring).

    The result is made of printable characters only (no newline, no control,
    format, private-use, unassigned or surrogate code point), and the mapping
    is injective.
    """
    if text.isprintable() and "\\" not in text:
        return text
    pieces = [char if char.isprintable() else _code(char) for char in text]
    for i, char in enumerate(text):
        if char == "\\":
            following = pieces[i + 1][:1] if i + 1 < len(pieces) else ""
            if following in _ESCAPE_LETTERS:
                pieces[i] = "\\\\"
    return "".join(pieces)


def _json_code(char: str) -> str:
    point = ord(char)
    if point < 0x10000:
        return f"\\u{point:04x}"
    # JSON escapes a character outside the BMP as its UTF-16 surrogate pair (RFC 8259 7).
    point -= 0x10000
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"


def json_line(value: Any) -> str:
    """Return ``value`` as JSON on one line (JSON Lines), safe to print as :func:`json_text`."""
    return json_text(value, indent=None)


def json_text(value: Any, indent: int | None = 2) -> str:
    """Return ``value`` as indented JSON that is safe to print on a terminal.

    ``json.dumps`` with ``ensure_ascii=False`` keeps printable non-ASCII
    readable but escapes only the C0 controls; every other non-printable
    character (DEL, C1 controls, bidi overrides, zero-width characters,
    lone surrogates...) becomes a ``\\uXXXX`` escape here, which is still
    valid JSON (RFC 8259 7) and decodes to the same string.  Outside strings
    ``json.dumps`` writes only ASCII punctuation, digits, spaces and the
    newlines of the indentation, so no escape lands outside a string.
    """
    out = json.dumps(value, indent=indent, ensure_ascii=False)
    if out.replace("\n", "").isprintable():
        return out
    return "\n".join("".join(char if char.isprintable() else _json_code(char) for char in line)
                     for line in out.split("\n"))


def print_line(text: str, stream: TextIO | None = None, *, escaped: bool = False) -> None:
    """Write ``text`` and a newline to ``stream`` (standard output by default).

    ``text`` goes through :func:`escape` unless ``escaped`` says it is safe
    already (JSON from :func:`json_text`).  On a stream whose encoding
    cannot hold a character (an ASCII-only terminal), that character is
    written as its ``\\x``/``\\u`` escape instead of failing.
    """
    out = sys.stdout if stream is None else stream
    line = (text if escaped else escape(text)) + "\n"
    try:
        out.write(line)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "ascii"
        out.write(line.encode(encoding, "backslashreplace").decode(encoding, "replace"))
