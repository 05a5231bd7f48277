"""Wycheproof vectors for what encrypted keys and outside signers need: ECDSA
signatures in the P1363 form, AES-CBC with PKCS#7 padding, PBES2 and PBKDF2.

The files are read where ``test_wycheproof.py`` finds them, never copied.

* ``*_p1363_test.json``: each ``sig`` (r || s) is what an HSM's sign
  callback returns to ``ExternalSigner(..., signature_format="raw")``:
  ``valid`` must come back as the DER signature, ``invalid`` (wrong
  length, r or s out of range, a wrong signature) must raise
  InvalidSignature and nothing else.
* ``aes_cbc_pkcs5_test.json``: every ``valid`` case encrypts to ``ct`` and
  decrypts to ``msg``; every ``invalid`` one (bad padding of every kind, no
  ciphertext) decrypts to None.
* ``pbes2_*``: PBKDF2 with the file's HMAC, then AES-CBC: decrypts ``ct`` to
  ``msg`` and encrypts ``msg`` to ``ct``; also with the hmac fallback.
* ``pbkdf2_*``: hashlib's PBKDF2 and the pure-hmac fallback give ``dk``
  (the fallback skips counts above 100,000: minutes in pure Python).
"""

from __future__ import annotations

from typing import Any

import pytest

from csrlib import InvalidSignature, PublicKey, SignatureAlgorithm
from csrlib.crypto import aes
from csrlib.crypto.ecdsa import parse_ecdsa_signature
from csrlib.crypto.kdf import pbkdf2, pbkdf2_fallback
from csrlib.signers import ExternalSigner
from tests.crypto.test_wycheproof import AES, P1363, PBES2, PBKDF2, VECTORS, _load

needs_vectors = pytest.mark.skipif(VECTORS is None, reason="Wycheproof vectors not found")
_HASHES = {"SHA-224": "sha224", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512",
           "HMACSHA1": "sha1", "HMACSHA224": "sha224", "HMACSHA256": "sha256",
           "HMACSHA384": "sha384", "HMACSHA512": "sha512"}


def _cases(data: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(group, case) for group in data["testGroups"] for case in group["tests"]]


@needs_vectors
@pytest.mark.parametrize("name", P1363)
def test_p1363_signatures_through_external_signer(name: str) -> None:
    data = _load(name)
    failures = []
    cases = _cases(data)
    for group, case in cases:
        key = PublicKey.from_der(bytes.fromhex(group["publicKeyDer"]))
        algorithm = SignatureAlgorithm.for_key(key, hash=_HASHES[group["sha"]])
        raw = bytes.fromhex(case["sig"])
        signer = ExternalSigner(key, algorithm, lambda _data, raw=raw: raw,
                                signature_format="raw")
        try:
            der = signer.sign(bytes.fromhex(case["msg"]))
        except InvalidSignature:
            outcome = "invalid"
        else:
            outcome = "valid"
            size = len(raw) // 2
            assert parse_ecdsa_signature(der) == (int.from_bytes(raw[:size], "big"),
                                                  int.from_bytes(raw[size:], "big"))
        assert case["result"] in ("valid", "invalid"), case
        if outcome != case["result"]:
            failures.append((case["tcId"], case["comment"]))
    assert len(cases) == data["numberOfTests"] > 0
    assert not failures, failures[:10]


@needs_vectors
@pytest.mark.parametrize("name", AES)
def test_aes_cbc_pkcs5(name: str) -> None:
    data = _load(name)
    cases = _cases(data)
    counts = {"valid": 0, "invalid": 0}
    for _group, case in cases:
        key, iv, msg, ct = (bytes.fromhex(case[f]) for f in ("key", "iv", "msg", "ct"))
        counts[case["result"]] += 1
        if case["result"] == "valid":
            assert aes.cbc_encrypt(key, iv, msg) == ct, case["tcId"]
            assert aes.cbc_decrypt(key, iv, ct) == msg, case["tcId"]
        else:
            assert set(case["flags"]) <= {"BadPadding", "NoPadding"}, case
            assert aes.cbc_decrypt(key, iv, ct) is None, case["tcId"]
    assert counts == {"valid": 72, "invalid": 144}
    assert len(cases) == data["numberOfTests"]


@needs_vectors
@pytest.mark.parametrize("name", PBES2)
def test_pbes2(name: str) -> None:
    data = _load(name)
    hash_name = "sha" + name.split("_")[1].removeprefix("hmacsha")
    key_size = int(name.split("_")[3]) // 8
    cases = _cases(data)
    for number, (_group, case) in enumerate(cases):
        password, salt, iv, msg, ct = (bytes.fromhex(case[f])
                                       for f in ("password", "salt", "iv", "msg", "ct"))
        assert case["result"] == "valid"
        key = pbkdf2(hash_name, password, salt, case["iterationCount"], key_size)
        if number < 3:
            assert pbkdf2_fallback(hash_name, password, salt, case["iterationCount"],
                                   key_size) == key
        assert aes.cbc_decrypt(key, iv, ct) == msg, case["tcId"]
        assert aes.cbc_encrypt(key, iv, msg) == ct, case["tcId"]
    assert len(cases) == data["numberOfTests"] > 0


@needs_vectors
@pytest.mark.parametrize("name", PBKDF2)
def test_pbkdf2(name: str) -> None:
    data = _load(name)
    hash_name = "sha" + name.split("_")[1].removeprefix("hmacsha")
    cases = _cases(data)
    for _group, case in cases:
        password, salt, dk = (bytes.fromhex(case[f]) for f in ("password", "salt", "dk"))
        count, length = case["iterationCount"], case["dkLen"]
        assert case["result"] == "valid"
        assert pbkdf2(hash_name, password, salt, count, length) == dk, case["tcId"]
        if count <= 100_000:
            assert pbkdf2_fallback(hash_name, password, salt, count, length) == dk, case["tcId"]
    assert len(cases) == data["numberOfTests"] > 0
