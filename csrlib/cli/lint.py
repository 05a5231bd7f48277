"""``csrlib lint``: judge requests under a profile; one line (or JSON object) per finding.

Exit status: 0 when no finding is an error, 1 when one is, 2 when a file
cannot be read or is not a request.  A request that does not load strictly
is loaded leniently and linted; each deviation is a ``der.deviation``
finding.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence

from ..errors import CSRError
from ..lint import Blocklist, Finding, Profile, get_profile, lint
from ..signers.files import read_bounded
from .inputs import Skipped, collect, load_file
from .text import print_line

__all__ = ["load_profile", "run_lint"]

OK, FOUND, ERROR = 0, 1, 2


def load_profile(text: str) -> Profile:
    """Return the built-in profile named ``text``, or the one the JSON file ``text`` holds."""
    if text.endswith(".json") or os.sep in text:
        data = read_bounded(text, 1 << 20)
        return Profile.from_json(data)
    return get_profile(text)


def _lint_file(path: str, walked: bool, profile: Profile, expect_names: list[str] | None,
               blocklist: Blocklist | None) -> tuple[int, list[tuple[int, Finding]], str]:
    try:
        try:
            requests = load_file(path, walked, strict=True)
        except CSRError:
            # Its deviations become der.deviation findings.
            requests = load_file(path, walked, strict=False)
    except Skipped:
        return OK, [], ""  # found in a directory, not a request (see cli/inputs.py)
    except OSError as exc:
        return ERROR, [], f"cannot read: {exc.strerror or exc}"
    except CSRError as exc:
        return ERROR, [], f"cannot parse: {exc}"
    found = [(i, finding) for i, req in enumerate(requests)
             for finding in lint(req, profile, expect_names=expect_names, blocklist=blocklist)]
    status = FOUND if any(f.severity == "error" for _, f in found) else OK
    return status, found, ""


def run_lint(paths: Sequence[str], profile: Profile, expect_names: list[str] | None,
             blocklist: Blocklist | None, as_json: bool) -> int:
    """Lint every file; print the findings; return the exit status (0, 1 or 2)."""
    found_files = list(collect(paths))
    if not found_files:
        print_line("csrlib: error: no request files found", sys.stderr)
        return ERROR
    several = len(found_files) > 1
    status = OK
    for path, walked in found_files:
        code, findings, problem = _lint_file(path, walked, profile, expect_names, blocklist)
        status = max(status, code)
        if problem:
            print_line(f"csrlib: error: {path}: {problem}", sys.stderr)
            continue
        for index, finding in findings:
            if as_json:
                record = {"file": path, "request": index, **finding.to_json()}
                print_line(json.dumps(record, ensure_ascii=True), escaped=True)
            else:
                where = f"{path}: " if several else ""
                where += f"request {index + 1}: " if index else ""
                print_line(f"{where}{finding}")
    return status
