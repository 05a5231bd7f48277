"""Every Wycheproof signature vector through PublicKey.from_der, SignatureAlgorithm.from_der
and verify_signature.

The vectors are read from ``$CSRLIB_WYCHEPROOF`` or ``../shared/vectors/wycheproof``
(beside the repository), never copied here.  ``valid`` must verify, ``invalid``
must raise InvalidSignature, and ``acceptable`` may go either way: the only
acceptable cases are PKCS#1 v1.5 DigestInfos without the NULL parameters,
which csrlib refuses as OpenSSL and cryptography do (see csrlib.verify_rsa).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from csrlib import (
    InvalidSignature,
    Policy,
    PssParameters,
    PublicKey,
    SignatureAlgorithm,
    verify_signature,
)
from tests.helpers import oid, tlv

ROOT = Path(__file__).resolve().parent.parent


def _vectors() -> Path | None:
    for candidate in (os.environ.get("CSRLIB_WYCHEPROOF"),
                      str(ROOT.parent / "shared" / "vectors" / "wycheproof")):
        if candidate and (Path(candidate) / "testvectors_v1").is_dir():
            return Path(candidate) / "testvectors_v1"
    return None


VECTORS = _vectors()
FILES = sorted(p.name for p in VECTORS.glob("*_test.json")) if VECTORS else []
# The vectors use SHA-1 and small salts on purpose: only the arithmetic is tested here.
POLICY = Policy(allow_sha1=True, min_rsa_bits=1024)
_HASHES = {"SHA-1": "sha1", "SHA-224": "sha224", "SHA-256": "sha256", "SHA-384": "sha384",
           "SHA-512": "sha512"}
_RSA_OIDS = {"sha1": "1.2.840.113549.1.1.5", "sha224": "1.2.840.113549.1.1.14",
             "sha256": "1.2.840.113549.1.1.11", "sha384": "1.2.840.113549.1.1.12",
             "sha512": "1.2.840.113549.1.1.13"}
_ECDSA_OIDS = {"sha1": "1.2.840.10045.4.1", "sha224": "1.2.840.10045.4.3.1",
               "sha256": "1.2.840.10045.4.3.2", "sha384": "1.2.840.10045.4.3.3",
               "sha512": "1.2.840.10045.4.3.4"}


def _algorithm(group: dict[str, Any], family: str) -> bytes:
    """Return the AlgorithmIdentifier DER the group's parameters describe."""
    if family == "EDDSA":
        return tlv(0x30, oid("1.3.101.112" if "25519" in group["publicKey"]["curve"]
                             else "1.3.101.113"))
    hash_name = _HASHES[group["sha"]]
    if family == "ECDSA":
        return tlv(0x30, oid(_ECDSA_OIDS[hash_name]))
    if family == "RSASSA-PKCS1-v1_5":
        return tlv(0x30, oid(_RSA_OIDS[hash_name]) + b"\x05\x00")
    params = PssParameters(hash_name, _HASHES[group["mgfSha"]], group["sLen"])
    return tlv(0x30, oid("1.2.840.113549.1.1.10") + params.to_der())


@pytest.mark.skipif(VECTORS is None, reason="Wycheproof vectors not found")
@pytest.mark.parametrize("name", FILES)
def test_wycheproof(name: str) -> None:
    assert VECTORS is not None
    data = json.loads((VECTORS / name).read_text())
    family = data["algorithm"]
    failures = []
    count = 0
    for group in data["testGroups"]:
        key = PublicKey.from_der(bytes.fromhex(group["publicKeyDer"]))
        algorithm = SignatureAlgorithm.from_der(_algorithm(group, family))
        for case in group["tests"]:
            count += 1
            try:
                verify_signature(key, algorithm, bytes.fromhex(case["sig"]),
                                 bytes.fromhex(case["msg"]), policy=POLICY)
                outcome = "valid"
            except InvalidSignature:
                outcome = "invalid"
            if case["result"] == "acceptable":
                assert case["flags"] == ["MissingNull"] and outcome == "invalid", case
            elif outcome != case["result"]:
                failures.append((case["tcId"], case["comment"], case["result"]))
    assert count == sum(len(g["tests"]) for g in data["testGroups"])
    assert not failures, failures[:10]


def test_vectors_are_all_here() -> None:
    if VECTORS is None:
        pytest.skip("Wycheproof vectors not found")
    manifest = json.loads((VECTORS.parent / "manifest.json").read_text())
    assert sorted(Path(f["file"]).name for f in manifest["files"]) == FILES
    assert sum(f["numberOfTests"] for f in manifest["files"]) > 9000
