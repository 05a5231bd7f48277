"""Every fenced ``python`` and ``sh`` block of README.md runs, in order, as a newcomer would.

The blocks run one after the other in one fresh temporary directory: Python
blocks in one shared namespace (those written as ``>>>`` sessions through
doctest, so the outputs they show are checked), shell blocks with
``bash -e -o pipefail``.  There, ``.venv/bin/`` holds ``python``, ``python3``
and ``csrlib`` commands that run the interpreter and csrlib under test (as
the README's set-up makes them), and that directory is first on ``PATH``.

A block right below an HTML comment ``<!-- no-test: reason -->`` is not run;
:data:`EXCLUDED` names each such block, so that excluding one is a visible
change here.  (The README's install and test commands are among them: CI runs
them verbatim in a fresh clone, see ``.ci/run``.)
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
# Pyodide's run mounts tests/ only, and it cannot start the shell commands.
pytestmark = pytest.mark.skipif(sys.platform == "emscripten",
                                reason="README.md is not there, nor processes")

#: The first line of each block the README excludes, and why.
EXCLUDED = {
    "python3 -m venv .venv && .venv/bin/pip install .":
        "installs from the package index (.ci/run runs it in a fresh clone)",
    "python3 -m venv .venv && .venv/bin/pip install -c tests/constraints.txt -e '.[test]' "
    "&& .venv/bin/python -m pytest -q":
        "the test command: it runs this suite (.ci/run runs it in a fresh clone)",
    "npm install pyodide@314.0.8                          # the runtime and the standard library":
        "needs npm and the npm registry (tests/pyodide/run.sh does this in CI)",
}

_FENCE = re.compile(r"^```([\w-]*)\s*$")
_NO_TEST = re.compile(r"^<!--.*\bno-test:\s*(.*?)\s*-->$")


@dataclass(frozen=True)
class Block:
    line: int  # 1-based line of the opening fence
    language: str
    text: str
    excluded: str | None  # the reason, when excluded

    @property
    def name(self) -> str:
        return f"README.md:{self.line} ({self.text.splitlines()[0] if self.text else ''})"


def blocks(text: str) -> list[Block]:
    """Return the fenced blocks of a Markdown text, with the no-test comment above each."""
    found = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        above = next((line.strip() for line in reversed(lines[:i]) if line.strip()), "")
        excluded = _NO_TEST.match(above)
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        found.append(Block(i + 1, opening.group(1), "\n".join(lines[i + 1:end]) + "\n",
                           excluded.group(1) if excluded else None))
        i = end + 1
    return found


def _runnable() -> list[Block]:
    return [b for b in blocks(README.read_text()) if b.language in ("python", "sh")]


def test_the_excluded_blocks_are_named_here() -> None:
    excluded = {b.text.splitlines()[0]: b.excluded for b in _runnable() if b.excluded}
    assert set(excluded) == set(EXCLUDED)
    assert all(excluded.values())
    # Every block is one of the languages the README uses; none is left out silently.
    assert {b.language for b in blocks(README.read_text())} <= {"python", "sh", "js", ""}


def test_blocks_parse() -> None:
    sample = "a\n<!-- no-test: why -->\n```sh\nx\ny\n```\n\n```python\nz\n```\n"
    assert blocks(sample) == [Block(3, "sh", "x\ny\n", "why"), Block(8, "python", "z\n", None)]


def _fake_venv(root: Path) -> Path:
    """Return ``root/.venv/bin`` holding commands that run the environment under test."""
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    commands = {"python": f'exec "{sys.executable}" "$@"',
                "python3": f'exec "{sys.executable}" "$@"',
                "csrlib": f'exec "{sys.executable}" -m csrlib "$@"'}
    for name, body in commands.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return bin_dir


def _run_python(block: Block, namespace: dict[str, object]) -> None:
    if block.text.lstrip().startswith(">>>"):
        parser = doctest.DocTestParser()
        test = parser.get_doctest(block.text, namespace, block.name, str(README), block.line)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        output: list[str] = []
        runner.run(test, out=output.append, clear_globs=False)
        assert runner.failures == 0, f"{block.name}:\n" + "".join(output)
        return
    code = compile(block.text, f"{README}:{block.line}", "exec")
    try:
        exec(code, namespace)
    except Exception as exc:
        raise AssertionError(f"{block.name} raised {exc!r}") from exc


def test_every_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = _fake_venv(tmp_path)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__readme__"}
    ran = 0
    for block in _runnable():
        if block.excluded:
            continue
        ran += 1
        if block.language == "python":
            _run_python(block, namespace)
            continue
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", block.text], cwd=tmp_path,
                              env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (
            f"{block.name} exited {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    assert ran >= 10
