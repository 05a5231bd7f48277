"""User JSON (policy files, lint profiles, blocklists): nesting bounded before parsing."""

from __future__ import annotations

import pytest

from csrlib.jsontext import MAX_DEPTH, JsonInputError, loads
from csrlib.lint import Blocklist, Profile
from csrlib.lint.blocklist import BlocklistError
from csrlib.lint.profiles import ProfileError


def test_settings_parse() -> None:
    assert loads('{"a": [1, {"b": "[[[["}], "c": "\\"{"}') == {"a": [1, {"b": "[[[["}],
                                                                  "c": '"{'}
    assert loads(b'["x"]') == ["x"]
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) == loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)


@pytest.mark.parametrize("text", ["[" * 100_000, "{\"a\":" * 100_000, "[" * (MAX_DEPTH + 1)])
def test_deep_nesting_is_refused_before_json_recurses(text: str) -> None:
    # json.loads would raise RecursionError on CPython and overflow the
    # WebAssembly stack under Pyodide (a fatal error of the runtime).
    with pytest.raises(JsonInputError, match="nested deeper"):
        loads(text)


@pytest.mark.parametrize("text", ["{", "nope", b"\xff", '{"a": 1,}'])
def test_what_is_not_json_is_one_error(text: str | bytes) -> None:
    with pytest.raises(JsonInputError):
        loads(text)


def test_lint_inputs_use_it() -> None:
    with pytest.raises(ProfileError, match="nested deeper"):
        Profile.from_json("[" * 100_000)
    with pytest.raises(BlocklistError, match="nested deeper"):
        Blocklist.from_text("[" * 100_000)
