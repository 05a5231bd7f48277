"""Wycheproof ML-DSA vectors (FIPS 204): every case of the nine mldsa_* files.

* ``mldsa_{44,65,87}_verify_test.json``: each group's ``publicKeyDer`` goes
  through :meth:`PublicKey.from_der` (the ``IncorrectPublicKeyLength``
  groups must be refused there), each case through
  :func:`csrlib.verify_signature` with the RFC 9881 algorithm identifier.
  csrlib verifies with the empty context only (RFC 9881 3), so a case with
  a context is checked twice: the backend with that context gives the
  expected verdict, and csrlib (empty context) refuses it.
* ``mldsa_*_sign_seed_test.json``: the seed-form PKCS#8 key of each group is
  read by :func:`csrlib.signers.load_private_key`, its public key is the
  expected one, csrlib writes back exactly the same PKCS#8, and a
  deterministic :class:`MlDsaSigner` reproduces every expected signature
  of an empty context; a wrong-length seed is refused.
* ``mldsa_*_sign_noseed_test.json``: the same from the expanded private key
  (a PKCS#8 ``expandedKey`` made here), whose ``InvalidPrivateKey`` cases
  (s1 or s2 out of range) must be refused at load.

Cases csrlib's API cannot express (a non-empty context; ``Internal`` ones
that give only μ; ``Randomized`` ones with a given rnd) check the backend
directly, so that it is known to follow FIPS 204 final there too; each
kind is counted, so that no case is skipped silently.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from unittest import mock

import pytest

pytest.importorskip("dilithium_py", reason="ML-DSA needs the pq extra (dilithium-py)")

from csrlib import (
    DecodeError,
    InvalidKey,
    InvalidSignature,
    MlDsaPublicKey,
    PublicKey,
    SignatureAlgorithm,
    verify_signature,
)
from csrlib.crypto import mldsa
from csrlib.crypto.mldsa import backend, sign_ml_dsa
from csrlib.signers import MlDsaSigner, load_private_key
from csrlib.signers.key_writing import pkcs8_der
from tests.crypto.test_wycheproof import MLDSA, VECTORS, _load
from tests.helpers import oid, tlv

needs_vectors = pytest.mark.skipif(VECTORS is None, reason="Wycheproof vectors not found")
_OIDS = {"44": "2.16.840.1.101.3.4.3.17", "65": "2.16.840.1.101.3.4.3.18",
         "87": "2.16.840.1.101.3.4.3.19"}


def _level(name: str) -> str:
    return name.split("_")[1]


def _files(kind: str) -> list[str]:
    return [n for n in MLDSA if n.endswith(f"_{kind}_test.json")]


def _pkcs8_expanded(level: str, expanded: bytes) -> bytes:
    """Return a PKCS#8 v1 key holding the expandedKey arm of RFC 9881 6."""
    return tlv(0x30, tlv(0x02, b"\x00") + tlv(0x30, oid(_OIDS[level]))
               + tlv(0x04, tlv(0x04, expanded)))


def _message(level: str, case: dict[str, Any]) -> bytes:
    return b"\x00" + bytes([len(bytes.fromhex(case.get("ctx", "")))]) + bytes.fromhex(
        case.get("ctx", "")) + bytes.fromhex(case["msg"])


@needs_vectors
@pytest.mark.parametrize("name", _files("verify"))
def test_verify(name: str) -> None:
    level = _level(name)
    data = _load(name)
    algorithm = SignatureAlgorithm.from_der(tlv(0x30, oid(_OIDS[level])))
    scheme = backend(f"ml-dsa-{level}")
    seen: Counter[str] = Counter()
    failures = []
    for group in data["testGroups"]:
        der = bytes.fromhex(group["publicKeyDer"])
        try:
            key = PublicKey.from_der(der)
        except DecodeError:
            # Only a key of the wrong length may be refused, and its cases are all invalid.
            assert all(c["flags"] == ["IncorrectPublicKeyLength"] and c["result"] == "invalid"
                       for c in group["tests"]), group["tests"]
            seen["refused key"] += len(group["tests"])
            continue
        assert isinstance(key, MlDsaPublicKey) and key.key_type == f"ml-dsa-{level}"
        assert key.public_bytes.hex() == group["publicKey"]
        for case in group["tests"]:
            msg, sig = bytes.fromhex(case["msg"]), bytes.fromhex(case["sig"])
            try:
                verify_signature(key, algorithm, sig, msg)
                outcome = "valid"
            except InvalidSignature:
                outcome = "invalid"
            ctx = bytes.fromhex(case.get("ctx", ""))
            if ctx:
                # RFC 9881: the empty context; the backend checks the case itself.
                seen["context"] += 1
                assert outcome == "invalid", case["tcId"]
                try:
                    outcome = "valid" if scheme.verify(key.public_bytes, msg, sig, ctx) \
                        else "invalid"
                except ValueError:  # a context over 255 octets
                    outcome = "invalid"
            else:
                seen["csrlib"] += 1
            if outcome != case["result"]:
                failures.append((case["tcId"], case["comment"], case["result"]))
    assert sum(seen.values()) == data["numberOfTests"] >= 180
    assert seen["csrlib"] > 160 and seen["refused key"] == 4, seen
    assert not failures, failures[:10]


def _check_signatures(level: str, signer: MlDsaSigner, expanded: bytes,
                      group: dict[str, Any], seen: Counter[str], failures: list[Any]) -> None:
    """Check every case of a group whose key loaded (see the module docstring)."""
    scheme = backend(f"ml-dsa-{level}")
    algorithm = signer.signature_algorithm
    for case in group["tests"]:
        expected = bytes.fromhex(case.get("sig", ""))
        ctx = bytes.fromhex(case.get("ctx", ""))
        if "msg" not in case:
            # Internal: only mu = SHAKE256(tr || M', 64) is given.
            seen["internal (backend)"] += 1
            got = scheme.sign_external_mu(expanded, bytes.fromhex(case["mu"]),
                                          deterministic=True)
        elif case["result"] == "invalid":
            # An invalid context (over 255 octets): the backend refuses to sign.
            assert case["flags"] == ["InvalidContext"], case
            seen["invalid context (backend)"] += 1
            with pytest.raises(ValueError):
                scheme.sign(expanded, bytes.fromhex(case["msg"]), ctx=ctx)
            continue
        elif "rnd" in case and not ctx:
            # csrlib's hedged signature, its randomness (secrets.token_bytes) the case's.
            seen["randomized (csrlib)"] += 1
            rnd = bytes.fromhex(case["rnd"])
            with mock.patch.object(mldsa.secrets, "token_bytes", return_value=rnd):
                got = sign_ml_dsa(f"ml-dsa-{level}", expanded, bytes.fromhex(case["msg"]))
        elif "rnd" in case:
            seen["randomized (backend)"] += 1
            got = scheme._sign_internal(expanded, _message(level, case),
                                        bytes.fromhex(case["rnd"]))
        elif ctx:
            seen["context (backend)"] += 1
            got = scheme.sign(expanded, bytes.fromhex(case["msg"]), ctx=ctx, deterministic=True)
        else:
            seen["csrlib"] += 1
            got = signer.sign(bytes.fromhex(case["msg"]))
        if got != expected:
            failures.append((case["tcId"], case["comment"]))
        elif "rnd" in case and not ctx:
            # A hedged signature verifies in csrlib as a deterministic one does (the
            # verify files check those).
            verify_signature(signer.public_key, algorithm, expected, bytes.fromhex(case["msg"]))


@needs_vectors
@pytest.mark.parametrize("name", _files("sign_seed"))
def test_sign_from_seed(name: str) -> None:
    level = _level(name)
    data = _load(name)
    seen: Counter[str] = Counter()
    failures: list[Any] = []
    for group in data["testGroups"]:
        seed = bytes.fromhex(group["privateSeed"])
        if len(seed) != 32:
            assert all(c["flags"] == ["IncorrectPrivateKeyLength"] for c in group["tests"])
            from csrlib.signers import MlDsaPrivateKey

            with pytest.raises(InvalidKey, match="seed is"):
                MlDsaSigner(MlDsaPrivateKey(f"ml-dsa-{level}", seed))
            seen["refused key"] += len(group["tests"])
            continue
        pkcs8 = bytes.fromhex(group.get("privateKeyPkcs8", ""))
        if pkcs8:
            signer = load_private_key(pkcs8, deterministic=True)
            # Written back in the same (seed) form, octet for octet.
            assert pkcs8_der(signer.private_numbers) == pkcs8
        else:
            from csrlib.signers import MlDsaPrivateKey

            signer = MlDsaSigner(MlDsaPrivateKey(f"ml-dsa-{level}", seed), deterministic=True)
        assert isinstance(signer, MlDsaSigner)
        assert signer.public_key.public_bytes.hex() == group["publicKey"]
        _, expanded = backend(f"ml-dsa-{level}").key_derive(seed)
        _check_signatures(level, signer, expanded, group, seen, failures)
    assert sum(seen.values()) == data["numberOfTests"], seen
    assert seen["csrlib"] >= 70 and seen["refused key"] == 3, seen
    assert seen["randomized (csrlib)"] == 1, seen
    assert not failures, failures[:10]


@needs_vectors
@pytest.mark.parametrize("name", _files("sign_noseed"))
def test_sign_from_expanded_key(name: str) -> None:
    level = _level(name)
    data = _load(name)
    seen: Counter[str] = Counter()
    failures: list[Any] = []
    for group in data["testGroups"]:
        expanded = bytes.fromhex(group["privateKey"])
        flags = {flag for case in group["tests"] for flag in case["flags"]}
        if flags & {"IncorrectPrivateKeyLength", "InvalidPrivateKey"}:
            assert all(c["result"] == "invalid" for c in group["tests"])
            with pytest.raises(InvalidKey):
                load_private_key(_pkcs8_expanded(level, expanded))
            seen["refused key"] += len(group["tests"])
            continue
        signer = load_private_key(_pkcs8_expanded(level, expanded), deterministic=True)
        assert isinstance(signer, MlDsaSigner)
        assert signer.public_key.public_bytes.hex() == group["publicKey"]
        # No seed: written back as the expanded key.
        assert pkcs8_der(signer.private_numbers) == _pkcs8_expanded(level, expanded)
        _check_signatures(level, signer, expanded, group, seen, failures)
    assert sum(seen.values()) == data["numberOfTests"], seen
    assert seen["csrlib"] >= 50 and seen["refused key"] == 4, seen
    assert seen["randomized (csrlib)"] == 1, seen
    assert not failures, failures[:10]
