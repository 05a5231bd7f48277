"""Fast constructors for csrlib's frozen dataclasses, for the parser's hot paths.

A frozen dataclass's ``__init__`` stores each field through
``object.__setattr__`` and then runs ``__post_init__`` checks meant for
values a caller builds.  Values the parser has already checked do not need
either: ``maker(cls)`` returns a function that fills the slots directly
(through their descriptors), in field order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["maker"]

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """Return ``make(*field_values) -> cls`` that skips ``__init__`` and ``__post_init__``."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
    for i, name in enumerate(names):
        scope[f"set{i}"] = getattr(cls, name).__set__
    args = ", ".join(f"a{i}" for i in range(len(names)))
    body = "".join(f"    set{i}(obj, a{i})\n" for i in range(len(names)))
    source = f"def make({args}):\n    obj = new(cls)\n{body}    return obj\n"
    exec(compile(source, f"<csrlib maker for {cls.__name__}>", "exec"), scope)
    make: Callable[..., T] = scope["make"]
    return make
