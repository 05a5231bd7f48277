"""ML-KEM private key files (RFC 9935 6): the seed, expandedKey and both forms read back.

The expected keys come from kyber-py's FIPS 203 key derivation (the oracle),
the PKCS#8 structures are written here with the suite's TLV helper, and
cryptography (where it has ML-KEM) writes and reads some too.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from kyber_py.ml_kem import ML_KEM_512, ML_KEM_768, ML_KEM_1024

from csrlib import InvalidKey, MlKemPublicKey
from csrlib.pem import encode_pem
from csrlib.signers import MlKemPrivateKey, generate, generate_ml_kem, load_private_key
from csrlib.signers.keyfiles import read_private_key
from tests.helpers import oid, tlv

KYBER = {512: ML_KEM_512, 768: ML_KEM_768, 1024: ML_KEM_1024}
OIDS = {512: "2.16.840.1.101.3.4.4.1", 768: "2.16.840.1.101.3.4.4.2",
        1024: "2.16.840.1.101.3.4.4.3"}
SEED = bytes(range(64))


def _pkcs8(level: int, private: bytes, params: bytes = b"", public: bytes | None = None) -> bytes:
    version = b"\x02\x01\x00" if public is None else b"\x02\x01\x01"
    tail = b"" if public is None else tlv(0x81, b"\x00" + public)
    return tlv(0x30, version + tlv(0x30, oid(OIDS[level]) + params) + tlv(0x04, private) + tail)


def _forms(level: int, seed: bytes = SEED) -> dict[str, bytes]:
    _, dk = KYBER[level].key_derive(seed)
    return {"seed": tlv(0x80, seed), "expanded": tlv(0x04, dk),
            "both": tlv(0x30, tlv(0x04, seed) + tlv(0x04, dk))}


@pytest.mark.parametrize("level", [512, 768, 1024])
@pytest.mark.parametrize("form", ["seed", "expanded", "both"])
def test_each_form_reads(level: int, form: str) -> None:
    ek, dk = KYBER[level].key_derive(SEED)
    der = _pkcs8(level, _forms(level)[form])
    for key in (MlKemPrivateKey.from_der(der),
                MlKemPrivateKey.from_pem(encode_pem("PRIVATE KEY", der)),
                MlKemPrivateKey.from_pem(encode_pem("PRIVATE KEY", der).encode())):
        assert key.public_key == MlKemPublicKey.from_bytes(level, ek)
        assert key.decapsulation_key() == dk
        assert key.seed == (None if form == "expanded" else SEED)
        # Written back in the form read (the seed's when known).
        assert key.to_pkcs8_der() == _pkcs8(level, _forms(level)["expanded" if form ==
                                                               "expanded" else "seed"])
        assert SEED.hex() not in repr(key) and dk[:16].hex() not in repr(key)
    # A stated public key (PKCS#8 v2) must be the key's.
    MlKemPrivateKey.from_der(_pkcs8(level, _forms(level)[form], public=ek))
    other = KYBER[level].key_derive(bytes(64))[0]
    with pytest.raises(InvalidKey, match="public key does not match"):
        MlKemPrivateKey.from_der(_pkcs8(level, _forms(level)[form], public=other))


def test_inconsistent_and_broken_keys_are_refused() -> None:
    ek, dk = ML_KEM_768.key_derive(SEED)
    _, other_dk = ML_KEM_768.key_derive(bytes(64))
    cases = {
        # both: the seed must derive exactly the expanded key given.
        "is not the one its seed derives": tlv(0x30, tlv(0x04, SEED) + tlv(0x04, other_dk)),
        # FIPS 203 7.3: H(ek) inside dk.
        "hash check": tlv(0x04, dk[:-64] + bytes([dk[-64] ^ 1]) + dk[-63:]),
        "seed is 63 octets, not 64": tlv(0x80, SEED[:-1]),
        "expanded key is 2399 octets, not 2400": tlv(0x04, dk[:-1]),
        "'both' is not two OCTET STRINGs": tlv(0x30, tlv(0x04, SEED)),
        "not a seed \\[0\\], expandedKey or both \\(RFC 9935 6\\)": tlv(0xA0, tlv(0x04, SEED)),
        "data after the key": tlv(0x80, SEED) + b"\x00",
    }
    # The encapsulation key inside dk failing the modulus check, its hash recomputed.
    bad_ek = b"\xff\x0f" + ek[2:]
    at = 384 * 3
    broken = dk[:at] + bad_ek + hashlib.sha3_256(bad_ek).digest() + dk[-32:]
    cases["7.2 modulus check"] = tlv(0x04, broken)
    for message, private in cases.items():
        with pytest.raises(InvalidKey, match=message) as info:
            MlKemPrivateKey.from_der(_pkcs8(768, private))
        assert SEED.hex()[:16] not in str(info.value) and dk[:8].hex() not in str(info.value)
    with pytest.raises(InvalidKey, match="with algorithm parameters"):
        MlKemPrivateKey.from_der(_pkcs8(768, tlv(0x80, SEED), params=b"\x05\x00"))
    with pytest.raises(InvalidKey, match=r"FIPS 203 7\.3 hash check"):
        MlKemPrivateKey.from_expanded(768, dk[:-33] + bytes([dk[-33] ^ 1]) + dk[-32:])
    with pytest.raises(InvalidKey, match="expanded key is 2400 octets"):
        MlKemPrivateKey.from_expanded(768, dk + b"\x00")


def test_encrypted_and_saved_to_a_path(tmp_path: Path) -> None:
    pair = generate_ml_kem(512)
    path = tmp_path / "kem.key"
    pair.save(path, password="secret words", iterations=1000)  # a PathLike
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert text.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    again = MlKemPrivateKey.from_pem(text, "secret words")
    assert again.seed == pair.seed and again.public_key == pair.public_key
    with pytest.raises(InvalidKey, match="wrong password"):
        MlKemPrivateKey.from_pem(text, "other words")
    with pytest.raises(InvalidKey, match="password is needed"):
        MlKemPrivateKey.from_pem(text)
    with pytest.raises(FileExistsError):
        pair.save(path)
    with pytest.raises(TypeError, match="need a password"):
        pair.to_pem(iterations=1000)


def test_an_ml_kem_key_cannot_sign_and_other_keys_are_not_ml_kem() -> None:
    pem = MlKemPrivateKey.from_seed(768, SEED).to_pem()
    for read in (load_private_key, read_private_key):
        with pytest.raises(InvalidKey, match="an ml-kem-768 key cannot sign"):
            read(pem)
    encrypted = MlKemPrivateKey.from_seed(768, SEED).to_pem(b"pw", iterations=1000)
    with pytest.raises(InvalidKey, match="cannot sign"):
        load_private_key(encrypted, b"pw")
    ec = generate("ec:P-256").private_key_pem()
    with pytest.raises(InvalidKey, match="not an ML-KEM key: a ec key"):
        MlKemPrivateKey.from_pem(ec)
    with pytest.raises(InvalidKey, match=r"use MlKemPrivateKey\.from_pem"):
        MlKemPrivateKey.from_der(pem.encode())
    with pytest.raises(InvalidKey, match=r"use MlKemPrivateKey\.from_der"):
        MlKemPrivateKey.from_pem(MlKemPrivateKey.from_seed(768, SEED).to_pkcs8_der())


@pytest.mark.parametrize("level", [768, 1024])
def test_cryptography_keys_read(level: int) -> None:
    pytest.importorskip("cryptography")
    try:
        from cryptography.hazmat.primitives.asymmetric import mlkem
    except ImportError:
        pytest.skip("this cryptography has no ML-KEM")
    from cryptography.hazmat.primitives import serialization

    maker = {768: mlkem.MLKEM768PrivateKey, 1024: mlkem.MLKEM1024PrivateKey}[level]
    theirs = maker.generate()
    der = theirs.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption())
    ours = MlKemPrivateKey.from_der(der)
    assert ours.public_key.public_bytes == theirs.public_key().public_bytes_raw()
    encrypted = theirs.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.BestAvailableEncryption(b"pw"))
    assert MlKemPrivateKey.from_pem(encrypted, b"pw").public_key == ours.public_key
