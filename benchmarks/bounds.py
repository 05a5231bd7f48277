"""Benchmark the cost per input octet of adversarial requests as they grow: is it linear?

    python benchmarks/bounds.py                  (needs the test extra: the shapes are the tests')
    python benchmarks/bounds.py --rounds 3 -k set-of-nulls

The shapes and calls of ``tests/test_resource_bounds.py`` (deep nesting,
tiny TLVs, huge SET OFs, many attributes, long OIDs and strings, many
names; through ``csrlib.load``, and some through ``csrlib.asn1.decode`` and
``decode_plain``), each at about 1 KiB, 64 KiB and 1 MiB: the CPU time per
call (``time.process_time``), best of ``--rounds`` rounds, with the cyclic
garbage collector off (as ``timeit`` has it), then on (as a server runs,
with the objects alive before frozen by ``gc.freeze``, so that its passes
walk what the parse makes rather than this script's modules).  The OID cache
is emptied before each call, outside the timed part, as hostile input would
find it.  Each round visits the three sizes in turn, so that a slow moment of
the machine hits them alike and the ratios stay meaningful.

Two tables, ns per input octet and the ratios of 1 MiB to 1 KiB and to
64 KiB.  Linear code keeps both ratios near 1; the fixed cost of a request
inflates the 1 KiB figure, so 1 MiB / 64 KiB is the sharper of the two.
With the collector on, its full passes start only once a parse has made
more objects than a quarter of those alive, so large inputs pay for passes
that small ones never see (the pyasn1 values of ``asn1.decode`` the most).
A ratio over ``FLAG`` is flagged with ``!``.

The tests bound the same shapes with deterministic counts instead (calls,
lines, allocations): no clock in tests/, where a busy machine would make a
timed assertion fail at random.  This benchmark is the check for what the
counts cannot see: work inside one C call (searching a list, comparing or
sorting bytes) and the garbage collector.  Timings are not ``_timing.
best_times``'s wall-clock loops: each call is timed on its own, in CPU time,
so that the cache is emptied between calls and the collector's state is set.
"""

from __future__ import annotations

import argparse
import gc
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _timing import environment, print_table

from csrlib.der.primitives import OID_CACHE
from tests.test_resource_bounds import CALLS, CASES, SIZES, build

#: Ratios over this are flagged in the tables.
FLAG = 3.0
SIZE_NAMES = ("1 KiB", "64 KiB", "1 MiB")


def cpu_per_call(fn: Callable[[bytes], object], data: bytes, number: int) -> float:
    """Return the mean CPU time, in seconds, of ``number`` calls of ``fn(data)``."""
    total = 0.0
    for _ in range(number):
        OID_CACHE.clear()
        start = time.process_time()
        fn(data)
        total += time.process_time() - start
    return total / number


def best_cpu_times(
    fn: Callable[[bytes], object], inputs: Sequence[bytes], *, collect: bool, rounds: int,
    budget: float,
) -> list[float]:
    """Return the best CPU time per call of ``fn`` on each input, the collector on or off.

    Each measurement makes enough calls to last about ``budget`` seconds (one,
    for the large inputs) and starts from a collected heap.
    """
    enabled = gc.isenabled()
    gc.collect()
    if collect:
        gc.enable()
        gc.freeze()
    else:
        gc.disable()
    try:
        numbers = [max(1, math.ceil(budget / max(cpu_per_call(fn, data, 1), 1e-6)))
                   for data in inputs]
        best = [math.inf] * len(inputs)
        for _ in range(rounds):
            for i, data in enumerate(inputs):
                gc.collect()
                best[i] = min(best[i], cpu_per_call(fn, data, numbers[i]))
        return best
    finally:
        if collect:
            gc.unfreeze()
        if enabled:
            gc.enable()
        else:
            gc.disable()


def ratio(large: float, small: float) -> str:
    """Format a ratio of costs per octet, flagged when over FLAG."""
    value = large / small
    return f"{value:.2f}" + (" !" if value > FLAG else "")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cost per input octet of adversarial "
                                     "requests at 1 KiB, 64 KiB and 1 MiB.")
    parser.add_argument("--rounds", type=int, default=5, help="best of this many (default 5)")
    parser.add_argument("--budget", type=float, default=0.05,
                        help="seconds per measurement of a small input (default 0.05)")
    parser.add_argument("-k", dest="select", default="",
                        help="only the cases whose call-shape name contains this")
    args = parser.parse_args(argv)
    cases = [(call, shape) for call, shape in CASES if args.select in f"{call}-{shape}"]
    if not cases:
        parser.error(f"no case matches {args.select!r}")

    print(f"Cost per input octet as adversarial requests grow: {environment()}; "
          f"CPU time, best of {args.rounds} rounds")
    rows: dict[bool, list[list[str]]] = {False: [], True: []}
    for call, shape in cases:
        fn = CALLS[call]
        inputs = [build(shape, size) for size in SIZES]
        fn(inputs[0])  # plans compiled and modules imported beforehand
        for collect in (False, True):
            times = best_cpu_times(fn, inputs, collect=collect, rounds=args.rounds,
                                   budget=args.budget)
            small, medium, large = (t / len(data) for t, data in zip(times, inputs, strict=True))
            rows[collect].append([
                call, shape, *(f"{t * 1e9:,.1f}" for t in (small, medium, large)),
                ratio(large, small), ratio(large, medium)])
    header = ["call", "shape", *(f"ns/octet at {name}" for name in SIZE_NAMES),
              "1 MiB / 1 KiB", "1 MiB / 64 KiB"]
    print_table("Garbage collector off", header, rows[False])
    print_table("Garbage collector on (objects alive before frozen)", header, rows[True])
    print(f"\nEach input is within 15% under its nominal size; a ratio over {FLAG} is "
          "flagged with !")
    return 0


if __name__ == "__main__":
    sys.exit(main())
