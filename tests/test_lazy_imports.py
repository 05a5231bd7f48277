"""``import csrlib`` imports what reading a request needs, and the rest on first use.

The names csrlib exports lazily (PEP 562: the builder, the signers, the lint
rules) must behave as if imported eagerly: same objects, in ``dir()``,
``from csrlib import ...`` works, and ``csrlib.lint`` stays the function
whatever is imported first.  Each check runs in a fresh interpreter, since
this process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import csrlib

needs_subprocess = pytest.mark.skipif(sys.platform in ("emscripten", "wasi"),
                                      reason="needs subprocesses")

# Never imported by ``import csrlib``: none is needed to read a request.
NOT_AT_IMPORT = ("csrlib.builder", "csrlib.signers", "csrlib.lint.engine", "csrlib.lint.rules",
                 "csrlib.lint.rsa_checks", "csrlib.lint.profiles", "csrlib.cli",
                 "pyasn1_modules.rfc5280", "pyasn1_modules.rfc2986")


def run(code: str) -> object:
    """Run ``code`` in a fresh interpreter; return the JSON it prints."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


@needs_subprocess
def test_import_csrlib_imports_no_builder_signers_or_rules() -> None:
    loaded = run("import sys, json, csrlib; print(json.dumps(sorted(sys.modules)))")
    assert isinstance(loaded, list)
    assert [name for name in NOT_AT_IMPORT if name in loaded] == []
    assert "csrlib.request" in loaded


def test_lazy_names_are_the_real_objects() -> None:
    from csrlib import CertificateRequestBuilder, Finding, create, signers
    from csrlib.builder import CertificateRequestBuilder as Builder
    from csrlib.builder import create as real_create
    from csrlib.lint.findings import Finding as RealFinding

    assert CertificateRequestBuilder is Builder
    assert create is real_create
    assert Finding is RealFinding
    assert signers is sys.modules["csrlib.signers"]
    assert {"CertificateRequestBuilder", "create", "signers", "Finding", "lint",
            "load"} <= set(dir(csrlib))
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        csrlib.nonsense  # noqa: B018
    lint_package = sys.modules["csrlib.lint"]
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        lint_package.nonsense  # noqa: B018


@needs_subprocess
@pytest.mark.parametrize("first", [
    "import csrlib",
    "import csrlib.lint.rules",
    "from csrlib.lint import Profile",
    "import csrlib.cli.lint",
    "import csrlib.signers",
    "from csrlib import create",
])
def test_csrlib_lint_is_the_function_whatever_is_imported_first(first: str) -> None:
    code = (f"{first}\nimport csrlib, json\nfrom csrlib.lint import RULES, Profile\n"
            "import csrlib.lint.engine\n"
            "print(json.dumps([callable(csrlib.lint), type(csrlib.lint).__name__,"
            " len(RULES) > 0, Profile.__module__]))")
    assert run(code) == [True, "function", True, "csrlib.lint.profiles"]


def test_lint_through_the_lazy_package_finds_what_the_engine_finds() -> None:
    from csrlib.lint.engine import run_rules

    req = csrlib.create("CN=localhost", signer=csrlib.signers.generate("ec:P-256"))
    found = csrlib.lint(req, "cabf")
    assert [f.rule for f in found] == [f.rule for f in run_rules(req, "cabf", None, None)]
    assert "cn.not-in-san" in {f.rule for f in found}  # BR 7.1.4.3: a CN with no SAN
