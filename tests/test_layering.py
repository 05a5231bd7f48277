"""The package layout is the architecture: imports point down the layers, in no circle.

Read from the import statements (``ast``), every one of them, including
those inside functions and under ``TYPE_CHECKING``: a deferred import is
still a dependency.  The layers, bottom up (README, "Architecture"):

    foundation  errors, jsontext, oids, pem, schemas, key_schemas
    der         strict DER, schema-less
    asn1        the schema-driven codec
    model       what a request holds, and reading it
    crypto      signature arithmetic and policy
    signers     private keys, key files, signing
    request     CertificateRequest, load*
    builder     CertificateRequestBuilder, create
    lint        judging a request (imported only by cli and csrlib/__init__)
    cli, fuzz   the command line, the fuzzing toolkit (imported by nothing else)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import csrlib

# The package under test wherever it is installed (the source tree, or a
# wheel's files in the Pyodide suite).
PACKAGE = Path(csrlib.__file__).resolve().parent

#: Layer of each top-level part of csrlib; a module may import its own
#: layer and those below it (a lower number), nothing above.
LAYER = {
    "errors": 0, "_version": 0, "jsontext": 0, "frozen": 0, "deferred": 0, "der": 1,
    "oids": 2, "pem": 2, "schemas": 2, "key_schemas": 2, "cert_schemas": 2,
    "asn1": 3, "model": 4,
    "crypto": 5, "signers": 6, "request": 7, "builder": 8, "lint": 9, "fuzz": 9, "cli": 9,
    "built_request": 8,
    "__init__": 10, "__main__": 11, "zipapp": 11,
}
#: Narrower rules the numbers do not say.
ONLY = {
    "der": {"errors", "frozen", "der"},
    "asn1": {"errors", "der", "asn1"},
}
#: Imported by nothing but themselves and the entry points.
ENTRY_ONLY = {"cli": {"cli", "__main__", "zipapp"}, "fuzz": {"fuzz"},
              "lint": {"lint", "cli", "__init__"}}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def imports_of(name: str) -> set[str]:
    """Return the csrlib modules ``name`` imports (a package: its ``__init__``)."""
    tree = ast.parse(MODULES[name].read_text(), str(MODULES[name]))
    here = name.split(".") if _is_package(name) else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "csrlib")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1]
                                + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.split(".")[0] != "csrlib":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    unknown = {m for m in found if m not in MODULES}
    assert not unknown, f"{name} imports modules that do not exist: {unknown}"
    return found - {name}


def _part(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


GRAPH = {name: imports_of(name) for name in MODULES}


def violations(name: str, targets: set[str]) -> list[str]:
    """Return what breaks the layering among ``name``'s imports of ``targets``."""
    part = _part(name)
    found = []
    for target in sorted(targets):
        other = _part(target)
        where = f"{name} imports {target}"
        if LAYER[other] > LAYER[part]:
            found.append(f"{where}: {other} is above {part}")
        if part in ONLY and other not in ONLY[part]:
            found.append(f"{where}: {part} may import only {sorted(ONLY[part])}")
        if other in ENTRY_ONLY and part not in ENTRY_ONLY[other]:
            found.append(f"{where}: nothing outside imports {other}")
    return found


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the import circles of ``graph`` (depth-first), each as the modules on it."""
    state: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(name: str) -> None:
        state[name] = 1
        stack.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                found.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    return found


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name: str) -> None:
    assert violations(name, GRAPH[name]) == []


def test_no_import_circle() -> None:
    assert circles(GRAPH) == []


def test_every_part_has_a_layer_and_no_module_is_long() -> None:
    assert len(MODULES) > 50, PACKAGE
    assert {_part(n) for n in MODULES} <= set(LAYER)
    long = {n: len(p.read_text().splitlines()) for n, p in MODULES.items()}
    assert {n: lines for n, lines in long.items() if lines > 500} == {}


def test_the_checks_see_what_they_must() -> None:
    # Imports inside functions count; upward imports, a narrow layer's
    # reach and imports of cli/fuzz are caught; a circle is found.
    assert "csrlib.signers.key_writing" in GRAPH["csrlib.signers.rsa_backend"]  # in a method
    assert violations("csrlib.model.keys", {"csrlib.crypto.verify"})
    assert violations("csrlib.der.tlv", {"csrlib.oids"})
    assert violations("csrlib.asn1.plan", {"csrlib.schemas"})
    assert violations("csrlib.builder", {"csrlib.fuzz.strategies"})
    assert violations("csrlib.request", {"csrlib.cli.show"})
    assert not violations("csrlib.cli.show", {"csrlib.request", "csrlib.cli.text"})
    assert violations("csrlib.request", {"csrlib.lint.engine"})
    assert violations("csrlib.lint.engine", {"csrlib.cli.text"})
    assert not violations("csrlib.cli.lint", {"csrlib.lint.engine"})
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert circles({"a": {"b"}, "b": set()}) == []
