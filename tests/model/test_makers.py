"""csrlib.model.reading.maker: objects built at load are the objects the constructors build."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass
from typing import Any

import pytest

import csrlib
from csrlib.model.reading import maker


@dataclass(frozen=True, slots=True)
class _Pair:
    left: int
    right: str

    def __post_init__(self) -> None:
        raise AssertionError("a maker skips __post_init__")


@dataclass(frozen=True, slots=True)
class _Triple:
    a: int
    b: int
    c: bytes


@dataclass(frozen=True, slots=True)
class _Base:
    first: int


@dataclass(frozen=True, slots=True)
class _Derived(_Base):
    second: int


def _constructed(obj: Any) -> Any:
    """Return ``obj`` built again through ``__init__`` (checks skipped: a plain copy)."""
    cls = type(obj)
    values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(cls) if f.init}
    copy = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(copy, name, value)
    return copy


def test_a_made_object_is_of_its_class_frozen_and_equal() -> None:
    pair = maker(_Pair)(1, "a")  # two fields: set through the descriptors
    assert type(pair) is _Pair and (pair.left, pair.right) == (1, "a")
    assert pair == _constructed(pair) and hash(pair) == hash(_constructed(pair))
    assert repr(pair) == "_Pair(left=1, right='a')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        pair.left = 2  # type: ignore[misc]
    assert not hasattr(pair, "__dict__")
    assert pickle.loads(pickle.dumps(pair)) == pair


def test_an_object_of_many_fields_is_made_through_a_twin_class() -> None:
    triple = maker(_Triple)(1, 2, b"c")
    assert type(triple) is _Triple and triple == _Triple(1, 2, b"c")
    with pytest.raises(dataclasses.FrozenInstanceError):
        triple.a = 2  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(triple)) == triple
    assert not hasattr(triple, "__dict__")


def test_inherited_fields_are_set_too() -> None:
    # _Base defines __setattr__ (frozen): the maker falls back to the slots'
    # descriptors, with the same result.
    derived = maker(_Derived)(1, 2)
    assert type(derived) is _Derived and (derived.first, derived.second) == (1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        derived.first = 3  # type: ignore[misc]


def _model_objects(value: Any, seen: set[int]) -> list[Any]:
    if id(value) in seen or isinstance(value, str | bytes | int | bool | type(None)):
        return []
    seen.add(id(value))
    if dataclasses.is_dataclass(value):
        found = [value]
        for f in dataclasses.fields(value):
            found += _model_objects(getattr(value, f.name), seen)
        return found
    if isinstance(value, tuple | list):
        return [o for item in value for o in _model_objects(item, seen)]
    if hasattr(type(value), "__iter__") and hasattr(type(value), "__len__"):
        return [o for item in value for o in _model_objects(item, seen)]
    return []


def test_a_loaded_request_is_made_of_ordinary_objects(all_csrs: dict[str, bytes]) -> None:
    kinds = set()
    for der in all_csrs.values():
        req = csrlib.load(der)
        objects = _model_objects(req, set())
        assert req in objects
        for obj in objects:
            kinds.add(type(obj).__name__)
            assert not type(obj).__name__.endswith("Twin")
            assert obj == _constructed(obj), obj
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(obj, dataclasses.fields(obj)[0].name, None)
        assert pickle.loads(pickle.dumps(req)) == req
    assert {"CertificateRequest", "Name", "RelativeDistinguishedName", "NameAttribute",
            "SignatureAlgorithm", "Extension"} <= kinds
