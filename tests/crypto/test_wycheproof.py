"""Wycheproof signature vectors through PublicKey.from_der, SignatureAlgorithm.from_der
and verify_signature.

The vectors are read from ``$CSRLIB_WYCHEPROOF`` or ``../shared/vectors/wycheproof``
(beside the repository), never copied here.

* Signatures csrlib verifies (:data:`VERIFIED`): ``valid`` must verify,
  ``invalid`` must raise InvalidSignature, and ``acceptable`` may go either
  way: the only acceptable cases are PKCS#1 v1.5 DigestInfos without the NULL
  parameters, which csrlib refuses as OpenSSL and cryptography do (see
  csrlib.crypto.rsa).
  This includes brainpoolP256r1/P384r1/P512r1, secp224r1 and SHA-3, which
  csrlib verifies under a policy that admits them (:data:`POLICY`), not
  the default.
* Signatures on curves or with hashes csrlib does not verify
  (:data:`UNSUPPORTED`): none since issue 16, and a new file of that kind
  fails ``test_vectors_are_all_here`` until it is tested.
* ECDSA signatures in the P1363 form (:data:`P1363`), AES-CBC
  (:data:`AES`), PBES2 (:data:`PBES2`) and PBKDF2 (:data:`PBKDF2`): see
  ``test_wycheproof_keys.py``.
* ML-DSA (:data:`MLDSA`): the verify, sign_seed and sign_noseed files of
  the three parameter sets, see ``test_wycheproof_mldsa.py``.
* ``primality_test.json`` (:data:`PRIMALITY`): the test the primes of RSA key
  files go through, :func:`csrlib.signers.primes.is_probable_prime`, calls
  every ``valid`` case prime and every other not (``acceptable``: negative
  primes, not prime to csrlib).
* :data:`NOT_YET` names every other file and the issue that will test it;
  ``test_vectors_are_all_here`` fails when a file is in no list.
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

ROOT = Path(__file__).resolve().parent.parent.parent


def _vectors() -> Path | None:
    for candidate in (os.environ.get("CSRLIB_WYCHEPROOF"),
                      str(ROOT.parent / "shared" / "vectors" / "wycheproof")):
        if candidate and (Path(candidate) / "testvectors_v1").is_dir():
            return Path(candidate) / "testvectors_v1"
    return None


VECTORS = _vectors()
ALL_FILES = sorted(p.name for p in VECTORS.glob("*_test.json")) if VECTORS else []
# DER-encoded signatures on the curves csrlib verifies, with SHA-2.
_VERIFIED_CURVES = ("secp256r1", "secp384r1", "secp521r1", "secp256k1", "secp224r1",
                    "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1")


def _family(name: str) -> str:
    """Return how a vector file is tested: verified, p1363, aes, pbes2, pbkdf2, mldsa,
    primality or not-yet."""
    if name == "primality_test.json":
        return "primality"
    if name == "aes_cbc_pkcs5_test.json":
        return "aes"
    if name.startswith("mldsa_"):
        return "mldsa"
    if name.startswith(("pbes2_", "pbkdf2_")):
        return name.split("_", maxsplit=1)[0]
    if name.startswith(("ed25519", "ed448", "rsa_pss_", "rsa_signature_")):
        return "verified"
    if name.startswith("ecdsa_"):
        curve = name.split("_")[1]
        if curve in _VERIFIED_CURVES:
            return "p1363" if name.endswith("_p1363_test.json") else "verified"
        return "unsupported"
    return "not-yet"


VERIFIED = [n for n in ALL_FILES if _family(n) == "verified"]
UNSUPPORTED = [n for n in ALL_FILES if _family(n) == "unsupported"]
PRIMALITY = [n for n in ALL_FILES if _family(n) == "primality"]
P1363 = [n for n in ALL_FILES if _family(n) == "p1363"]
AES = [n for n in ALL_FILES if _family(n) == "aes"]
PBES2 = [n for n in ALL_FILES if _family(n) == "pbes2"]
PBKDF2 = [n for n in ALL_FILES if _family(n) == "pbkdf2"]
MLDSA = [n for n in ALL_FILES if _family(n) == "mldsa"]
#: Files whose subject csrlib does not have yet, with the issue that adds it.
NOT_YET = {
    "ecdh_secp256r1_ecpoint_test.json": "issue 17: EC public-key validation (key.ec.point)",
}
# The vectors use SHA-1 and small salts on purpose: only the arithmetic is
# tested here.  The curves and SHA-3 outside the default policy are admitted.
POLICY = Policy(allow_sha1=True, min_rsa_bits=1024).with_changes(
    curves=Policy().curves | {"brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1",
                              "secp224r1"},
    hashes=Policy().hashes | {"sha3_224", "sha3_256", "sha3_384", "sha3_512"})
_HASHES = {"SHA-1": "sha1", "SHA-224": "sha224", "SHA-256": "sha256", "SHA-384": "sha384",
           "SHA-512": "sha512", "SHA3-224": "sha3_224", "SHA3-256": "sha3_256",
           "SHA3-384": "sha3_384", "SHA3-512": "sha3_512"}
_RSA_OIDS = {"sha1": "1.2.840.113549.1.1.5", "sha224": "1.2.840.113549.1.1.14",
             "sha256": "1.2.840.113549.1.1.11", "sha384": "1.2.840.113549.1.1.12",
             "sha512": "1.2.840.113549.1.1.13",
             # id-rsassa-pkcs1-v1_5-with-sha3-* (NIST CSOR, RFC 9688)
             "sha3_256": "2.16.840.1.101.3.4.3.14", "sha3_384": "2.16.840.1.101.3.4.3.15"}
_ECDSA_OIDS = {"sha1": "1.2.840.10045.4.1", "sha224": "1.2.840.10045.4.3.1",
               "sha256": "1.2.840.10045.4.3.2", "sha384": "1.2.840.10045.4.3.3",
               "sha512": "1.2.840.10045.4.3.4",
               # id-ecdsa-with-sha3-* (NIST CSOR, RFC 9688)
               "sha3_256": "2.16.840.1.101.3.4.3.10", "sha3_384": "2.16.840.1.101.3.4.3.11",
               "sha3_512": "2.16.840.1.101.3.4.3.12"}
# Curve names as Wycheproof writes them, and their sizes (bits of the order).
_CURVE_BITS = {"brainpoolP256r1": 256, "brainpoolP384r1": 384, "brainpoolP512r1": 512,
               "secp224r1": 224, "secp256r1": 256, "secp384r1": 384, "secp521r1": 521}


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


def _load(name: str) -> dict[str, Any]:
    assert VECTORS is not None
    data: dict[str, Any] = json.loads((VECTORS / name).read_text())
    return data


@pytest.mark.skipif(VECTORS is None, reason="Wycheproof vectors not found")
@pytest.mark.parametrize("name", VERIFIED)
def test_wycheproof(name: str) -> None:
    data = _load(name)
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
    assert count == sum(len(g["tests"]) for g in data["testGroups"]) > 0
    assert not failures, failures[:10]


@pytest.mark.skipif(VECTORS is None, reason="Wycheproof vectors not found")
@pytest.mark.parametrize("name", PRIMALITY)
def test_wycheproof_primality(name: str) -> None:
    """Primes are probable primes; composites and negative numbers are not.

    The composites include Carmichael numbers and numbers built to pass
    Miller-Rabin to fixed bases or with probability about 1/4 per random
    base.  The strong Lucas test alone rejects every one of them (checked
    when this test was written), so the verdicts do not depend on the
    random bases.
    """
    from csrlib.signers.primes import is_probable_prime

    data = _load(name)
    failures = []
    count = 0
    for group in data["testGroups"]:
        for case in group["tests"]:
            count += 1
            value = int.from_bytes(bytes.fromhex(case["value"]), "big", signed=True)
            if case["result"] == "acceptable":
                assert case["flags"] == ["NegativeOfPrime"] and value < 0, case
            if is_probable_prime(value) != (case["result"] == "valid"):
                failures.append((case["tcId"], case["comment"], case["result"]))
    assert count == data["numberOfTests"] == 317
    assert not failures, failures[:10]


def test_vectors_are_all_here() -> None:
    if VECTORS is None:
        pytest.skip("Wycheproof vectors not found")
    manifest = json.loads((VECTORS.parent / "manifest.json").read_text())
    assert sorted(Path(f["file"]).name for f in manifest["files"]) == ALL_FILES
    tested = VERIFIED + UNSUPPORTED + PRIMALITY + P1363 + AES + PBES2 + PBKDF2 + MLDSA
    assert sorted(tested + list(NOT_YET)) == ALL_FILES
    assert not set(NOT_YET) & set(tested)
    assert len(P1363) == 8 and len(AES) == 1 and len(PBES2) == 15 and len(PBKDF2) == 5
    assert len(MLDSA) == 9
    # Older entries count cases as numberOfTests, newer ones as tests.
    counts = {Path(f["file"]).name: f.get("tests", f.get("numberOfTests"))
              for f in manifest["files"]}
    assert sum(counts[n] for n in VERIFIED) >= 9190 + 4529
    assert UNSUPPORTED == []
