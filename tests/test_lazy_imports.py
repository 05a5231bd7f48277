"""``import csrlib`` imports what reading a request needs, and the rest on first use.

The names csrlib exports lazily (PEP 562: the builder, the signers, the lint
rules) must behave as if imported eagerly: same objects, in ``dir()``,
``from csrlib import ...`` works, and ``csrlib.lint`` stays the function
whatever is imported first.  Each check runs in a fresh interpreter, since
this process has long imported everything.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest

import csrlib

needs_subprocess = pytest.mark.skipif(sys.platform in ("emscripten", "wasi"),
                                      reason="needs subprocesses")

# Never imported by ``import csrlib``: none is needed to read a request.
NOT_AT_IMPORT = ("csrlib.builder", "csrlib.signers", "csrlib.lint.engine", "csrlib.lint.rules",
                 "csrlib.lint.rsa_checks", "csrlib.lint.profiles", "csrlib.cli",
                 "pyasn1_modules.rfc5280", "pyasn1_modules.rfc2986")
# Imported when a request that carries what they type is read, or a name of
# theirs is asked of csrlib; not by ``import csrlib`` or a plain load.
LAZY_MODULES = ("csrlib.model.more_extensions", "csrlib.model.possession",
                "csrlib.model.certificate", "csrlib.cert_schemas")
#: ipaddress: read when a request holds an IP address (verification may import
#: it through gmpy2 when that is installed); hashlib and hmac: to verify.
ON_FIRST_USE = (*LAZY_MODULES, "ipaddress", "hashlib", "hmac")
#: csrlib's names that come from those modules.
LAZY_MODEL_NAMES = {
    "csrlib.model.more_extensions": (
        "AccessDescription", "AuthorityInformationAccess", "CertificateTemplate",
        "CertificateTemplateName", "CRLDistributionPoints", "DistributionPoint",
        "GeneralSubtree", "IPNetworkName", "NameConstraints", "TLSFeature"),
    "csrlib.model.certificate": ("Certificate",),
    "csrlib.model.possession": ("PossessionStatement",),
}


def run(code: str) -> object:
    """Run ``code`` in a fresh interpreter; return the JSON it prints."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


@needs_subprocess
def test_import_csrlib_imports_no_builder_signers_or_rules() -> None:
    loaded = run("import sys, json, csrlib; print(json.dumps(sorted(sys.modules)))")
    assert isinstance(loaded, list)
    assert [name for name in NOT_AT_IMPORT + ON_FIRST_USE if name in loaded] == []
    assert "csrlib.request" in loaded


_LOADED_AFTER = """\
import sys, json, csrlib
before = sorted(m for m in {watched!r} if m in sys.modules)
req = csrlib.load(bytes.fromhex({der!r}))
{code}
print(json.dumps([before, sorted(m for m in {watched!r} if m in sys.modules), result]))
"""


def _after_load(der: bytes, code: str, watched: tuple[str, ...] = LAZY_MODULES) -> object:
    return run(_LOADED_AFTER.format(watched=watched, der=der.hex(), code=code))


@needs_subprocess
def test_a_plain_load_and_verify_import_none_of_the_rarer_model_modules() -> None:
    der = csrlib.create("CN=plain.example", san=["DNS:plain.example"],
                        signer=csrlib.signers.generate("ec:P-256")).der
    code = ("req.verify(); san = req.extensions.value(csrlib.SubjectAlternativeName); "
            "result = [req.possession_statement is None, [n.value for n in san.names]]")
    assert _after_load(der, code) == [[], [], [True, ["plain.example"]]]


@needs_subprocess
def test_a_load_types_the_more_extensions_after_importing_their_module() -> None:
    tls = csrlib.TLSFeature((5,))
    aia = csrlib.AuthorityInformationAccess((csrlib.AccessDescription(
        "1.3.6.1.5.5.7.48.1", csrlib.UniformResourceIdentifier("http://ocsp.example/")),))
    der = (csrlib.CertificateRequestBuilder().subject("CN=more.example").add_extension(tls)
           .add_extension(aia).sign(csrlib.signers.generate("ec:P-256")).der)
    code = ("values = [e.value for e in req.extensions]; "
            "result = [[type(v).__module__, type(v).__name__] for v in values] "
            "+ [values[0] == csrlib.TLSFeature((5,)), repr(values[1])]")
    assert _after_load(der, code) == [
        [], ["csrlib.model.more_extensions"],
        [["csrlib.model.more_extensions", "TLSFeature"],
         ["csrlib.model.more_extensions", "AuthorityInformationAccess"], True, repr(aia)]]


@needs_subprocess
def test_a_load_reads_a_possession_statement_after_importing_its_modules() -> None:
    from tests.kem_helpers import make_certificate

    signer = csrlib.signers.generate("ec:P-256")
    cert = make_certificate(signer, 0x1234)
    other = csrlib.signers.generate("ec:P-256").public_key  # the key the request is for
    der = (csrlib.CertificateRequestBuilder().subject("CN=other.example").public_key(other)
           .possession_statement(cert).sign(signer).der)
    code = (f"s = req.possession_statement; req.verify(signer_certificate=bytes.fromhex("
            f"{cert.hex()!r})); result = [type(s).__name__, s.serial_number, "
            "s.issuer.rfc4514(), isinstance(s.certificate, csrlib.Certificate)]")
    assert _after_load(der, code) == [
        [], ["csrlib.cert_schemas", "csrlib.model.certificate", "csrlib.model.possession"],
        ["PossessionStatement", 0x1234, "CN=Test CA,O=Example", True]]


@needs_subprocess
def test_a_load_reads_ip_addresses_after_importing_ipaddress() -> None:
    der = csrlib.create("CN=ip.example", san=["IP:192.0.2.1", "IP:2001:db8::1"],
                        signer=csrlib.signers.generate("ec:P-256")).der
    code = ("san = req.extensions.value(csrlib.SubjectAlternativeName); "
            "result = [repr(n) for n in san.names]")
    assert _after_load(der, code, ("ipaddress",)) == [
        [], ["ipaddress"],
        ["IPAddress(value=IPv4Address('192.0.2.1'))",
         "IPAddress(value=IPv6Address('2001:db8::1'))"]]


@needs_subprocess
@pytest.mark.parametrize("module", sorted(LAZY_MODEL_NAMES))
def test_asking_csrlib_for_a_lazy_model_name_imports_its_module(module: str) -> None:
    name = LAZY_MODEL_NAMES[module][0]
    code = (f"import sys, json, csrlib\nbefore = {module!r} in sys.modules\n"
            f"value = csrlib.{name}\n"
            f"print(json.dumps([before, {module!r} in sys.modules, value.__module__]))")
    assert run(code) == [False, True, module]


def test_lazy_names_are_the_real_objects() -> None:
    from csrlib import CertificateRequestBuilder, Finding, create, signers
    from csrlib.builder import CertificateRequestBuilder as Builder
    from csrlib.builder import create as real_create
    from csrlib.lint.findings import Finding as RealFinding

    assert CertificateRequestBuilder is Builder
    for module, names in LAZY_MODEL_NAMES.items():
        for name in names:
            assert getattr(csrlib, name) is getattr(sys.modules[module], name), name
            assert name in csrlib.__all__ and name in dir(csrlib)
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


def test_the_load_path_knows_every_extension_more_extensions_types() -> None:
    from csrlib.model import extension_reading, more_extensions

    assert extension_reading.MORE_OIDS == more_extensions.MORE_OIDS


def test_every_extension_type_the_schema_decodes_has_a_reader_and_no_other() -> None:
    from csrlib import schemas
    from csrlib.model import extension_reading

    assert set(extension_reading._READERS) == {
        str(oid) for oid in schemas.EXTENSION_VALUE_TYPES}


@needs_subprocess
@pytest.mark.parametrize("enabled", [True, False])
def test_import_csrlib_leaves_the_cyclic_gc_as_it_found_it(enabled: bool) -> None:
    code = (f"import gc, json\ngc.enable() if {enabled} else gc.disable()\nimport csrlib\n"
            "print(json.dumps(gc.isenabled()))")
    assert run(code) is enabled


@needs_subprocess
def test_import_csrlib_defers_the_schemas_until_a_request_is_read() -> None:
    code = ("import sys, json, csrlib\n"
            "mods = [sys.modules[n] for n in ('csrlib.schemas', 'csrlib.key_schemas')]\n"
            "before = [len(vars(m)) < 10 for m in mods]\n"
            f"csrlib.load(bytes.fromhex({_PLAIN.hex()!r}))\n"
            "print(json.dumps([before, [type(m).__name__ for m in mods],"
            " hasattr(mods[0], 'CertificationRequest')]))")
    # An EC request needs no key schema (RSA and PSS parameters do).
    assert run(code) == [[True, True], ["module", "_Deferred"], True]


_PLAIN = csrlib.create("CN=plain.example", signer=csrlib.signers.generate("ec:P-256")).der


def _deferred(tmp_path: Path, name: str, body: str) -> tuple[ModuleType, ModuleType]:
    """Write package ``name`` with a module ``late`` of ``body``; defer it; return both."""
    from csrlib.deferred import defer

    package_dir = tmp_path / name
    package_dir.mkdir()
    (package_dir / "__init__.py").write_text("")
    (package_dir / "late.py").write_text(body)
    sys.path.insert(0, str(tmp_path))
    try:
        package = importlib.import_module(name)
    finally:
        sys.path.remove(str(tmp_path))
    defer(f"{name}.late")
    return package, importlib.import_module(f"{name}.late")  # found, not run


def test_a_deferred_module_runs_once_when_a_name_is_first_read(tmp_path: Path) -> None:
    import builtins

    package, late = _deferred(tmp_path, "deferred_pkg_a",
                              "import builtins\nbuiltins.deferred_runs = "
                              "getattr(builtins, 'deferred_runs', 0) + 1\nVALUE = 42\n")
    from deferred_pkg_a import late as bound  # binds the module, does not run it

    assert late is bound is package.late is sys.modules["deferred_pkg_a.late"]
    assert getattr(builtins, "deferred_runs", 0) == 0
    assert late.__name__ == "deferred_pkg_a.late"  # what the module has: no run
    assert getattr(builtins, "deferred_runs", 0) == 0
    assert late.VALUE == 42
    assert builtins.deferred_runs == 1
    assert type(late) is ModuleType
    with pytest.raises(AttributeError, match="has no attribute 'missing'"):
        late.missing  # noqa: B018
    assert builtins.deferred_runs == 1
    del builtins.deferred_runs


@pytest.mark.skipif(sys.platform in ("emscripten", "wasi"), reason="needs threads")
def test_threads_reading_a_deferred_module_wait_for_its_one_run(tmp_path: Path) -> None:
    import builtins

    _, late = _deferred(tmp_path, "deferred_pkg_b",
                        "import builtins, time\nbuiltins.deferred_b_runs = "
                        "getattr(builtins, 'deferred_b_runs', 0) + 1\nFIRST = 1\n"
                        "time.sleep(0.2)\nLAST = 2\n")
    results: list[object] = []

    def read() -> None:
        try:
            results.append(late.LAST)
        except AttributeError as exc:  # pragma: no cover - what the lock prevents
            results.append(exc)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [2] * 8
    assert builtins.deferred_b_runs == 1
    del builtins.deferred_b_runs
