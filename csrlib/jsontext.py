"""Small JSON documents from users (policy files, lint profiles, blocklists), read safely.

``json.loads`` recurses once per nested array or object: deep enough input
ends in ``RecursionError`` on CPython and, under Pyodide, overflows the
WebAssembly stack before Python can raise anything (a fatal error of the
runtime).  :func:`loads` measures the nesting first, outside strings, and
refuses more than a document of settings needs.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_DEPTH", "JsonInputError", "loads"]

#: Nesting csrlib's JSON inputs never exceed (an object of lists or objects).
MAX_DEPTH = 16


class JsonInputError(ValueError):
    """The text is not JSON, or nests deeper than :data:`MAX_DEPTH`."""


def loads(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Return the JSON value of ``text``; raise JsonInputError if it is not JSON or too deep."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise JsonInputError("not UTF-8 text") from None
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                raise JsonInputError(f"nested deeper than {max_depth} levels")
        elif char in "]}":
            depth -= 1
    try:
        return json.loads(text)
    except ValueError as exc:  # JSONDecodeError
        raise JsonInputError(str(exc)) from None
