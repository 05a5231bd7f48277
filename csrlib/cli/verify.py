"""``csrlib verify``: check many requests, in parallel processes if asked.

Files named on the command line are read whatever they are (a FIFO too,
``csrlib verify <(cmd)``), up to the input size limit.  Files found by
walking a directory are read only when they are regular files: each is
opened without blocking and judged by ``fstat`` of that descriptor; a FIFO,
a device or a symlink to one is reported as ``SKIP path: not a regular
file`` and leaves the exit status alone.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..crypto.verify import Policy
from ..der.tlv import DEFAULT_LIMITS
from ..errors import CSRError
from ..pem import detect_format
from ..request import load_der, load_pem_all
from ..signers.files import NotRegularFile, read_bounded, read_stream
from .text import print_line

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = ["check_file", "collect", "read_input", "run_verify"]

#: File names a directory walk picks up.
SUFFIXES = (".csr", ".req", ".pem", ".der", ".p10")

#: Statuses of one file; SKIPPED is below OK so that it never raises the exit status.
SKIPPED, OK, FAILED, ERROR = -1, 0, 1, 2


def collect(paths: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """Yield ``(path, walked)`` for the files named and those found in directories named.

    A directory is walked for files ending in :data:`SUFFIXES` (``walked``
    True); symlinks to directories are not followed.
    """
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith(SUFFIXES):
                        yield os.path.join(root, name), True
        else:
            yield path, False


def read_input(path: str, walked: bool) -> bytes:
    """Return the octets of a file named (or, ``walked``, found in a directory), bounded."""
    limit = DEFAULT_LIMITS.max_size
    if path == "-" and not walked:
        return read_stream(sys.stdin.buffer, "standard input", limit)
    if walked:
        # A first look, so that a device is not even opened (opening some has
        # effects); the verdict that counts is fstat's, in read_bounded.
        try:
            mode = os.stat(path).st_mode
        except OSError:
            mode = stat.S_IFREG  # read_bounded reports why
        if not stat.S_ISREG(mode):
            raise NotRegularFile(0, "not a regular file", path)
    return read_bounded(path, limit, regular_only=walked)


def check_file(path: str, lenient: bool, legacy: bool,
               walked: bool = False) -> tuple[str, int, str]:
    """Return ``(path, status, message)``: OK, FAILED (signature or policy), ERROR or SKIPPED.

    ``walked`` files (found in a directory) that are not regular files are
    SKIPPED; a file named explicitly is read whatever it is, up to the size
    limit.
    """
    policy = Policy.legacy() if legacy else Policy()
    try:
        data = read_input(path, walked)
    except NotRegularFile:
        return path, SKIPPED, "not a regular file"
    except OSError as exc:
        return path, ERROR, f"cannot read: {exc.strerror or exc}"
    except CSRError as exc:
        return path, ERROR, f"cannot read: {exc}"
    try:
        # PEM or DER from the data's shape, never by searching for "-----BEGIN".
        if detect_format(data) == "pem":
            requests = load_pem_all(data, strict=not lenient)
        else:
            requests = [load_der(data, strict=not lenient)]
    except CSRError as exc:
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
    """Verify every file; print one line each; return the exit status (0, 1 or 2).

    At most one process per file is started, whatever ``jobs`` asks.
    """
    found = list(collect(paths))
    if not found:
        print_line("csrlib: error: no request files found", sys.stderr)
        return ERROR
    files = [path for path, _ in found]
    walked = [flag for _, flag in found]
    show_progress = len(files) > 1 and sys.stderr.isatty()
    results: list[tuple[str, int, str]] = []

    def record(result: tuple[str, int, str]) -> None:
        results.append(result)
        if show_progress:
            _progress(len(results), len(files))

    jobs = min(jobs, len(files))
    pool = _process_pool(jobs) if jobs > 1 else None
    if pool is not None:
        try:
            with pool:
                for result in pool.map(check_file, files, [lenient] * len(files),
                                       [legacy] * len(files), walked, chunksize=8):
                    record(result)
        except (OSError, RuntimeError):
            # The workers start only now: a sandbox or a process limit may
            # refuse them, or one may die (BrokenProcessPool is a
            # RuntimeError).  The files not yet verified are done here.
            pass
    for path, flag in found[len(results):]:
        record(check_file(path, lenient, legacy, flag))
    status = OK
    for path, code, message in results:
        if code == OK:
            print_line(f"OK {path}")
        elif code == SKIPPED:
            print_line(f"SKIP {path}: {message}")
        else:
            print_line(f"FAIL {path}: {message}")
        status = max(status, code)
    return status
