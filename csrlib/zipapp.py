"""Build ``csrlib.pyz``: csrlib and its pure-Python dependencies in one runnable file.

    python -m csrlib.zipapp                      # writes ./csrlib.pyz
    python -I -S csrlib.pyz new --subject CN=example.com --key-out key.pem --out request.csr

The archive holds csrlib and the packages it imports at run time (``pyasn1``,
``pyasn1_modules``, ``ecdsa``, ``rsa``, ``idna``, and ``six``, which ``ecdsa``
needs), and ``dilithium_py`` and ``kyber_py`` (ML-DSA and ML-KEM, the ``pq``
extra) when they are installed,
taken from the interpreter that builds it, with each distribution's
METADATA and license files. It needs nothing installed (no pip, no
site-packages), and used as a path entry (``sys.path.insert(0, "csrlib.pyz")``)
it is a library too.

Sources run on every Python csrlib supports. Bytecode for the building
interpreter sits beside each source (hash-checked, PEP 552), so the same
version starts without compiling; any other version ignores it and compiles.
The archive is reproducible: same inputs, same bytes.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import marshal
import os
import sys
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["BUNDLED", "OPTIONAL", "build"]

# (import name, distribution name): what csrlib imports at run time, and six,
# which ecdsa imports.  Optional accelerators (gmpy2) are native code and stay out.
BUNDLED: tuple[tuple[str, str], ...] = (
    ("csrlib", "csrlib"),
    ("pyasn1", "pyasn1"),
    ("pyasn1_modules", "pyasn1-modules"),
    ("ecdsa", "ecdsa"),
    ("rsa", "rsa"),
    ("idna", "idna"),
    ("six", "six"),
)

#: Optional packages (extras) bundled when the building interpreter has them:
#: dilithium-py and kyber-py, the ``pq`` extra's ML-DSA and ML-KEM arithmetic
#: (pure Python).  kyber-py is bundled because ``csrlib keygen ml-kem-768``
#: makes ML-KEM keys with it (and reading a seed-form ML-KEM key file expands
#: the seed with it); reading ML-KEM public keys and requests needs neither.
#: Without them the archive still loads ML-DSA and ML-KEM requests, and
#: verifying or signing an ML-DSA one, or making an ML-KEM key, says "install
#: csrlib[pq]" (which a single file cannot do: rebuild the archive where
#: csrlib[pq] is installed).
OPTIONAL: tuple[tuple[str, str], ...] = (
    ("dilithium_py", "dilithium-py"),
    ("kyber_py", "kyber-py"),
)

DEFAULT_INTERPRETER = "/usr/bin/env python3"

_MAIN = b"""\
import sys

from csrlib.cli import main

sys.exit(main())
"""

# A fixed timestamp (the earliest a ZIP entry can hold) keeps the archive reproducible.
_EPOCH = (1980, 1, 1, 0, 0, 0)
_NATIVE_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")
# Hash-based pyc whose source hash the importer checks (PEP 552 flags 0b11): a pyc
# can never stand in for a source that differs from the one it was compiled from.
_CHECKED_HASH_PYC = 0b11


class ZipappError(Exception):
    """A package to bundle is missing or is not pure Python."""


def _package_files(import_name: str) -> Iterator[tuple[str, Path]]:
    """Yield ``(name in the archive, file)`` for every source file of a package or module."""
    spec = importlib.util.find_spec(import_name)
    if spec is None or spec.origin is None:
        raise ZipappError(f"{import_name} is not installed in {sys.executable}")
    origin = Path(spec.origin)
    # Judged by the file, not by __path__: six gives its module a __path__ for six.moves.
    if origin.name != "__init__.py":
        if origin.suffix != ".py":
            raise ZipappError(f"{import_name} is not pure Python ({origin.name})")
        yield origin.name, origin
        return
    root = origin.parent
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(root.parent).as_posix()
        if path.name.endswith(_NATIVE_SUFFIXES):
            raise ZipappError(f"{import_name} is not pure Python ({relative})")
        # Dependencies' own test modules (ecdsa ships its suite) are not needed to run.
        if import_name != "csrlib" and path.name.startswith("test_"):
            continue
        if path.suffix == ".py" or path.name == "py.typed":
            yield relative, path


def _metadata_files(distribution: str) -> Iterator[tuple[str, bytes]]:
    """Yield the METADATA and license files of an installed distribution, if it has them."""
    try:
        dist = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return
    for file in dist.files or ():
        parts = file.parts
        if not parts or not parts[0].endswith(".dist-info"):
            continue
        name = file.name.upper()
        if name == "METADATA" or "LICEN" in name or "COPYING" in name or "NOTICE" in name:
            yield file.as_posix(), file.read_binary()


def _pyc(source: bytes, name: str) -> bytes | None:
    """Return checked-hash bytecode for ``source`` (PEP 552), or None if it does not compile."""
    try:
        code = compile(source, name, "exec", dont_inherit=True)
    except SyntaxError:
        return None
    return (importlib.util.MAGIC_NUMBER + _CHECKED_HASH_PYC.to_bytes(4, "little")
            + importlib.util.source_hash(source) + marshal.dumps(code))


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def build(
    output: str | os.PathLike[str] = "csrlib.pyz",
    *,
    interpreter: str | None = DEFAULT_INTERPRETER,
    compile_bytecode: bool = True,
) -> dict[str, str]:
    """Write the zipapp to ``output``; return ``{distribution: version}`` of what it holds.

    Raises ZipappError if a package is missing or is not pure Python.
    """
    entries: dict[str, bytes] = {"__main__.py": _MAIN}
    versions: dict[str, str] = {}
    optional = tuple(item for item in OPTIONAL if importlib.util.find_spec(item[0]) is not None)
    for import_name, distribution in BUNDLED + optional:
        for name, path in _package_files(import_name):
            data = path.read_bytes()
            entries[name] = data
            if compile_bytecode and name.endswith(".py"):
                pyc = _pyc(data, name)
                if pyc is not None:
                    entries[name + "c"] = pyc
        for name, data in _metadata_files(distribution):
            entries[name] = data
        try:
            versions[distribution] = importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            versions[distribution] = "unknown"
    # zipimport knows no namespace packages (PEP 420): dilithium_py's "shake" has
    # no __init__.py, so the archive gives each such directory an empty one.
    for name in [n for n in entries if n.endswith(".py") and "/" in n]:
        parts = name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            init = "/".join(parts[:depth]) + "/__init__.py"
            if init not in entries:
                entries[init] = b""
                if compile_bytecode:
                    entries[init + "c"] = _pyc(b"", init) or b""
    if compile_bytecode:
        pyc = _pyc(_MAIN, "__main__.py")
        assert pyc is not None
        entries["__main__.pyc"] = pyc

    target = Path(output)
    partial = target.with_name(target.name + ".partial")
    with partial.open("wb") as file:
        if interpreter:
            file.write(b"#!" + interpreter.encode() + b"\n")
        with zipfile.ZipFile(file, "w") as archive:
            for name in sorted(entries):
                _write(archive, name, entries[name])
    partial.chmod(0o755)
    partial.replace(target)
    return versions


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m csrlib.zipapp``; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m csrlib.zipapp",
        description="Write csrlib and its pure-Python dependencies into one runnable file.",
        epilog="then: python csrlib.pyz new --subject CN=example.com --key-out key.pem "
               "--out request.csr",
    )
    parser.add_argument("-o", "--output", default="csrlib.pyz",
                        help="the file to write (default: %(default)s)")
    parser.add_argument("-p", "--python", default=DEFAULT_INTERPRETER, metavar="INTERPRETER",
                        help='the "#!" line\'s interpreter, "" for none (default: %(default)s)')
    parser.add_argument("--no-compile", action="store_true",
                        help="sources only: smaller, but every start compiles them")
    args = parser.parse_args(argv)
    try:
        versions = build(args.output, interpreter=args.python or None,
                         compile_bytecode=not args.no_compile)
    except (ZipappError, OSError) as exc:
        print(f"csrlib.zipapp: error: {exc}", file=sys.stderr)
        return 2
    size = Path(args.output).stat().st_size
    held = ", ".join(f"{name} {version}" for name, version in versions.items())
    print(f"wrote {args.output} ({size // 1024} KiB): {held}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
