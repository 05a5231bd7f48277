"""ML-DSA on the command line (keygen, new, show, verify) and in lint."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

pytest.importorskip("dilithium_py", reason="ML-DSA needs the pq extra (dilithium-py)")

import csrlib
from csrlib import CertificateRequestBuilder, KeyUsage, signers
from csrlib.lint import lint
from csrlib.signers import MlDsaPrivateKey, MlDsaSigner
from tests.cli.test_cli import run

_SIGNER = MlDsaSigner(MlDsaPrivateKey("ml-dsa-44", bytes(32)), deterministic=True)


def test_keygen_new_show_verify(tmp_path: Path) -> None:
    made = run("keygen", "ml-dsa-87", "--out", "k.pem", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(os.stat(tmp_path / "k.pem").st_mode) == 0o600
    key = signers.load_private_key((tmp_path / "k.pem").read_bytes())
    assert key.public_key.key_type == "ml-dsa-87"
    signed = run("new", "--key", "k.pem", "--subject", "CN=pq.example", "--out", "r.pem",
                 cwd=tmp_path)
    assert signed.returncode == 0, signed.stderr
    fresh = run("new", "--new-key", "ml-dsa-65", "--key-out", "k65.pem", "--subject",
                "CN=pq65.example", "--der", "--out", "r65.der", cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    for name, kind in (("r.pem", "ml-dsa-87"), ("r65.der", "ml-dsa-65")):
        checked = run("verify", name, cwd=tmp_path)
        assert checked.returncode == 0 and checked.stdout.startswith("OK"), checked.stderr
        shown = json.loads(run("show", "--json", name, cwd=tmp_path).stdout)
        key_data = shown["public_key"]
        assert key_data["type"] == kind and key_data["parameters"] is None
        assert key_data["algorithm"]["name"] == kind.upper()
        assert len(bytes.fromhex(key_data["public_bytes"])) == {"ml-dsa-87": 2592,
                                                                 "ml-dsa-65": 1952}[kind]
        text = run("show", name, cwd=tmp_path).stdout
        assert f"Public Key Algorithm: {kind.upper()}" in text
        assert f"{kind.upper()} Public-Key:" in text
    req = csrlib.load((tmp_path / "r65.der").read_bytes())
    assert req.public_key == signers.load_private_key(
        (tmp_path / "k65.pem").read_bytes()).public_key
    # No hash for ML-DSA.
    refused = run("new", "--key", "k.pem", "--subject", "CN=x", "--hash", "sha384",
                  cwd=tmp_path)
    assert refused.returncode != 0 and "hash" in refused.stderr


def test_lint_profiles() -> None:
    req = CertificateRequestBuilder().subject("CN=pq.example").sign(_SIGNER)
    assert [f.rule for f in lint(req)] == []
    for profile in ("cabf", "letsencrypt"):
        rules = {f.rule: f for f in lint(req, profile)}
        assert "ml-dsa-44 keys are not allowed" in rules["key.type"].message
        assert "sig.algorithm" in rules and "sig.invalid" not in rules
    # RFC 9881 5: an ML-DSA key signs; keyEncipherment is not for it.
    bad = (CertificateRequestBuilder().subject("CN=pq.example")
           .add_extension(KeyUsage(digital_signature=True, key_encipherment=True))
           .sign(_SIGNER))
    found = [f for f in lint(bad) if f.rule == "ext.key-usage"]
    assert found and "key_encipherment" in found[0].message
