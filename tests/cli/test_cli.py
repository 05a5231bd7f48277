"""The console script, run as a subprocess: every command, exit codes, files, stdin/stdout."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tests.conftest import OPENSSL

SCRIPT = Path(sys.executable).with_name("csrlib")


@dataclass
class Result:
    returncode: int
    raw: bytes
    stdout: str
    stderr: str


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> Result:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "csrlib"]
    done = subprocess.run([*command, *args], cwd=cwd, input=stdin, capture_output=True,
                          check=False)
    return Result(done.returncode, done.stdout, done.stdout.decode("utf-8", "replace"),
                  done.stderr.decode("utf-8", "replace"))


def test_new_show_verify_round_trip(tmp_path: Path) -> None:
    made = run("new", "--subject", "CN=example.com,O=Example", "--san",
               "DNS:example.com,DNS:www.example.com", "--san", "IP:192.0.2.1",
               "--key-usage", "digitalSignature,keyEncipherment", "--eku", "serverAuth",
               "--basic-constraints", "CA:FALSE", "--challenge-password", "pw",
               "--key-out", "key.pem", "--out", "req.csr", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(os.stat(tmp_path / "key.pem").st_mode) == 0o600
    theirs = x509.load_pem_x509_csr((tmp_path / "req.csr").read_bytes())
    assert theirs.is_signature_valid
    assert theirs.subject.rfc4514_string() == "CN=example.com,O=Example"
    shown = run("show", "req.csr", cwd=tmp_path)
    assert shown.returncode == 0
    for text in ("CN=example.com,O=Example", "Signature: valid", "DNS:example.com",
                 "IP:192.0.2.1", "keyUsage: critical", "digitalSignature, keyEncipherment",
                 "serverAuth", "challengePassword        :pw"):
        assert text in shown.stdout, text
    verified = run("verify", "req.csr", cwd=tmp_path)
    assert (verified.returncode, verified.stdout) == (0, "OK req.csr\n")
    if OPENSSL is not None:
        out = subprocess.run([OPENSSL, "req", "-in", "req.csr", "-verify", "-noout", "-text"],
                             cwd=tmp_path, capture_output=True, text=True, check=False)
        # OpenSSL 3.0 exits 0 even after "verify failure": check what it says.
        assert out.returncode == 0 and "verify OK" in out.stdout + out.stderr, out.stderr
        assert "DNS:www.example.com" in out.stdout and "TLS Web Server Authentication" in \
            out.stdout


@pytest.mark.parametrize("spec", ["ec:P-384", "ed25519", "rsa:1024"])
def test_keygen_then_new_with_that_key(tmp_path: Path, spec: str) -> None:
    extra = ["--allow-weak"] if spec == "rsa:1024" else []
    made = run("keygen", spec, "--out", "k.pem", *extra, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(os.stat(tmp_path / "k.pem").st_mode) == 0o600
    again = run("keygen", spec, "--out", "k.pem", *extra, cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr
    if OPENSSL is not None:
        assert subprocess.run([OPENSSL, "pkey", "-in", "k.pem", "-noout"], cwd=tmp_path,
                              check=False).returncode == 0
    options = ["--pss"] if spec.startswith("rsa") else []
    new = run("new", "--key", "k.pem", "--subject", "/C=US/O=Example/CN=x", "--der", *options,
              cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    der = new.raw
    req = x509.load_der_x509_csr(der)
    assert req.is_signature_valid
    assert req.subject.rfc4514_string() == "CN=x,O=Example,C=US"
    piped = json.loads(run("show", "--json", "-", cwd=tmp_path, stdin=der).stdout)
    if spec == "rsa:1024":
        # Valid, but under the default policy's 2048 bits.
        assert piped["signature_valid"] is False
        assert piped["verify_error"].startswith("PolicyError")
        piped = json.loads(run("show", "--json", "--policy", "legacy", "-", cwd=tmp_path,
                               stdin=der).stdout)
    assert piped["signature_valid"] is True


def test_show_json_shape_matches_cryptography(tmp_path: Path,
                                              openssl_csrs: dict[str, bytes]) -> None:
    # Keys are only ever added: those of before, and the new ones.
    keys = {"subject", "subject_attributes", "public_key", "signature_algorithm",
            "signature_valid", "verify_error", "extensions", "san", "attributes",
            "deviations", "der_sha256", "file", "version", "signature"}
    for name, der in list(openssl_csrs.items())[:12]:
        path = tmp_path / f"{name}.der"
        path.write_bytes(der)
        result = run("show", "--json", "--policy", "legacy", str(path), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert set(data) == keys
        theirs = x509.load_der_x509_csr(der)
        assert data["subject"] == theirs.subject.rfc4514_string()
        assert data["signature_algorithm"]["oid"] == theirs.signature_algorithm_oid.dotted_string
        assert data["signature_valid"] == theirs.is_signature_valid or \
            data["public_key"]["type"] == "unknown"
        assert [e["oid"] for e in data["extensions"]] == [
            e.oid.dotted_string for e in theirs.extensions]
        assert {"type", "size", "curve", "fingerprint_sha256", "algorithm"} <= set(
            data["public_key"])
        assert set(data["signature_algorithm"]) == {"oid", "name", "hash", "parameters"}
        for entry in data["san"]:
            assert set(entry) == {"type", "value"}


def test_verify_exit_codes_directories_and_jobs(tmp_path: Path) -> None:
    assert run("new", "--subject", "CN=a", "--key-out", "k.pem", "-o", "good.csr",
               cwd=tmp_path).returncode == 0
    good = (tmp_path / "good.csr").read_text()
    der = x509.load_pem_x509_csr(good.encode()).public_bytes(Encoding.DER)
    bad = bytearray(der)
    bad[-3] ^= 1  # inside the signature
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i}.csr").write_text(good)
    (folder / "notes.txt").write_text("not a request, and not picked up")
    assert run("verify", "many", cwd=tmp_path).returncode == 0
    assert run("verify", "--jobs", "2", "many", cwd=tmp_path).stdout.count("OK ") == 3
    (folder / "bad.der").write_bytes(bytes(bad))
    failed = run("verify", "-j", "2", "many", cwd=tmp_path)
    assert failed.returncode == 1
    assert "FAIL many/bad.der: InvalidSignature" in failed.stdout
    (folder / "broken.csr").write_text("-----BEGIN CERTIFICATE REQUEST-----\nMA==\n")
    broken = run("verify", "many", cwd=tmp_path)
    assert broken.returncode == 2 and "cannot parse" in broken.stdout
    missing = run("verify", "nothere.csr", cwd=tmp_path)
    assert missing.returncode == 2 and "cannot read" in missing.stdout
    assert run("verify", "-", cwd=tmp_path, stdin=good.encode()).returncode == 0
    assert run("verify", "--jobs", "0", "good.csr", cwd=tmp_path).returncode == 2


def test_errors_are_one_line_and_usage(tmp_path: Path) -> None:
    nothing = run("new", cwd=tmp_path)
    assert nothing.returncode == 2
    assert nothing.stderr.count("\n") == 1 and "--subject" in nothing.stderr
    lost_key = run("new", "--subject", "CN=x", cwd=tmp_path)
    assert lost_key.returncode == 2 and "--key-out" in lost_key.stderr
    bad_san = run("new", "--san", "FTP:x", "--key-out", "k.pem", cwd=tmp_path)
    assert bad_san.returncode == 2 and not (tmp_path / "k.pem").exists()
    assert "Traceback" in run("--debug", "new", "--san", "FTP:x", "--key-out", "k.pem",
                              cwd=tmp_path).stderr
    for command in ("new", "show", "verify", "keygen", "asn1"):
        helped = run(command, "--help", cwd=tmp_path)
        assert helped.returncode == 0 and "example" in helped.stdout
    assert run("frobnicate", cwd=tmp_path).returncode == 2
    weak = run("keygen", "rsa:1024", "--out", "w.pem", cwd=tmp_path)
    assert weak.returncode == 2 and "weak" in weak.stderr


def test_asn1_dump_and_lenient_show(tmp_path: Path, example_der: bytes) -> None:
    (tmp_path / "ex.der").write_bytes(example_der)
    dumped = run("asn1", "ex.der", cwd=tmp_path)
    assert dumped.returncode == 0 and "SEQUENCE" in dumped.stdout
    broken = example_der[:40]
    (tmp_path / "cut.der").write_bytes(broken)
    cut = run("asn1", "cut.der", cwd=tmp_path)
    assert cut.returncode == 2 and cut.stdout == ""
    assert cut.stderr == "csrlib: error: input ends inside an element at byte 1\n"
    # A version-1 request: an error in strict mode, a listed deviation in lenient mode.
    at = example_der.index(b"\x02\x01\x00")
    v1 = example_der[:at] + b"\x02\x01\x01" + example_der[at + 3:]
    (tmp_path / "v1.der").write_bytes(v1)
    assert run("show", "v1.der", cwd=tmp_path).returncode == 2
    lenient = run("show", "--lenient", "--json", "v1.der", cwd=tmp_path)
    data = json.loads(lenient.stdout)
    assert data["deviations"] == [{"offset": at, "kind": "bad-version",
                                   "path": "certificationRequestInfo.version"}]
    assert data["signature_valid"] is False and "InvalidSignature" in data["verify_error"]


def test_remaining_options(tmp_path: Path) -> None:
    (tmp_path / "pw.txt").write_text("from a file\nignored\n")
    made = run("new", "--new-key", "ec:P-384", "--hash", "sha512", "--key-out", "k.pem",
               "--subject", "CN=opts", "--challenge-password-file", "pw.txt", "-o", "r.csr",
               cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    data = json.loads(run("show", "--json", "r.csr", cwd=tmp_path).stdout)
    assert data["signature_algorithm"]["name"] == "ecdsa-with-SHA512"
    assert data["public_key"]["curve"] == "secp384r1"
    assert data["attributes"][0] == {"oid": "1.2.840.113549.1.9.7", "name": "challengePassword",
                                     "values": ["from a file"]}
    # --force replaces an existing key; without it the old one is kept.
    old = (tmp_path / "k.pem").read_bytes()
    assert run("new", "--new-key", "ed25519", "--key-out", "k.pem", "--subject", "CN=x",
               cwd=tmp_path).returncode == 2
    assert (tmp_path / "k.pem").read_bytes() == old
    forced = run("new", "--new-key", "ed25519", "--key-out", "k.pem", "--force", "--subject",
                 "CN=x", "-o", "ed.csr", cwd=tmp_path)
    assert forced.returncode == 0 and (tmp_path / "k.pem").read_bytes() != old
    assert stat.S_IMODE(os.stat(tmp_path / "k.pem").st_mode) == 0o600
    assert run("keygen", "ed448", "--out", "k.pem", "--force", cwd=tmp_path).returncode == 0
    # An RSA-1024 request fails the default policy (exit 1) and passes the legacy one.
    assert run("keygen", "rsa:1024", "--allow-weak", "--out", "r.pem", cwd=tmp_path
               ).returncode == 0
    assert run("new", "--key", "r.pem", "--subject", "CN=old", "-o", "old.csr",
               cwd=tmp_path).returncode == 0
    refused = run("verify", "old.csr", cwd=tmp_path)
    assert refused.returncode == 1 and "PolicyError" in refused.stdout
    assert run("verify", "--policy", "legacy", "old.csr", cwd=tmp_path).returncode == 0
    assert run("verify", "--lenient", "--policy", "legacy", "old.csr", "r.csr",
               cwd=tmp_path).returncode == 0
    assert run("new", "--key", "k.pem", "--pss", "--subject", "CN=x", cwd=tmp_path
               ).returncode == 2  # PSS is for RSA keys


@pytest.mark.parametrize("where", ["emscripten", "no-process-pool"])
def test_verify_jobs_fall_back_to_one_process(tmp_path: Path, where: str,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # Where processes cannot start (Pyodide; sandboxes refusing semaphores),
    # --jobs verifies in this process, with the same results.
    import concurrent.futures

    from csrlib.cli import dispatch as cli

    assert run("new", "--subject", "CN=a", "--key-out", "k.pem", "-o", "a.csr",
               cwd=tmp_path).returncode == 0
    (tmp_path / "b.csr").write_bytes((tmp_path / "a.csr").read_bytes())
    if where == "emscripten":
        monkeypatch.setattr(sys, "platform", "emscripten")

    def no_pool(*args: object, **kwargs: object) -> None:
        if where == "emscripten":
            raise AssertionError("no pool may be tried on emscripten")
        raise NotImplementedError("sem_open")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    files = [str(tmp_path / "a.csr"), str(tmp_path / "b.csr")]
    assert cli.main(["verify", "--jobs", "2", *files]) == 0
    assert capsys.readouterr().out.count("OK ") == 2


def test_spinner_without_threads_still_does_the_work(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from csrlib.cli import dispatch as cli

    def no_threads(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(threading.Thread, "start", no_threads)
    assert cli._with_spinner(lambda: 42, "rsa:4096", True) == 42
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert cli._with_spinner(lambda: 43, "rsa:4096", True) == 43


def test_verify_jobs_carry_on_when_workers_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    # Workers start inside map(): a sandbox refusing fork, or a worker dying,
    # shows there.  The files not verified yet are verified in this process.
    import concurrent.futures

    from csrlib.cli import dispatch as cli
    from csrlib.cli.verify import check_file

    assert run("new", "--subject", "CN=a", "--key-out", "k.pem", "-o", "a.csr",
               cwd=tmp_path).returncode == 0
    files = []
    for name in "abc":
        (tmp_path / f"{name}.csr").write_bytes((tmp_path / "a.csr").read_bytes())
        files.append(str(tmp_path / f"{name}.csr"))

    class OneThenRefused:
        def __init__(self, max_workers: int) -> None:
            pass

        def __enter__(self) -> OneThenRefused:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def map(self, fn: object, paths: list[str], *rest: object,
                chunksize: int = 1) -> object:
            yield check_file(paths[0], False, False)
            raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", OneThenRefused)
    assert cli.main(["verify", "--jobs", "2", *files]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [f"OK {path}" for path in files]


def _one_error_line(result: Result, prefix: str = "csrlib: error: ") -> None:
    assert result.returncode == 2, result
    assert result.stderr.startswith(prefix) and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_one_error_rule_for_every_command(tmp_path: Path, example_der: bytes) -> None:
    # Every command: results on standard output; an error one line on standard
    # error with exit status 2; a usage mistake the same, naming the command.
    (tmp_path / "junk.csr").write_bytes(b"\x30\x03\x02\x01")
    (tmp_path / "good.der").write_bytes(example_der)
    nonminimal = example_der[:7] + b"\x02\x02\x00\x00" + example_der[10:]
    (tmp_path / "nonminimal.der").write_bytes(nonminimal)
    failures = {
        "new": ("new", "--key", "missing.pem", "--subject", "CN=x"),
        "show": ("show", "junk.csr"),
        "keygen": ("keygen", "rsa:x", "--out", "k.pem"),
        "asn1": ("asn1", "missing.der"),
    }
    for command, args in failures.items():
        result = run(*args, cwd=tmp_path)
        _one_error_line(result)
        assert result.stdout == "", (command, result.stdout)
    for command in ("new", "show", "verify", "keygen", "asn1"):
        usage = run(command, "--no-such-option", cwd=tmp_path)
        _one_error_line(usage, f"csrlib {command}: error: ")
        assert f"(see csrlib {command} --help)" in usage.stderr
    _one_error_line(run("frobnicate", cwd=tmp_path), "csrlib: error: ")
    # asn1: the tree up to the first departure from DER, then the error.
    dumped = run("asn1", "nonminimal.der", cwd=tmp_path)
    _one_error_line(dumped)
    assert dumped.stderr == "csrlib: error: non-minimal INTEGER at byte 9\n"
    assert [line.split()[-1] for line in dumped.stdout.splitlines()] == ["SEQUENCE", "SEQUENCE"]
    assert run("asn1", "good.der", cwd=tmp_path).returncode == 0
    # verify: one line per file on standard output, the worst status.
    mixed = run("verify", "good.der", "junk.csr", cwd=tmp_path)
    assert mixed.returncode == 2 and mixed.stdout.splitlines()[0] == "OK good.der"


def test_show_gives_u_labels_of_valid_a_labels(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    names = [x509.DNSName("xn--fa-hia.example"), x509.DNSName("xn--abc.example"),
             x509.RFC822Name("a@xn--bcher-kva.example"), x509.DNSName("plain.example")]
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idn")]))
           .add_extension(x509.SubjectAlternativeName(names), critical=False)
           .sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256()))
    (tmp_path / "idn.der").write_bytes(csr.public_bytes(Encoding.DER))
    shown = run("show", "idn.der", cwd=tmp_path)
    assert ("subjectAltName:\n                    DNS:xn--fa-hia.example (faß.example), "
            "DNS:xn--abc.example, email:a@xn--bcher-kva.example (a@bücher.example), "
            "DNS:plain.example") in shown.stdout
    data = json.loads(run("show", "--json", "idn.der", cwd=tmp_path).stdout)
    # xn--abc is no valid A-label: shown as it is, without a U-label.
    assert data["san"] == [
        {"type": "DNS", "value": "xn--fa-hia.example", "unicode": "faß.example"},
        {"type": "DNS", "value": "xn--abc.example"},
        {"type": "email", "value": "a@xn--bcher-kva.example", "unicode": "a@bücher.example"},
        {"type": "DNS", "value": "plain.example"}]


# -- key and request files (issue 13) -------------------------------------------


def _no_temporaries(directory: Path) -> None:
    assert not [name for name in os.listdir(directory) if name.startswith(".csrlib-")]


def test_new_key_and_request_to_one_file_is_refused(tmp_path: Path) -> None:
    # Once: the key was written, then overwritten by the request, and
    # "wrote ... (mode 0600)" printed.
    for out in ("k.pem", "./k.pem", str(tmp_path / "k.pem")):
        for force in ((), ("--force",)):
            result = run("new", "--subject", "CN=x", "--key-out", "k.pem", "--out", out, *force,
                         cwd=tmp_path)
            _one_error_line(result)
            assert "--key-out and --out name the same file" in result.stderr
            assert not (tmp_path / "k.pem").exists()
    _no_temporaries(tmp_path)


def test_signing_key_is_never_the_output(tmp_path: Path) -> None:
    assert run("keygen", "--out", "k.pem", cwd=tmp_path).returncode == 0
    key = (tmp_path / "k.pem").read_bytes()
    os.link(tmp_path / "k.pem", tmp_path / "hard.pem")
    (tmp_path / "soft.pem").symlink_to("k.pem")
    for out in ("k.pem", "./k.pem", "hard.pem", "soft.pem"):
        for force in ((), ("--force",)):
            result = run("new", "--key", "k.pem", "--subject", "CN=x", "--out", out, *force,
                         cwd=tmp_path)
            _one_error_line(result)
            assert "--out and --key name the same file" in result.stderr
    assert (tmp_path / "k.pem").read_bytes() == key
    _no_temporaries(tmp_path)


@pytest.mark.parametrize(("output", "other"), [
    ("--out", "--key-out"), ("--out", "--key"), ("--out", "--challenge-password-file"),
    ("--key-out", "--key"), ("--key-out", "--challenge-password-file"),
    ("--key-out", "--out")])
@pytest.mark.parametrize("spelling", ["same", "dot", "absolute", "symlink"])
def test_every_pair_of_paths_is_checked(tmp_path: Path, output: str, other: str,
                                        spelling: str) -> None:
    assert run("keygen", "--out", "k.pem", cwd=tmp_path).returncode == 0
    (tmp_path / "pw.txt").write_text("pw\n")
    # The path given to `other` (an input must exist; an output need not).
    existing = {"--key": "k.pem", "--challenge-password-file": "pw.txt"}
    name = existing.get(other, "new.pem")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    if spelling == "symlink":
        (tmp_path / "link").symlink_to(name)
        first = "link"
    else:
        first = {"same": name, "dot": f"./{name}", "absolute": str(tmp_path / name)}[spelling]
    paths = {output: first, other: name}
    args = ["new", "--subject", "CN=x", "--force"]
    for option, path in paths.items():
        args += [option, path]
    if "--key" not in paths and "--key-out" not in paths:
        args += ["--key-out", "other-key.pem"]
    result = run(*args, cwd=tmp_path)
    _one_error_line(result)
    assert "name the same file" in result.stderr and output in result.stderr, result.stderr
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()
             if p.is_file() and p.name != "link"}
    assert after == before  # nothing made, nothing changed
    _no_temporaries(tmp_path)


def test_force_replaces_with_a_new_file(tmp_path: Path) -> None:
    # A file made there before (by another user, in a world-writable
    # directory) keeps its inode, its contents and its mode: the key goes to
    # a new file.  (Another owner needs root; the new inode shows the rest.)
    for name in ("k.pem", "r.csr"):
        (tmp_path / name).write_text("someone else's\n")
        os.chmod(tmp_path / name, 0o666)
        os.link(tmp_path / name, tmp_path / f"{name}.theirs")
    inodes = {name: os.stat(tmp_path / name).st_ino for name in ("k.pem", "r.csr")}
    refused = run("new", "--subject", "CN=x", "--key-out", "k.pem", "--out", "r.csr",
                  cwd=tmp_path)
    _one_error_line(refused)
    assert "already exists (use --force" in refused.stderr
    made = run("new", "--subject", "CN=x", "--key-out", "k.pem", "--out", "r.csr", "--force",
               cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    for name in ("k.pem", "r.csr"):
        assert os.stat(tmp_path / name).st_ino != inodes[name]
        assert (tmp_path / f"{name}.theirs").read_text() == "someone else's\n"
    assert stat.S_IMODE(os.stat(tmp_path / "k.pem").st_mode) == 0o600
    assert x509.load_pem_x509_csr((tmp_path / "r.csr").read_bytes()).is_signature_valid
    assert run("keygen", "--out", "k.pem", "--force", cwd=tmp_path).returncode == 0
    assert stat.S_IMODE(os.stat(tmp_path / "k.pem").st_mode) == 0o600
    _no_temporaries(tmp_path)


@pytest.mark.parametrize("command", [
    ("keygen", "--out", "link.pem"),
    ("new", "--subject", "CN=x", "--key-out", "link.pem"),
    ("new", "--subject", "CN=x", "--key-out", "k.pem", "--out", "link.pem")])
@pytest.mark.parametrize("dangling", [False, True])
def test_symlink_at_the_destination_is_never_written_through(
        tmp_path: Path, command: tuple[str, ...], dangling: bool) -> None:
    target = tmp_path / "target"
    if not dangling:
        target.write_text("precious\n")
    (tmp_path / "link.pem").symlink_to(target)
    refused = run(*command, cwd=tmp_path)
    _one_error_line(refused)
    assert "link.pem: already exists" in refused.stderr
    assert not (tmp_path / "k.pem").exists()  # refused before any key was made
    forced = run(*command, "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    # The link itself was replaced by a new file; its target is as it was.
    assert not (tmp_path / "link.pem").is_symlink()
    assert (tmp_path / "link.pem").read_bytes()
    if dangling:
        assert not target.exists()
    else:
        assert target.read_text() == "precious\n"
    _no_temporaries(tmp_path)


def test_request_to_a_device_or_pipe(tmp_path: Path) -> None:
    made = run("new", "--subject", "CN=x", "--key-out", "k.pem", "--out", os.devnull,
               cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # written into, never replaced
    assert stat.S_IMODE(os.stat(tmp_path / "k.pem").st_mode) == 0o600
