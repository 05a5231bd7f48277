"""``csrlib show FILE...``: one request or many, as text or JSON.

One FILE (not a directory) prints as it always has: the text form, or with
``--json`` one indented JSON object (a list of them for a PEM bundle), and
a file that cannot be read or parsed is an error (exit status 2).

Several FILEs, directories or both: each request is shown under its file's
name (text), or printed as one JSON object a line (JSON Lines) with
``"file"`` (and ``"index"`` within a bundle); a file that cannot be read
or parsed gives ``{"file", "error": {"kind", "offset", "path",
"message"}}`` (text: an error line on standard error naming the file) and
the others are still shown; the exit status is then 2.  Files skipped in
directories (see :mod:`csrlib.cli.inputs`) give ``{"file", "skipped"}``
(text: ``SKIP path: reason`` on standard error) and leave the status alone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from ..crypto.verify import Policy
from ..errors import CSRError
from ..signers.files import InputTooLarge
from .inputs import Skipped, collect, error_object, load_file
from .show import summarize
from .show_text import describe
from .text import json_line, json_text, print_line

__all__ = ["run_show"]


class FileError(CSRError):
    """A file that holds no request csrlib can read; the message names the file."""


def _show_one(path: str, as_json: bool, lenient: bool, policy: Policy) -> int:
    try:
        requests = load_file(path, False, strict=not lenient)
    except InputTooLarge:
        raise  # its message names the input already
    except CSRError as exc:
        raise FileError(f"{'standard input' if path == '-' else path}: {exc}") from exc
    summaries = [{"file": path, **summarize(req, policy)} for req in requests]
    if as_json:
        print_line(json_text(summaries[0] if len(summaries) == 1 else summaries), escaped=True)
    else:
        for summary in summaries:
            for line in describe(summary):
                print_line(line)
    return 0


def run_show(paths: Sequence[str], as_json: bool, lenient: bool, policy: Policy) -> int:
    """Show every request of ``paths``; return the exit status (0, or 2 if a file failed)."""
    if len(paths) == 1 and (paths[0] == "-" or not os.path.isdir(paths[0])):
        return _show_one(paths[0], as_json, lenient, policy)
    found = list(collect(paths))
    if not found:
        print_line("csrlib: error: no request files found", sys.stderr)
        return 2
    status = 0
    for path, walked in found:
        try:
            requests = load_file(path, walked, strict=not lenient)
        except Skipped as exc:
            if as_json:
                print_line(json_line({"file": path, "skipped": str(exc)}), escaped=True)
            else:
                print_line(f"SKIP {path}: {exc}", sys.stderr)
            continue
        except (OSError, CSRError) as exc:
            status = 2
            error = error_object(exc)
            if as_json:
                print_line(json_line({"file": path, "error": error}), escaped=True)
            else:
                print_line(f"csrlib: error: {path}: {error['message']}", sys.stderr)
            continue
        for i, req in enumerate(requests):
            summary: dict[str, Any] = {"file": path, **summarize(req, policy)}
            if len(requests) > 1:
                summary["index"] = i
            if as_json:
                print_line(json_line(summary), escaped=True)
            else:
                where = f" (request {i + 1} of {len(requests)})" if len(requests) > 1 else ""
                print_line(f"==> {path}{where} <==")
                for line in describe(summary):
                    print_line(line)
    return status
