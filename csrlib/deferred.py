"""Modules whose code runs when one of their attributes is first read.

``import csrlib`` defers csrlib's pyasn1 schemas this way: building them is
about an eighth of what the import costs, and only reading a request needs
them.  :func:`defer` puts the module, not yet run, in ``sys.modules`` and on
its package, so ``from .. import schemas`` binds it without running it; the
first read of an attribute the module does not have yet (``schemas.X``,
``from .schemas import X``) runs it, once, under a lock (a thread reading
it meanwhile waits), and from then on it is a plain module: nothing is
left in the way of later reads.
"""

from __future__ import annotations

import sys
from _thread import RLock
from importlib.util import find_spec, module_from_spec
from types import ModuleType
from typing import Any

__all__ = ["defer"]

_LOCK = RLock()
_RUNNING: set[str] = set()


class _Deferred(ModuleType):
    """A module not run yet: reading a name it lacks runs it first."""

    def __getattr__(self, name: str) -> Any:
        with _LOCK:
            if type(self) is _Deferred and self.__name__ not in _RUNNING:
                _RUNNING.add(self.__name__)
                try:
                    self.__spec__.loader.exec_module(self)  # type: ignore[union-attr]
                    self.__class__ = ModuleType  # type: ignore[assignment]
                finally:
                    _RUNNING.discard(self.__name__)
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}") from None


def defer(name: str) -> None:
    """Make the module ``name`` (of an imported package) run when first used, not now."""
    if name in sys.modules:
        return
    spec = find_spec(name)
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        raise ImportError(f"cannot defer {name}", name=name)
    module = module_from_spec(spec)
    module.__class__ = _Deferred
    sys.modules[name] = module
    package, _, child = name.rpartition(".")
    setattr(sys.modules[package], child, module)
