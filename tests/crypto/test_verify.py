"""Signature verification: known answers from cryptography and OpenSSL, tampering, policy."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import csrlib
from csrlib import (
    InvalidSignature,
    Policy,
    PolicyError,
    PssParameters,
    PublicKey,
    SignatureAlgorithm,
    UnsupportedAlgorithm,
    verify_signature,
)
from tests.conftest import OPENSSL
from tests.helpers import csr_der, name_der, oid, tlv

HASHES = {"sha1": hashes.SHA1(), "sha224": hashes.SHA224(), "sha256": hashes.SHA256(),
          "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}
RSA_OIDS = {"sha1": "1.2.840.113549.1.1.5", "sha224": "1.2.840.113549.1.1.14",
            "sha256": "1.2.840.113549.1.1.11", "sha384": "1.2.840.113549.1.1.12",
            "sha512": "1.2.840.113549.1.1.13", "md5": "1.2.840.113549.1.1.4"}
ECDSA_OIDS = {"sha1": "1.2.840.10045.4.1", "sha224": "1.2.840.10045.4.3.1",
              "sha256": "1.2.840.10045.4.3.2", "sha384": "1.2.840.10045.4.3.3",
              "sha512": "1.2.840.10045.4.3.4"}
LEGACY = Policy.legacy()
MESSAGE = b"the exact bytes that were signed"

RSA_KEYS = {bits: rsa.generate_private_key(65537, bits) for bits in (1024, 2048, 3072)}
EC_KEYS = {c.name: ec.generate_private_key(c) for c in (
    ec.SECP256R1(), ec.SECP384R1(), ec.SECP521R1(), ec.SECP256K1())}
ED25519 = ed25519.Ed25519PrivateKey.generate()
ED448 = ed448.Ed448PrivateKey.generate()


def _public(key: Any) -> PublicKey:
    return PublicKey.from_der(key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))


def _rsa_alg(hash_name: str) -> SignatureAlgorithm:
    return SignatureAlgorithm.from_der(tlv(0x30, oid(RSA_OIDS[hash_name]) + b"\x05\x00"))


def _ecdsa_alg(hash_name: str) -> SignatureAlgorithm:
    return SignatureAlgorithm.from_der(tlv(0x30, oid(ECDSA_OIDS[hash_name])))


def _pss_alg(hash_name: str, mgf: str, salt: int) -> SignatureAlgorithm:
    return SignatureAlgorithm.from_der(tlv(0x30, oid("1.2.840.113549.1.1.10")
                                           + PssParameters(hash_name, mgf, salt).to_der()))


# -- known answers from cryptography -----------------------------------------


@pytest.mark.parametrize("bits", [2048, 3072])
@pytest.mark.parametrize("hash_name", ["sha224", "sha256", "sha384", "sha512"])
def test_rsa_pkcs1v15_from_cryptography(bits: int, hash_name: str) -> None:
    key = RSA_KEYS[bits]
    sig = key.sign(MESSAGE, padding.PKCS1v15(), HASHES[hash_name])
    verify_signature(_public(key), _rsa_alg(hash_name), sig, MESSAGE)
    with pytest.raises(InvalidSignature):
        verify_signature(_public(key), _rsa_alg(hash_name), sig, MESSAGE + b"!")


@pytest.mark.parametrize(("hash_name", "mgf", "salt"), [
    ("sha256", "sha256", 32), ("sha256", "sha256", 0), ("sha256", "sha1", 20),
    ("sha384", "sha384", 48), ("sha512", "sha256", 64), ("sha256", "sha256", 222),
    ("sha224", "sha224", 17),
])
def test_rsa_pss_from_cryptography(hash_name: str, mgf: str, salt: int) -> None:
    key = RSA_KEYS[2048]
    sig = key.sign(MESSAGE, padding.PSS(padding.MGF1(HASHES[mgf]), salt), HASHES[hash_name])
    policy = LEGACY if "sha1" in (hash_name, mgf) else None
    verify_signature(_public(key), _pss_alg(hash_name, mgf, salt), sig, MESSAGE, policy=policy)
    for wrong_salt in (salt + 1, max(salt - 1, 0) if salt else 1):
        with pytest.raises(InvalidSignature):
            verify_signature(_public(key), _pss_alg(hash_name, mgf, wrong_salt), sig, MESSAGE,
                             policy=policy)


@pytest.mark.parametrize("curve", sorted(EC_KEYS))
@pytest.mark.parametrize("hash_name", ["sha224", "sha256", "sha384", "sha512"])
def test_ecdsa_from_cryptography(curve: str, hash_name: str) -> None:
    key = EC_KEYS[curve]
    sig = key.sign(MESSAGE, ec.ECDSA(HASHES[hash_name]))
    verify_signature(_public(key), _ecdsa_alg(hash_name), sig, MESSAGE)
    with pytest.raises(InvalidSignature):
        verify_signature(_public(key), _ecdsa_alg(hash_name), sig, MESSAGE + b"!")


def test_eddsa_from_cryptography() -> None:
    for key, name in ((ED25519, "1.3.101.112"), (ED448, "1.3.101.113")):
        alg = SignatureAlgorithm.from_der(tlv(0x30, oid(name)))
        sig = key.sign(MESSAGE)
        verify_signature(_public(key), alg, sig, MESSAGE)
        for bad in (sig[:-1], sig + b"\x00", bytes(len(sig))):
            with pytest.raises(InvalidSignature):
                verify_signature(_public(key), alg, bad, MESSAGE)


# -- tampering ----------------------------------------------------------------

P256 = EC_KEYS["secp256r1"]
N = ec.SECP256R1().key_size and int(
    "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)


def _der_int(value: int) -> bytes:
    return tlv(0x02, value.to_bytes((value.bit_length() + 8) // 8 or 1, "big", signed=True))


def _ecdsa_sig(r_der: bytes, s_der: bytes, tail: bytes = b"") -> bytes:
    return tlv(0x30, r_der + s_der) + tail


@pytest.mark.parametrize("name", ["r-zero", "s-zero", "s-is-n", "r-over-n", "negative-r",
                                  "nonminimal-r", "trailing", "inner-trailing", "ber-length"])
def test_ecdsa_malformed_signatures(name: str) -> None:
    r, s = decode_dss_signature(P256.sign(MESSAGE, ec.ECDSA(hashes.SHA256())))
    sig = {
        "r-zero": _ecdsa_sig(_der_int(0), _der_int(s)),
        "s-zero": _ecdsa_sig(_der_int(r), _der_int(0)),
        "s-is-n": _ecdsa_sig(_der_int(r), _der_int(N)),
        "r-over-n": _ecdsa_sig(_der_int(r + N), _der_int(s)),
        "negative-r": _ecdsa_sig(_der_int(-r), _der_int(s)),
        "nonminimal-r": _ecdsa_sig(b"\x02" + bytes((len(_der_int(r)) - 1,)) + b"\x00"
                                   + _der_int(r)[2:], _der_int(s)),
        "trailing": _ecdsa_sig(_der_int(r), _der_int(s), b"\x00"),
        "inner-trailing": tlv(0x30, _der_int(r) + _der_int(s) + b"\x05\x00"),
        "ber-length": b"\x30\x81" + bytes((len(_der_int(r) + _der_int(s)),))
        + _der_int(r) + _der_int(s),
    }[name]
    if name == "nonminimal-r" and _der_int(r)[2] >= 0x80:
        sig = _ecdsa_sig(b"\x02" + bytes((len(_der_int(r)),)) + b"\x00" + _der_int(r)[2:],
                         _der_int(s))
    with pytest.raises(InvalidSignature):
        verify_signature(_public(P256), _ecdsa_alg("sha256"), sig, MESSAGE)


def test_ecdsa_high_s_is_valid() -> None:
    r, s = decode_dss_signature(P256.sign(MESSAGE, ec.ECDSA(hashes.SHA256())))
    # (r, n - s) is the other valid signature; X.509 does not require low s.
    verify_signature(_public(P256), _ecdsa_alg("sha256"), encode_dss_signature(r, N - s),
                     MESSAGE)


def test_rsa_tampering() -> None:
    key = RSA_KEYS[2048]
    sig = key.sign(MESSAGE, padding.PKCS1v15(), hashes.SHA256())
    n = key.public_key().public_numbers().n
    alg = _rsa_alg("sha256")
    for bad in (sig[1:], sig + b"\x00", b"\x00" + sig[1:] if sig[0] else sig[1:],
                n.to_bytes(256, "big"), (n + 1).to_bytes(256, "big"),
                bytes([sig[0] ^ 1]) + sig[1:], sig[:-1] + bytes([sig[-1] ^ 0x80])):
        with pytest.raises(InvalidSignature):
            verify_signature(_public(key), alg, bad, MESSAGE)
    # A signature made with SHA-384 under a SHA-256 identifier: the hash is the declared one.
    other = key.sign(MESSAGE, padding.PKCS1v15(), hashes.SHA384())
    with pytest.raises(InvalidSignature):
        verify_signature(_public(key), alg, other, MESSAGE)


def test_pkcs1v15_digest_info_without_null_is_refused() -> None:
    from csrlib.crypto.rsa import digest_info

    key = RSA_KEYS[2048]
    numbers = key.private_numbers()
    k = 256
    t = digest_info("sha256", __import__("hashlib").sha256(MESSAGE).digest(), with_null=False)
    em = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    sig = pow(int.from_bytes(em, "big"), numbers.d, numbers.public_numbers.n).to_bytes(k, "big")
    # Wycheproof's "acceptable"; OpenSSL and cryptography refuse it, and so does csrlib.
    with pytest.raises(InvalidSignature):
        verify_signature(_public(key), _rsa_alg("sha256"), sig, MESSAGE)
    with_null = digest_info("sha256", __import__("hashlib").sha256(MESSAGE).digest())
    em = b"\x00\x01" + b"\xff" * (k - len(with_null) - 3) + b"\x00" + with_null
    sig = pow(int.from_bytes(em, "big"), numbers.d, numbers.public_numbers.n).to_bytes(k, "big")
    verify_signature(_public(key), _rsa_alg("sha256"), sig, MESSAGE)


def test_pss_trailer_and_key_parameters() -> None:
    key = RSA_KEYS[2048]
    sig = key.sign(MESSAGE, padding.PSS(padding.MGF1(hashes.SHA256()), 32), hashes.SHA256())
    # Parsing refuses trailerField 2 (test_keys_algorithms); an algorithm
    # built by hand with it must still fail verification, not pass.
    safe = _pss_alg("sha256", "sha256", 32)
    assert safe.pss is not None
    trailer_2 = dataclasses.replace(safe, pss=dataclasses.replace(safe.pss, trailer_field=2))
    with pytest.raises(InvalidSignature):
        verify_signature(_public(key), trailer_2, sig, MESSAGE)
    # An id-RSASSA-PSS key with parameters binds its signatures (RFC 4055 3.3).
    n = key.public_key().public_numbers().n
    pss_key_params = PssParameters("sha256", "sha256", 32).to_der()
    spki = tlv(0x30, tlv(0x30, oid("1.2.840.113549.1.1.10") + pss_key_params) + tlv(
        0x03, b"\x00" + tlv(0x30, _der_int(n) + _der_int(65537))))
    pss_key = PublicKey.from_der(spki)
    verify_signature(pss_key, _pss_alg("sha256", "sha256", 32), sig, MESSAGE)
    sig384 = key.sign(MESSAGE, padding.PSS(padding.MGF1(hashes.SHA384()), 48), hashes.SHA384())
    with pytest.raises(InvalidSignature):
        verify_signature(pss_key, _pss_alg("sha384", "sha384", 48), sig384, MESSAGE)
    sig_short = key.sign(MESSAGE, padding.PSS(padding.MGF1(hashes.SHA256()), 16),
                         hashes.SHA256())
    with pytest.raises(InvalidSignature):
        verify_signature(pss_key, _pss_alg("sha256", "sha256", 16), sig_short, MESSAGE)
    # ... and cannot make PKCS#1 v1.5 signatures.
    with pytest.raises(InvalidSignature):
        verify_signature(pss_key, _rsa_alg("sha256"),
                         key.sign(MESSAGE, padding.PKCS1v15(), hashes.SHA256()), MESSAGE)


def test_ed25519_non_canonical_s_fails() -> None:
    sig = ED25519.sign(MESSAGE)
    big_l = 2 ** 252 + 27742317777372353535851937790883648493
    s = int.from_bytes(sig[32:], "little") + big_l
    with pytest.raises(InvalidSignature):
        verify_signature(_public(ED25519), SignatureAlgorithm.from_der(
            tlv(0x30, oid("1.3.101.112"))), sig[:32] + s.to_bytes(32, "little"), MESSAGE)


@pytest.mark.parametrize(("name", "public"), [
    # RFC 8032 5.1.3: y >= p, no x for this y, and x = 0 with the sign bit set.
    ("y-not-reduced", (2 ** 255 - 19 + 1).to_bytes(32, "little")),
    ("not-on-curve", (2).to_bytes(32, "little")),
    ("negative-zero-x", (1 | 1 << 255).to_bytes(32, "little")),
])
def test_ed25519_invalid_public_points_fail(name: str, public: bytes) -> None:
    spki = tlv(0x30, tlv(0x30, oid("1.3.101.112")) + tlv(0x03, b"\x00" + public))
    with pytest.raises(InvalidSignature, match="not a valid point"):
        verify_signature(PublicKey.from_der(spki), SignatureAlgorithm.from_der(
            tlv(0x30, oid("1.3.101.112"))), ED25519.sign(MESSAGE), MESSAGE)


def test_eddsa_points_decode_like_ecdsa() -> None:
    import ecdsa

    from csrlib.crypto.eddsa import decode_edwards_point

    for name, curve in (("ed25519", ecdsa.curves.Ed25519), ("ed448", ecdsa.curves.Ed448)):
        for _ in range(20):
            public = ecdsa.SigningKey.generate(curve=curve).verifying_key.to_string()
            ours = decode_edwards_point(name, public)
            theirs = ecdsa.ellipticcurve.PointEdwards.from_bytes(curve.curve, public)
            assert ours == (theirs.x(), theirs.y())


def test_key_and_algorithm_mismatches() -> None:
    sig = P256.sign(MESSAGE, ec.ECDSA(hashes.SHA256()))
    with pytest.raises(InvalidSignature):
        verify_signature(_public(RSA_KEYS[2048]), _ecdsa_alg("sha256"), sig, MESSAGE)
    with pytest.raises(InvalidSignature):
        verify_signature(_public(P256), _rsa_alg("sha256"), sig, MESSAGE)
    unknown_alg = SignatureAlgorithm.from_der(tlv(0x30, oid("1.2.3.4")))
    with pytest.raises(UnsupportedAlgorithm):
        verify_signature(_public(P256), unknown_alg, sig, MESSAGE)
    unknown_key = PublicKey.from_der(tlv(0x30, tlv(0x30, oid("1.2.3.4")) + tlv(0x03, b"\x00\x01")))
    with pytest.raises(UnsupportedAlgorithm):
        verify_signature(unknown_key, _ecdsa_alg("sha256"), sig, MESSAGE)


# -- policy -------------------------------------------------------------------


def test_policy_knobs(monkeypatch: pytest.MonkeyPatch) -> None:
    import csrlib.crypto.rsa

    rsa1024 = RSA_KEYS[1024]
    sha1_sig = rsa1024.sign(MESSAGE, padding.PKCS1v15(), hashes.SHA1())
    with pytest.raises(PolicyError, match="sha1"):
        verify_signature(_public(RSA_KEYS[2048]), _rsa_alg("sha1"), sha1_sig, MESSAGE)
    with pytest.raises(PolicyError, match="1024 bits"):
        verify_signature(_public(rsa1024), _rsa_alg("sha256"), sha1_sig, MESSAGE)
    verify_signature(_public(rsa1024), _rsa_alg("sha1"), sha1_sig, MESSAGE, policy=LEGACY)
    md5_sig = RSA_KEYS[2048].sign(MESSAGE, padding.PKCS1v15(), hashes.MD5())
    with pytest.raises(PolicyError, match="md5"):
        verify_signature(_public(RSA_KEYS[2048]), _rsa_alg("md5"), md5_sig, MESSAGE,
                         policy=LEGACY)
    verify_signature(_public(RSA_KEYS[2048]), _rsa_alg("md5"), md5_sig, MESSAGE,
                     policy=Policy(allow_md5=True))
    # Refusals come before the arithmetic.
    def no_arithmetic(*args: object) -> None:
        raise AssertionError("verified despite the policy")

    monkeypatch.setattr(csrlib.crypto.rsa, "verify_pkcs1v15", no_arithmetic)
    for policy in (Policy(max_rsa_bits=2047), Policy(max_rsa_exponent=3),
                   Policy(key_types=frozenset({"ec"}))):
        with pytest.raises(PolicyError):
            verify_signature(_public(RSA_KEYS[2048]), _rsa_alg("sha256"), b"x" * 256, MESSAGE,
                             policy=policy)
    monkeypatch.undo()
    k1 = EC_KEYS["secp256k1"]
    k1_sig = k1.sign(MESSAGE, ec.ECDSA(hashes.SHA256()))
    with pytest.raises(PolicyError, match="secp256k1"):
        verify_signature(_public(k1), _ecdsa_alg("sha256"), k1_sig, MESSAGE,
                         policy=Policy(curves=frozenset({"secp256r1"})))
    pss_sig = RSA_KEYS[2048].sign(MESSAGE, padding.PSS(padding.MGF1(hashes.SHA256()), 20),
                                  hashes.SHA256())
    verify_signature(_public(RSA_KEYS[2048]), _pss_alg("sha256", "sha256", 20), pss_sig, MESSAGE)
    with pytest.raises(PolicyError, match="safe profile"):
        verify_signature(_public(RSA_KEYS[2048]), _pss_alg("sha256", "sha256", 20), pss_sig,
                         MESSAGE, policy=Policy(require_safe_pss=True))
    assert Policy().with_changes(allow_sha1=True) == Policy(allow_sha1=True)


# -- whole requests -----------------------------------------------------------


def test_every_request_verifies(all_csrs: dict[str, bytes]) -> None:
    for name, der in all_csrs.items():
        csrlib.load(der).verify()
        csrlib.load(der, strict=False).verify()
        assert name


def test_request_tampering(example_der: bytes) -> None:
    req = csrlib.load(example_der)
    cn = example_der.index(b"example.com")
    tampered = example_der[:cn] + b"examplf.com" + example_der[cn + 11:]
    with pytest.raises(InvalidSignature):
        csrlib.load(tampered).verify()
    sig_at = example_der.rindex(req.signature)
    flipped = bytearray(example_der)
    flipped[sig_at + 10] ^= 0x01
    with pytest.raises(InvalidSignature):
        csrlib.load(bytes(flipped)).verify()
    with pytest.raises(InvalidSignature):
        csrlib.load(csr_der()).verify()


def test_lenient_requests_verify_over_the_bytes_received() -> None:
    # A request signed over a non-minimal length encoding verifies as received
    # (lenient mode keeps the bytes); re-encoding it to DER would break it.
    key = RSA_KEYS[2048]
    spki = key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    body = b"\x02\x01\x00" + name_der([("2.5.4.3", tlv(0x0C, b"lenient"))]) + spki + b"\xa0\x00"
    tbs = b"\x30\x83" + len(body).to_bytes(3, "big") + body  # one length octet too many
    alg = tlv(0x30, oid("1.2.840.113549.1.1.11") + b"\x05\x00")
    sig = key.sign(tbs, padding.PKCS1v15(), hashes.SHA256())
    der = tlv(0x30, tbs + alg + tlv(0x03, b"\x00" + sig))
    with pytest.raises(csrlib.DecodeError):
        csrlib.load(der)
    req = csrlib.load(der, strict=False)
    assert req.tbs_der == tbs and req.deviations
    req.verify()
    tampered = bytearray(der)
    tampered[der.index(b"lenient")] ^= 0x20
    with pytest.raises(InvalidSignature):
        csrlib.load(bytes(tampered), strict=False).verify()


# -- OpenSSL ------------------------------------------------------------------


@pytest.mark.skipif(OPENSSL is None, reason="the openssl command line is not installed")
@pytest.mark.parametrize(("key_opts", "sign_opts", "alg"), [
    (["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], ["-sha256"], "rsa-sha256"),
    (["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
     ["-sha384", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:48"],
     "pss-sha384-48"),
    (["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"], ["-sha384"], "ec-sha384"),
    (["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"], ["-sha512"], "ec-sha512"),
    (["-algorithm", "ED448"], [], "ed448"),
])
def test_openssl_signatures(tmp_path: Path, key_opts: list[str], sign_opts: list[str],
                            alg: str) -> None:
    assert OPENSSL is not None
    key = tmp_path / "key.pem"
    msg = tmp_path / "msg"
    msg.write_bytes(MESSAGE)
    subprocess.run([OPENSSL, "genpkey", *key_opts, "-out", str(key)], check=True,
                   capture_output=True)
    pub = subprocess.run([OPENSSL, "pkey", "-in", str(key), "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout
    if alg == "ed448":
        sig = subprocess.run([OPENSSL, "pkeyutl", "-sign", "-rawin", "-inkey", str(key), "-in",
                              str(msg)], check=True, capture_output=True).stdout
        algorithm = SignatureAlgorithm.from_der(tlv(0x30, oid("1.3.101.113")))
    else:
        sig = subprocess.run([OPENSSL, "dgst", *sign_opts, "-sign", str(key), str(msg)],
                             check=True, capture_output=True).stdout
        algorithm = {"rsa-sha256": _rsa_alg("sha256"),
                     "pss-sha384-48": _pss_alg("sha384", "sha384", 48),
                     "ec-sha384": _ecdsa_alg("sha384"), "ec-sha512": _ecdsa_alg("sha512")}[alg]
    verify_signature(PublicKey.from_der(pub), algorithm, sig, MESSAGE)
    with pytest.raises(InvalidSignature):
        verify_signature(PublicKey.from_der(pub), algorithm, sig, MESSAGE[:-1])


# -- properties ---------------------------------------------------------------

_SIGNERS = [
    ("rsa", lambda m: (RSA_KEYS[2048].sign(m, padding.PKCS1v15(), hashes.SHA256()),
                       RSA_KEYS[2048], _rsa_alg("sha256"))),
    ("pss", lambda m: (RSA_KEYS[2048].sign(m, padding.PSS(padding.MGF1(hashes.SHA256()), 32),
                                           hashes.SHA256()), RSA_KEYS[2048],
                       _pss_alg("sha256", "sha256", 32))),
    ("p256", lambda m: (P256.sign(m, ec.ECDSA(hashes.SHA256())), P256, _ecdsa_alg("sha256"))),
    ("k1", lambda m: (EC_KEYS["secp256k1"].sign(m, ec.ECDSA(hashes.SHA512())),
                      EC_KEYS["secp256k1"], _ecdsa_alg("sha512"))),
    ("ed25519", lambda m: (ED25519.sign(m), ED25519,
                           SignatureAlgorithm.from_der(tlv(0x30, oid("1.3.101.112"))))),
]


@settings(max_examples=60)
@given(st.binary(max_size=200), st.integers(0, len(_SIGNERS) - 1), st.data())
def test_cryptography_signatures_verify_and_mutations_fail(
    message: bytes, which: int, data: st.DataObject
) -> None:
    sig, key, alg = _SIGNERS[which][1](message)
    verify_signature(_public(key), alg, sig, message)
    # Signatures may be randomized (ECDSA, PSS), so their length is drawn from
    # outside hypothesis: pick the position as a fraction of it.
    position = data.draw(st.integers(0, 10 ** 6)) % len(sig)
    bit = data.draw(st.integers(0, 7))
    mutated = bytearray(sig)
    mutated[position] ^= 1 << bit
    with pytest.raises(InvalidSignature):
        verify_signature(_public(key), alg, bytes(mutated), message)


_ERRORS = (InvalidSignature, UnsupportedAlgorithm, PolicyError, csrlib.DecodeError)


@settings(max_examples=150)
@given(st.integers(0, len(_SIGNERS) - 1), st.integers(0, len(_SIGNERS) - 1),
       st.binary(max_size=600), st.integers(0, 7))
def test_any_signature_bytes_give_only_the_documented_errors(
    key_index: int, alg_index: int, signature: bytes, unused: int
) -> None:
    # Keys paired with every algorithm (matching or not), arbitrary signatures.
    _, key, _ = _SIGNERS[key_index][1](b"")
    _, _, alg = _SIGNERS[alg_index][1](b"")
    with pytest.raises(_ERRORS):
        verify_signature(_public(key), alg, signature, MESSAGE, unused_bits=unused)


def _ed_csr_parts(curve: str, public: bytes, signature: bytes) -> tuple[Any, Any]:
    oid_text = "1.3.101.112" if curve == "ed25519" else "1.3.101.113"
    spki = tlv(0x30, tlv(0x30, oid(oid_text)) + tlv(0x03, b"\x00" + public))
    return PublicKey.from_der(spki), SignatureAlgorithm.from_der(tlv(0x30, oid(oid_text)))


P25519 = 2 ** 255 - 19


@pytest.mark.parametrize(("name", "public", "r", "valid"), [
    # A = identity, R = identity, S = 0 satisfies [S]B = R + [k]A: valid (RFC 8032,
    # OpenSSL).  Every other encoding of R, or R = (0, -1), is not.
    ("identity", b"\x01" + bytes(31), b"\x01" + bytes(31), True),
    ("r-not-reduced", b"\x01" + bytes(31), (P25519 + 1).to_bytes(32, "little"), False),
    ("r-sign-bit", b"\x01" + bytes(31), b"\x01" + bytes(30) + b"\x80", False),
    ("r-order-two", b"\x01" + bytes(31), (P25519 - 1).to_bytes(32, "little"), False),
])
def test_ed25519_small_order_and_non_canonical_r(name: str, public: bytes, r: bytes,
                                                 valid: bool) -> None:
    key, alg = _ed_csr_parts("ed25519", public, r + bytes(32))
    if valid:
        verify_signature(key, alg, r + bytes(32), MESSAGE)
    else:
        with pytest.raises(InvalidSignature):
            verify_signature(key, alg, r + bytes(32), MESSAGE)


def test_ed448_small_order_keys_are_refused() -> None:
    identity = b"\x01" + bytes(56)
    key, alg = _ed_csr_parts("ed448", identity, identity + bytes(57))
    with pytest.raises(InvalidSignature, match="small order"):
        verify_signature(key, alg, identity + bytes(57), MESSAGE)


def test_lenient_pss_without_parameters_does_not_verify() -> None:
    key = RSA_KEYS[2048]
    sig = key.sign(MESSAGE, padding.PSS(padding.MGF1(hashes.SHA1()), 20), hashes.SHA1())
    alg = SignatureAlgorithm.from_der(tlv(0x30, oid("1.2.840.113549.1.1.10")), strict=False)
    with pytest.raises(InvalidSignature, match="without its parameters"):
        verify_signature(_public(key), alg, sig, MESSAGE, policy=Policy.legacy())


def test_hand_built_keys_give_documented_errors() -> None:
    bad_rsa = csrlib.RsaPublicKey(2 ** 2047 + 1, -3, b"")
    with pytest.raises(InvalidSignature):
        verify_signature(bad_rsa, _rsa_alg("sha256"), bytes(256), MESSAGE)
    bad_curve = csrlib.EcPublicKey("bogus", 1, 2, b"")
    with pytest.raises(UnsupportedAlgorithm):
        verify_signature(bad_curve, _ecdsa_alg("sha256"), b"\x30\x06\x02\x01\x01\x02\x01\x01",
                         MESSAGE, policy=Policy().with_changes(curves=frozenset({"bogus"})))
