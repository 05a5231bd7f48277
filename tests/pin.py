"""Pin the test environment: regenerate, verify or try ``tests/constraints.txt``.

The README's test command installs csrlib with its ``test`` extra under
``-c tests/constraints.txt``, which names the exact version of every
package of that environment (the runtime dependencies, the test tools, the
oracles and everything they pull in), so a newcomer and CI test with what
was tested.  Commands (run from the repository, any Python >= 3.10)::

    python tests/pin.py --python python3.10   # regenerate tests/constraints.txt (newest releases)
    python tests/pin.py --verify PY     # exit 1 unless the environment of PY is exactly the pins
    python tests/pin.py --newest        # run the suite with the newest releases, unpinned

Regenerating makes a new virtual environment in a temporary directory with
this interpreter and with each ``--python`` given (the oldest Python csrlib
supports, 3.10, pulls in packages newer ones do not need), installs
``.[test]`` there without constraints (so pip picks the newest release of
each package that fits), and writes the union of what each holds: one pin
where they agree, pins under ``python_version`` markers where they do not.
Run the suite on the result before committing it.  The Pyodide suite's own
pins (``tests/pyodide/requirements.txt``, wheels for Pyodide's Python, and
``tests/pyodide/package.json``) are kept by hand: bump them together with
the pyodide npm package.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "tests" / "constraints.txt"
HEADER = """\
# Exact versions of the test environment, for the README's test command:
#   pip install -c tests/constraints.txt -e '.[test]'
# Regenerate: python tests/pin.py --python python3.10  (newest releases; then run the suite)
# Check an environment: python tests/pin.py --verify .venv/bin/python
# Generated with Python {pythons} on {platform}.
"""


def _venv(where: Path, base: str = sys.executable) -> Path:
    """Return the interpreter of a new virtual environment made by ``base`` in ``where``."""
    subprocess.run([base, "-m", "venv", str(where)], check=True)
    return where / ("Scripts" if os.name == "nt" else "bin") / "python"


def _install(python: Path, *args: str) -> None:
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    *args], check=True, cwd=ROOT)


def _freeze(python: Path) -> dict[str, str]:
    """Return ``{normalized name: version}`` of what an environment holds (csrlib left out)."""
    out = subprocess.run(
        [str(python), "-c",
         "import importlib.metadata as m\n"
         "for d in m.distributions(): print(d.metadata['Name'], d.version)"],
        check=True, capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines():
        name, version = line.split()
        key = _normalize(name)
        if key not in ("csrlib", "pip", "setuptools", "wheel"):
            found[key] = version
    return found


def _normalize(name: str) -> str:
    # PEP 503 normalization: runs of -, _ and . are one hyphen, lower case.
    out: list[str] = []
    for ch in name.lower():
        if ch in "-_.":
            if not out or out[-1] != "-":
                out.append("-")
        else:
            out.append(ch)
    return "".join(out)


def read_pins(path: Path = CONSTRAINTS, python: str | None = None) -> dict[str, str]:
    """Return ``{normalized name: version}`` of a constraints file of ``name==version`` lines.

    Lines with a ``python_version`` marker count for the Python ``major.minor``
    given (by default this one's).
    """
    if python is None:
        python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    pins = {}
    for raw in path.read_text().splitlines():
        line, _, marker = raw.split("#", 1)[0].partition(";")
        line = line.strip()
        if line and not (marker and not _marker_holds(marker, python)):
            name, sep, version = line.partition("==")
            if not sep:
                raise ValueError(f"{path}: not an exact pin: {raw!r}")
            pins[_normalize(name.strip())] = version.strip()
    return pins


def _environment(base: str, where: Path) -> tuple[str, dict[str, str]]:
    """Return (``major.minor``, what ``pip freeze`` lists) of ``.[test]`` installed by ``base``."""
    python = _venv(where, base)
    _install(python, "--upgrade", "pip")
    _install(python, "-e", ".[test]")
    return _version(python), _freeze(python)


def _version(python: Path) -> str:
    """Return an interpreter's ``major.minor``."""
    return subprocess.run([str(python), "-c", "import sys; print(*sys.version_info[:2], sep='.')"],
                          check=True, capture_output=True, text=True).stdout.strip()


def _lines(found: dict[str, dict[str, str]]) -> list[str]:
    """Return the pins of environments made by several Pythons, with markers where they differ.

    ``found`` maps ``major.minor`` to an environment; the newest Python's
    pins hold for it and later ones, each older one's for that version.
    """
    versions = sorted(found, key=lambda v: tuple(int(p) for p in v.split(".")))
    newest = versions[-1]
    lines = []
    for name in sorted({n for env in found.values() for n in env}):
        pins = {v: found[v].get(name) for v in versions}
        if len(set(pins.values())) == 1:
            lines.append(f"{name}=={pins[newest]}")
            continue
        for v, pin in pins.items():
            if pin is not None:
                op = ">=" if v == newest else "=="
                lines.append(f'{name}=={pin} ; python_version {op} "{v}"')
    return lines


def _marker_holds(marker: str, python: str) -> bool:
    """Return whether a ``python_version OP "X.Y"`` marker (as this script writes) holds."""
    _, op, version = marker.split()
    have = tuple(int(p) for p in python.split("."))
    want = tuple(int(p) for p in version.strip('"').split("."))
    return have >= want if op == ">=" else have == want


def regenerate(pythons: list[str]) -> int:
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, base in enumerate(pythons):
            version, env = _environment(base, Path(tmp) / f"venv{i}")
            found[version] = env
    text = HEADER.format(pythons=", ".join(sorted(found)), platform=sys.platform)
    lines = _lines(found)
    CONSTRAINTS.write_text(text + "".join(f"{line}\n" for line in lines))
    print(f"wrote {CONSTRAINTS.relative_to(ROOT)}: {len(lines)} pins for Python {', '.join(found)}")
    return 0


def verify(python: Path) -> int:
    pins = read_pins(python=_version(python))
    found = _freeze(python)
    problems = [f"{name}: installed {version}, pinned {pins.get(name, 'nowhere')}"
                for name, version in sorted(found.items()) if pins.get(name) != version]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("the environment is not the pinned one: regenerate tests/constraints.txt "
              "(python tests/pin.py) or reinstall with -c tests/constraints.txt", file=sys.stderr)
        return 1
    print(f"{len(found)} packages, each at its pinned version")
    return 0


def newest(pytest_args: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        python = _venv(Path(tmp) / "venv")
        _install(python, "--upgrade", "pip")
        _install(python, "--upgrade", "-e", ".[test]")
        pins = read_pins()
        changed = {n: v for n, v in _freeze(python).items() if pins.get(n) != v}
        print("newer than the pins: " + (", ".join(
            f"{n} {pins.get(n, '(new)')} -> {v}" for n, v in sorted(changed.items())) or "none"))
        return subprocess.run([str(python), "-m", "pytest", "-q", *pytest_args],
                              check=False, cwd=ROOT).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--verify", metavar="PYTHON", type=Path,
                       help="check that this interpreter's environment is exactly the pins")
    group.add_argument("--newest", action="store_true",
                       help="run the suite with the newest releases (extra arguments go to pytest)")
    parser.add_argument("--python", action="append", default=[], metavar="PYTHON",
                        help="also pin what this (older) interpreter installs, under a "
                             "python_version marker where it differs (repeatable)")
    args, rest = parser.parse_known_args(argv)
    if args.verify:
        return verify(args.verify)
    if args.newest:
        return newest(rest)
    if rest:
        parser.error(f"unexpected arguments: {rest}")
    return regenerate([*args.python, sys.executable] if args.python else [sys.executable])


if __name__ == "__main__":
    sys.exit(main())
