"""``@frozen``: csrlib's value classes, made as ``@dataclass(frozen=True, slots=True)``
makes them, at a fraction of the import cost.

``dataclasses`` compiles six methods from source for every frozen class
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``,
``__delattr__``), and importing it imports ``inspect`` (with ``ast``,
``dis`` and ``tokenize``): together most of what ``import csrlib`` cost.
Here only ``__init__`` is compiled (it runs on every construction, so it
stays straight-line code that sets each slot), and not before the class is
first used; the other methods are closures over the class's field names
(``operator.attrgetter`` reads the fields as a tuple in C); ``dataclasses``
is imported only when something asks for what it defines.

What the classes keep of a dataclass: the same ``__init__`` signature
(defaults, annotations) and ``__post_init__`` call; ``__repr__``
(``Name(field=value, ...)``, ``repr=False`` fields left out); ``__eq__``
(same class, fields with ``compare=True``) and ``__hash__`` (the hash of the
compared fields' tuple) unless the class defines its own or asks
``eq=False``; ``dataclasses.FrozenInstanceError`` on assignment or deletion;
``__slots__`` (a new class is made, as ``slots=True`` does); pickling and
copying; ``__match_args__``; and ``__dataclass_fields__`` (of
``dataclasses.Field`` objects, made when first read) and
``__dataclass_params__``, so ``dataclasses.fields``, ``replace``,
``asdict`` and ``is_dataclass`` work on them, and ``__replace__`` (for
``copy.replace``, as Python 3.13's dataclasses).  Fields come from the
class's annotations (``ClassVar`` ones excluded) and those of ``@frozen``
bases; a default is a plain value or :func:`field` (``default``, ``repr``,
``compare``, ``hash``).  No recursion guard in ``__repr__``: a frozen value
cannot contain itself.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload

__all__ = ["field", "field_names", "frozen"]

T = TypeVar("T")


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """What :func:`field` says of one field (and, once named, the field itself)."""

    __slots__ = ("compare", "default", "hash", "name", "repr", "type")

    def __init__(self, default: object, repr: bool, compare: bool, hash: bool | None) -> None:
        self.default = default
        self.repr = repr
        self.compare = compare
        self.hash = hash
        self.name = ""
        self.type: object = None


if TYPE_CHECKING:
    @overload
    def field(*, default: T, repr: bool = True, compare: bool = True,
              hash: bool | None = None) -> T: ...

    @overload
    def field(*, repr: bool = True, compare: bool = True, hash: bool | None = None) -> Any: ...


def field(*, default: Any = MISSING, repr: bool = True, compare: bool = True,
          hash: bool | None = None) -> Any:
    """Describe a field of a ``@frozen`` class, as ``dataclasses.field`` does."""
    return Field(default, repr, compare, hash)


def _is_class_var(annotation: object) -> bool:
    if isinstance(annotation, str):
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return getattr(annotation, "__origin__", annotation) is ClassVar


def _fields(cls: type) -> dict[str, Field]:
    """Return the fields of ``cls``: its ``@frozen`` bases' first, then its own."""
    fields: dict[str, Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        fields.update(base.__dict__.get("__frozen_fields__", {}))
    for name, annotation in cls.__annotations__.items():
        if _is_class_var(annotation):
            continue
        if str(annotation).startswith(("InitVar", "dataclasses.InitVar")):
            raise TypeError(f"@frozen does not take InitVar fields ({name})")
        default = cls.__dict__.get(name, MISSING)
        spec = default if isinstance(default, Field) else Field(default, True, True, None)
        spec.name = name
        spec.type = annotation
        fields[name] = spec
    return fields


def field_names(cls: type) -> tuple[str, ...]:
    """Return the names of the fields of a ``@frozen`` class (or a dataclass), in order."""
    fields = cls.__dict__.get("__frozen_fields__")
    if fields is None:
        import dataclasses

        return tuple(f.name for f in dataclasses.fields(cls))
    return tuple(fields)


class _Owner:
    """The class ``@frozen`` makes, once made: its methods are made before it."""

    __slots__ = ("cls",)

    def __init__(self) -> None:
        self.cls: Any = None


class _FirstUseInit:
    """A class's ``__init__`` until first used: any access (a call, ``inspect.signature``,
    ``help``) compiles the real one, puts it on the class and returns it."""

    __slots__ = ("owner",)

    def __init__(self, owner: _Owner) -> None:
        self.owner = owner

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        cls = self.owner.cls
        init = _compile_init(cls, list(cls.__dict__["__frozen_fields__"].values()))
        cls.__init__ = init
        return init.__get__(obj, owner)


class _DataclassFields:
    """``__dataclass_fields__`` until first read: then ``dataclasses.Field`` objects,
    so that ``dataclasses.fields``, ``replace`` and ``asdict`` work."""

    __slots__ = ("owner",)

    def __init__(self, owner: _Owner) -> None:
        self.owner = owner

    def __get__(self, obj: object, owner: type | None = None) -> dict[str, Any]:
        import dataclasses

        cls = self.owner.cls
        made: dict[str, Any] = {}
        for name, spec in cls.__dict__["__frozen_fields__"].items():
            default = dataclasses.MISSING if spec.default is MISSING else spec.default
            real: Any = dataclasses.field(default=default, repr=spec.repr,
                                          compare=spec.compare, hash=spec.hash)
            real.name = name
            real.type = spec.type
            real.kw_only = False
            # What fields() selects (dataclasses marks its fields so, in every version).
            real._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
            made[name] = real
        cls.__dataclass_fields__ = made
        return made


class _DataclassParams:
    """``__dataclass_params__`` until first read: those of a dataclass made with
    the same parameters (``dataclasses`` reads them when a dataclass subclasses)."""

    __slots__ = ("eq", "owner", "repr")

    def __init__(self, owner: _Owner, eq: bool, with_repr: bool) -> None:
        self.owner = owner
        self.eq = eq
        self.repr = with_repr

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        import dataclasses

        model: Any = dataclasses.dataclass(frozen=True, slots=True, eq=self.eq, repr=self.repr)(
            type("Model", (), {}))
        params = model.__dataclass_params__
        self.owner.cls.__dataclass_params__ = params
        return params


def _compile_init(cls: type, fields: list[Field]) -> Callable[..., None]:
    scope: dict[str, Any] = {}
    params = []
    body = []
    for i, f in enumerate(fields):
        scope[f"_set{i}"] = getattr(cls, f.name).__set__  # the slot's descriptor
        if f.default is not MISSING:
            scope[f"_default{i}"] = f.default
            params.append(f"{f.name}=_default{i}")
        else:
            params.append(f.name)
        body.append(f"    _set{i}(self, {f.name})\n")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()\n")
    source = f"def __init__(self, {', '.join(params)}):\n{''.join(body) or '    pass'}\n"
    exec(compile(source, f"<csrlib __init__ of {cls.__qualname__}>", "exec"), scope)
    init: Callable[..., None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {f.name: f.type for f in fields}
    init.__annotations__["return"] = None
    return init


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """Return ``get(obj) -> (obj.name0, obj.name1, ...)``."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _replace(self: Any, /, **changes: Any) -> Any:
    """Return a copy with ``changes`` (``copy.replace``, Python 3.13+, as a dataclass's)."""
    import dataclasses

    return dataclasses.replace(self, **changes)


def _frozen_error(action: str, name: str) -> AttributeError:
    from dataclasses import FrozenInstanceError

    return FrozenInstanceError(f"cannot {action} field {name!r}")


def _frozen_methods(owner: _Owner, names: frozenset[str]) -> dict[str, Any]:
    def __setattr__(self: Any, name: str, value: object) -> None:
        cls = owner.cls
        if type(self) is cls or name in names:
            raise _frozen_error("assign to", name)
        super(cls, cls).__setattr__(self, name, value)  # a subclass's own attribute

    def __delattr__(self: Any, name: str) -> None:
        cls = owner.cls
        if type(self) is cls or name in names:
            raise _frozen_error("delete", name)
        super(cls, cls).__delattr__(self, name)

    return {"__setattr__": __setattr__, "__delattr__": __delattr__}


def _state_methods(all_names: list[str]) -> dict[str, Any]:
    get_all = _getter(all_names)

    def __getstate__(self: Any) -> list[Any]:
        return list(get_all(self))

    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(all_names, state, strict=False):
            object.__setattr__(self, name, value)

    return {"__getstate__": __getstate__, "__setstate__": __setstate__}


def _repr_method(shown: list[str]) -> Callable[[Any], str]:
    get_shown = _getter(shown)
    labels = [f"{name}=" for name in shown]

    def __repr__(self: Any) -> str:
        values = ", ".join([label + repr(value)
                            for label, value in zip(labels, get_shown(self), strict=True)])
        return f"{self.__class__.__qualname__}({values})"

    return __repr__


def _eq_method(compared: list[str]) -> Callable[[Any, object], bool]:
    get_compared = _getter(compared)

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return get_compared(self) == get_compared(other)
        return NotImplemented

    return __eq__


def _hash_method(hashed: list[str]) -> Callable[[Any], int]:
    get_hashed = _getter(hashed)

    def __hash__(self: Any) -> int:
        return hash(get_hashed(self))

    return __hash__


def _methods(owner: _Owner, qualname: str, own: Mapping[str, Any], fields: list[Field], *,
             eq: bool, with_repr: bool) -> dict[str, Any]:
    """Return the methods ``@frozen`` adds to a class (``own``: its body)."""
    methods = _frozen_methods(owner, frozenset(f.name for f in fields))
    state = _state_methods([f.name for f in fields])
    methods.update((name, method) for name, method in state.items() if name not in own)
    if with_repr and "__repr__" not in own:
        methods["__repr__"] = _repr_method([f.name for f in fields if f.repr])
    if eq:
        if "__eq__" not in own:
            methods["__eq__"] = _eq_method([f.name for f in fields if f.compare])
        explicit_hash = own.get("__hash__", MISSING)
        if explicit_hash is MISSING or (explicit_hash is None and "__eq__" in own):
            methods["__hash__"] = _hash_method(
                [f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    for name, method in methods.items():
        method.__qualname__ = f"{qualname}.{name}"
    if "__replace__" not in own:
        methods["__replace__"] = _replace
    methods["__init__"] = _FirstUseInit(owner)
    methods["__dataclass_fields__"] = _DataclassFields(owner)
    methods["__dataclass_params__"] = _DataclassParams(owner, eq, with_repr)
    return methods


def _slot_names(base: type) -> tuple[str, ...]:
    slots = base.__dict__.get("__slots__", ())
    return (slots,) if isinstance(slots, str) else tuple(slots)


def _make(cls: type, *, eq: bool, with_repr: bool) -> type:
    """Return the slotted, frozen remake of ``cls`` with its dataclass methods."""
    own = cls.__dict__
    if "__slots__" in own:
        raise TypeError(f"{cls.__name__} already specifies __slots__")
    fields = _fields(cls)
    defaulted = False
    for f in fields.values():
        if f.default is not MISSING:
            defaulted = True
        elif defaulted:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    inherited = {name for base in cls.__mro__[1:-1] for name in _slot_names(base)}
    namespace = dict(own)
    for name in fields:
        namespace.pop(name, None)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    owner = _Owner()
    namespace.update(_methods(owner, cls.__qualname__, own, list(fields.values()), eq=eq,
                              with_repr=with_repr))
    namespace["__slots__"] = tuple(name for name in fields if name not in inherited)
    namespace["__frozen_fields__"] = fields
    namespace["__match_args__"] = tuple(fields)
    namespace["__qualname__"] = cls.__qualname__
    if namespace.get("__doc__") is None:  # as dataclasses does: the class's signature
        namespace["__doc__"] = f"{cls.__name__}({', '.join(map(_parameter_text, fields.values()))})"
    made = owner.cls = type(cls)(cls.__name__, cls.__bases__, namespace)
    abc.update_abstractmethods(made)
    return made


def _parameter_text(f: Field) -> str:
    """Return ``name: annotation = default`` as ``inspect.signature`` writes it."""
    annotation = f.type
    if isinstance(annotation, type):
        text = (annotation.__qualname__ if annotation.__module__ == "builtins"
                else f"{annotation.__module__}.{annotation.__qualname__}")
    else:
        text = repr(annotation).replace("typing.", "")
    return f"{f.name}: {text}" + ("" if f.default is MISSING else f" = {f.default!r}")


if TYPE_CHECKING:
    from typing_extensions import dataclass_transform

    @overload
    def frozen(cls: type[T], /) -> type[T]: ...

    @overload
    def frozen(*, eq: bool = True, repr: bool = True) -> Callable[[type[T]], type[T]]: ...

    @dataclass_transform(frozen_default=True, field_specifiers=(field,))
    def frozen(cls: type[T] | None = None, /, *, eq: bool = True,
               repr: bool = True) -> Any:
        """Type checkers' view: a frozen dataclass."""
else:
    def frozen(cls=None, /, *, eq=True, repr=True):
        """Make ``cls`` what ``@dataclass(frozen=True, slots=True, eq=eq, repr=repr)`` would."""
        if cls is None:
            return lambda cls: _make(cls, eq=eq, with_repr=repr)
        return _make(cls, eq=eq, with_repr=True)
