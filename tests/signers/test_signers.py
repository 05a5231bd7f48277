"""Signers: key generation, each backend against cryptography and RFC 6979, outside signers."""

from __future__ import annotations

import asyncio
import hashlib

import pytest
import rsa as rsa_package
from cryptography.exceptions import InvalidSignature as CryptoInvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding
from cryptography.hazmat.primitives.asymmetric import rsa as crypto_rsa

import csrlib
from csrlib import BuildError, InvalidKey, InvalidSignature, SignatureAlgorithm, signers
from csrlib.key_schemas import EcdsaSigValue
from csrlib.signers import (
    EcdsaSigner,
    EcPrivateNumbers,
    EdDsaSigner,
    EdPrivateSeed,
    ExternalSigner,
    RsaPrivateNumbers,
    RsaSigner,
)

CRYPTO_HASHES = {"sha1": hashes.SHA1(), "sha224": hashes.SHA224(), "sha256": hashes.SHA256(),
                 "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}
CRYPTO_CURVES = {"secp256r1": ec.SECP256R1(), "secp384r1": ec.SECP384R1(),
                 "secp521r1": ec.SECP521R1(), "secp256k1": ec.SECP256K1()}
MESSAGE = b"the exact TBS bytes"

_RSA = crypto_rsa.generate_private_key(65537, 2048)
_RSA_NUMBERS = _RSA.private_numbers()
RSA_NUMBERS = RsaPrivateNumbers(_RSA_NUMBERS.public_numbers.n, 65537, _RSA_NUMBERS.d,
                                _RSA_NUMBERS.p, _RSA_NUMBERS.q)


def _rs(der: bytes) -> tuple[int, int]:
    r, s = csrlib.asn1.compile_schema(EcdsaSigValue()).decode_plain(der)
    return r, s


def _crypto_public(signer: object) -> object:
    from cryptography.hazmat.primitives.serialization import load_der_public_key

    return load_der_public_key(signer.public_key.to_der())  # type: ignore[attr-defined]


# -- generation ---------------------------------------------------------------


@pytest.mark.parametrize("spec", ["ec:P-256", "ec:P-384", "ec:P-521", "ec:secp256k1",
                                  "ed25519", "ed448"])
def test_generate_makes_working_keys(spec: str) -> None:
    signer = signers.generate(spec)
    expected = {"ec:P-256": ("ec", 256), "ec:P-384": ("ec", 384), "ec:P-521": ("ec", 521),
                "ec:secp256k1": ("ec", 256), "ed25519": ("ed25519", 0),
                "ed448": ("ed448", 0)}[spec]
    assert signer.public_key.key_type == expected[0]
    if expected[1]:
        assert signer.public_key.key_size == expected[1]
    csrlib.verify_signature(signer.public_key, signer.signature_algorithm,
                            signer.sign(MESSAGE), MESSAGE)
    # Two keys of the same spec differ.
    assert signers.generate(spec).public_key != signer.public_key


def test_generate_rsa_and_weak_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    default = signers.generate()
    assert default.public_key.curve == "secp256r1"
    with pytest.raises(BuildError, match="weak"):
        signers.generate("rsa:1024")
    weak = signers.generate("rsa:1024", allow_weak=True)
    assert weak.public_key.key_size == 1024
    assert weak.public_key.e == 65537  # type: ignore[attr-defined]
    # Bigger sizes take a second or more: check the plumbing with a stand-in.
    from csrlib.signers import rsa_keygen

    asked: list[int] = []

    def fake_generate(bits: int) -> tuple[int, int, int, int, int]:
        asked.append(bits)
        k = RSA_NUMBERS
        return k.n, k.e, k.d, k.p, k.q

    monkeypatch.setattr(rsa_keygen, "generate_rsa_numbers", fake_generate)
    for spec, bits in (("rsa:2048", 2048), ("rsa:3072", 3072), ("rsa:4096", 4096)):
        assert isinstance(signers.generate(spec), RsaSigner)
        assert asked[-1] == bits
    for bad in ("ec:P-192", "rsa:big", "dsa:2048", "ed25519:x", "rsa:99999"):
        with pytest.raises(BuildError):
            signers.generate(bad)


# -- RSA -------------------------------------------------------------------


@pytest.mark.parametrize("hash_name", ["sha256", "sha384", "sha512"])
def test_rsa_pkcs1v15_equals_cryptography(hash_name: str) -> None:
    signer = RsaSigner.from_numbers(RSA_NUMBERS, hash=hash_name)
    ours = signer.sign(MESSAGE)
    assert ours == _RSA.sign(MESSAGE, padding.PKCS1v15(), CRYPTO_HASHES[hash_name])
    assert signer.signature_algorithm == SignatureAlgorithm.for_key("rsa", hash_name)


def test_rsa_sha1_needs_the_legacy_flag() -> None:
    with pytest.raises(BuildError, match="allow_sha1"):
        RsaSigner.from_numbers(RSA_NUMBERS, hash="sha1")
    legacy = RsaSigner.from_numbers(RSA_NUMBERS, hash="sha1", allow_sha1=True)
    assert legacy.sign(MESSAGE) == _RSA.sign(MESSAGE, padding.PKCS1v15(), hashes.SHA1())
    with pytest.raises(BuildError):
        RsaSigner.from_numbers(RSA_NUMBERS, hash="md5")


@pytest.mark.parametrize(("hash_name", "salt"), [("sha256", None), ("sha256", 0),
                                                 ("sha384", 20), ("sha512", None)])
def test_rsa_pss_verifies_with_cryptography(hash_name: str, salt: int | None) -> None:
    signer = RsaSigner.from_numbers(RSA_NUMBERS, hash=hash_name, pss=True, salt_length=salt)
    expected_salt = hashlib.new(hash_name).digest_size if salt is None else salt
    assert signer.signature_algorithm.pss == csrlib.PssParameters(hash_name, hash_name,
                                                                   expected_salt)
    signature = signer.sign(MESSAGE)
    _RSA.public_key().verify(signature, MESSAGE, padding.PSS(
        padding.MGF1(CRYPTO_HASHES[hash_name]), expected_salt), CRYPTO_HASHES[hash_name])
    if expected_salt:
        assert signer.sign(MESSAGE) != signature  # a fresh salt each time
    with pytest.raises(BuildError):
        RsaSigner.from_numbers(RSA_NUMBERS, pss=True, salt_length=300)
    with pytest.raises(BuildError):
        RsaSigner.from_numbers(RSA_NUMBERS, salt_length=20)


def test_rsa_fault_in_the_private_operation_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    signer = RsaSigner.from_numbers(RSA_NUMBERS)
    monkeypatch.setattr(rsa_package.PrivateKey, "blinded_decrypt",
                        lambda key, m: pow(m, key.d, key.n) ^ 1)
    with pytest.raises(InvalidKey, match="failed its check"):
        signer.sign(MESSAGE)


# -- ECDSA -----------------------------------------------------------------

# RFC 6979 A.2.5 (P-256) and A.2.6 (P-384): private keys and the signatures
# of "sample" with SHA-256 and SHA-384.
RFC6979 = [
    ("secp256r1", "sha256",
     0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721,
     0xEFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716,
     0xF7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8),
    ("secp384r1", "sha384",
     int("6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8"
         "96D5724E4C70A825F872C9EA60D2EDF5", 16),
     int("94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C"
         "81A648152E44ACF96E36DD1E80FABE46", 16),
     int("99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94F"
         "A329C145786E679E7B82C71A38628AC8", 16)),
]


@pytest.mark.parametrize(("curve", "hash_name", "secret", "r", "s"), RFC6979)
def test_ecdsa_rfc6979_vectors(curve: str, hash_name: str, secret: int, r: int, s: int) -> None:
    signer = EcdsaSigner.from_numbers(EcPrivateNumbers(curve, secret))
    assert signer.signature_algorithm.hash == hash_name  # the curve's own hash by default
    assert _rs(signer.sign(b"sample")) == (r, s)


@pytest.mark.parametrize("curve", list(CRYPTO_CURVES))
@pytest.mark.parametrize("hash_name", [None, "sha224", "sha512"])
def test_ecdsa_verifies_with_cryptography(curve: str, hash_name: str | None) -> None:
    theirs = ec.generate_private_key(CRYPTO_CURVES[curve])
    signer = EcdsaSigner.from_numbers(
        EcPrivateNumbers(curve, theirs.private_numbers().private_value), hash=hash_name)
    signature = signer.sign(MESSAGE)
    assert signature == signer.sign(MESSAGE)  # deterministic
    used = signer.signature_algorithm.hash
    assert used is not None
    theirs.public_key().verify(signature, MESSAGE, ec.ECDSA(CRYPTO_HASHES[used]))
    randomized = EcdsaSigner.from_numbers(
        EcPrivateNumbers(curve, theirs.private_numbers().private_value), deterministic=False)
    first = randomized.sign(MESSAGE)
    assert first != randomized.sign(MESSAGE)
    assert randomized.public_key == signer.public_key


def test_ecdsa_refuses_bad_keys_and_hashes() -> None:
    with pytest.raises(InvalidKey):
        EcdsaSigner.from_numbers(EcPrivateNumbers("secp256r1", 0))
    with pytest.raises(BuildError):
        EcdsaSigner.from_numbers(EcPrivateNumbers("secp256r1", 5), hash="md5")
    with pytest.raises(InvalidKey):
        EcdsaSigner("not a key")


# -- EdDSA -----------------------------------------------------------------


@pytest.mark.parametrize(("kind", "cls"), [("ed25519", ed25519.Ed25519PrivateKey),
                                           ("ed448", ed448.Ed448PrivateKey)])
def test_eddsa_equals_cryptography(kind: str, cls: type) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    theirs = cls.generate()
    seed = theirs.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    signer = EdDsaSigner.from_seed(EdPrivateSeed(kind, seed))
    assert signer.sign(MESSAGE) == theirs.sign(MESSAGE)
    assert signer.public_key.key_type == kind
    with pytest.raises(InvalidKey):
        EdDsaSigner.from_seed(EdPrivateSeed(kind, seed[:-1]))


# -- secrecy ---------------------------------------------------------------


def test_private_keys_never_show() -> None:
    rsa_signer = RsaSigner.from_numbers(RSA_NUMBERS)
    ec_signer = EcdsaSigner.from_numbers(EcPrivateNumbers("secp256r1", 0xC0FFEE1234567))
    ed_signer = signers.generate("ed25519")
    seed = ed_signer.private_numbers.seed
    texts = [repr(s) + str(s) for s in (rsa_signer, ec_signer, ed_signer)]
    texts += [repr(k) + str(k) for k in (rsa_signer.private_numbers,
                                         ec_signer.private_numbers, ed_signer.private_numbers)]
    for secret in (str(RSA_NUMBERS.d), hex(RSA_NUMBERS.d)[2:], str(RSA_NUMBERS.p),
                   str(0xC0FFEE1234567), "c0ffee1234567", seed.hex()):
        assert all(secret not in text.lower() for text in texts)


# -- outside signers -------------------------------------------------------


def test_external_signer_checks_what_it_is_given() -> None:
    inner = signers.generate("ec:P-256")
    good = ExternalSigner(inner.public_key, inner.signature_algorithm, inner.sign)
    assert isinstance(good, signers.Signer)
    csrlib.verify_signature(good.public_key, good.signature_algorithm, good.sign(MESSAGE),
                            MESSAGE)
    other = signers.generate("ec:P-256")
    liar = ExternalSigner(inner.public_key, inner.signature_algorithm, other.sign)
    with pytest.raises(InvalidSignature, match="external signer"):
        liar.sign(MESSAGE)
    wrong_type = ExternalSigner(inner.public_key, inner.signature_algorithm,
                                lambda data: "not bytes")  # type: ignore[arg-type,return-value]
    with pytest.raises(BuildError):
        wrong_type.sign(MESSAGE)
    with pytest.raises(BuildError, match="cannot sign"):
        ExternalSigner(inner.public_key, SignatureAlgorithm.for_key("rsa", "sha256"), inner.sign)


def test_async_external_signer() -> None:
    inner = signers.generate("ed25519")

    async def remote_sign(data: bytes) -> bytes:
        await asyncio.sleep(0)
        return inner.sign(data)

    signer = signers.AsyncExternalSigner(inner.public_key, inner.signature_algorithm,
                                         remote_sign)
    assert isinstance(signer, signers.AsyncSigner)
    signature = asyncio.run(signer.sign(MESSAGE))
    assert signature == inner.sign(MESSAGE)

    async def broken(data: bytes) -> bytes:
        return bytes(64)

    bad = signers.AsyncExternalSigner(inner.public_key, inner.signature_algorithm, broken)
    with pytest.raises(InvalidSignature):
        asyncio.run(bad.sign(MESSAGE))


def test_cryptography_rejects_a_corrupted_signature() -> None:
    # The known-answer tests above would pass vacuously if cryptography
    # accepted anything; make sure it does not.
    signer = RsaSigner.from_numbers(RSA_NUMBERS)
    signature = bytearray(signer.sign(MESSAGE))
    signature[5] ^= 1
    with pytest.raises(CryptoInvalidSignature):
        _RSA.public_key().verify(bytes(signature), MESSAGE, padding.PKCS1v15(),
                                 hashes.SHA256())


def test_save_private_key_is_owner_only(tmp_path: object) -> None:
    import os
    import stat
    from pathlib import Path

    path = Path(str(tmp_path)) / "key.pem"
    signer = signers.generate("ed25519")
    signers.save_private_key(signer, path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with pytest.raises(FileExistsError):
        signers.save_private_key(signer, path)
    os.chmod(path, 0o644)
    signers.save_private_key(signer, path, overwrite=True)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    loaded = signers.load_private_key(path.read_bytes())
    assert loaded.public_key == signer.public_key
