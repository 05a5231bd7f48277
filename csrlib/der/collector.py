"""Pausing the cyclic garbage collector while a decoder runs.

A decoder makes many objects and frees most of them again, none in a
reference cycle: the collector's passes over them find nothing, and past a
few thousand objects the passes of its older generations make the cost
grow faster than the input.  Reference counting frees what a decoder drops
as before; the collector runs again, as usual, once the decoder returns.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["collector_paused"]

T = TypeVar("T")


def collector_paused(fn: Callable[..., T], *args: Any) -> T:
    """Return ``fn(*args)``, the cyclic garbage collector off meanwhile.

    The collector's state is restored however ``fn`` ends (it stays off if
    it was off).  In a program where another thread turns the collector off
    while ``fn`` runs, it is turned back on when ``fn`` ends.
    """
    if not gc.isenabled():
        return fn(*args)
    gc.disable()
    try:
        return fn(*args)
    finally:
        gc.enable()
