"""The command line against hostile input and hostile arguments (issue 13).

Requests that lie about their format (a DER request carrying another's PEM),
strings that try to forge lines or hide them on a terminal, integers too
long for decimal text, inputs without an end (/dev/zero, FIFOs), and a table
of arguments that once ended in tracebacks.  Every run must end with status
0, 1 or 2 and an error must be one printable line.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import tracemalloc
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csrlib import CertificateRequestBuilder, Name, SubjectAlternativeName, signers
from csrlib.cli.text import escape, json_text
from csrlib.der import tlv
from csrlib.model.extensions import AuthorityKeyIdentifier, BasicConstraints, UnrecognizedExtension
from csrlib.model.general_names import DNSName
from tests.helpers import csr_der, name_der

SCRIPT = Path(sys.executable).with_name("csrlib")
LIMIT = 1 << 20  # csrlib.asn1.Limits().max_size


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


#: Emscripten (Pyodide) and WASI cannot start processes: the tests that run
#: the console script skip there; those calling the command line in-process run.
NO_PROCESSES = sys.platform in ("emscripten", "wasi")


def run(*args: str | bytes, cwd: Path, stdin: bytes | None = None) -> Result:
    """Run the console script; skip the test where no process can start."""
    if NO_PROCESSES:
        pytest.skip("cannot start processes here")
    command: list[str | bytes] = [str(SCRIPT)] if SCRIPT.exists() else [
        sys.executable, "-m", "csrlib"]
    done = subprocess.run([*command, *args], cwd=cwd, input=stdin, capture_output=True,
                          check=False, timeout=600)
    return Result(done.returncode, done.stdout.decode("utf-8", "surrogateescape"),
                  done.stderr.decode("utf-8", "surrogateescape"))


def printable(text: str) -> bool:
    """Return whether ``text`` holds nothing a terminal acts on: printable characters and LF."""
    return all(char.isprintable() or char == "\n" for char in text)


# -- 1. PEM/DER polyglot ------------------------------------------------------


def _polyglot() -> bytes:
    """Return a signed DER request for evil.example whose unrecognized extension holds,
    in a UTF8String, the PEM of a signed request for good.example."""
    signer = signers.generate("ec:P-256")
    good = (CertificateRequestBuilder().subject(Name.from_rfc4514("CN=good.example"))
            .add_extension(SubjectAlternativeName.from_strings(["DNS:good.example"]))
            .sign(signer))
    carrier = UnrecognizedExtension("1.3.6.1.4.1.55555.1", tlv(0x0C, good.to_pem().encode()))
    evil = (CertificateRequestBuilder().subject(Name.from_rfc4514("CN=evil.example"))
            .add_extension(SubjectAlternativeName.from_strings(["DNS:evil.example"]))
            .add_extension(carrier, critical=False)
            .sign(signer))
    assert b"-----BEGIN CERTIFICATE REQUEST-----" in evil.der
    return evil.der


def test_der_request_carrying_pem_is_the_der_request(tmp_path: Path) -> None:
    (tmp_path / "poly.der").write_bytes(_polyglot())
    shown = run("show", "poly.der", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "Subject: CN = evil.example" in shown.stdout
    assert "subjectAltName:\n                    DNS:evil.example\n" in shown.stdout
    assert "good.example" not in shown.stdout
    data = json.loads(run("show", "--json", "poly.der", cwd=tmp_path).stdout)
    assert data["subject"] == "CN=evil.example"
    assert data["san"] == [{"type": "DNS", "value": "evil.example"}]
    assert data["signature_valid"] is True
    verified = run("verify", "poly.der", cwd=tmp_path)
    assert (verified.returncode, verified.stdout) == (0, "OK poly.der\n")
    # Through standard input too, and asn1 dumps the DER tree (the PEM stays
    # inside its OCTET STRING), not the tree of the request in the PEM.
    piped = run("show", "--json", "-", cwd=tmp_path, stdin=(tmp_path / "poly.der").read_bytes())
    assert json.loads(piped.stdout)["subject"] == "CN=evil.example"
    dumped = run("asn1", "poly.der", cwd=tmp_path)
    assert dumped.returncode == 0, dumped.stderr
    assert "UTF8String  'evil.example'" in dumped.stdout
    assert "'good.example'" not in dumped.stdout


# -- 7. BER through asn1 ---------------------------------------------------------


def test_asn1_exits_2_on_ber(tmp_path: Path) -> None:
    (tmp_path / "cons.der").write_bytes(bytes.fromhex("300424020400"))
    (tmp_path / "set.der").write_bytes(bytes.fromhex("3106020102020101"))
    cons = run("asn1", "cons.der", cwd=tmp_path)
    assert (cons.returncode, cons.stderr) == (
        2, "csrlib: error: constructed encoding of a primitive type at byte 2\n")
    assert cons.stdout == "     0:d=0  hl=2 l=    4 cons: SEQUENCE\n"
    unsorted = run("asn1", "set.der", cwd=tmp_path)
    assert (unsorted.returncode, unsorted.stderr) == (
        2, "csrlib: error: SET OF elements not in DER order at byte 5\n")
    assert run("asn1", "--lenient", "set.der", cwd=tmp_path).returncode == 0


# -- 2. terminal injection ----------------------------------------------------

REPRODUCER_CN = "evil\n  Signature: valid\n…\x1b[8m"


def test_forged_signature_line_is_escaped(tmp_path: Path) -> None:
    # A strictly valid UTF8String CN on a request whose signature is bad.
    der = csr_der(subject=name_der([("2.5.4.3", tlv(0x0C, REPRODUCER_CN.encode()))]))
    (tmp_path / "evil.der").write_bytes(der)
    shown = run("show", "evil.der", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    # The CN's forged line stays inside the subject line; the real one is the only
    # line that starts with "Signature:".
    real = [line for line in lines if line.lstrip().startswith("Signature:")]
    assert len(real) == 1 and real[0].startswith("    Signature: NOT VALID (InvalidSignature")
    assert "        Subject: CN = evil\\n  Signature: valid\\n…\\x1b[8m" in lines
    assert shown.stdout.count("Signature: NOT VALID") == 1
    assert "\x1b" not in shown.stdout and printable(shown.stdout)
    data = json.loads(run("show", "--json", "evil.der", cwd=tmp_path).stdout)
    assert data["subject_attributes"][0]["value"] == REPRODUCER_CN
    assert data["signature_valid"] is False


HOSTILE_TEXT = ["a\nb", "\x1b[2J", "\u202etxt.exe", "zero\u200bwidth", "bell\x07", "del\x7f",
                "c1\x9b31m", "line\u2028sep", "para\u2029", "nbsp\u00a0", "priv\ue000",
                "unassigned\U000e0fff", "back\\slash", "tab\t", "cr\r"]


def test_every_printed_string_is_escaped(tmp_path: Path) -> None:
    from csrlib import load_der

    rdns = [[("2.5.4.3", tlv(0x0C, text.encode()))] for text in HOSTILE_TEXT]
    der = csr_der(subject=name_der(*rdns))
    (tmp_path / "many.der").write_bytes(der)
    shown = run("show", "many.der", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert printable(shown.stdout)
    # The subject as RFC 4514 writes it, then escaped for the terminal.
    subject = load_der(der).subject.rfc4514()
    assert f"        Subject (RFC 4514): {escape(subject)}" in shown.stdout.splitlines()
    as_json = run("show", "--json", "many.der", cwd=tmp_path)
    assert printable(as_json.stdout)
    values = [a["value"] for a in json.loads(as_json.stdout)["subject_attributes"]]
    assert sorted(values) == sorted(HOSTILE_TEXT)  # JSON escapes, and decodes to the same
    # A SAN, a challengePassword and a subject made by the command line
    # itself are shown escaped, as they would be from anyone.
    made = run("new", "--new-key", "ec:P-256", "--key-out", "k.pem", "-o", "r.csr",
               "--subject", "CN=x\u202e", "--challenge-password", "pw\x1b[31m",
               "--san", "DNS:example.com", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    shown = run("show", "r.csr", cwd=tmp_path)
    assert "            challengePassword        :pw\\x1b[31m" in shown.stdout.splitlines()
    assert "        Subject: CN = x\\u202e" in shown.stdout.splitlines()
    assert printable(shown.stdout)


def test_errors_and_file_names_are_escaped(tmp_path: Path) -> None:
    # A BuildError quoting a bad DNS name, on standard error.
    bad = run("new", "--san", "DNS:a\x1b[31m.example", "--key-out", "k.pem", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "\x1b" not in bad.stderr and "\\x1b[31m" in bad.stderr
    # A usage error quoting an unknown argument.
    usage = run("show", "x.csr", "--\x1b[8m", cwd=tmp_path)
    assert usage.returncode == 2 and printable(usage.stderr) and usage.stderr.count("\n") == 1
    # File names in verify's lines and in error messages: a newline in a
    # name cannot forge an "OK" line.
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "x\nOK forged.csr").write_bytes(b"junk")
    (folder / "\u202egpj.csr").write_bytes(b"junk")
    verified = run("verify", "d", cwd=tmp_path)
    assert verified.returncode == 2
    lines = verified.stdout.splitlines()
    assert len(lines) == 2 and printable(verified.stdout)
    assert lines[0].startswith("ERROR d/x\\nOK forged.csr: cannot parse: ")
    assert lines[1].startswith("ERROR d/\\u202egpj.csr: cannot parse: ")
    missing = run("show", "no\nsuch\x1b.csr", cwd=tmp_path)
    assert missing.stderr == "csrlib: error: no\\nsuch\\x1b.csr: No such file or directory\n"
    # A name that is not UTF-8 (bytes from the file system) is shown, not fatal.
    raw = run("show", b"\xff\xfe.csr", cwd=tmp_path)
    assert raw.returncode == 2 and raw.stderr == (
        "csrlib: error: \\udcff\\udcfe.csr: No such file or directory\n")


# -- escaping, for any string --------------------------------------------------

_FORBIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_TRICKY = st.sampled_from(["\\", "n", "r", "t", "x", "u", "U", "0", "a", "f", "\n", "\x1b",
                           "\u202e", "\udcff", "\U0010ffff", "\x85", "\u2028", "é", "中", " "])
_ANY_TEXT = st.text(st.one_of(st.characters(exclude_categories=()), _TRICKY))


def unescape(text: str) -> str:
    """Return what :func:`csrlib.cli.text.escape` made ``text`` from (its documented reading)."""
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        following = text[i + 1 : i + 2]
        if char != "\\" or not following or following not in "\\nrtxuU":
            out.append(char)
            i += 1
        elif following == "\\":
            out.append("\\")
            i += 2
        elif following in "nrt":
            out.append({"n": "\n", "r": "\r", "t": "\t"}[following])
            i += 2
        else:
            width = {"x": 2, "u": 4, "U": 8}[following]
            digits = text[i + 2 : i + 2 + width]
            assert len(digits) == width and all(c in "0123456789abcdef" for c in digits), text
            out.append(chr(int(digits, 16)))
            i += 2 + width
    return "".join(out)


@given(_ANY_TEXT)
def test_escape_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    escaped = escape(text)
    assert "\n" not in escaped
    assert not {unicodedata.category(c) for c in escaped} & _FORBIDDEN
    assert all(c == " " or unicodedata.category(c) != "Zs" for c in escaped)
    assert unescape(escaped) == text  # so escape is injective


@given(_ANY_TEXT, _ANY_TEXT)
def test_escape_is_injective(a: str, b: str) -> None:
    assert (escape(a) == escape(b)) == (a == b)


def test_escape_examples() -> None:
    assert escape("é ß 中 plain") == "é ß 中 plain"
    assert escape("a\nb\tc\rd") == "a\\nb\\tc\\rd"
    assert escape("\x1b[8m\x00\x7f\x9b") == "\\x1b[8m\\x00\\x7f\\x9b"
    assert escape("\u202e\u2066\u200b\ufeff") == "\\u202e\\u2066\\u200b\\ufeff"
    assert escape("\U000e0001") == "\\U000e0001"
    # Backslashes: doubled only where they would start an escape.
    assert escape("O=Example\\, Inc") == "O=Example\\, Inc"
    assert escape("\\x1b") == "\\\\x1b" != escape("\x1b")
    assert escape("\\\n") == "\\\\\\n"
    assert escape("a\\") == "a\\"


@given(st.dictionaries(_ANY_TEXT, st.lists(_ANY_TEXT, max_size=3), max_size=4))
def test_json_text_is_printable_and_the_same_json(value: dict[str, list[str]]) -> None:
    out = json_text(value)
    assert json.loads(out) == value
    assert printable(out)


# -- 5. integers too long for decimal text -------------------------------------


def test_huge_integers_in_show(tmp_path: Path) -> None:
    big = 10 ** 5000 + 7  # more than 4300 decimal digits: str() refuses it
    signer = signers.generate("ec:P-256")
    req = (CertificateRequestBuilder().subject(Name.from_rfc4514("CN=big"))
           .add_extension(AuthorityKeyIdentifier(None, (DNSName("ca.example"),), big))
           .add_extension(BasicConstraints(True, big))
           .sign(signer))
    (tmp_path / "big.der").write_bytes(req.der)
    shown = run("show", "big.der", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert f"serial:<{big.bit_length()}-bit integer>" in shown.stdout
    assert f"pathlen:<{big.bit_length()}-bit integer>" in shown.stdout
    as_json = run("show", "--json", "big.der", cwd=tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    values = {e["name"]: e["value"] for e in json.loads(as_json.stdout)["extensions"]}
    assert int(values["authorityKeyIdentifier"]["serial"], 16) == big
    assert values["basicConstraints"] == {"ca": True, "path_length": f"{big:#x}"}
    # Up to 64 bits: JSON numbers.
    small = (CertificateRequestBuilder().subject(Name.from_rfc4514("CN=small"))
             .add_extension(BasicConstraints(True, 2 ** 64 - 1)).sign(signer))
    (tmp_path / "small.der").write_bytes(small.der)
    data = json.loads(run("show", "--json", "small.der", cwd=tmp_path).stdout)
    assert data["extensions"][0]["value"]["path_length"] == 2 ** 64 - 1


# -- 6. inputs without a bound --------------------------------------------------


class _EndlessZeros(io.RawIOBase):
    """Zeros, counting the octets handed out; they end only at 16 times the limit, so that
    a reader without a bound fails this test instead of exhausting the memory."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), 16 * LIMIT - self.served)
        buffer[:n] = bytes(n)
        self.served += n
        return n


def test_endless_standard_input_is_read_up_to_the_limit() -> None:
    from csrlib import cli

    zeros = _EndlessZeros()
    stdin = io.TextIOWrapper(io.BufferedReader(zeros))
    tracemalloc.start()
    try:
        with _replaced_stdin(stdin), contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()) as err:
            status = cli.main(["show", "-"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert status == 2
    assert err.getvalue() == (f"csrlib: error: standard input: more than {LIMIT} octets "
                              "(the input size limit)\n")
    # The limit and one octet more, give or take one buffer: never the endless rest.
    assert LIMIT < zeros.served <= LIMIT + 1 + 2 * io.DEFAULT_BUFFER_SIZE + (1 << 16)
    assert peak < 8 * LIMIT


def test_standard_input_at_and_over_the_limit(tmp_path: Path) -> None:
    over = run("show", "-", cwd=tmp_path, stdin=b"\x30" * (LIMIT + 1))
    assert over.stderr == (f"csrlib: error: standard input: more than {LIMIT} octets "
                           "(the input size limit)\n")
    exact = run("show", "-", cwd=tmp_path, stdin=b"\x30" * LIMIT)
    assert exact.returncode == 2 and "input size limit" not in exact.stderr


def _limit_memory() -> None:
    import resource

    # Enough for the interpreter; reading /dev/zero whole would pass it.
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.skipif(NO_PROCESSES, reason="cannot start processes here")
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
@pytest.mark.parametrize("args", [("show", "/dev/zero"), ("asn1", "/dev/zero"),
                                  ("verify", "/dev/zero"),
                                  ("new", "--key", "/dev/zero", "-s", "CN=x"),
                                  ("new", "--key-out", "k.pem", "-s", "CN=x",
                                   "--challenge-password-file", "/dev/zero")])
def test_endless_files_are_refused_after_the_limit(tmp_path: Path,
                                                   args: tuple[str, ...]) -> None:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "csrlib"]
    done = subprocess.run([*command, *args], cwd=tmp_path, capture_output=True, text=True,
                          check=False, timeout=600, preexec_fn=_limit_memory)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    # "csrlib: error: /dev/zero: more than ..." or verify's "FAIL /dev/zero: cannot read: more..."
    assert "/dev/zero: " in done.stdout + done.stderr
    assert f"more than {LIMIT} octets (the input size limit)" in done.stdout + done.stderr
    assert not (tmp_path / "k.pem").exists()  # refused before any key was made


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_directory_walk_skips_what_is_not_a_regular_file(tmp_path: Path) -> None:
    assert run("new", "--subject", "CN=a", "--key-out", "k.pem", "-o", "good.csr",
               cwd=tmp_path).returncode == 0
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(tmp_path / "good.csr", folder / "a.csr")
    os.mkfifo(folder / "x.csr")  # no writer: opening it blocking would hang
    (folder / "z.pem").symlink_to("/dev/zero")
    (folder / "n.der").symlink_to("/dev/null")
    # A timeout only turns a hang into a failure; nothing is timed.
    verified = run("verify", "d", cwd=tmp_path)
    assert verified.returncode == 0, verified
    assert verified.stdout.splitlines() == [
        "OK d/a.csr", "SKIP d/n.der: not a regular file", "SKIP d/x.csr: not a regular file",
        "SKIP d/z.pem: not a regular file"]
    assert run("verify", "-j", "2", "d", cwd=tmp_path).returncode == 0
    # A FIFO named explicitly is read: its writer is the user's command.
    fifo = tmp_path / "named.csr"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as f:
            f.write((tmp_path / "good.csr").read_bytes())

    writer = threading.Thread(target=write)
    writer.start()
    shown = run("show", "--json", "named.csr", cwd=tmp_path)
    writer.join()
    assert json.loads(shown.stdout)["subject"] == "CN=a"
    bash = shutil.which("bash")
    if bash is not None:
        command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "csrlib"]
        line = " ".join(command) + " verify <(cat good.csr)"
        done = subprocess.run([bash, "-c", line], cwd=tmp_path, capture_output=True,
                              text=True, check=False, timeout=600)
        assert done.returncode == 0 and done.stdout.startswith("OK /dev/fd/"), done


# -- 4. hostile arguments, every command ------------------------------------------


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with a key, a request, a non-UTF-8 file, an empty directory."""
    path = tmp_path_factory.mktemp("hostile")
    signer = signers.generate("ec:P-256")
    signers.save_private_key(signer, path / "k.pem")
    req = CertificateRequestBuilder().subject(Name.from_rfc4514("CN=a")).sign(signer)
    (path / "good.csr").write_text(req.to_pem())
    (path / "bad-utf8.txt").write_bytes(b"\xff\xfe not UTF-8\n")
    (path / "empty-dir").mkdir()
    return path


KEY = ("--key", "k.pem", "-s", "CN=a")
# (id, arguments, exit statuses that are legitimate)
HOSTILE_ARGS: list[tuple[str, tuple[str | bytes, ...], set[int]]] = [
    ("pw-file-not-utf8", ("new", *KEY, "--challenge-password-file", "bad-utf8.txt"), {2}),
    ("pw-file-dev-zero", ("new", *KEY, "--challenge-password-file", "/dev/zero"), {2}),
    ("pw-file-directory", ("new", *KEY, "--challenge-password-file", "empty-dir"), {2}),
    ("pw-file-missing", ("new", *KEY, "--challenge-password-file", "missing"), {2}),
    ("pw-file-empty-name", ("new", *KEY, "--challenge-password-file", ""), {2}),
    ("pathlen-superscript", ("new", *KEY, "--basic-constraints", "CA:TRUE,pathlen:²"), {2}),
    ("pathlen-arabic-indic", ("new", *KEY, "--basic-constraints", "CA:TRUE,pathlen:\u0663"), {2}),
    ("pathlen-underscore", ("new", *KEY, "--basic-constraints", "CA:TRUE,pathlen:1_0"), {2}),
    ("pathlen-huge", ("new", *KEY, "--basic-constraints",
                      "CA:TRUE,pathlen:99999999999999999999"), {2}),
    ("pathlen-5000-digits", ("new", *KEY, "--basic-constraints",
                             "CA:TRUE,pathlen:" + "9" * 5000), {2}),
    ("pathlen-ca-false", ("new", *KEY, "--basic-constraints", "CA:FALSE,pathlen:1"), {2}),
    ("bc-empty", ("new", *KEY, "--basic-constraints", ""), {0}),
    ("bc-commas", ("new", *KEY, "--basic-constraints", ",,,"), {2}),
    ("eku-superscript", ("new", *KEY, "--eku", "²"), {2}),
    ("eku-oid-superscript", ("new", *KEY, "--eku", "1.2.²"), {2}),
    ("eku-oid-huge-arc", ("new", *KEY, "--eku", "1.2." + "9" * 5000), {2}),
    ("eku-empty", ("new", *KEY, "--eku", ""), {0, 2}),
    ("key-usage-empty", ("new", *KEY, "--key-usage", ","), {0, 2}),
    ("key-usage-unknown", ("new", *KEY, "--key-usage", "everything"), {2}),
    ("subject-empty", ("new", "--key", "k.pem", "-s", ""), {2}),
    ("subject-not-utf8", ("new", "--key", "k.pem", "-s", b"CN=\xff\xfe"), {2}),
    ("subject-garbage", ("new", "--key", "k.pem", "-s", "=,+\\"), {2}),
    ("subject-slash-garbage", ("new", "--key", "k.pem", "-s", "/=/=="), {2}),
    ("subject-unknown-type", ("new", "--key", "k.pem", "-s", "FOO=bar"), {2}),
    ("subject-long", ("new", "--key", "k.pem", "-s", "CN=" + "a" * 100_000), {0, 2}),
    ("san-not-utf8", ("new", "--key", "k.pem", "--san", b"DNS:\xffx.example"), {2}),
    ("san-control", ("new", "--key", "k.pem", "--san", "DNS:a\x1b.example"), {2}),
    ("san-ip-garbage", ("new", "--key", "k.pem", "--san", "IP:999.1.1.1"), {2}),
    ("san-rid-superscript", ("new", "--key", "k.pem", "--san", "RID:1.2.³"), {2}),
    ("san-empty-type", ("new", "--key", "k.pem", "--san", ":x"), {2}),
    ("challenge-not-utf8", ("new", *KEY, "--challenge-password", b"\xff"), {2}),
    ("new-key-superscript", ("new", "-s", "CN=a", "--new-key", "rsa:²", "--key-out", "n.pem"),
     {2}),
    ("new-key-huge", ("new", "-s", "CN=a", "--new-key", "rsa:99999999999999999999",
                      "--key-out", "n.pem"), {2}),
    ("new-key-empty", ("new", "-s", "CN=a", "--new-key", "", "--key-out", "n.pem"), {2}),
    ("key-dev-zero", ("new", "--key", "/dev/zero", "-s", "CN=a"), {2}),
    ("key-dev-null", ("new", "--key", "/dev/null", "-s", "CN=a"), {2}),
    ("key-directory", ("new", "--key", "empty-dir", "-s", "CN=a"), {2}),
    ("key-not-utf8", ("new", "--key", "bad-utf8.txt", "-s", "CN=a"), {2}),
    ("key-missing", ("new", "--key", "missing.pem", "-s", "CN=a"), {2}),
    ("key-empty-name", ("new", "--key", "", "-s", "CN=a"), {2}),
    ("key-name-not-utf8", ("new", "--key", b"\xff.pem", "-s", "CN=a"), {2}),
    ("out-empty-name", ("new", *KEY, "--out", ""), {2}),
    ("out-missing-directory", ("new", *KEY, "--out", "no/such/dir/r.csr"), {2}),
    ("out-directory", ("new", *KEY, "--out", "empty-dir"), {2}),
    ("out-directory-force", ("new", *KEY, "--out", "empty-dir", "--force"), {2}),
    ("out-is-key", ("new", *KEY, "--out", "k.pem", "--force"), {2}),
    ("out-dev-null", ("new", *KEY, "--out", "/dev/null"), {0}),
    ("hash-unknown", ("new", *KEY, "--hash", "md5"), {2}),
    ("pss-on-ec", ("new", *KEY, "--pss"), {2}),
    ("keygen-superscript", ("keygen", "rsa:²", "--out", "g.pem"), {2}),
    ("keygen-arabic-indic", ("keygen", "rsa:\u0661\u0660\u0662\u0664", "--out", "g.pem"), {2}),
    ("keygen-huge", ("keygen", "rsa:99999999999999999999", "--out", "g.pem"), {2}),
    ("keygen-negative", ("keygen", "rsa:-1", "--out", "g.pem"), {2}),
    ("keygen-empty-spec", ("keygen", "", "--out", "g.pem"), {2}),
    ("keygen-spec-not-utf8", ("keygen", b"ec:\xff", "--out", "g.pem"), {2}),
    ("keygen-out-directory", ("keygen", "--out", "empty-dir"), {2}),
    ("keygen-out-directory-force", ("keygen", "--out", "empty-dir", "--force"), {2}),
    ("keygen-out-dev-null-force", ("keygen", "--out", "/dev/null", "--force"), {2}),
    ("keygen-out-empty", ("keygen", "--out", ""), {2}),
    ("keygen-out-missing-directory", ("keygen", "--out", "no/such/g.pem"), {2}),
    ("keygen-out-exists", ("keygen", "--out", "good.csr"), {2}),
    ("jobs-10**30", ("verify", "--jobs", "1" + "0" * 30, "good.csr"), {2}),
    ("jobs-superscript", ("verify", "--jobs", "²", "good.csr"), {2}),
    ("jobs-arabic-indic", ("verify", "--jobs", "\u0663", "good.csr"), {2}),
    ("jobs-negative", ("verify", "--jobs", "-1", "good.csr"), {2}),
    ("jobs-zero", ("verify", "--jobs", "0", "good.csr"), {2}),
    ("jobs-empty", ("verify", "--jobs", "", "good.csr"), {2}),
    ("jobs-spaces", ("verify", "--jobs", " 2 ", "good.csr"), {2}),
    ("jobs-more-than-files", ("verify", "--jobs", "999999999", "good.csr"), {0}),
    ("verify-dev-zero", ("verify", "/dev/zero"), {2}),
    ("verify-dev-null", ("verify", "/dev/null"), {2}),
    ("verify-empty-directory", ("verify", "empty-dir"), {2}),
    ("verify-not-utf8", ("verify", "bad-utf8.txt"), {2}),
    ("verify-missing", ("verify", "missing.csr"), {2}),
    ("verify-empty-name", ("verify", ""), {2}),
    ("verify-name-not-utf8", ("verify", b"\xff.csr"), {2}),
    ("verify-key-file", ("verify", "k.pem"), {2}),
    ("show-dev-zero", ("show", "/dev/zero"), {2}),
    ("show-dev-null", ("show", "/dev/null"), {2}),
    ("show-directory", ("show", "empty-dir"), {2}),
    ("show-not-utf8", ("show", "bad-utf8.txt"), {2}),
    ("show-missing", ("show", "missing.csr"), {2}),
    ("show-empty-name", ("show", ""), {2}),
    ("show-name-not-utf8", ("show", b"\xff"), {2}),
    ("show-policy-unknown", ("show", "--policy", "none", "good.csr"), {2}),
    ("show-key-file", ("show", "k.pem"), {2}),
    ("asn1-dev-zero", ("asn1", "/dev/zero"), {2}),
    ("asn1-dev-null", ("asn1", "/dev/null"), {2}),
    ("asn1-directory", ("asn1", "empty-dir"), {2}),
    ("asn1-not-utf8", ("asn1", "bad-utf8.txt"), {2}),
    ("asn1-key-file", ("asn1", "k.pem"), {0}),
    ("no-command", (), {2}),
    ("command-not-utf8", (b"\xff",), {2}),
    ("option-not-utf8", ("show", b"--\xff", "good.csr"), {2}),
]


@pytest.mark.parametrize(("args", "statuses"), [(a, s) for _, a, s in HOSTILE_ARGS],
                         ids=[name for name, _, _ in HOSTILE_ARGS])
def test_hostile_arguments(workdir: Path, args: tuple[str | bytes, ...],
                           statuses: set[int]) -> None:
    result = run(*args, cwd=workdir)
    assert result.returncode in statuses, result
    assert "Traceback" not in result.stderr, result.stderr
    assert printable(result.stdout) and printable(result.stderr), result
    if result.returncode == 2:
        if args[:1] == ("verify",) and not result.stderr:
            # verify: one line per file on standard output.
            assert result.stdout.startswith("ERROR "), result
        else:
            assert result.stderr.startswith("csrlib") and result.stderr.count("\n") == 1, result
    assert not any(name.startswith(".csrlib-") for name in os.listdir(workdir))


# -- in-process, random argument lists ---------------------------------------------

_FILES = ["good.csr", "k.pem", "null", "zero", "bad.txt", "dir", "missing", "-", "", "new.pem",
          "dir/new.csr", "./k.pem", "k.pem/x", "\x00", "a\x00b", "\udcff"]
_VALUES = ["", "²", "\u0663", "1_0", " 1", "-1", "0", "1", "1" + "0" * 30, "9" * 5000, "\x00",
           "CN=\udcff", "x\u202e", "\x1b[8m", "CN=a", "/CN=a", "/C=US/CN=a", "DNS:a.example",
           "DNS:", "IP:999.0.0.1", "RID:1.²", "email:@", "URI:", "dirName:CN=a",
           "CA:TRUE,pathlen:²", "CA:TRUE,pathlen:1", "CA:FALSE,pathlen:1", "serverAuth",
           "1.2.3", "1.²", "digitalSignature", ",", "ec:P-256", "ed25519", "rsa:²", "rsa:1\u0660",
           "rsa:99999999999999999999", "rsa:", "ec:P-999", "sha256", "md5", "legacy"]
# No valid RSA size: generating one takes too long.
_SPECS = ["ec:P-256", "ed25519", "rsa:²", "rsa:\u0661\u0660\u0662\u0664", "rsa:1\u0660",
          "rsa:99999999999999999999", "rsa:", "rsa:-1", "", "ec:P-999", "ec:\udcff"]
_FILE = st.one_of(st.sampled_from(_FILES), st.text(max_size=6))
_VALUE = st.one_of(st.sampled_from(_VALUES), st.text(max_size=12))
_SPEC = st.one_of(st.sampled_from(_SPECS), _VALUE)
# Per command: options taking a value (and which kind), flags, positional arguments.
_COMMANDS: dict[str, tuple[dict[str, st.SearchStrategy[str]], list[str], int]] = {
    "new": ({"--subject": _VALUE, "-s": _VALUE, "--san": _VALUE, "--key-usage": _VALUE,
             "--eku": _VALUE, "--basic-constraints": _VALUE, "--challenge-password": _VALUE,
             "--challenge-password-file": _FILE, "--out": _FILE, "-o": _FILE, "--key": _FILE,
             "--new-key": _SPEC, "--key-out": _FILE, "--hash": _VALUE},
            ["--der", "--force", "--pss"], 0),
    "show": ({"--policy": _VALUE}, ["--json", "--lenient"], 1),
    "verify": ({"--policy": _VALUE, "--jobs": _VALUE, "-j": _VALUE}, ["--lenient"], 2),
    "keygen": ({"--out": _FILE, "-o": _FILE}, ["--force", "--allow-weak"], 1),
    "asn1": ({}, ["--lenient"], 1),
}


@st.composite
def _argv(draw: st.DrawFn) -> list[str]:
    """Return an argument list: mostly well-formed commands with hostile values, some noise."""
    command = draw(st.sampled_from(sorted(_COMMANDS)))
    options, flags, positional = _COMMANDS[command]
    argv = [command]
    if command == "keygen" and draw(st.booleans()):  # its one required option
        argv += ["--out", draw(_FILE)]
    for option in draw(st.lists(st.sampled_from(sorted(options) + flags), max_size=5)):
        argv.append(option)
        if option in options:
            argv.append(draw(options[option]))
    argv += draw(st.lists(_FILE if command != "keygen" else _SPEC, min_size=positional > 0,
                          max_size=positional))
    if draw(st.integers(0, 9)) == 0:  # noise: anything, anywhere
        argv.insert(draw(st.integers(0, len(argv))), draw(st.text(max_size=8)))
    return argv


@contextlib.contextmanager
def _in(directory: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(before)


def test_random_argument_lists_never_raise(tmp_path: Path) -> None:
    from csrlib import cli

    signer = signers.generate("ec:P-256")
    signers.save_private_key(signer, tmp_path / "k.pem")
    (tmp_path / "good.csr").write_text(
        CertificateRequestBuilder().subject(Name.from_rfc4514("CN=a")).sign(signer).to_pem())
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe")
    (tmp_path / "dir").mkdir()
    (tmp_path / "null").symlink_to(os.devnull)
    (tmp_path / "zero").symlink_to("/dev/zero")

    @given(_argv())
    def check(argv: list[str]) -> None:
        if "--debug" in argv:  # it re-raises on purpose
            return
        stdin = io.TextIOWrapper(io.BytesIO(b"\x30\x03\x02\x01"))
        stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # with a buffer, for DER
        with _in(tmp_path), contextlib.redirect_stdout(stdout), \
                contextlib.redirect_stderr(io.StringIO()) as err, \
                _replaced_stdin(stdin):
            try:
                status = cli.main(argv)
            except SystemExit as exc:  # argparse: --help (0) or a usage mistake (2)
                assert exc.code in (0, 2), (argv, exc.code)
                return
        assert status in (0, 1, 2), argv
        assert printable(err.getvalue()), (argv, err.getvalue())

    check()


@contextlib.contextmanager
def _replaced_stdin(stream: io.TextIOWrapper) -> Iterator[None]:
    before = sys.stdin
    sys.stdin = stream
    try:
        yield
    finally:
        sys.stdin = before
