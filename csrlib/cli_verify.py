"""``csrlib verify``: check many requests, in parallel processes if asked."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from .errors import CSRError, DecodeError
from .request import load, load_pem_all
from .verify import Policy

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = ["check_file", "collect", "run_verify"]

#: File names a directory walk picks up.
SUFFIXES = (".csr", ".req", ".pem", ".der", ".p10")

OK, FAILED, ERROR = 0, 1, 2


def collect(paths: Sequence[str]) -> Iterator[str]:
    """Yield the files named, walking directories (files ending in :data:`SUFFIXES`)."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES):
                        yield os.path.join(root, name)
        else:
            yield path


def check_file(path: str, lenient: bool, legacy: bool) -> tuple[str, int, str]:
    """Return ``(path, status, message)``: OK, FAILED (signature or policy) or ERROR."""
    policy = Policy.legacy() if legacy else Policy()
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except OSError as exc:
        return path, ERROR, f"cannot read: {exc.strerror or exc}"
    try:
        if b"-----BEGIN" in data:
            requests = load_pem_all(data, strict=not lenient)
        else:
            requests = [load(data, strict=not lenient)]
    except DecodeError as exc:
        return path, ERROR, f"cannot parse: {exc}"
    for i, req in enumerate(requests):
        where = f" (request {i + 1})" if len(requests) > 1 else ""
        try:
            req.verify(policy=policy)
        except CSRError as exc:
            return path, FAILED, f"{type(exc).__name__}{where}: {exc}"
    return path, OK, ""


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // total
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _process_pool(jobs: int) -> Executor | None:
    """Return a pool of ``jobs`` processes, or None where there are no processes.

    Pyodide (``emscripten``) and some sandboxes cannot start processes;
    verification is then sequential, with the same results (see also
    :func:`run_verify`, for workers refused once the pool exists).
    """
    if sys.platform in ("emscripten", "wasi"):
        return None
    if sys.platform == "win32":
        jobs = min(jobs, 61)  # the most ProcessPoolExecutor takes on Windows
    try:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(max_workers=jobs)
    except (ImportError, NotImplementedError, OSError):
        return None


def run_verify(paths: Sequence[str], lenient: bool, legacy: bool, jobs: int) -> int:
    """Verify every file; print one line each; return the exit status (0, 1 or 2)."""
    files = list(collect(paths))
    if not files:
        print("csrlib: error: no request files found", file=sys.stderr)
        return ERROR
    show_progress = len(files) > 1 and sys.stderr.isatty()
    results: list[tuple[str, int, str]] = []

    def record(result: tuple[str, int, str]) -> None:
        results.append(result)
        if show_progress:
            _progress(len(results), len(files))

    pool = _process_pool(jobs) if jobs > 1 and len(files) > 1 else None
    if pool is not None:
        try:
            with pool:
                for result in pool.map(check_file, files, [lenient] * len(files),
                                       [legacy] * len(files), chunksize=8):
                    record(result)
        except (OSError, RuntimeError):
            # The workers start only now: a sandbox or a process limit may
            # refuse them, or one may die (BrokenProcessPool is a
            # RuntimeError).  The files not yet verified are done here.
            pass
    for path in files[len(results):]:
        record(check_file(path, lenient, legacy))
    status = OK
    for path, code, message in results:
        print(f"OK {path}" if code == OK else f"FAIL {path}: {message}")
        status = max(status, code)
    return status
