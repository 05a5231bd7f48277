"""Run one fuzz target under atheris, or under a random-mutation loop without it.

Used by the ``fuzz_*.py`` scripts (see README.md here).  Findings do not
stop the run: each distinct one (its kind, the exception and the csrlib
line that raised it) is written once to ``$CSRLIB_FUZZ_FINDINGS``
(default ``fuzz-findings/``) as ``<target>-<kind>-<id>.bin`` with a ``.txt``
beside it holding the traceback, and printed.  Inputs under 64 KiB that
take more than a second are findings of kind ``slow``.  libFuzzer ends with
``Done <executions> runs in <seconds> second(s)``; the fallback loop with
``csrlib-fuzz: <target> <executions> execs <cpu> s CPU <n> findings``.

This module must not import csrlib at module level: atheris instruments
csrlib only when it is first imported inside ``instrument_imports()``.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import os
import random
import sys
import time
import traceback
import types
from collections.abc import Callable
from pathlib import Path

SLOW_SECONDS = 1.0
SLOW_SIZE = 64 * 1024
FUZZ_DIR = Path(__file__).resolve().parent


class _Run:
    """Counters and the record of distinct findings of one run."""

    def __init__(self, name: str, target: Callable[[bytes], None]) -> None:
        self.name = name
        self.target = target
        self.execs = 0
        self.seen: set[str] = set()
        self.out = Path(os.environ.get("CSRLIB_FUZZ_FINDINGS", "fuzz-findings"))
        self.cpu0 = time.process_time()

    def one(self, data: bytes) -> None:
        from tests.fuzz.harness import Finding

        self.execs += 1
        start = time.perf_counter()
        try:
            self.target(data)
        except Finding as finding:
            self.record(data, finding.kind, finding)
        elapsed = time.perf_counter() - start
        if elapsed > SLOW_SECONDS and len(data) < SLOW_SIZE:
            self.record(data, "slow", None, f"{elapsed:.2f} s for {len(data)} bytes")

    def record(self, data: bytes, kind: str, exc: BaseException | None, note: str = "") -> None:
        if exc is not None:
            cause = exc.__cause__ or exc
            frames = [f for f in traceback.extract_tb(cause.__traceback__)
                      if "csrlib" in f.filename and "tests" not in f.filename]
            where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
            signature = (f"{kind} {getattr(exc, 'call', '')} {getattr(exc, 'key', '')} "
                         f"{type(cause).__name__} {where}")
            text = "".join(traceback.format_exception(exc))
        else:
            # Slow inputs are told apart by size class only: one file per power of two.
            signature = f"{kind} {len(data).bit_length()}"
            text = note
        if signature in self.seen:
            return
        self.seen.add(signature)
        ident = hashlib.sha1(data).hexdigest()[:12]
        self.out.mkdir(parents=True, exist_ok=True)
        stem = self.out / f"{self.name}-{kind}-{ident}"
        stem.with_suffix(".bin").write_bytes(data)
        stem.with_suffix(".txt").write_text(f"{signature}\n{note}\n{text}", encoding="utf-8")
        print(f"\ncsrlib-fuzz: FINDING {signature} -> {stem}.bin ({len(data)} bytes) {note}"
              f"\n    {exc or note}",
              file=sys.stderr, flush=True)

    def report(self) -> None:
        cpu = time.process_time() - self.cpu0
        print(f"\ncsrlib-fuzz: {self.name} {self.execs} execs {cpu:.0f} s CPU "
              f"{len(self.seen)} findings", file=sys.stderr, flush=True)


def _corpus_files(args: list[str]) -> list[Path]:
    files: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file()))
        elif path.is_file():
            files.append(path)
    return files


def _instrument_generated() -> int:
    """Instrument csrlib's generated decoders (made by exec, so no import hook saw them)."""
    import atheris

    count = 0
    for obj in gc.get_objects():
        if isinstance(obj, types.FunctionType) and obj.__code__.co_filename.startswith(
                "<csrlib."):
            atheris.instrument_func(obj)
            count += 1
    return count


def start(name: str, argv: list[str]) -> None:
    """Fuzz target ``name`` with libFuzzer-style ``argv`` (corpus dirs and -flags)."""
    root = str(FUZZ_DIR.parents[1])
    if root not in sys.path:
        sys.path.insert(0, root)
    positional = [a for a in argv[1:] if not a.startswith("-")]
    try:
        import atheris
    except ImportError:
        atheris = None
    if atheris is not None and os.environ.get("CSRLIB_FUZZ_NO_ATHERIS") != "1":
        with atheris.instrument_imports(include=["csrlib"]):
            from tests.fuzz import harness
    else:
        from tests.fuzz import harness
        atheris = None
    run = _Run(name, harness.TARGETS[name])
    # Warm up on the seeds: compiles every schema the target reaches, so the
    # generated decoders exist before they are instrumented.
    for path in _corpus_files(positional):
        run.one(path.read_bytes())
    if atheris is not None:
        print(f"csrlib-fuzz: instrumented {_instrument_generated()} generated decoders",
              file=sys.stderr)
        atheris.Setup(argv, run.one)
        atheris.Fuzz()
    else:
        atexit.register(run.report)
        _mutation_loop(run, argv, positional)


# -- without atheris: random mutation, no coverage feedback ---------------------------------


def _flag(argv: list[str], name: str, default: int) -> int:
    for arg in argv:
        if arg.startswith(f"-{name}="):
            return int(arg.split("=", 1)[1])
    return default


def _mutate(rng: random.Random, data: bytes, seeds: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 3, 8))):
        op = rng.randrange(8)
        pos = rng.randrange(len(buf) + 1)
        if op == 0 and buf:  # flip a bit
            i = pos % len(buf)
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1 and buf:  # set a byte to an interesting value
            buf[pos % len(buf)] = rng.choice((0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0xFF, 0x1F,
                                              0x30, 0x31, 0xA0, rng.randrange(256)))
        elif op == 2:  # insert random bytes
            buf[pos:pos] = rng.randbytes(rng.randrange(1, 5))
        elif op == 3 and buf:  # delete a run
            del buf[pos:pos + rng.randrange(1, 9)]
        elif op == 4 and buf:  # duplicate a run
            a = rng.randrange(len(buf))
            buf[pos:pos] = buf[a:a + rng.randrange(1, 65)]
        elif op == 5 and seeds:  # splice in part of another seed
            other = rng.choice(seeds)
            a = rng.randrange(len(other) + 1)
            buf[pos:pos] = other[a:a + rng.randrange(1, 129)]
        elif op == 6:  # truncate
            del buf[pos:]
        elif op == 7 and buf:  # bump a byte (lengths)
            i = pos % len(buf)
            buf[i] = (buf[i] + rng.choice((-2, -1, 1, 2))) & 0xFF
    return bytes(buf)


def _mutation_loop(run: _Run, argv: list[str], positional: list[str]) -> None:
    seeds = [p.read_bytes() for p in _corpus_files(positional)] or [b"\x30\x00"]
    seconds = _flag(argv, "max_total_time", 60)
    runs = _flag(argv, "runs", -1)
    rng = random.Random(_flag(argv, "seed", 0) or None)
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline and n != runs:
        run.one(_mutate(rng, rng.choice(seeds), seeds))
        n += 1
