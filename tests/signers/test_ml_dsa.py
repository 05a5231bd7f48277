"""ML-DSA (FIPS 204, RFC 9881): keys, algorithm identifiers, signing, key files, policy,
and the behaviour without the ``pq`` extra."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("dilithium_py", reason="ML-DSA needs the pq extra (dilithium-py)")

import csrlib
from csrlib import (
    BuildError,
    CertificateRequestBuilder,
    DecodeError,
    InvalidKey,
    InvalidSignature,
    MlDsaPublicKey,
    Policy,
    PolicyError,
    PublicKey,
    SignatureAlgorithm,
    UnsupportedAlgorithm,
    signers,
)
from csrlib.signers import MlDsaPrivateKey, MlDsaSigner
from csrlib.signers.key_writing import pkcs8_der
from tests.helpers import oid, tlv

# RFC 9881 2 (and the NIST CSOR): the OIDs, as DER, written out here.
OIDS = {"ml-dsa-44": "2.16.840.1.101.3.4.3.17", "ml-dsa-65": "2.16.840.1.101.3.4.3.18",
        "ml-dsa-87": "2.16.840.1.101.3.4.3.19"}
# FIPS 204 table 2: public key, expanded private key, signature.
SIZES = {"ml-dsa-44": (1312, 2560, 2420), "ml-dsa-65": (1952, 4032, 3309),
         "ml-dsa-87": (2592, 4896, 4627)}
SEED = bytes(range(32))
# The seed-form PKCS#8 of ML-DSA-65 with SEED, as RFC 9881 6 / C.1 lays it out.
SEED_PKCS8_65 = bytes.fromhex("3034020100300b060960864801650304031204228020") + SEED


def _signer(kind: str = "ml-dsa-65", **options: bool) -> MlDsaSigner:
    return MlDsaSigner(MlDsaPrivateKey(kind, SEED), **options)


_SIGNER_65 = _signer(deterministic=True)
_REQUEST_65 = CertificateRequestBuilder().subject("CN=pq.example").sign(_SIGNER_65)


def _pkcs8(kind: str, inner: bytes, params: bytes = b"", public: bytes | None = None) -> bytes:
    version = b"\x01" if public is not None else b"\x00"
    body = (tlv(0x02, version) + tlv(0x30, oid(OIDS[kind]) + params) + tlv(0x04, inner))
    if public is not None:
        body += tlv(0x81, b"\x00" + public)
    return tlv(0x30, body)


def _request_with(spki: bytes | None = None, algorithm: bytes | None = None) -> bytes:
    """Return _REQUEST_65 with its SPKI or signature algorithm replaced (signature kept)."""
    tbs = _REQUEST_65.tbs_der
    assert tbs[:2] == b"\x30\x82"
    content = tbs[4:]
    if spki is not None:
        content = content.replace(_REQUEST_65.public_key.der, spki)
    alg = algorithm or _REQUEST_65.signature_algorithm.to_der()
    return tlv(0x30, tlv(0x30, content) + alg + tlv(0x03, b"\x00" + _REQUEST_65.signature))


# -- keys and algorithm identifiers --------------------------------------------


@pytest.mark.parametrize("kind", sorted(SIZES))
def test_generate_sign_verify_each_level(kind: str) -> None:
    signer = signers.generate(kind)
    assert isinstance(signer, MlDsaSigner)
    key = signer.public_key
    assert isinstance(key, MlDsaPublicKey) and key.key_type == kind
    assert key.level == int(kind[-2:]) and len(key.public_bytes) == SIZES[kind][0]
    # RFC 9881 2: the OID alone, no parameters, for both key and signature.
    assert key.der.startswith(tlv(0x30, b"")[:1]) and tlv(0x30, oid(OIDS[kind])) in key.der
    assert signer.signature_algorithm.to_der() == tlv(0x30, oid(OIDS[kind]))
    req = CertificateRequestBuilder().subject("CN=pq.example").sign(signer)
    assert len(req.signature) == SIZES[kind][2]
    loaded = csrlib.load(req.der)
    loaded.verify()
    assert loaded.public_key == key and loaded.signature_algorithm.key_type == kind


def test_hedged_by_default_deterministic_on_request() -> None:
    hedged = _signer()
    assert hedged.sign(b"tbs") != hedged.sign(b"tbs")
    assert _SIGNER_65.sign(b"tbs") == _SIGNER_65.sign(b"tbs")
    for signature in (hedged.sign(b"tbs"), _SIGNER_65.sign(b"tbs")):
        csrlib.verify_signature(hedged.public_key, hedged.signature_algorithm, signature, b"tbs")
    with pytest.raises(InvalidSignature):
        csrlib.verify_signature(hedged.public_key, hedged.signature_algorithm,
                                hedged.sign(b"tbs"), b"tbS")


def test_hedged_randomness_is_csrlib_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # dilithium-py's parameter set objects are shared: another user seeding
    # them (set_drbg_seed) or, here, making their randomness a constant must
    # not make csrlib's hedged signatures repeat.
    from csrlib.crypto.mldsa import backend, derive

    shared = backend("ml-dsa-65")
    monkeypatch.setattr(shared, "random_bytes", bytes)  # n zero octets
    expanded = derive("ml-dsa-65", SEED)[1]
    assert shared.sign(expanded, b"tbs") == shared.sign(expanded, b"tbs")
    hedged = _signer()
    first, second = hedged.sign(b"tbs"), hedged.sign(b"tbs")
    assert first != second and _SIGNER_65.sign(b"tbs") not in (first, second)
    for signature in (first, second):
        csrlib.verify_signature(hedged.public_key, hedged.signature_algorithm, signature, b"tbs")
    # Deterministic signing draws nothing: rnd is 32 zero octets (FIPS 204 3.4).
    assert _SIGNER_65.sign(b"tbs") == _SIGNER_65.sign(b"tbs")


def test_public_key_lengths_and_levels() -> None:
    raw = _SIGNER_65.public_key.public_bytes
    assert MlDsaPublicKey.from_bytes(65, raw) == _SIGNER_65.public_key
    assert MlDsaPublicKey.from_bytes("ml-dsa-65", raw).key_size == 1952 * 8
    for bad in (raw[:-1], raw + b"\x00", b""):
        with pytest.raises(InvalidKey, match="1952 octets"):
            MlDsaPublicKey.from_bytes(65, bad)
    with pytest.raises(InvalidKey, match="ml-dsa-44 public key is 1312 octets"):
        MlDsaPublicKey.from_bytes(44, raw)  # a 65 key under the 44 OID
    with pytest.raises(InvalidKey, match="level"):
        MlDsaPublicKey.from_bytes(66, raw)
    # Unused bits in the BIT STRING: refused, saying so.
    spki = tlv(0x30, tlv(0x30, oid(OIDS["ml-dsa-65"])) + tlv(0x03, b"\x01" + raw[:-1] + b"\x00"))
    with pytest.raises(DecodeError, match="has 1 unused bits"):
        PublicKey.from_der(spki)
    # Not bytes: an int would make that many zero octets.
    for wrong in (1952, "ab" * 976, None):
        with pytest.raises(TypeError, match="is bytes"):
            MlDsaPublicKey.from_bytes(65, wrong)  # type: ignore[arg-type]
    assert MlDsaPublicKey.from_bytes(65, bytearray(raw)) == _SIGNER_65.public_key


@pytest.mark.parametrize("params", [b"\x05\x00", tlv(0x04, b"")])
def test_parameters_present_strict_lenient_verify(params: bytes) -> None:
    raw = _SIGNER_65.public_key.public_bytes
    spki = tlv(0x30, tlv(0x30, oid(OIDS["ml-dsa-65"]) + params) + tlv(0x03, b"\x00" + raw))
    with pytest.raises(DecodeError) as info:
        PublicKey.from_der(spki)
    assert info.value.kind == "bad-parameters"
    lenient = PublicKey.from_der(spki, strict=False)
    assert isinstance(lenient, MlDsaPublicKey) and lenient.parameters == params
    # The request: key parameters, then signature parameters.
    for der in (_request_with(spki=spki),
                _request_with(algorithm=tlv(0x30, oid(OIDS["ml-dsa-65"]) + params))):
        with pytest.raises(DecodeError):
            csrlib.load(der)
        req = csrlib.load(der, strict=False)
        assert any(d.kind == "bad-parameters" for d in req.deviations)
        with pytest.raises(InvalidSignature, match="parameters must be absent"):
            req.verify()


def test_hash_ml_dsa_and_mismatched_levels_are_refused() -> None:
    # id-hash-ml-dsa-65-with-sha512 (RFC 9881 forbids HashML-DSA in certificates).
    req = csrlib.load(_request_with(algorithm=tlv(0x30, oid("2.16.840.1.101.3.4.3.33"))))
    with pytest.raises(UnsupportedAlgorithm, match="HashML-DSA"):
        req.verify()
    # The same OID as the key's algorithm: a key RFC 9881 forbids, said so.
    raw = _SIGNER_65.public_key.public_bytes
    spki = tlv(0x30, tlv(0x30, oid("2.16.840.1.101.3.4.3.33")) + tlv(0x03, b"\x00" + raw))
    req = csrlib.load(_request_with(spki=spki))
    with pytest.raises(UnsupportedAlgorithm,
                       match="id-hash-ml-dsa-65-with-sha512 key: RFC 9881 forbids HashML-DSA"):
        req.verify()
    req = csrlib.load(_request_with(algorithm=tlv(0x30, oid(OIDS["ml-dsa-87"]))))
    with pytest.raises(InvalidSignature, match="ml-dsa-65 key"):
        req.verify()
    assert SignatureAlgorithm.from_name("ml-dsa-87").key_type == "ml-dsa-87"
    assert SignatureAlgorithm.for_key(_SIGNER_65.public_key).name == "ML-DSA-65"


def test_wrong_signature_length_and_bit_flips_are_invalid() -> None:
    key, alg, tbs = _REQUEST_65.public_key, _REQUEST_65.signature_algorithm, _REQUEST_65.tbs_der
    signature = _REQUEST_65.signature
    for bad in (signature[:-1], signature + b"\x00", b"",
                bytes([signature[0] ^ 1]) + signature[1:], signature[:-1] + b"\xff"):
        with pytest.raises(InvalidSignature):
            csrlib.verify_signature(key, alg, bad, tbs)


def test_policy_levels() -> None:
    assert {"ml-dsa-44", "ml-dsa-65", "ml-dsa-87"} <= Policy().key_types
    _REQUEST_65.verify(policy=Policy.from_dict({"key_types": ["ml-dsa-65"]}))
    with pytest.raises(PolicyError, match="ml-dsa-65"):
        _REQUEST_65.verify(policy=Policy().with_changes(
            key_types=Policy().key_types - {"ml-dsa-65"}))


# -- private keys (RFC 9881 6) ---------------------------------------------------


def test_seed_form_written_by_default_and_read_back() -> None:
    der = pkcs8_der(_SIGNER_65.private_numbers)
    assert der == SEED_PKCS8_65
    again = signers.load_private_key(der)
    assert again.public_key == _SIGNER_65.public_key
    pem = _SIGNER_65.private_key_pem()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert signers.load_private_key(pem).public_key == _SIGNER_65.public_key


def test_expanded_and_both_forms() -> None:
    from csrlib.crypto.mldsa import derive

    public, expanded = derive("ml-dsa-65", SEED)
    assert public == _SIGNER_65.public_key.public_bytes and len(expanded) == 4032
    both = tlv(0x30, tlv(0x04, SEED) + tlv(0x04, expanded))
    for inner in (tlv(0x04, expanded), both, tlv(0x80, SEED)):
        key = signers.load_private_key(_pkcs8("ml-dsa-65", inner))
        assert key.public_key == _SIGNER_65.public_key
    # A v2 key with its public key: checked against the derived one.
    assert signers.load_private_key(_pkcs8("ml-dsa-65", tlv(0x80, SEED), public=public))
    other, _ = derive("ml-dsa-65", bytes(32))
    with pytest.raises(InvalidKey, match="does not match"):
        signers.load_private_key(_pkcs8("ml-dsa-65", tlv(0x80, SEED), public=other))
    # The expanded key alone is written back as it is (no seed to write).
    alone = signers.load_private_key(_pkcs8("ml-dsa-65", tlv(0x04, expanded)))
    assert pkcs8_der(alone.private_numbers) == _pkcs8("ml-dsa-65", tlv(0x04, expanded))


def test_inconsistent_and_malformed_private_keys_are_refused() -> None:
    from csrlib.crypto.mldsa import derive

    _, expanded = derive("ml-dsa-65", SEED)
    _, other = derive("ml-dsa-65", bytes(32))
    cases = {
        "both, another seed's expanded key": tlv(0x30, tlv(0x04, SEED) + tlv(0x04, other)),
        "both, the seed only": tlv(0x30, tlv(0x04, SEED)),
        "both, three parts": tlv(0x30, tlv(0x04, SEED) + tlv(0x04, expanded) + tlv(0x04, SEED)),
        "a 31-octet seed": tlv(0x80, SEED[:31]),
        "a 33-octet seed": tlv(0x80, SEED + b"\x00"),
        "a short expanded key": tlv(0x04, expanded[:-1]),
        "a constructed [0]": tlv(0xA0, tlv(0x04, SEED)),
        "data after the key": tlv(0x80, SEED) + b"\x00\x00",
        "t0 altered": tlv(0x04, expanded[:-1] + bytes([expanded[-1] ^ 1])),
        "tr altered": tlv(0x04, expanded[:64] + bytes([expanded[64] ^ 1]) + expanded[65:]),
        "s1 out of range": tlv(0x04, expanded[:128] + b"\xff" + expanded[129:]),
        "the 44 OID": None,
    }
    for name, inner in cases.items():
        der = (_pkcs8("ml-dsa-44", tlv(0x04, expanded)) if inner is None
               else _pkcs8("ml-dsa-65", inner))
        with pytest.raises(InvalidKey) as info:
            signers.load_private_key(der)
        assert SEED.hex()[:16] not in str(info.value), name
    with pytest.raises(InvalidKey, match="parameters"):
        signers.load_private_key(_pkcs8("ml-dsa-65", tlv(0x80, SEED), params=b"\x05\x00"))


def test_encrypted_private_keys() -> None:
    pem = signers.private_key_pem(_SIGNER_65, "pq secret", iterations=1000)
    assert pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(InvalidKey, match="password"):
        signers.load_private_key(pem)
    key = signers.load_private_key(pem, "pq secret")
    assert key.public_key == _SIGNER_65.public_key


def test_secrets_never_show() -> None:
    record = _SIGNER_65.private_numbers
    for text in (repr(record), str(record), repr(_SIGNER_65), repr(_SIGNER_65.public_key)):
        assert SEED.hex()[:12] not in text and "0x" not in text
    assert repr(record) == "<MlDsaPrivateKey ml-dsa-65 seed>"


def test_signer_options() -> None:
    assert isinstance(signers.signer_for(MlDsaPrivateKey("ml-dsa-44", SEED),
                                         deterministic=True), MlDsaSigner)
    with pytest.raises(BuildError, match="hash"):
        signers.signer_for(MlDsaPrivateKey("ml-dsa-44", SEED), hash="sha256")
    with pytest.raises(InvalidKey, match="without a seed"):
        MlDsaSigner(MlDsaPrivateKey("ml-dsa-44"))
    with pytest.raises(InvalidKey, match="unsupported"):
        MlDsaSigner(MlDsaPrivateKey("ml-dsa-66", SEED))


# -- without the pq extra ---------------------------------------------------------


def test_without_dilithium_py(monkeypatch: pytest.MonkeyPatch) -> None:
    encrypted = signers.private_key_pem(_SIGNER_65, "pw", iterations=1000)
    for name in [n for n in sys.modules if n.split(".")[0] == "dilithium_py"]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "dilithium_py", None)
    req = csrlib.load(_REQUEST_65.der)  # loading needs no backend
    assert req.public_key.key_type == "ml-dsa-65"
    with pytest.raises(UnsupportedAlgorithm, match=r"install csrlib\[pq\]"):
        req.verify()
    with pytest.raises(UnsupportedAlgorithm, match=r"install csrlib\[pq\]"):
        signers.generate("ml-dsa-44")
    with pytest.raises(InvalidKey, match=r"install csrlib\[pq\]"):
        signers.load_private_key(SEED_PKCS8_65)
    with pytest.raises(InvalidKey, match=r"install csrlib\[pq\]"):
        signers.load_private_key(encrypted, "pw")
    # lint does not crash: the signature is reported as not checked.
    from csrlib.lint import lint

    findings = lint(req)
    assert [f.rule for f in findings] == ["sig.invalid"]
    assert findings[0].severity == "notice" and "csrlib[pq]" in findings[0].message


@settings(max_examples=60)
@given(form=st.sampled_from(["seed", "expanded", "both"]), position=st.integers(0, 10**6),
       value=st.integers(0, 255), cut=st.booleans())
def test_damaged_key_files_raise_invalid_key_only(form: str, position: int, value: int,
                                                  cut: bool) -> None:
    """Whatever octet is changed (or wherever the file is cut), only InvalidKey escapes."""
    from csrlib.crypto.mldsa import derive

    _, expanded = derive("ml-dsa-44", SEED)
    inner = {"seed": tlv(0x80, SEED), "expanded": tlv(0x04, expanded),
             "both": tlv(0x30, tlv(0x04, SEED) + tlv(0x04, expanded))}[form]
    der = bytearray(_pkcs8("ml-dsa-44", inner))
    position %= len(der)
    if cut:
        del der[position:]
    else:
        der[position] = value
    try:
        key = signers.load_private_key(bytes(der))
    except InvalidKey:
        return
    # A change that leaves a valid key (the seed's own octets) gives that key's signer.
    assert isinstance(key, MlDsaSigner) and key.public_key.key_type == "ml-dsa-44"
