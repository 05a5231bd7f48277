"""Shared benchmark helpers: round-robin timing and table printing.

Every measurement is the best of several rounds, and the rounds visit all
contenders in turn, so a slow moment of the machine hits them all alike and
the ratios stay meaningful.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence


def best_times(
    contenders: dict[str, Callable[[], object]], *, rounds: int = 7, budget: float = 0.05,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """Return the best time per call, in seconds, of each contender.

    ``clock`` is the timer: wall-clock by default, ``time.process_time`` for
    the CPU time of this process (what a shared machine disturbs least).
    """
    numbers = {}
    for name, fn in contenders.items():
        fn()  # warm caches and compiled plans
        n = 1
        while True:
            start = clock()
            for _ in range(n):
                fn()
            if clock() - start >= budget:
                break
            n *= 2
        numbers[name] = n
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(rounds):
        for name, fn in contenders.items():
            n = numbers[name]
            start = clock()
            for _ in range(n):
                fn()
            best[name] = min(best[name], (clock() - start) / n)
    return best


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print a Markdown table."""
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def environment() -> str:
    """Return a one-line description of the interpreter and machine."""
    try:
        import gmpy2  # type: ignore[import-not-found]  # noqa: F401

        gmpy = "gmpy2 present"
    except ImportError:
        gmpy = "no gmpy2"
    return (f"Python {sys.version.split()[0]} ({sys.implementation.name}), "
            f"{os.cpu_count()} CPUs, {gmpy}")


def us(seconds: float) -> str:
    """Format seconds as microseconds."""
    return f"{seconds * 1e6:,.1f} µs"
