"""csrlib.zipapp: the single-file build runs on a bare interpreter (``python -I -S``)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import csrlib
from csrlib import zipapp

# Pyodide and other WebAssembly builds cannot start a process.
needs_subprocess = pytest.mark.skipif(
    sys.platform in ("emscripten", "wasi"), reason="cannot start processes here")


@pytest.fixture(scope="module")
def pyz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A zipapp built by ``python -m csrlib.zipapp`` (in process, so it works everywhere)."""
    path = tmp_path_factory.mktemp("zipapp") / "csrlib.pyz"
    assert zipapp.main(["-o", str(path)]) == 0
    return path


def _bare(pyz: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the zipapp on an isolated interpreter: no site-packages, no PYTHON* variables."""
    return subprocess.run([sys.executable, "-I", "-S", str(pyz), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def test_holds_csrlib_and_its_pure_python_dependencies(pyz: Path) -> None:
    with zipfile.ZipFile(pyz) as archive:
        names = set(archive.namelist())
    assert {"__main__.py", "csrlib/__init__.py", "csrlib/cli/dispatch.py", "pyasn1/__init__.py",
            "pyasn1_modules/rfc2986.py", "ecdsa/__init__.py", "rsa/__init__.py",
            "six.py", "dilithium_py/ml_dsa/ml_dsa.py", "kyber_py/ml_kem/ml_kem.py",
            # zipimport needs a regular package where dilithium_py has a namespace one
            "dilithium_py/shake/__init__.py"} <= names
    # Bytecode beside the sources for this interpreter; no native code, no caches.
    assert "csrlib/cli/dispatch.pyc" in names
    assert not [n for n in names if n.endswith((".so", ".pyd")) or "__pycache__" in n]
    # ecdsa's own test suite is left out; every license is kept.
    assert not [n for n in names if n.startswith("ecdsa/test_")]
    licensed = {n.split("-")[0] for n in names if ".dist-info/" in n and "LICEN" in n.upper()}
    assert {"pyasn1", "pyasn1_modules", "ecdsa", "rsa", "six"} <= licensed
    assert pyz.read_bytes().startswith(b"#!/usr/bin/env python3\n")


def test_build_is_reproducible(pyz: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.pyz"
    versions = zipapp.build(again)
    assert again.read_bytes() == pyz.read_bytes()
    assert versions["csrlib"] == csrlib.__version__
    # The pq extra (dilithium-py, kyber-py) is installed with the test extra.
    assert set(versions) == {"csrlib", "pyasn1", "pyasn1-modules", "ecdsa", "rsa", "idna", "six",
                             "dilithium-py", "kyber-py"}


def test_sources_only_and_no_shebang(tmp_path: Path) -> None:
    out = tmp_path / "plain.pyz"
    zipapp.build(out, interpreter=None, compile_bytecode=False)
    data = out.read_bytes()
    assert data.startswith(b"PK")
    with zipfile.ZipFile(out) as archive:
        assert not [n for n in archive.namelist() if n.endswith(".pyc")]


def test_missing_package_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(zipapp, "BUNDLED", (*zipapp.BUNDLED, ("no_such_module_xyz", "nope")))
    with pytest.raises(zipapp.ZipappError, match="no_such_module_xyz is not installed"):
        zipapp.build(tmp_path / "x.pyz")
    assert zipapp.main(["-o", str(tmp_path / "x.pyz")]) == 2
    assert "no_such_module_xyz" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@needs_subprocess
def test_new_show_verify_on_a_bare_interpreter(pyz: Path, tmp_path: Path) -> None:
    made = _bare(pyz, "new", "--subject", "CN=zipapp.example,O=Example", "--san",
                 "DNS:zipapp.example,IP:192.0.2.9", "--key-out", "key.pem", "--out", "req.csr",
                 cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    req = csrlib.load((tmp_path / "req.csr").read_bytes())
    req.verify()
    assert req.subject.rfc4514() == "CN=zipapp.example,O=Example"

    verified = _bare(pyz, "verify", "req.csr", cwd=tmp_path)
    assert (verified.returncode, verified.stdout) == (0, "OK req.csr\n")

    shown = _bare(pyz, "show", "--json", "req.csr", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    summary = json.loads(shown.stdout)
    assert summary["signature_valid"] is True
    assert summary["public_key"]["curve"] == "secp256r1"
    assert [(s["type"], s["value"]) for s in summary["san"]] == [
        ("DNS", "zipapp.example"), ("IP", "192.0.2.9")]


@needs_subprocess
def test_keygen_and_signing_with_a_key_file(pyz: Path, tmp_path: Path) -> None:
    for spec, name in (("ed25519", "ed.pem"), ("ec:P-384", "p384.pem"),
                       ("ml-dsa-65", "mldsa.pem")):
        assert _bare(pyz, "keygen", spec, "--out", name, cwd=tmp_path).returncode == 0
        made = _bare(pyz, "new", "--key", name, "--subject", "/CN=from-key",
                     "--out", f"{name}.csr", cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        csrlib.load((tmp_path / f"{name}.csr").read_bytes()).verify()
    # An ML-KEM key (kyber-py, bundled) and a request for it signed by a certificate's key.
    made = _bare(pyz, "keygen", "ml-kem-768", "--out", "kem.pem", "--public-out", "kem.pub",
                 cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    from csrlib.signers import MlKemPrivateKey, load_private_key
    from tests.kem_helpers import make_certificate

    kem = MlKemPrivateKey.from_pem((tmp_path / "kem.pem").read_bytes())
    assert csrlib.PublicKey.from_pem((tmp_path / "kem.pub").read_bytes()) == kem.public_key
    signer = load_private_key((tmp_path / "ed.pem").read_bytes())
    (tmp_path / "sig.crt").write_bytes(make_certificate(signer, 9))
    made = _bare(pyz, "new", "--key", "ed.pem", "--public-key", "kem.pub", "--signer-cert",
                 "sig.crt", "--subject", "/CN=kem", "--out", "kem.csr", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    req = csrlib.load((tmp_path / "kem.csr").read_bytes())
    assert req.public_key == kem.public_key
    req.verify(signer_certificate=(tmp_path / "sig.crt").read_bytes())
    broken = _bare(pyz, "verify", "missing.csr", cwd=tmp_path)
    assert broken.returncode == 2
    assert broken.stdout.startswith("ERROR missing.csr")


@needs_subprocess
def test_usable_as_a_library_path_entry(pyz: Path, tmp_path: Path) -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import csrlib, ecdsa, pyasn1, pyasn1_modules, rsa, six\n"
        "from csrlib import signers\n"
        "req = csrlib.create('CN=lib.example', san=['DNS:lib.example'],\n"
        "                    signer=signers.generate('ed25519'))\n"
        "csrlib.load(req.to_der()).verify()\n"
        "mods = (csrlib, ecdsa, pyasn1, pyasn1_modules, rsa, six)\n"
        "print(all(m.__file__.startswith(sys.argv[1]) for m in mods))\n"
    )
    run = subprocess.run([sys.executable, "-I", "-S", "-c", code, str(pyz)], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120, check=False)
    assert (run.returncode, run.stdout) == (0, "True\n"), run.stderr


@needs_subprocess
def test_sources_run_where_the_bytecode_does_not_fit(tmp_path: Path) -> None:
    # Another Python version ignores the bundled .pyc (wrong magic) and compiles the sources:
    # a sources-only archive is what that interpreter sees.
    out = tmp_path / "plain.pyz"
    zipapp.build(out, compile_bytecode=False)
    run = _bare(out, "keygen", "ec:P-256", "--out", "k.pem", cwd=tmp_path)
    assert run.returncode == 0, run.stderr



_IMPORTED = """\
import sys
sys.path.insert(0, sys.argv[1])
import csrlib
from csrlib import signers
{code}
print(" ".join(sorted({{name.split(".")[0] for name in sys.modules}})))
"""


def _rsa_request(directory: Path) -> Path:
    """Write an RSA-2048 request made with cryptography (fast, unlike pure-Python keygen)."""
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    csr = (x509.CertificateSigningRequestBuilder().subject_name(x509.Name([]))
           .sign(rsa.generate_private_key(65537, 2048), hashes.SHA256()))
    path = directory / "rsa.der"
    path.write_bytes(csr.public_bytes(serialization.Encoding.DER))
    return path


@needs_subprocess
@pytest.mark.parametrize(("task", "code", "absent"), [
    ("import", "", {"rsa", "ecdsa", "six", "idna", "gmpy2", "hypothesis", "cryptography",
                    "asn1crypto", "dilithium_py"}),
    ("cli", "import csrlib.cli.dispatch; csrlib.cli.dispatch._parser()",
     {"rsa", "ecdsa", "idna", "hypothesis", "dilithium_py"}),
    ("ec", "r = csrlib.create('CN=x', san=['DNS:x.example'], signer=signers.generate('ec:P-256'))"
           "\ncsrlib.load(r.der).verify()", {"rsa", "idna", "dilithium_py"}),
    ("idna", "csrlib.SubjectAlternativeName.from_strings(['DNS:faß.example'])", {"rsa", "ecdsa"}),
    ("ed25519", "r = csrlib.create('CN=x', signer=signers.generate('ed25519'))\n"
                "csrlib.load(r.der).verify()", {"rsa", "dilithium_py"}),
    ("rsa", "csrlib.load(open(sys.argv[2], 'rb').read()).verify()",
     {"ecdsa", "six", "dilithium_py", "kyber_py"}),
    ("ml-dsa", "r = csrlib.create('CN=x', signer=signers.generate('ml-dsa-44'))\n"
               "csrlib.load(r.der).verify()", {"rsa", "idna", "kyber_py"}),
])
def test_backends_are_imported_only_when_used(pyz: Path, tmp_path: Path, task: str, code: str,
                                              absent: set[str]) -> None:
    # The single file holds no optional package but the pq extra's, so
    # anything imported is csrlib's doing; benchmarks/import_cost.py --check checks the
    # same rules on an installed csrlib.
    extra = [str(_rsa_request(tmp_path))] if task == "rsa" else []
    run = subprocess.run([sys.executable, "-I", "-S", "-c", _IMPORTED.format(code=code),
                          str(pyz), *extra], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    imported = set(run.stdout.split())
    assert {"csrlib", "pyasn1"} <= imported
    assert not imported & absent, f"{task} imported {sorted(imported & absent)}"


@needs_subprocess
def test_without_the_pq_extra_ml_dsa_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from csrlib import signers

    monkeypatch.setattr(zipapp, "OPTIONAL", ())
    plain = tmp_path / "plain.pyz"
    versions = zipapp.build(plain, compile_bytecode=False)
    assert "dilithium-py" not in versions and "kyber-py" not in versions
    with zipfile.ZipFile(plain) as archive:
        assert not [n for n in archive.namelist() if n.startswith(("dilithium_py", "kyber_py"))]
    request = csrlib.create("CN=pq.example", signer=signers.generate("ml-dsa-44"))
    (tmp_path / "pq.csr").write_bytes(request.der)
    shown = _bare(plain, "show", "pq.csr", cwd=tmp_path)
    assert shown.returncode == 0 and "ML-DSA-44 Public-Key:" in shown.stdout
    checked = _bare(plain, "verify", "pq.csr", cwd=tmp_path)
    assert checked.returncode != 0 and "install csrlib[pq]" in checked.stdout + checked.stderr
    made = _bare(plain, "keygen", "ml-dsa-44", "--out", "k.pem", cwd=tmp_path)
    assert made.returncode != 0 and "install csrlib[pq]" in made.stderr
    assert not (tmp_path / "k.pem").exists()
    made = _bare(plain, "keygen", "ml-kem-512", "--out", "k.pem", cwd=tmp_path)
    assert made.returncode != 0 and "install csrlib[pq]" in made.stderr
    assert not (tmp_path / "k.pem").exists()
