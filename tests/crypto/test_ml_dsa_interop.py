"""ML-DSA interoperability with ``cryptography`` (both ways): requests and private keys.

The pinned cryptography (50.0.2, tests/constraints.txt) has ML-DSA through
its bundled OpenSSL; it stays below 51 because badkeys, the lint oracle,
needs pyOpenSSL, which pins cryptography < 51.  A cryptography without
ML-DSA (older, or Pyodide's) skips these tests by capability.
"""

from __future__ import annotations

import pytest

pytest.importorskip("dilithium_py", reason="ML-DSA needs the pq extra (dilithium-py)")
pytest.importorskip("cryptography.hazmat.primitives.asymmetric.mldsa",
                    reason="this cryptography has no ML-DSA")

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import mldsa
from cryptography.x509.oid import NameOID

try:  # the module exists where the OpenSSL under it may lack ML-DSA
    mldsa.MLDSA44PrivateKey.from_seed_bytes(bytes(32))
except Exception:  # cryptography.exceptions.UnsupportedAlgorithm
    pytest.skip("this cryptography's OpenSSL has no ML-DSA", allow_module_level=True)

import csrlib
from csrlib import CertificateRequestBuilder, signers
from csrlib.signers import MlDsaPrivateKey, MlDsaSigner

LEVELS = {"ml-dsa-44": mldsa.MLDSA44PrivateKey, "ml-dsa-65": mldsa.MLDSA65PrivateKey,
          "ml-dsa-87": mldsa.MLDSA87PrivateKey}
SEED = bytes(range(100, 132))


def _raw_public(key: object) -> bytes:
    raw: bytes = key.public_key().public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw


@pytest.mark.parametrize("kind", sorted(LEVELS))
def test_same_key_from_the_same_seed(kind: str) -> None:
    theirs = LEVELS[kind].from_seed_bytes(SEED)
    ours = MlDsaSigner(MlDsaPrivateKey(kind, SEED))
    assert ours.public_key.public_bytes == _raw_public(theirs)
    spki = theirs.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    assert ours.public_key.to_der() == spki


@pytest.mark.parametrize("kind", sorted(LEVELS))
@pytest.mark.parametrize("deterministic", [False, True])
def test_csrlib_requests_verify_in_cryptography(kind: str, deterministic: bool) -> None:
    signer = signers.generate(kind)
    if deterministic:
        signer = signers.signer_for(signer.private_numbers, deterministic=True)
    req = (CertificateRequestBuilder().subject("CN=pq.example,O=csrlib")
           .add_extension(csrlib.SubjectAlternativeName.from_strings(["DNS:pq.example"]))
           .sign(signer))
    theirs = x509.load_der_x509_csr(req.der)
    assert theirs.is_signature_valid
    assert theirs.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo) \
        == signer.public_key.to_der()
    # A flipped bit in the signature: both refuse.
    der = bytearray(req.der)
    der[-5] ^= 0x01
    assert not x509.load_der_x509_csr(bytes(der)).is_signature_valid
    with pytest.raises(csrlib.InvalidSignature):
        csrlib.load(bytes(der)).verify()


@pytest.mark.parametrize("kind", sorted(LEVELS))
def test_cryptography_requests_verify_in_csrlib(kind: str) -> None:
    key = LEVELS[kind].generate()
    made = (x509.CertificateSigningRequestBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pq.example")]))
            .sign(key, None))
    req = csrlib.load(made.public_bytes(serialization.Encoding.PEM))
    req.verify()
    assert req.public_key.key_type == kind
    assert req.public_key.public_bytes == _raw_public(key)  # type: ignore[attr-defined]
    assert req.signature_algorithm.parameters is None


@pytest.mark.parametrize("kind", sorted(LEVELS))
def test_private_keys_both_ways(kind: str) -> None:
    # csrlib's key files (seed form, plain and encrypted) load in cryptography.
    ours = signers.generate(kind)
    for pem, password in ((ours.private_key_pem(), None),
                          (signers.private_key_pem(ours, "pw", iterations=1000), b"pw")):
        theirs = serialization.load_pem_private_key(pem.encode(), password)
        assert _raw_public(theirs) == ours.public_key.public_bytes
    # cryptography's PKCS#8 (seed form) loads in csrlib, plain and encrypted,
    # and csrlib writes it back octet for octet.
    key = LEVELS[kind].generate()
    plain = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    loaded = signers.load_private_key(plain)
    assert loaded.public_key.public_bytes == _raw_public(key)  # type: ignore[attr-defined]
    from csrlib.signers.key_writing import pkcs8_der

    assert pkcs8_der(loaded.private_numbers) == plain
    encrypted = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.BestAvailableEncryption(b"secret"))
    assert signers.load_private_key(encrypted, "secret").public_key == loaded.public_key


def test_from_cryptography_signer() -> None:
    key = mldsa.MLDSA65PrivateKey.generate()
    signer = signers.from_cryptography(key)
    req = CertificateRequestBuilder().subject("CN=hsm.example").sign(signer)
    req.verify()
    assert x509.load_der_x509_csr(req.der).is_signature_valid
    with pytest.raises(csrlib.BuildError, match="no hash"):
        signers.from_cryptography(key, hash="sha256")
