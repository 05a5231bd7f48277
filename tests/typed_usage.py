"""User code written from the README, checked by ``mypy --strict`` in CI (``.ci/run``).

It uses the documented API the way the README does, with no casts and no
``type: ignore``: if a public type is wrong, mypy fails here.  Also run by
``tests/test_typed_usage.py``, so that it stays working code.
"""

from __future__ import annotations

import csrlib
from csrlib import signers


def make_request() -> csrlib.CertificateRequest:
    """Build and sign a request as the README's builder section does."""
    signer = signers.generate("ec:P-256")
    must_staple = csrlib.UnrecognizedExtension("1.3.6.1.5.5.7.1.24", bytes.fromhex("3003020105"))
    return (csrlib.CertificateRequestBuilder()
            .subject(csrlib.Name.from_rfc4514("CN=example.com,O=Example,C=US"))
            .add_extension(csrlib.SubjectAlternativeName.from_strings(
                ["DNS:example.com", "IP:192.0.2.1", "email:admin@example.com"]))
            .add_extension(csrlib.KeyUsage(digital_signature=True))
            .add_extension(csrlib.ExtendedKeyUsage(["serverAuth", "clientAuth"]))
            .add_extension(must_staple, critical=False)
            .add_attribute("challengePassword", "secret")
            .sign(signer))


def inspect(data: bytes) -> dict[str, object]:
    """Read a request as the README's "Loading and inspecting" section does."""
    req = csrlib.load(data)
    req.verify(policy=csrlib.Policy().with_changes(min_rsa_bits=3072))
    common_names: list[str] = req.subject.get("CN")
    san = req.extensions.value(csrlib.SubjectAlternativeName)
    names = [name.value for name in san] if san is not None else []
    texts = [str(name.value) for name in san] if san is not None else []
    ku = req.extensions.value(csrlib.KeyUsage)
    eku = req.extensions.value(csrlib.ExtendedKeyUsage)
    key = req.public_key
    pss_only = isinstance(key, csrlib.RsaPublicKey) and key.pss_only
    password: str | None = req.challenge_password
    return {
        "cn": common_names,
        "names": names,
        "texts": texts,
        "usages": list(ku.names) if ku is not None else [],
        "purposes": list(eku.names) if eku is not None else [],
        "key": (key.key_type, key.key_size, key.curve, pss_only),
        "algorithm": req.signature_algorithm.name,
        "password": password,
        "attributes": [attribute.name for attribute in req.attributes],
    }


def post_quantum() -> tuple[str, int, bytes]:
    """Make and check an ML-DSA request as the README's "Post-quantum" section does."""
    signer = signers.generate("ml-dsa-44")
    req = csrlib.load(csrlib.create("CN=pq.example", signer=signer).to_pem())
    req.verify()
    key = req.public_key
    raw = key.public_bytes if isinstance(key, csrlib.MlDsaPublicKey) else b""
    level = key.level if isinstance(key, csrlib.MlDsaPublicKey) else 0
    deterministic = signers.load_private_key(signer.private_key_pem(), deterministic=True)
    return key.key_type, level, raw + deterministic.sign(b"tbs")[:0]


def main() -> dict[str, object]:
    """Return what :func:`inspect` finds in a request :func:`make_request` made."""
    return inspect(make_request().to_pem().encode())


def kem_request(signer: csrlib.signers.Signer, certificate: bytes,
                kem_key: bytes) -> tuple[str, int | None, bool]:
    """Build and check an RFC 9883 request for a raw ML-KEM-768 key (README "KEM keys")."""
    key = csrlib.MlKemPublicKey.from_bytes(768, kem_key)
    req = (csrlib.CertificateRequestBuilder().subject("CN=kem.example").public_key(key)
           .possession_statement(certificate).sign(signer))
    req.verify(signer_certificate=certificate)
    statement = req.possession_statement
    try:
        req.verify()
        needs_certificate = False
    except csrlib.SignerCertificateRequired:
        needs_certificate = True
    serial = statement.serial_number if statement is not None else None
    return req.public_key.key_type, serial, needs_certificate


def kem_key_file(path: str) -> tuple[str, bool, int]:
    """Make an ML-KEM key, save it encrypted, read it back (README "KEM keys")."""
    from pathlib import Path

    from csrlib.signers import MlKemPrivateKey, generate_ml_kem

    made = generate_ml_kem(512)
    made.save(Path(path), password="pw", iterations=1000)
    again = MlKemPrivateKey.from_pem(Path(path).read_text(), "pw")
    seed: bytes | None = again.seed
    return again.public_key.key_type, seed == made.seed, len(again.decapsulation_key())
