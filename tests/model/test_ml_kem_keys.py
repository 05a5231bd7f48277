"""ML-KEM public keys (FIPS 203, RFC 9935): reading, strictness, lengths, key generation.

There are no Wycheproof ``mlkem_*`` files in the shared vectors, so the keys
come from kyber-py, from cryptography (ML-KEM-768 and -1024 only) and from
RFC 9935's ML-KEM-512 example certificate.  cryptography's tests are skipped
where it cannot run (Pyodide) or has no ML-KEM.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kyber_py.ml_kem import ML_KEM_512, ML_KEM_768, ML_KEM_1024

import csrlib
from csrlib import DecodeError, InvalidKey, MlKemPublicKey, PublicKey
from csrlib.signers import MlKemPrivateKey, generate_ml_kem
from tests.helpers import csr_der, oid, tlv

VECTORS = Path(__file__).parent.parent / "vectors"
KYBER = {512: ML_KEM_512, 768: ML_KEM_768, 1024: ML_KEM_1024}
SIZES = {512: 800, 768: 1184, 1024: 1568}  # FIPS 203 table 3: 384k + 32
OIDS = {512: "2.16.840.1.101.3.4.4.1", 768: "2.16.840.1.101.3.4.4.2",
        1024: "2.16.840.1.101.3.4.4.3"}


def _spki(level: int, key: bytes, params: bytes = b"", unused: int = 0) -> bytes:
    return tlv(0x30, tlv(0x30, oid(OIDS[level]) + params) + tlv(0x03, bytes((unused,)) + key))


def _mlkem() -> object:
    """Return cryptography's mlkem module, or skip where it has none."""
    pytest.importorskip("cryptography")
    try:
        from cryptography.hazmat.primitives.asymmetric import mlkem
    except ImportError:
        pytest.skip("this cryptography has no ML-KEM")
    return mlkem


@pytest.mark.parametrize("level", [512, 768, 1024])
def test_kyber_keys_read(level: int) -> None:
    ek, _ = KYBER[level].key_derive(bytes(range(64)))
    key = PublicKey.from_der(_spki(level, ek))
    assert isinstance(key, MlKemPublicKey)
    assert (key.key_type, key.level, key.key_size) == (f"ml-kem-{level}", level, level)
    assert key.public_bytes == ek and key.algorithm == OIDS[level]
    assert key.to_der() == _spki(level, ek)
    assert MlKemPublicKey.from_bytes(level, ek) == key
    assert MlKemPublicKey.from_bytes(f"ml-kem-{level}", ek) == key
    assert repr(key) == f"MlKemPublicKey(ml-kem-{level}, {ek[:8].hex()}...)"


def test_rfc9935_example_is_the_kyber_key_of_its_seed() -> None:
    # RFC 9935's example ML-KEM-512 key is FIPS 203 KeyGen of seed 00..3f:
    # a known answer for kyber-py's ML-KEM-512, which cryptography lacks.
    cert = csrlib.Certificate.load((VECTORS / "rfc9935-ML-KEM-512.crt").read_bytes())
    assert isinstance(cert.public_key, MlKemPublicKey)
    assert cert.public_key.key_type == "ml-kem-512"
    assert cert.public_key.public_bytes[:8].hex() == "3995815e597d1043"
    assert ML_KEM_512.key_derive(bytes(range(64)))[0] == cert.public_key.public_bytes
    assert cert.serial_number == 0x159FFE6F22FD5CC42C524DF6FD5E28D0DE38F34F
    assert cert.issuer.rfc4514() == "CN=LAMPS WG,O=IETF"


@pytest.mark.parametrize("level", [512, 768, 1024])
@pytest.mark.parametrize("delta", [-1, 1, -32])
def test_other_lengths_refused(level: int, delta: int) -> None:
    ek, _ = KYBER[level].keygen()
    body = ek[:delta] if delta < 0 else ek + b"\x00" * delta
    with pytest.raises(DecodeError) as info:
        PublicKey.from_der(_spki(level, body))
    assert info.value.kind == "bad-key"
    assert f"ml-kem-{level} public key is {SIZES[level]} octets" in str(info.value)
    with pytest.raises(InvalidKey):
        MlKemPublicKey.from_bytes(level, body)


def test_a_key_of_another_level_is_refused() -> None:
    ek, _ = ML_KEM_768.keygen()
    with pytest.raises(DecodeError, match="ml-kem-1024 public key is 1568 octets"):
        PublicKey.from_der(_spki(1024, ek))
    with pytest.raises(InvalidKey, match="unknown ML-KEM level"):
        MlKemPublicKey.from_bytes(256, ek)


def test_unused_bits_refused() -> None:
    ek, _ = ML_KEM_512.keygen()
    with pytest.raises(DecodeError) as info:
        PublicKey.from_der(_spki(512, ek[:-1] + b"\x00", unused=1))
    assert info.value.kind == "bad-key"
    assert "ml-kem-512 public key BIT STRING has 1 unused bits" in str(info.value)


@pytest.mark.parametrize("params", [b"\x05\x00", oid("1.2.3"), tlv(0x30, b"")],
                         ids=["null", "oid", "sequence"])
def test_parameters_refused_strictly_listed_leniently(params: bytes) -> None:
    ek, _ = ML_KEM_768.keygen()
    spki = _spki(768, ek, params)
    with pytest.raises(DecodeError) as info:
        PublicKey.from_der(spki)
    assert (info.value.kind, info.value.path) == ("bad-parameters", "algorithm")
    key = PublicKey.from_der(spki, strict=False)
    assert isinstance(key, MlKemPublicKey) and key.parameters == params
    assert key.to_der() == spki
    # In a request, the deviation is listed with its path.
    der = csr_der(spki=spki)
    with pytest.raises(DecodeError, match="parameters must be absent"):
        csrlib.load_der(der)
    req = csrlib.load_der(der, strict=False)
    assert [(d.kind, d.path) for d in req.deviations] == [
        ("bad-parameters", "certificationRequestInfo.subjectPKInfo.algorithm")]


@pytest.mark.parametrize("level", [512, 768, 1024])
def test_modulus_check(level: int) -> None:
    # FIPS 203 7.2: every 12-bit coefficient of t below q = 3329; kyber-py's
    # encapsulation refuses the same keys.
    ek, _ = KYBER[level].keygen()
    bad = b"\x01\x0d\x00" + ek[3:]  # first coefficient 0xd01 = 3329
    with pytest.raises(ValueError, match=r"[Mm]odulus"):
        KYBER[level].encaps(bad)
    with pytest.raises(DecodeError, match="modulus check"):
        PublicKey.from_der(_spki(level, bad))
    lenient = PublicKey.from_der(_spki(level, bad), strict=False)
    assert isinstance(lenient, MlKemPublicKey) and lenient.public_bytes == bad
    edge = b"\x00\x00\xd0" + ek[3:]  # second coefficient 0xd00 = 3328: valid
    KYBER[level].encaps(edge)
    assert PublicKey.from_der(_spki(level, edge)).public_bytes == edge  # type: ignore[attr-defined]


def test_from_bytes_refuses_non_bytes() -> None:
    with pytest.raises(TypeError):
        MlKemPublicKey.from_bytes(768, "ab" * 592)  # type: ignore[arg-type]


@pytest.mark.parametrize("level", [768, 1024])
def test_kyber_py_is_fips_203_final_like_cryptography(level: int) -> None:
    # Same seed, same encapsulation key; each decapsulates the other's
    # ciphertext to the same secret (round-3 Kyber would differ in both).
    mlkem = _mlkem()
    private = getattr(mlkem, f"MLKEM{level}PrivateKey")
    seed = os.urandom(64)
    ek, dk = KYBER[level].key_derive(seed)
    theirs = private.from_seed_bytes(seed)
    assert theirs.public_key().public_bytes_raw() == ek
    secret, ciphertext = theirs.public_key().encapsulate()
    assert KYBER[level].decaps(dk, ciphertext) == secret
    secret, ciphertext = KYBER[level].encaps(ek)
    assert theirs.decapsulate(ciphertext) == secret


@pytest.mark.parametrize("level", [768, 1024])
def test_cryptography_keys_read_and_written(level: int) -> None:
    mlkem = _mlkem()
    from cryptography.hazmat.primitives import serialization

    theirs = getattr(mlkem, f"MLKEM{level}PrivateKey").generate().public_key()
    spki = theirs.public_bytes(serialization.Encoding.DER,
                               serialization.PublicFormat.SubjectPublicKeyInfo)
    pem = theirs.public_bytes(serialization.Encoding.PEM,
                              serialization.PublicFormat.SubjectPublicKeyInfo)
    key = PublicKey.from_der(spki)
    assert isinstance(key, MlKemPublicKey) and key.level == level
    assert key.public_bytes == theirs.public_bytes_raw()
    assert PublicKey.from_pem(pem) == key
    again = serialization.load_der_public_key(key.to_der())
    assert again.public_bytes_raw() == key.public_bytes  # type: ignore[attr-defined]


@pytest.mark.parametrize("level", [512, 768, 1024])
def test_generated_key_pair(level: int) -> None:
    pair = generate_ml_kem(level)
    assert pair.public_key.key_type == f"ml-kem-{level}"
    assert len(pair.seed) == 64
    ek, dk = KYBER[level].key_derive(pair.seed)
    assert pair.public_key.public_bytes == ek and pair.decapsulation_key() == dk
    # RFC 9935 6 seed form: 80 40 <seed> in the PKCS#8 privateKey.
    der = pair.to_pkcs8_der()
    assert der == (tlv(0x30, b"\x02\x01\x00" + tlv(0x30, oid(OIDS[level]))
                       + tlv(0x04, b"\x80\x40" + pair.seed)))
    assert MlKemPrivateKey.from_seed(level, pair.seed).public_key == pair.public_key
    assert pair.seed.hex() not in repr(pair) and repr(pair) == f"MlKemPrivateKey(ml-kem-{level})"
    assert generate_ml_kem(level).seed != pair.seed


def test_from_seed_refusals() -> None:
    with pytest.raises(InvalidKey, match="64 octets"):
        MlKemPrivateKey.from_seed(768, bytes(32))
    with pytest.raises(InvalidKey, match="unknown ML-KEM level"):
        MlKemPrivateKey.from_seed(1, bytes(64))


@pytest.mark.parametrize("level", [768, 1024])
def test_private_key_loads_in_cryptography(level: int) -> None:
    _mlkem()
    from cryptography.hazmat.primitives import serialization

    pair = generate_ml_kem(level)
    theirs = serialization.load_pem_private_key(pair.to_pem().encode(), None)
    assert theirs.public_key().public_bytes_raw() == pair.public_key.public_bytes  # type: ignore[union-attr]
    assert theirs.private_bytes_raw() == pair.seed  # type: ignore[union-attr]


def test_save_is_private_and_refuses_to_overwrite(tmp_path: Path) -> None:
    pair = generate_ml_kem(512)
    path = tmp_path / "kem.key"
    pair.save(str(path))
    assert path.read_text() == pair.to_pem()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        pair.save(str(path))


_COEFFICIENTS = st.one_of(st.sampled_from([0, 1, 3327, 3328, 3329, 3330, 0xD0F, 0xDFF, 4095]),
                          st.integers(0, 4095))


@settings(max_examples=150)
@given(changes=st.lists(st.tuples(st.integers(0, 511), _COEFFICIENTS), max_size=4))
def test_modulus_check_agrees_with_kyber(changes: list[tuple[int, int]]) -> None:
    # kyber-py's encapsulation runs FIPS 203's check: the oracle, for keys
    # with a few coefficients set, the bounds most often.
    key = bytearray(ML_KEM_512.key_derive(bytes(64))[0])
    for index, value in changes:
        at = index // 2 * 3
        if index % 2 == 0:
            key[at], key[at + 1] = value & 0xFF, (key[at + 1] & 0xF0) | value >> 8
        else:
            key[at + 1], key[at + 2] = (key[at + 1] & 0x0F) | (value & 0xF) << 4, value >> 4
    try:
        ML_KEM_512.encaps(bytes(key))
        valid = True
    except ValueError:
        valid = False
    try:
        PublicKey.from_der(_spki(512, bytes(key)))
        loads = True
    except DecodeError:
        loads = False
    assert loads == valid
