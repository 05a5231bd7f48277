"""The command line on RFC 9883 requests: verify --signer-cert, show, lint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kyber_py.ml_kem import ML_KEM_1024

import csrlib
from csrlib import CertificateRequestBuilder, MlKemPublicKey, signers
from csrlib.cli import main
from tests.helpers import oid, tlv
from tests.kem_helpers import make_certificate

VECTORS = Path(__file__).parent.parent / "vectors"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("kem")
    signer = signers.generate("ec:P-256")
    cert = make_certificate(signer, 4242, "CN=KEM CA")
    kem = MlKemPublicKey.from_bytes(1024, ML_KEM_1024.keygen()[0])
    paths = {name: out / name for name in ("sig.crt", "other.crt", "kem.csr", "bare.csr",
                                            "plain.csr")}
    paths["sig.crt"].write_text(csrlib.pem.encode_pem("CERTIFICATE", cert))
    paths["other.crt"].write_bytes(make_certificate(signers.generate("ec:P-256"), 4242,
                                                    "CN=Other CA"))
    builder = CertificateRequestBuilder().subject("CN=kem.example").public_key(kem)
    paths["kem.csr"].write_text(builder.possession_statement(cert).sign(signer).to_pem())
    paths["bare.csr"].write_text(builder.possession_statement(cert, include_certificate=False)
                                 .sign(signer).to_pem())
    paths["plain.csr"].write_text(CertificateRequestBuilder().subject("CN=plain")
                                  .sign(signer).to_pem())
    return paths


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_verify_with_and_without_the_signer_certificate(
        files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    kem, sig = str(files["kem.csr"]), str(files["sig.crt"])
    status, out, _ = _run(capsys, "verify", kem)
    assert status == 2
    assert out.startswith(f"ERROR {kem}: cannot check: UnsupportedAlgorithm: the request is "
                          "signed by another key than its own")
    assert "serial number 4242 issued by 'CN=KEM CA'" in out and "--signer-cert" in out
    assert _run(capsys, "verify", "--signer-cert", sig, kem, str(files["bare.csr"]))[:2] == (
        0, f"OK {kem}\nOK {files['bare.csr']}\n")
    status, out, _ = _run(capsys, "verify", "--json", "--signer-cert",
                          str(files["other.crt"]), kem)
    result = json.loads(out)
    assert status == 1 and result["status"] == "fail"
    assert result["reason"].startswith("InvalidSignature: the privateKeyPossessionStatement "
                                       "names another certificate")
    assert result["key"] == {"type": "ml-kem-1024", "size": 1024, "curve": None}
    # A request without a statement is not signed by the certificate's key.
    status, out, _ = _run(capsys, "verify", "--signer-cert", sig, str(files["plain.csr"]))
    assert status == 1 and "no privateKeyPossessionStatement" in out
    assert _run(capsys, "verify", str(files["plain.csr"]))[0] == 0


def test_verify_lenient_refuses_an_invalid_kem_key(
        files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The KEM key with NULL parameters, the request signed again by its signer.
    signer = signers.generate("ec:P-256")
    cert = make_certificate(signer, 77, "CN=KEM CA")
    good = csrlib.load(files["kem.csr"].read_bytes()).public_key
    assert isinstance(good, MlKemPublicKey)
    bad = tlv(0x30, tlv(0x30, oid(good.algorithm) + b"\x05\x00")
              + tlv(0x03, b"\x00" + good.public_bytes))
    tbs = (CertificateRequestBuilder().subject("CN=kem.example").public_key(good)
           .possession_statement(cert).sign(signer).tbs_der)
    head = 2 + (tbs[1] & 0x7F if tbs[1] & 0x80 else 0)
    tbs = tlv(0x30, tbs[head:].replace(good.to_der(), bad))
    (tmp_path / "bad.csr").write_bytes(tlv(0x30, tbs + signer.signature_algorithm.to_der()
                                           + tlv(0x03, b"\x00" + signer.sign(tbs))))
    (tmp_path / "sig.crt").write_bytes(cert)
    status, out, _ = _run(capsys, "verify", "--lenient", "--signer-cert",
                          str(tmp_path / "sig.crt"), str(tmp_path / "bad.csr"))
    assert status == 1
    assert out == (f"FAIL {tmp_path / 'bad.csr'}: InvalidSignature: the request's ml-kem-1024 "
                   "key is not valid: its algorithm parameters must be absent (RFC 9935 3)\n")


def test_verify_refuses_a_signer_cert_that_is_no_certificate(
        files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "verify", "--signer-cert", str(files["kem.csr"]),
                            str(files["kem.csr"]))
    assert status == 2 and out == ""
    assert "--signer-cert" in err and "not a certificate" in err


def test_show_text_and_json(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "show", str(files["kem.csr"]))
    assert status == 0
    assert ("            Public Key Algorithm: ML-KEM-1024\n"
            "                ML-KEM-1024 Public-Key:\n                ek:\n") in out
    assert ("            privateKeyPossessionStatement:\n                Signed by the key of "
            "the certificate: serial 4242, issuer CN=KEM CA\n                Certificate "
            "included: subject CN=signer.example, ec key\n") in out
    assert "    Signature: not checked (SignerCertificateRequired: " in out
    status, out, _ = _run(capsys, "show", "--json", str(files["bare.csr"]))
    data = json.loads(out)
    key = MlKemPublicKey.from_bytes(1024, bytes.fromhex(data["public_key"]["public_bytes"]))
    assert data["public_key"]["type"] == "ml-kem-1024" and key.to_der() == csrlib.load(
        files["bare.csr"].read_bytes()).public_key.to_der()
    assert data["public_key"]["algorithm"] == {"oid": "2.16.840.1.101.3.4.4.3",
                                               "name": "ML-KEM-1024"}
    assert data["attributes"] == [{"oid": "1.3.6.1.4.1.22112.2.1",
                                   "name": "privateKeyPossessionStatement",
                                   "values": [{"issuer": "CN=KEM CA", "serial": 4242,
                                               "certificate": None}]}]
    assert data["signature_valid"] is None
    assert data["verify_error"].startswith("SignerCertificateRequired: ")


def test_lint(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    # The statement carries the certificate: lint checks the signature with it.
    status, out, _ = _run(capsys, "lint", "--json", str(files["kem.csr"]))
    findings = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and [f["rule"] for f in findings] == []
    # It carries none: a notice that the signature was not checked.
    status, out, _ = _run(capsys, "lint", "--json", str(files["bare.csr"]))
    findings = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    assert [(f["rule"], f["severity"]) for f in findings] == [("sig.invalid", "notice")]
    assert findings[0]["message"].startswith("the signature was not checked: the request is "
                                             "signed by another key")
    # RFC 9883's example does not verify with the certificate it carries.
    status, out, _ = _run(capsys, "lint", str(VECTORS / "rfc9883-example.csr"))
    assert status == 1
    assert out.startswith("error sig.invalid: the signature by the certificate the "
                          "privateKeyPossessionStatement carries does not verify")


def test_new_makes_a_request_for_a_kem_key(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    signer = signers.generate("ed25519")
    (tmp_path / "sig.key").write_text(signers.private_key_pem(signer))
    (tmp_path / "sig.crt").write_bytes(make_certificate(signer, 5))
    kem = MlKemPublicKey.from_bytes(1024, ML_KEM_1024.keygen()[0])
    (tmp_path / "kem.pub").write_text(csrlib.pem.encode_pem("PUBLIC KEY", kem.to_der()))
    paths = {name: str(tmp_path / name) for name in ("sig.key", "sig.crt", "kem.pub", "r.csr")}
    status, _, err = _run(capsys, "new", "--subject", "CN=kem.example", "--public-key",
                          paths["kem.pub"], "--signer-cert", paths["sig.crt"], "--key",
                          paths["sig.key"], "--out", paths["r.csr"])
    assert (status, err) == (0, "")
    req = csrlib.load((tmp_path / "r.csr").read_bytes())
    assert req.public_key == kem and req.signature_algorithm.name == "Ed25519"
    req.verify(signer_certificate=(tmp_path / "sig.crt").read_bytes())
    # Each without the others is refused before any key is made or saved.
    for args in (["--public-key", paths["kem.pub"], "--key", paths["sig.key"]],
                 ["--signer-cert", paths["sig.crt"], "--key", paths["sig.key"]],
                 ["--public-key", paths["kem.pub"], "--signer-cert", paths["sig.crt"],
                  "--key-out", str(tmp_path / "new.key")]):
        status, _, err = _run(capsys, "new", "--subject", "CN=x", *args)
        assert status == 2 and "--public-key and --signer-cert go together" in err, args
    assert not (tmp_path / "new.key").exists()


def test_keygen_ml_kem_and_a_request_for_it(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import os
    import stat

    from csrlib.signers import MlKemPrivateKey

    key, pub = str(tmp_path / "kem.pem"), str(tmp_path / "kem.pub")
    status, _, err = _run(capsys, "keygen", "ml-kem-512", "--out", key, "--public-out", pub)
    assert status == 0 and f"wrote ml-kem-512 key to {key} (mode 0600)" in err
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    kem = MlKemPrivateKey.from_pem((tmp_path / "kem.pem").read_bytes())
    assert kem.public_key.key_type == "ml-kem-512" and kem.seed is not None
    assert csrlib.PublicKey.from_pem((tmp_path / "kem.pub").read_bytes()) == kem.public_key
    # No silent overwrite, of either file; nor one file for both.
    before = (tmp_path / "kem.pem").read_bytes()
    for args in (["--out", key], ["--out", str(tmp_path / "k2.pem"), "--public-out", pub]):
        status, _, err = _run(capsys, "keygen", "ml-kem-768", *args)
        assert status == 2 and "already exists" in err
    assert (tmp_path / "kem.pem").read_bytes() == before and not (tmp_path / "k2.pem").exists()
    status, _, err = _run(capsys, "keygen", "ml-kem-768", "--out", key, "--public-out", key,
                          "--force")
    assert status == 2 and "--public-out must name another file" in err
    # Encrypted, as other keys.
    (tmp_path / "pw").write_text("a long password\n")
    status, _, _ = _run(capsys, "keygen", "ml-kem-1024", "--out", str(tmp_path / "enc.pem"),
                        "--encrypt", "--key-password-file", str(tmp_path / "pw"))
    assert status == 0
    enc = (tmp_path / "enc.pem").read_text()
    assert enc.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert MlKemPrivateKey.from_pem(enc, "a long password").public_key.key_type == "ml-kem-1024"
    # The public key file goes to new --public-key; the request names the signer's certificate.
    signer = signers.generate("ec:P-256")
    (tmp_path / "sig.key").write_text(signers.private_key_pem(signer))
    (tmp_path / "sig.crt").write_bytes(make_certificate(signer, 12))
    status, _, err = _run(capsys, "new", "--subject", "CN=kem.example", "--public-key", pub,
                          "--signer-cert", str(tmp_path / "sig.crt"), "--key",
                          str(tmp_path / "sig.key"), "--out", str(tmp_path / "r.csr"))
    assert (status, err) == (0, "")
    req = csrlib.load((tmp_path / "r.csr").read_bytes())
    assert req.public_key == kem.public_key
    req.verify(signer_certificate=(tmp_path / "sig.crt").read_bytes())
    # An ML-KEM key file is no signing key.
    status, _, err = _run(capsys, "new", "--subject", "CN=x", "--key", key)
    assert status == 2 and "an ml-kem-512 key cannot sign" in err
