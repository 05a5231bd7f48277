"""``@frozen`` (csrlib.frozen) against ``@dataclass(frozen=True, slots=True)``.

Each class body is written once and made by both decorators; every behaviour
the model's classes rely on must come out the same.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

import csrlib
from csrlib import frozen as frozen_module
from csrlib.frozen import frozen

Maker = Callable[..., Any]
needs_subprocess = pytest.mark.skipif(sys.platform in ("emscripten", "wasi"),
                                      reason="needs subprocesses")


class _Decorator:
    """A class decorator and the field specifier that goes with it."""

    def __init__(self, decorate: Maker, field: Callable[..., Any]) -> None:
        self.decorate = decorate
        self.field = field

    def __call__(self, cls: type) -> Any:
        return self.decorate(cls)


def _reference(**options: bool) -> Any:
    return _Decorator(dataclasses.dataclass(frozen=True, slots=True, **options),
                      dataclasses.field)


def _ours(**options: bool) -> Any:
    return _Decorator(frozen(**options) if options else frozen, frozen_module.field)


class Base:
    """A slotted base with a class attribute, as GeneralName and ExtensionValue are."""

    __slots__ = ()
    kind = ""


def _point(make: Maker) -> Any:
    @make
    class Point(Base):
        """A point."""

        oid: ClassVar[str] = "1.2.3"
        x: int
        label: str = "p"
        der: bytes = make.field(default=b"", repr=False, compare=False)
        kind = "point"

        def __post_init__(self) -> None:
            if self.x < 0:
                raise ValueError("negative")

        def norm(self) -> int:
            return abs(self.x)

    return Point


def _both(build: Callable[[Maker], Any], **options: bool) -> tuple[Any, Any]:
    return build(_reference(**options)), build(_ours(**options))


def _field_view(cls: Any) -> list[tuple[Any, ...]]:
    return [(f.name, f.type, f.default, f.init, f.repr, f.compare, f.hash, f.kw_only)
            for f in dataclasses.fields(cls)]


def test_construction_repr_equality_hash_match_the_dataclass() -> None:
    ref, ours = _both(_point)
    for args in [(1,), (2, "q"), (3, "r", b"der"), (0, "p", b"")]:
        a, b = ref(*args), ours(*args)
        assert repr(a) == repr(b)
        assert hash(a) == hash(b)
        assert a.norm() == b.norm()
    assert ours(1, "p", b"x") == ours(1, "p", b"y")  # der: compare=False
    assert ours(1) != ours(2)
    assert ours(1).__eq__(ref(1)) is NotImplemented  # another class: not equal
    assert ours(1) != ref(1)
    assert ours(x=5, label="k") == ours(5, "k")
    with pytest.raises(ValueError, match="negative"):
        ours(-1)
    with pytest.raises(TypeError):
        ours()
    with pytest.raises(TypeError):
        ours(1, "p", b"", 4)


def test_class_shape_matches_the_dataclass() -> None:
    ref, ours = _both(_point)
    assert ours.__slots__ == ref.__slots__ == ("x", "label", "der")
    assert ours.__match_args__ == ref.__match_args__
    assert _field_view(ours) == _field_view(ref)
    assert str(inspect.signature(ours)) == str(inspect.signature(ref))
    assert ours.__init__.__qualname__ == ref.__init__.__qualname__
    assert ours.__repr__.__qualname__ == ref.__repr__.__qualname__
    assert ours.__doc__ == ref.__doc__ == "A point."
    assert ours.oid == "1.2.3" and ours.kind == "point"
    assert not hasattr(ours(1), "__dict__")
    assert dataclasses.is_dataclass(ours) and dataclasses.is_dataclass(ours(1))
    assert dataclasses.asdict(ours(1, "a", b"d")) == dataclasses.asdict(ref(1, "a", b"d"))


def test_the_signature_is_there_before_the_first_instance() -> None:
    ref, ours = _both(_point)
    assert str(inspect.signature(ours)) == str(inspect.signature(ref))
    expected = "(x: 'int', label: 'str' = 'p', der: 'bytes' = b'') -> None"
    assert str(inspect.signature(ours)) == expected
    assert ours(7).x == 7


@pytest.mark.parametrize("name", ["x", "label", "der", "other"])
def test_assignment_and_deletion_raise_frozen_instance_error(name: str) -> None:
    value = _point(_ours())(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, name, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(value, name)
    assert value.x == 1


def test_a_plain_subclass_keeps_its_own_attributes_settable() -> None:
    # As dataclasses does from Python 3.12 (3.11's raises TypeError here).
    for point in [_point(_ours())]:
        sub = type("Sub", (point,), {})
        value = sub(3)
        value.note = "n"
        assert value.note == "n"
        del value.note
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.x = 4


def test_replace_as_copy_replace_calls_it() -> None:
    # copy.replace (Python 3.13+) calls __replace__, which 3.13's dataclasses define.
    ref, ours = _both(_point)
    value = ours(1, "a", b"d")
    assert value.__replace__(label="b") == dataclasses.replace(value, label="b")
    assert repr(value.__replace__(x=2)) == repr(ref(2, "a", b"d"))
    with pytest.raises(TypeError):
        value.__replace__(nonsense=1)
    if sys.version_info >= (3, 13):
        assert copy.replace(value, label="c") == ours(1, "c")  # type: ignore[attr-defined]


def test_replace_pickle_and_copy() -> None:
    ref, ours = _both(_point)
    value = ours(1, "a", b"d")
    changed = dataclasses.replace(value, label="b")
    assert type(changed) is ours and repr(changed) == repr(dataclasses.replace(ref(1, "a", b"d"),
                                                                               label="b"))
    with pytest.raises(ValueError, match="negative"):
        dataclasses.replace(value, x=-1)
    for other in (copy.copy(value), copy.deepcopy(value)):
        assert other == value and other.der == b"d"
    globals()["Point"] = ours  # pickle finds classes by module and qualified name
    ours.__qualname__ = "Point"
    try:
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            again = pickle.loads(pickle.dumps(value, protocol))
            assert again == value and again.der == b"d"
        assert value.__getstate__() == ref(1, "a", b"d").__getstate__()
    finally:
        del globals()["Point"]


def _keyed(make: Maker) -> Any:
    @make
    class Keyed:
        """Equal by identity unless it says otherwise."""

        data: bytes

        def __repr__(self) -> str:
            return "Keyed(...)"

    return Keyed


def test_eq_false_and_an_own_repr_are_kept() -> None:
    ref, ours = _both(_keyed, eq=False, repr=False)
    a, b = ours(b"k"), ours(b"k")
    assert a != b
    assert ours.__eq__ is object.__eq__  # equal by identity only
    assert ours.__hash__ is object.__hash__ is ref.__hash__
    assert repr(a) == repr(ref(b"k")) == "Keyed(...)"
    assert "__eq__" not in ours.__dict__ and "__hash__" not in ours.__dict__


def _own_eq(make: Maker) -> Any:
    @make
    class OwnEq:  # noqa: PLW1641 (the decorator adds __hash__)
        """Defines __eq__ only: the decorator still adds __hash__."""

        a: int
        b: int

        def __eq__(self, other: object) -> bool:
            return isinstance(other, OwnEq.__mro__[0]) and self.a == other.a

    return OwnEq


def test_an_own_eq_is_kept_and_a_hash_added_as_the_dataclass_does() -> None:
    ref, ours = _both(_own_eq)
    assert ours(1, 2) == ours(1, 3)
    assert hash(ours(1, 2)) == hash(ref(1, 2)) == hash((1, 2))


def _family(make: Maker) -> tuple[Any, Any]:
    @make
    class Parent:
        """Parent."""

        a: int
        b: str = "b"

    @make
    class Child(Parent):
        """Child."""

        c: int = 3

    return Parent, Child


def test_fields_are_inherited_from_frozen_bases() -> None:
    (_, ref_child), (parent, child) = _both(_family)
    assert child.__slots__ == ref_child.__slots__ == ("c",)
    assert _field_view(child) == _field_view(ref_child)
    assert repr(child(1)) == repr(ref_child(1))
    assert repr(child(1)).endswith(".Child(a=1, b='b', c=3)")
    assert child(1) != parent(1)
    assert str(inspect.signature(child)) == str(inspect.signature(ref_child))
    assert isinstance(child(1), parent)


def test_a_default_before_a_required_field_is_refused() -> None:
    for make in (_reference(), _ours()):
        with pytest.raises(TypeError, match="non-default argument 'b' follows default"):
            @make
            class Bad:
                a: int = 1
                b: int


def test_init_var_fields_are_refused() -> None:
    with pytest.raises(TypeError, match="InitVar"):
        @frozen
        class Bad:
            a: dataclasses.InitVar[int]


def _docless(make: Maker) -> Any:
    @make
    class Docless:
        a: int
        b: tuple[str, ...] = ("x",)

    return Docless


def test_a_class_without_a_docstring_gets_its_signature_as_the_dataclass_gives() -> None:
    ref, ours = _both(_docless)
    assert ours.__doc__ == ref.__doc__ == "Docless(a: 'int', b: 'tuple[str, ...]' = ('x',))"


@needs_subprocess
def test_import_csrlib_imports_neither_dataclasses_nor_inspect() -> None:
    code = ("import sys, csrlib\n"
            "print(sorted({'dataclasses', 'inspect', 'ast'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_dataclasses_sees_fields_and_params_when_it_asks() -> None:
    ref, ours = _both(_point)
    assert "__dataclass_fields__" in vars(ours)  # made when first read
    assert list(dataclasses.fields(ours)) and isinstance(vars(ours)["__dataclass_fields__"], dict)
    assert repr(ours.__dataclass_params__) == repr(ref.__dataclass_params__)
    subclass = dataclasses.dataclass(frozen=True)(type("Sub", (ours,), {"__annotations__": {}}))
    assert repr(subclass(1)) == "Sub(x=1, label='p')"


def _model_classes() -> list[type]:
    values = [getattr(csrlib, name) for name in csrlib.__all__]
    return sorted({value for value in values
                   if isinstance(value, type) and "__frozen_fields__" in value.__dict__
                   and value.__module__.startswith("csrlib.model.")},
                  key=lambda cls: cls.__name__)


def test_every_model_class_is_a_slotted_frozen_dataclass_to_dataclasses() -> None:
    classes = _model_classes()
    assert len(classes) >= 50
    for cls in classes:
        assert dataclasses.is_dataclass(cls)
        names = [f.name for f in dataclasses.fields(cls)]
        assert names, cls
        slots = [name for base in cls.__mro__ for name in base.__dict__.get("__slots__", ())]
        assert set(names) <= set(slots), cls
        assert list(inspect.signature(cls).parameters) == names, cls


def test_loaded_values_pickle_replace_and_compare() -> None:
    from csrlib import signers

    key = signers.generate("ec:P-256")
    req = csrlib.load(csrlib.create("CN=x", san=["DNS:a.example"], signer=key).der)
    extension = req.extensions.get(csrlib.SubjectAlternativeName)
    assert extension is not None
    san = extension.value
    for value in (req.subject, req.public_key, req.signature_algorithm, extension, san,
                  san.names[0]):
        again = pickle.loads(pickle.dumps(value))
        assert again == value or type(value).__eq__ is object.__eq__
        assert repr(again) == repr(value)
    alg = req.signature_algorithm
    assert dataclasses.replace(alg, der=b"") == alg  # der is not compared


def test_only_init_is_compiled_and_only_when_first_used() -> None:
    compiled: list[str] = []
    original = frozen_module._compile_init

    def counting(cls: type, fields: list[Any]) -> Callable[..., None]:  # the same, counted
        compiled.append(cls.__name__)
        return original(cls, fields)

    frozen_module._compile_init = counting
    try:
        point = _point(_ours())
        assert compiled == []
        point(1)
        point(2)
        assert compiled == ["Point"]
    finally:
        frozen_module._compile_init = original
