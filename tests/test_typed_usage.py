"""tests/typed_usage.py (checked by mypy --strict in CI) is working code too."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from tests import typed_usage


def test_typed_usage_runs() -> None:
    found = typed_usage.main()
    assert found["cn"] == ["example.com"]
    assert found["names"] == ["example.com", ipaddress.ip_address("192.0.2.1"),
                              "admin@example.com"]
    assert found["texts"] == ["example.com", "192.0.2.1", "admin@example.com"]
    assert found["usages"] == ["digitalSignature"]
    assert found["purposes"] == ["serverAuth", "clientAuth"]
    assert found["key"] == ("ec", 256, "secp256r1", False)
    assert found["password"] == "secret"


def test_typed_post_quantum_runs() -> None:
    pytest.importorskip("dilithium_py", reason="ML-DSA needs the pq extra (dilithium-py)")
    key_type, level, raw = typed_usage.post_quantum()
    assert (key_type, level, len(raw)) == ("ml-dsa-44", 44, 1312)


def test_typed_kem_request_runs() -> None:
    from kyber_py.ml_kem import ML_KEM_768

    from csrlib import signers
    from tests.kem_helpers import make_certificate

    signer = signers.generate("ed25519")
    found = typed_usage.kem_request(signer, make_certificate(signer, 99),
                                    ML_KEM_768.keygen()[0])
    assert found == ("ml-kem-768", 99, True)


def test_typed_kem_key_file_runs(tmp_path: Path) -> None:
    pytest.importorskip("kyber_py", reason="ML-KEM keys need the pq extra (kyber-py)")
    assert typed_usage.kem_key_file(str(tmp_path / "kem.pem")) == ("ml-kem-512", True, 1632)
