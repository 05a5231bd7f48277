"""Test helpers: deep comparison of pyasn1 objects, small schemas."""

from __future__ import annotations

from typing import Any

from pyasn1.type import namedtype, univ
from pyasn1.type.base import noValue


def assert_same_pyasn1(ours: Any, theirs: Any, path: str = "$") -> None:
    """Assert two pyasn1 objects have the same class and the same instance state."""
    if ours is noValue or theirs is noValue:
        assert ours is theirs, f"{path}: {ours!r} vs {theirs!r}"
        return
    assert type(ours) is type(theirs), f"{path}: {type(ours)} vs {type(theirs)}"
    mine, other = vars(ours), vars(theirs)
    assert mine.keys() == other.keys(), f"{path}: {sorted(mine)} vs {sorted(other)}"
    for key, a in mine.items():
        b = other[key]
        where = f"{path}.{key}"
        if a is b:
            continue
        if key == "_componentValues":
            if isinstance(a, dict):
                assert isinstance(b, dict) and sorted(a) == sorted(b), where
                for idx in a:
                    assert_same_pyasn1(a[idx], b[idx], f"{where}[{idx}]")
            elif a is noValue:
                assert b is noValue, where
            else:
                assert isinstance(b, list) and len(a) == len(b), f"{where}: {a!r} vs {b!r}"
                for idx, (x, y) in enumerate(zip(a, b, strict=True)):
                    assert_same_pyasn1(x, y, f"{where}[{idx}]")
        elif key == "_dynamicNames":
            assert type(a) is type(b), where
            if not isinstance(a, int):
                assert list(a) == list(b), where
        elif key == "_value":
            assert type(a) is type(b), f"{where}: {type(a)} vs {type(b)}"
            assert a == b, f"{where}: {a!r} vs {b!r}"
            if isinstance(a, univ.SizedInteger):
                assert len(a) == len(b), where
        else:
            assert a == b, f"{where}: {a!r} vs {b!r}"


def holder(component: Any, name: str = "value") -> univ.Sequence:
    """Return a SEQUENCE schema with one component, for testing a type under a path."""
    return univ.Sequence(
        componentType=namedtype.NamedTypes(namedtype.NamedType(name, component)))


def tlv(tag: int, content: bytes) -> bytes:
    """Return a DER element with a one-octet tag (test inputs)."""
    n = len(content)
    if n < 0x80:
        return bytes((tag, n)) + content
    k = (n.bit_length() + 7) // 8
    return bytes((tag, 0x80 | k)) + n.to_bytes(k, "big") + content
