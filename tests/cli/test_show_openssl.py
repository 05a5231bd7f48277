"""``csrlib show`` against ``openssl req -text -noout``, and show/verify over many files.

Run in-process (``csrlib.cli.main``), as Pyodide runs the command line.
Requests are made by OpenSSL for every key type; the facts OpenSSL prints
(version, subject with its short names, key size and numbers in its hex
blocks, exponent, curve, PSS restrictions, attributes, signature value)
must be in csrlib's text, and the same facts in its JSON.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from csrlib import Policy, cli
from tests.conftest import OPENSSL

needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="needs the openssl command")

KEYS = {
    "rsa": ["-newkey", "rsa:2048"],
    "rsa-pss": ["-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048",
                "-pkeyopt", "rsa_pss_keygen_md:sha256", "-pkeyopt", "rsa_pss_keygen_mgf1_md:sha256",
                "-pkeyopt", "rsa_pss_keygen_saltlen:32"],
    "ec-p256": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
    "ec-p384": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
    "ec-k256": ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"],
    "ed25519": ["-newkey", "ed25519"],
    "ed448": ["-newkey", "ed448"],
}
# OpenSSL takes request attributes only with the subject from its configuration.
SUBJECT = ("C=US\nO=Ex, Inc\nCN=example.com\nemailAddress=a@example.com\nserialNumber=123\n"
           "title=T\nGN=G\nSN=S\nUID=u\nDC=dc\ndescription=d\nstreet=s\npostalCode=1\n")
HEX_LINE = re.compile(r"^\s*([0-9a-f]{2}:)*[0-9a-f]{2}:?$")


def _openssl(args: list[str], cwd: Path) -> str:
    assert OPENSSL is not None
    done = subprocess.run([OPENSSL, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def _show(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def _facts(text: str) -> list[str]:
    """Return the lines of ``openssl req -text`` that state facts csrlib must show too."""
    keep = ("Version:", "Public-Key:", "Exponent:", "ASN1 OID:", "NIST CURVE:",
            "Minimum Salt Length:", "challengePassword", "unstructuredName")
    return [line.strip() for line in text.splitlines()
            if HEX_LINE.match(line) or line.strip().startswith(keep)]


@needs_openssl
@pytest.mark.parametrize("kind", list(KEYS))
def test_show_states_every_fact_openssl_prints(kind: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "req.cnf").write_text(
        "[req]\nprompt=no\ndistinguished_name=dn\nattributes=attrs\n[dn]\n" + SUBJECT +
        "[attrs]\nchallengePassword=secret\nunstructuredName=device 7\n")
    _openssl(["req", "-new", *KEYS[kind], "-nodes", "-keyout", "key.pem", "-config", "req.cnf",
              "-addext", "subjectAltName=DNS:a.example,IP:192.0.2.1",
              "-addext", "keyUsage=critical,digitalSignature,keyAgreement",
              "-addext", "extendedKeyUsage=serverAuth,clientAuth", "-out", "r.csr"], tmp_path)
    theirs = _openssl(["req", "-in", "r.csr", "-text", "-noout"], tmp_path)
    status, ours, _ = _show(capsys, "show", str(tmp_path / "r.csr"))
    assert status == 0
    our_lines = [line.strip() for line in ours.splitlines()]
    for fact in _facts(theirs):
        # Key numbers and signature block by block, sizes, exponent, curve, attributes.
        assert fact in our_lines, fact
    # The subject with OpenSSL's short names, in its order and quoting.
    subject = next(line.strip() for line in theirs.splitlines()
                   if line.strip().startswith("Subject:"))
    assert subject in our_lines
    assert "keyUsage: critical" in our_lines and "digitalSignature, keyAgreement" in our_lines
    assert "serverAuth, clientAuth" in our_lines
    assert "Signature: valid" in our_lines
    # The same facts in JSON.
    status, out, _ = _show(capsys, "show", "--json", str(tmp_path / "r.csr"))
    data = json.loads(out)
    assert data["version"] == 0
    assert [a["name"] for a in data["subject_attributes"]] == [
        "C", "O", "CN", "emailAddress", "serialNumber", "title", "GN", "SN", "UID", "DC",
        "description", "street", "postalCode"]
    key = data["public_key"]
    hex_in_text = "".join(line.replace(":", "") for line in our_lines if HEX_LINE.match(line))
    if kind.startswith("rsa"):
        assert key["modulus"] in hex_in_text and key["exponent"] == 65537
        assert key["pss_only"] is (kind == "rsa-pss")
        if kind == "rsa-pss":
            assert key["algorithm"]["oid"] == "1.2.840.113549.1.1.10"
            assert key["pss"] == {"hash": "sha256", "mgf": "mgf1", "mgf_hash": "sha256",
                                  "salt_length": 32, "trailer_field": 1}
            assert "Restricted to RSASSA-PSS signatures (id-RSASSA-PSS key)" in our_lines
    elif kind.startswith("ec"):
        assert key["point"] in hex_in_text
    else:
        assert key["public_bytes"] in hex_in_text
    assert data["signature"] in hex_in_text
    ku = next(e for e in data["extensions"] if e["name"] == "keyUsage")
    assert ku["critical"] is True and ku["value"] == ["digitalSignature", "keyAgreement"]
    names = {a["name"]: a["values"] for a in data["attributes"]}
    assert names["challengePassword"] == ["secret"] and names["unstructuredName"] == ["device 7"]


def test_new_and_show_name_usages_alike(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    usages = "digitalSignature,nonRepudiation,keyEncipherment,dataEncipherment,keyAgreement"
    assert _show(capsys, "new", "--subject", "/CN=a\\/b\\+c/O=x", "--key-usage", usages,
                 "--eku", "serverAuth,clientAuth,codeSigning", "--key-out",
                 str(tmp_path / "k.pem"), "--out", str(tmp_path / "r.csr"))[0] == 0
    _, out, _ = _show(capsys, "show", "--json", str(tmp_path / "r.csr"))
    data = json.loads(out)
    values = {e["name"]: e["value"] for e in data["extensions"]}
    assert values["keyUsage"] == usages.split(",")
    assert values["extendedKeyUsage"] == ["serverAuth", "clientAuth", "codeSigning"]
    # The slash form's escapes: "\/" and "\+" are characters of the value.
    assert data["subject"] == "O=x,CN=a/b\\+c"


def _make(capsys: pytest.CaptureFixture[str], folder: Path, name: str) -> Path:
    assert _show(capsys, "new", "--subject", f"CN={name}", "--key-out",
                 str(folder / f"{name}-key.pem"), "--out", str(folder / f"{name}.csr"))[0] == 0
    return folder / f"{name}.csr"


def test_show_many_files_as_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "reqs"
    folder.mkdir()
    a = _make(capsys, folder, "a")
    _make(capsys, folder, "b")
    junk = tmp_path / "junk.der"
    junk.write_bytes(bytes.fromhex("3003020105"))
    status, out, err = _show(capsys, "show", "--json", str(a), str(junk), str(folder))
    assert status == 2  # the junk file
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["file"] for line in lines] == [
        str(a), str(junk), str(folder / "a-key.pem"), str(a), str(folder / "b-key.pem"),
        str(folder / "b.csr")]
    assert lines[0]["subject"] == "CN=a"
    assert set(lines[1]) == {"file", "error"}
    assert set(lines[1]["error"]) == {"kind", "offset", "path", "message"}
    assert lines[1]["error"]["kind"] == "unexpected-tag" and lines[1]["error"]["offset"] == 2
    # Keys found in the directory are skipped, not errors.
    assert lines[2] == {"file": str(folder / "a-key.pem"), "skipped": "no request (PRIVATE KEY)"}
    # Text: each request under its file's name, skips and errors on standard error.
    status, out, err = _show(capsys, "show", str(folder))
    assert status == 0
    assert f"==> {a} <==" in out.splitlines() and "Subject: CN = b" in out
    assert f"SKIP {folder / 'a-key.pem'}: no request (PRIVATE KEY)" in err.splitlines()
    # A file named explicitly is never skipped: a key is an error naming the file.
    status, out, err = _show(capsys, "show", str(folder / "a-key.pem"))
    assert status == 2 and err.startswith(f"csrlib: error: {folder / 'a-key.pem'}: ")


def test_verify_json_lines_and_skips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "reqs"
    folder.mkdir()
    _make(capsys, folder, "a")
    status, out, _ = _show(capsys, "verify", str(folder))
    assert status == 0  # the key next to the request does not count
    assert out.splitlines() == [f"SKIP {folder / 'a-key.pem'}: no request (PRIVATE KEY)",
                                f"OK {folder / 'a.csr'}"]
    status, out, _ = _show(capsys, "verify", "--json", str(folder),
                           str(folder / "a-key.pem"))
    assert status == 2  # named explicitly: read, and not a request
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in results] == ["skipped", "ok", "error"]
    assert results[1]["key"] == {"type": "ec", "size": 256, "curve": "secp256r1"}
    assert results[1]["algorithm"] == "ecdsa-with-SHA256" and results[1]["reason"] is None
    assert all(set(r) == {"file", "status", "reason", "key", "algorithm"} for r in results)


@pytest.mark.filterwarnings("ignore:DSA is deprecated")
def test_verify_unsupported_algorithm_is_an_error(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # A DSA request (csrlib reads DSA keys but cannot check DSA signatures).
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import dsa
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    key = dsa.generate_private_key(1024)
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dsa")]))
           .sign(key, hashes.SHA256()))
    (tmp_path / "dsa.der").write_bytes(csr.public_bytes(Encoding.DER))
    status, out, _ = _show(capsys, "verify", "--json", str(tmp_path / "dsa.der"))
    result = json.loads(out)
    assert status == 2 and result["status"] == "error"
    assert "UnsupportedAlgorithm" in result["reason"] and result["key"]["type"] == "dsa"
    status, out, _ = _show(capsys, "verify", str(tmp_path / "dsa.der"))
    assert status == 2 and out.startswith("ERROR ") and "cannot check" in out
    status, out, _ = _show(capsys, "show", str(tmp_path / "dsa.der"))
    assert status == 0 and "Public Key Algorithm: dsaEncryption" in out and "P:" in out


def test_policy_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    req = _make(capsys, tmp_path, "a")
    policy = tmp_path / "policy.json"
    policy.write_text('{"curves": ["secp384r1"], "min_rsa_bits": 3072}')
    status, out, _ = _show(capsys, "verify", "--policy", str(policy), str(req))
    assert status == 1 and "PolicyError" in out
    policy.write_text('{"min_rsa_bits": "3072"}')
    status, _, err = _show(capsys, "verify", "--policy", str(policy), str(req))
    assert status == 2 and "min_rsa_bits must be an int" in err
    policy.write_text('{"min_bits": 1}')
    status, _, err = _show(capsys, "show", "--policy", str(policy), str(req))
    assert status == 2 and "unknown Policy field 'min_bits'" in err
    policy.write_text("[" * 100000)
    status, _, err = _show(capsys, "verify", "--policy", str(policy), str(req))
    assert status == 2 and "not a JSON file" in err


@pytest.mark.parametrize(("changes", "error"), [
    ({"min_rsa_bits": "3072"}, TypeError), ({"min_rsa_bits": True}, TypeError),
    ({"max_rsa_exponent": 1}, ValueError), ({"hashes": "sha256"}, TypeError),
    ({"hashes": {"sha3-256"}}, ValueError), ({"allow_sha1": 1}, TypeError),
    ({"curves": [1]}, TypeError), ({"no_such_field": 1}, TypeError),
])
def test_policy_with_changes_checks_now(changes: dict[str, object],
                                        error: type[Exception]) -> None:
    with pytest.raises(error):
        Policy().with_changes(**changes)


def test_policy_from_dict_takes_lists() -> None:
    policy = Policy.from_dict({"hashes": ["sha384"], "key_types": ["ec"]})
    assert policy.hashes == frozenset({"sha384"}) and policy.key_types == frozenset({"ec"})
    assert Policy().with_changes(min_rsa_bits=3072).min_rsa_bits == 3072


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import csrlib

    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"csrlib {csrlib.__version__}\n"


def test_addext_in_openssl_syntax(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _show(
        capsys, "new", "--subject", "/CN=x", "--key-out", str(tmp_path / "k.pem"),
        "--out", str(tmp_path / "r.csr"),
        "--addext", "subjectAltName=DNS:a.example,IP:192.0.2.1,URI:https://x/?a=1,b=2",
        "--addext", "keyUsage=critical,digitalSignature,keyEncipherment",
        "--addext", "extendedKeyUsage=serverAuth,clientAuth",
        "--addext", "basicConstraints=critical,CA:FALSE",
        "--addext", "1.3.6.1.5.5.7.1.24=DER:3003020105")
    assert status == 0, err
    status, out, _ = _show(capsys, "show", "--json", str(tmp_path / "r.csr"))
    ext = {e["name"]: (e["critical"], e["value"]) for e in json.loads(out)["extensions"]}
    assert ext["subjectAltName"] == (False, [
        {"type": "DNS", "value": "a.example"}, {"type": "IP", "value": "192.0.2.1"},
        {"type": "URI", "value": "https://x/?a=1,b=2"}])
    assert ext["keyUsage"] == (True, ["digitalSignature", "keyEncipherment"])
    assert ext["extendedKeyUsage"] == (False, ["serverAuth", "clientAuth"])
    assert ext["basicConstraints"] == (True, {"ca": False, "path_length": None})
    assert ext["tlsFeature"][0] is False
    if OPENSSL is not None:
        text = _openssl(["req", "-in", str(tmp_path / "r.csr"), "-noout", "-text"], tmp_path)
        assert "URI:https://x/?a=1,b=2" in text and "status_request" in text


@pytest.mark.parametrize(("spec", "message"), [
    ("keyUsage", "expected NAME=VALUE"), ("keyUsage=critical", "no value"),
    ("keyUsage=signing", "unknown usage 'signing'"), ("nsComment=x", "unsupported extension"),
    ("basicConstraints=CA:maybe", "expected"),
])
def test_addext_refusals(spec: str, message: str, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _show(capsys, "new", "--subject", "/CN=x", "--key-out",
                           str(tmp_path / "k.pem"), "--addext", spec)
    assert status == 2 and message in err, err
    assert not (tmp_path / "k.pem").exists()


def test_san_lists_split_only_before_a_type(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _show(capsys, "new", "--san", "URI:https://x/?a=1,b=2,DNS:a.example",
                           "--san", "dirName:CN=x,O=y, email:a@example.com", "--key-out",
                           str(tmp_path / "k.pem"), "--out", str(tmp_path / "r.csr"))
    assert status == 0, err
    status, out, _ = _show(capsys, "show", "--json", str(tmp_path / "r.csr"))
    assert [n["value"] for n in json.loads(out)["san"]] == [
        "https://x/?a=1,b=2", "a.example", "CN=x,O=y", "a@example.com"]
