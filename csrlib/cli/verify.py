"""``csrlib verify``: check many requests, in parallel processes if asked.

Which files are read, and which skipped, is :mod:`csrlib.cli.inputs`'s
rule: a file named is always read; in a directory, files that are not
regular and PEM text without a request are skipped (``SKIP path: no
request (PRIVATE KEY)``), which leaves the exit status alone.

Each file gets one line: ``OK path``, ``FAIL path: reason`` (a signature or
the policy refused it), ``ERROR path: reason`` (it cannot be read, is not a
request, or csrlib cannot check its algorithm: UnsupportedAlgorithm, or
the request is signed by a certificate's key, RFC 9883, and
``--signer-cert`` does not give it), or
``SKIP path: reason``; with ``--json`` one JSON object a line instead
(``file``, ``status`` ``ok|fail|error|skipped``, ``reason``, ``key``,
``algorithm``).  The exit status is the worst: 0, 1 (fail) or 2 (error).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..crypto.verify import Policy
from ..errors import CSRError, UnsupportedAlgorithm
from .inputs import Skipped, collect, load_file
from .text import json_line, print_line

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from ..request import CertificateRequest

__all__ = ["check_file", "run_verify"]

#: Statuses of one file; SKIPPED is below OK so that it never raises the exit status.
SKIPPED, OK, FAILED, ERROR = -1, 0, 1, 2
_STATUS_NAMES = {SKIPPED: "skipped", OK: "ok", FAILED: "fail", ERROR: "error"}
_LINE_WORDS = {SKIPPED: "SKIP", OK: "OK", FAILED: "FAIL", ERROR: "ERROR"}


def _key(req: CertificateRequest) -> dict[str, Any]:
    key = req.public_key
    return {"type": key.key_type, "size": key.key_size, "curve": key.curve}


def check_file(path: str, lenient: bool, policy: Policy | bool,
               walked: bool = False, signer_certificate: bytes | None = None) -> dict[str, Any]:
    """Return the result of one file as JSON data: ``file``, ``status``, ``reason``,
    ``key`` and ``algorithm`` (of the request that decided; null if none was read).

    ``status``: ``ok``, ``fail`` (signature or policy), ``error`` (cannot
    read or parse the file, or check its algorithm) or ``skipped`` (a
    ``walked`` file, found in a directory, that is not for us).  ``policy``
    True means ``Policy.legacy()``, False the default.  With
    ``signer_certificate`` (DER), each request must be signed by that
    certificate's key and name it in a privateKeyPossessionStatement (RFC
    9883; ``CertificateRequest.verify(signer_certificate=...)``).
    """
    if isinstance(policy, bool):
        policy = Policy.legacy() if policy else Policy()
    result: dict[str, Any] = {"file": path, "status": "ok", "reason": None, "key": None,
                              "algorithm": None}
    try:
        requests = load_file(path, walked, strict=not lenient)
    except Skipped as exc:
        return {**result, "status": "skipped", "reason": str(exc)}
    except OSError as exc:
        return {**result, "status": "error", "reason": f"cannot read: {exc.strerror or exc}"}
    except CSRError as exc:
        verb = "read" if type(exc).__name__ == "InputTooLarge" else "parse"
        return {**result, "status": "error", "reason": f"cannot {verb}: {exc}"}
    for i, req in enumerate(requests):
        where = f" (request {i + 1})" if len(requests) > 1 else ""
        result.update(key=_key(req), algorithm=req.signature_algorithm.name)
        try:
            req.verify(policy=policy, signer_certificate=signer_certificate)
        except UnsupportedAlgorithm as exc:
            return {**result, "status": "error",
                    "reason": f"cannot check{where}: UnsupportedAlgorithm: {exc}"}
        except CSRError as exc:
            return {**result, "status": "fail", "reason": f"{type(exc).__name__}{where}: {exc}"}
    return result


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


def run_verify(paths: Sequence[str], lenient: bool, policy: Policy | bool, jobs: int,
               as_json: bool = False, signer_certificate: bytes | None = None) -> int:
    """Verify every file; print one line each; return the exit status (0, 1 or 2).

    At most one process per file is started, whatever ``jobs`` asks.
    ``policy`` and ``signer_certificate`` as in :func:`check_file`.
    """
    found = list(collect(paths))
    if not found:
        print_line("csrlib: error: no request files found", sys.stderr)
        return ERROR
    files = [path for path, _ in found]
    walked = [flag for _, flag in found]
    show_progress = len(files) > 1 and sys.stderr.isatty()
    results: list[dict[str, Any]] = []

    def record(result: dict[str, Any]) -> None:
        results.append(result)
        if show_progress:
            _progress(len(results), len(files))

    jobs = min(jobs, len(files))
    pool = _process_pool(jobs) if jobs > 1 else None
    if pool is not None:
        try:
            with pool:
                for result in pool.map(check_file, files, [lenient] * len(files),
                                       [policy] * len(files), walked,
                                       [signer_certificate] * len(files), chunksize=8):
                    record(result)
        except (OSError, RuntimeError):
            # The workers start only now: a sandbox or a process limit may
            # refuse them, or one may die (BrokenProcessPool is a
            # RuntimeError).  The files not yet verified are done here.
            pass
    for path, flag in found[len(results):]:
        record(check_file(path, lenient, policy, flag, signer_certificate))
    codes = {name: code for code, name in _STATUS_NAMES.items()}
    status = OK
    for result in results:
        code = codes[result["status"]]
        if as_json:
            print_line(json_line(result), escaped=True)
        elif code == OK:
            print_line(f"OK {result['file']}")
        else:
            print_line(f"{_LINE_WORDS[code]} {result['file']}: {result['reason']}")
        status = max(status, code)
    return status
