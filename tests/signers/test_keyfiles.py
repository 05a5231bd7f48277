"""Private key files: PKCS#8 / PKCS#1 / SEC1 reading, PKCS#8 writing, refusals, secrecy."""

from __future__ import annotations

import base64
import dataclasses
import functools
import math
import subprocess
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from hypothesis import given
from hypothesis import strategies as st

from csrlib.der import encode_integer
from csrlib.errors import InvalidKey
from csrlib.pem import encode_pem
from csrlib.signers.key_writing import pkcs8_der, pkcs8_pem
from csrlib.signers.keyfiles import read_private_key
from csrlib.signers.private import EcPrivateNumbers, EdPrivateSeed, RsaPrivateNumbers
from tests.conftest import OPENSSL
from tests.helpers import oid, tlv

_DER = serialization.Encoding.DER
_PEM = serialization.Encoding.PEM
_PKCS8 = serialization.PrivateFormat.PKCS8
_TRADITIONAL = serialization.PrivateFormat.TraditionalOpenSSL
_PLAIN = serialization.NoEncryption()

_RSA = "1.2.840.113549.1.1.1"
_EC = "1.2.840.10045.2.1"
_P256 = "1.2.840.10045.3.1.7"
_P384 = "1.3.132.0.34"
_ED25519 = "1.3.101.112"
_X25519 = "1.3.101.110"

needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="the openssl command line is absent")


# -- keys made by cryptography (always available) -----------------------------------


@functools.cache
def _crypto_keys() -> dict[str, Any]:
    return {
        "rsa": rsa.generate_private_key(65537, 1024),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "p384": ec.generate_private_key(ec.SECP384R1()),
        "ed25519": ed25519.Ed25519PrivateKey.generate(),
        "ed448": ed448.Ed448PrivateKey.generate(),
    }


def _numbers(key: Any) -> Any:
    """Return the csrlib record cryptography's view of ``key`` corresponds to."""
    if isinstance(key, rsa.RSAPrivateKey):
        r = key.private_numbers()
        return RsaPrivateNumbers(r.public_numbers.n, r.public_numbers.e, r.d, r.p, r.q)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        c = key.private_numbers()
        return EcPrivateNumbers(key.curve.name, c.private_value,
                                (c.public_numbers.x, c.public_numbers.y))
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, _PLAIN)
    return EdPrivateSeed("ed25519" if len(raw) == 32 else "ed448", raw)


def _same(ours: Any, expected: Any) -> None:
    """Assert equal numbers; the EC public point only when the file carried one."""
    if isinstance(ours, EcPrivateNumbers) and ours.public is None:
        expected = EcPrivateNumbers(expected.curve, expected.secret)
    if isinstance(ours, RsaPrivateNumbers):
        # cryptography's numbers do not say whether the key is RSASSA-PSS only.
        ours = dataclasses.replace(ours, pss_only=False, pss_parameters=None)
    assert ours == expected


def _secrets(key: Any) -> list[str]:
    """Return text forms of the secret values of a record (decimal, hex, base64)."""
    if isinstance(key, RsaPrivateNumbers):
        values = [key.d, key.p, key.q]
    elif isinstance(key, EcPrivateNumbers):
        values = [key.secret]
    else:
        values = [int.from_bytes(key.seed, "big")]
        return [key.seed.hex()[:16], base64.b64encode(key.seed).decode()[:16],
                str(values[0])[:16]]
    out = []
    for v in values:
        out += [str(v)[:16], f"{v:x}"[:16], f"{v:X}"[:16]]
    return out


def _assert_secret_free(exc: BaseException, key: Any) -> None:
    text = "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)
    for secret in _secrets(key):
        assert secret not in text


# -- DER builders for broken keys -----------------------------------------------------


def _int(v: int) -> bytes:
    from csrlib.der import encode_integer

    return tlv(0x02, encode_integer(v))


def _pkcs1(n: int, e: int, d: int, p: int, q: int, version: int = 0,
           crt: tuple[int, int, int] | None = None, extra: bytes = b"") -> bytes:
    crt = crt or (d % (p - 1), d % (q - 1), pow(q, -1, p))
    return tlv(0x30, b"".join(_int(v) for v in (version, n, e, d, p, q, *crt)) + extra)


def _pkcs8(algorithm: bytes, private: bytes, version: int = 0, public: bytes | None = None
           ) -> bytes:
    tail = b"" if public is None else tlv(0x81, b"\x00" + public)
    return tlv(0x30, _int(version) + tlv(0x30, algorithm) + tlv(0x04, private) + tail)


def _sec1(secret: bytes, curve: str | None = None, public: bytes | None = None,
          version: int = 1, params: bytes | None = None) -> bytes:
    body = _int(version) + tlv(0x04, secret)
    if params is not None:
        body += tlv(0xA0, params)
    elif curve is not None:
        body += tlv(0xA0, oid(curve))
    if public is not None:
        body += tlv(0xA1, tlv(0x03, b"\x00" + public))
    return tlv(0x30, body)


def _point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.X962,
                                         serialization.PublicFormat.UncompressedPoint)


def _tiny_rsa(p: int, q: int, e: int = 17, d: int | None = None,
              crt: tuple[int, int, int] | None = None) -> bytes:
    """Return a PKCS#1 key over p and q (any integers); d and the CRT values
    computed from them when they allow it, as a careless generator would."""
    lam = math.lcm(p - 1, q - 1)
    d = pow(e, -1, lam) if d is None else d
    return _pkcs1(p * q, e, d, p, q, crt=crt)


def _rsa_parts() -> tuple[int, int, int, int, int]:
    n = _crypto_keys()["rsa"].private_numbers()
    return n.public_numbers.n, n.public_numbers.e, n.d, n.p, n.q


def _bad_cases() -> dict[str, tuple[Callable[[], bytes], str]]:
    """Broken key files by defect: (maker, text the message must contain)."""
    keys = _crypto_keys()
    p256 = keys["p256"]
    s256 = p256.private_numbers().private_value.to_bytes(32, "big")
    seed = keys["ed25519"].private_bytes(serialization.Encoding.Raw,
                                         serialization.PrivateFormat.Raw, _PLAIN)
    other_point = _point(ec.generate_private_key(ec.SECP256R1()))
    rsa_alg = oid(_RSA) + b"\x05\x00"
    p256_alg = oid(_EC) + oid(_P256)
    n, e, d, p, q = _rsa_parts()
    order = int("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16)
    return {
        "rsa-p-changed": (lambda: _pkcs1(n, e, d, p + 2, q, crt=(1, 1, 1)), "product"),
        "rsa-d-wrong": (lambda: _pkcs1(n, e, d + 2, p, q), "private exponent"),
        "rsa-exponent1-wrong": (lambda: _pkcs1(n, e, d, p, q, crt=(
            d % (p - 1) + 1, d % (q - 1), pow(q, -1, p))), "exponent1 is not d mod (p-1)"),
        "rsa-exponent2-wrong": (lambda: _pkcs1(n, e, d, p, q, crt=(
            d % (p - 1), d % (q - 1) - 1, pow(q, -1, p))), "exponent2 is not d mod (q-1)"),
        "rsa-coefficient-wrong": (lambda: _pkcs1(n, e, d, p, q, crt=(
            d % (p - 1), d % (q - 1), pow(q, -1, p) + 1)), "coefficient is not the inverse"),
        "rsa-coefficient-plus-p": (lambda: _pkcs1(n, e, d, p, q, crt=(
            d % (p - 1), d % (q - 1), pow(q, -1, p) + p)), "coefficient is not the inverse"),
        "rsa-coefficient-zero": (lambda: _pkcs1(n, e, d, p, q, crt=(
            d % (p - 1), d % (q - 1), 0)), "coefficient is not the inverse"),
        # Base-2 strong pseudoprimes sharing the factor 157: q**-1 mod p does
        # not exist (it was a ValueError from pow()).
        "rsa-primes-share-a-factor": (lambda: _tiny_rsa(8321, 49141, crt=(1, 1, 1)),
                                      "not coprime"),
        "rsa-p-equals-q": (lambda: _tiny_rsa(61, 61, e=7, crt=(1, 1, 1)), "not coprime"),
        "rsa-p-composite": (lambda: _tiny_rsa(8321, 40009), "prime1 (p) is not prime"),
        "rsa-q-composite": (lambda: _tiny_rsa(10007, 29341), "prime2 (q) is not prime"),
        "rsa-e-divides-lambda": (lambda: _tiny_rsa(61, 53, e=5, d=1, crt=(1, 1, 1)),
                                 "not coprime to lcm(p-1, q-1)"),
        "rsa-negative-primes": (lambda: _tiny_rsa(-61, -53, e=17, d=1, crt=(1, 1, 1)),
                                "product"),
        "rsa-multi-prime": (lambda: _pkcs1(n, e, d, p, q, version=1, extra=tlv(
            0x30, tlv(0x30, _int(7) + _int(1) + _int(1)))), "multi-prime"),
        "rsa-version-2": (lambda: _pkcs1(n, e, d, p, q, version=2), "version"),
        "rsa-even-e": (lambda: _pkcs1(n, 65536, d, p, q), "public exponent"),
        "rsa-too-large": (lambda: _pkcs1((1 << 16400) + 1, e, 3, 3, 5, crt=(1, 1, 1)),
                          "larger than 16384"),
        "rsa-params-absent": (lambda: _pkcs8(oid(_RSA), _pkcs1(n, e, d, p, q)), "NULL"),
        "rsa-p8-public-mismatch": (lambda: _pkcs8(rsa_alg, _pkcs1(n, e, d, p, q), version=1,
                                                  public=tlv(0x30, _int(n) + _int(3))),
                                   "does not match"),
        "ec-public-mismatch": (lambda: _sec1(s256, _P256, other_point), "does not match"),
        "ec-point-off-curve": (lambda: _sec1(s256, _P256, b"\x04" + bytes(63) + b"\x01"),
                               "not on the curve"),
        "ec-secret-zero": (lambda: _sec1(bytes(32), _P256), "out of range"),
        "ec-secret-order": (lambda: _sec1(order.to_bytes(32, "big"), _P256), "out of range"),
        "ec-wrong-size": (lambda: _sec1(s256[1:], _P256), "31 octets, not 32"),
        "ec-wrong-curve-size": (lambda: _sec1(s256, _P384), "not 48"),
        "ec-no-curve": (lambda: _sec1(s256), "no curve parameters"),
        "ec-version-0": (lambda: _sec1(s256, _P256, version=0), "version"),
        "ec-explicit-curve": (lambda: _sec1(s256, params=tlv(0x30, _int(1))),
                              "explicit curve parameters"),
        "ec-unknown-curve": (lambda: _sec1(s256, "1.3.132.0.31"), "1.3.132.0.31"),
        "ec-curve-mismatch": (lambda: _pkcs8(p256_alg, _sec1(s256, _P384)), "secp384r1"),
        "ec-p8-no-params": (lambda: _pkcs8(oid(_EC), _sec1(s256)), "curve parameters"),
        "ec-p8-public-mismatch": (lambda: _pkcs8(p256_alg, _sec1(s256), version=1,
                                                 public=other_point), "does not match"),
        "ec-p8-publics-differ": (lambda: _pkcs8(p256_alg, _sec1(s256, public=_point(p256)),
                                                version=1, public=other_point), "differ"),
        "ed-public-mismatch": (lambda: _pkcs8(oid(_ED25519), tlv(0x04, seed), version=1,
                                              public=bytes(32)), "does not match"),
        "ed-wrong-length": (lambda: _pkcs8(oid(_ED25519), tlv(0x04, seed[1:])),
                            "31 octets, not 32"),
        "ed-params-present": (lambda: _pkcs8(oid(_ED25519) + b"\x05\x00", tlv(0x04, seed)),
                              "parameters"),
        "ed-bare-seed": (lambda: _pkcs8(oid(_ED25519), seed), "CurvePrivateKey"),
        "unknown-algorithm": (lambda: _pkcs8(oid(_X25519), tlv(0x04, seed)), _X25519),
        "p8-version-2": (lambda: _pkcs8(oid(_ED25519), tlv(0x04, seed), version=2), "version"),
        "p8-v1-with-public": (lambda: _pkcs8(oid(_ED25519), tlv(0x04, seed),
                                             public=bytes(32)), "version"),
        "p8-inner-trailing": (lambda: _pkcs8(rsa_alg, _pkcs1(n, e, d, p, q) + b"\x00"),
                              "PKCS#1 RSAPrivateKey in PKCS#8 privateKey"),
        "not-a-key": (lambda: tlv(0x30, _int(1) + _int(2)), "not a PKCS#8, PKCS#1 or SEC1"),
        "empty": (lambda: b"", "input is empty"),
        "pem-no-key": (lambda: encode_pem("CERTIFICATE", b"\x30\x00").encode(), "CERTIFICATE"),
        "pem-two-keys": ((pkcs8_pem(_numbers(keys["ed25519"])) * 2).encode, "several"),
        "pem-bad-base64": (lambda: b"-----BEGIN PRIVATE KEY-----\nMII*\n"
                                   b"-----END PRIVATE KEY-----\n", "malformed PEM"),
        "pem-no-end": (lambda: b"-----BEGIN PRIVATE KEY-----\nMIIB\n", "malformed PEM"),
        "pem-wrong-inner": (lambda: encode_pem("EC PRIVATE KEY", _pkcs1(n, e, d, p, q)).encode(),
                            "SEC1 ECPrivateKey"),
    }


_BAD = _bad_cases()


@pytest.mark.parametrize("case", sorted(_BAD))
def test_broken_keys_raise_invalid_key(case: str) -> None:
    make, expected = _BAD[case]
    with pytest.raises(InvalidKey) as info:
        read_private_key(make())
    assert expected in str(info.value)
    for key in _crypto_keys().values():
        _assert_secret_free(info.value, _numbers(key))


def test_inner_errors_carry_absolute_offsets_and_paths() -> None:
    n, e, d, p, q = _rsa_parts()
    inner = bytearray(_pkcs1(n, e, d, p, q))
    inner[inner.index(_int(e))] = 0x04  # publicExponent as an OCTET STRING
    data = _pkcs8(oid(_RSA) + b"\x05\x00", bytes(inner))
    at = data.index(bytes(inner)) + inner.index(b"\x04\x03\x01\x00\x01")
    with pytest.raises(InvalidKey) as info:
        read_private_key(data)
    assert str(info.value).startswith("malformed PKCS#1 RSAPrivateKey in PKCS#8 privateKey: "
                                      "unexpected tag")
    assert str(info.value).endswith(f"at byte {at} (publicExponent)")


# -- reading what cryptography writes ---------------------------------------------------


@pytest.mark.parametrize("name", ["rsa", "p256", "p384", "ed25519", "ed448"])
def test_cryptography_keys_all_formats(name: str) -> None:
    key = _crypto_keys()[name]
    expected = _numbers(key)
    formats = [_PKCS8] + ([_TRADITIONAL] if name in ("rsa", "p256", "p384") else [])
    for fmt in formats:
        for encoding in (_DER, _PEM):
            data = key.private_bytes(encoding, fmt, _PLAIN)
            _same(read_private_key(data), expected)
    pem = key.private_bytes(_PEM, _PKCS8, _PLAIN)
    assert read_private_key(pem.decode("ascii")) == expected
    assert read_private_key(bytearray(pem)) == expected  # type: ignore[arg-type]
    # What we write is byte for byte what OpenSSL (through cryptography) writes.
    assert pkcs8_der(expected) == key.private_bytes(_DER, _PKCS8, _PLAIN)
    assert read_private_key(pkcs8_pem(expected)) == expected


def test_records_and_round_trips_hide_secrets() -> None:
    for key in _crypto_keys().values():
        record = _numbers(key)
        for text in (repr(record), str(record)):
            for secret in _secrets(record):
                assert secret not in text


def test_pkcs8_v2_public_keys_accepted() -> None:
    keys = _crypto_keys()
    ed = keys["ed25519"]
    seed = ed.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, _PLAIN)
    public = ed.public_key().public_bytes(serialization.Encoding.Raw,
                                          serialization.PublicFormat.Raw)
    got = read_private_key(_pkcs8(oid(_ED25519), tlv(0x04, seed), version=1, public=public))
    assert got == EdPrivateSeed("ed25519", seed, public)
    p256 = keys["p256"]
    secret = p256.private_numbers().private_value.to_bytes(32, "big")
    got = read_private_key(_pkcs8(oid(_EC) + oid(_P256), _sec1(secret), version=1,
                                  public=_point(p256)))
    assert got == _numbers(p256)
    n, e, d, p, q = _rsa_parts()
    got = read_private_key(_pkcs8(oid(_RSA) + b"\x05\x00", _pkcs1(n, e, d, p, q), version=1,
                                  public=tlv(0x30, _int(n) + _int(e))))
    assert got == RsaPrivateNumbers(n, e, d, p, q)


def test_compressed_public_point_and_matching_inner_parameters() -> None:
    p256 = _crypto_keys()["p256"]
    secret = p256.private_numbers().private_value.to_bytes(32, "big")
    compressed = p256.public_key().public_bytes(serialization.Encoding.X962,
                                                serialization.PublicFormat.CompressedPoint)
    got = read_private_key(_pkcs8(oid(_EC) + oid(_P256), _sec1(secret, _P256, compressed)))
    assert got == _numbers(p256)


def test_password_for_a_clear_key_is_refused() -> None:
    pem = _crypto_keys()["p256"].private_bytes(_PEM, _PKCS8, _PLAIN)
    with pytest.raises(InvalidKey, match="not encrypted"):
        read_private_key(pem, password=b"secret")
    with pytest.raises(InvalidKey, match="not encrypted"):
        read_private_key(pem, password=b"")


def test_encrypted_keys_from_cryptography() -> None:
    key = _crypto_keys()["p256"]
    encryption = serialization.BestAvailableEncryption(b"x")
    cases = [(key.private_bytes(_PEM, _PKCS8, encryption), "ENCRYPTED PRIVATE KEY"),
             (key.private_bytes(_DER, _PKCS8, encryption), "EncryptedPrivateKeyInfo"),
             (key.private_bytes(_PEM, _TRADITIONAL, encryption), "Proc-Type")]
    expected = _numbers(key)
    for data, name in cases:
        with pytest.raises(InvalidKey, match="a password is needed") as info:
            read_private_key(data)
        assert name in str(info.value)
        for wrong in (b"y", b"", "x ", b"X"):
            with pytest.raises(InvalidKey) as info:
                read_private_key(data, password=wrong)
            assert str(info.value) == "wrong password or corrupted key"
        _same(read_private_key(data, password=b"x"), expected)
        _same(read_private_key(data, password="x"), expected)


def test_api_misuse_raises_type_error() -> None:
    with pytest.raises(TypeError):
        read_private_key(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        read_private_key(b"", password=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pkcs8_der("key")  # type: ignore[arg-type]


@pytest.mark.parametrize("record", [
    RsaPrivateNumbers(3233, 17, 2753, 61, 53),
    RsaPrivateNumbers(3233, 17, 2753, 61, 59),
    EcPrivateNumbers("P-256", 5),
    EcPrivateNumbers("secp256r1", 0),
    EcPrivateNumbers("secp256r1", 5, (1, 2)),
    EdPrivateSeed("ed25519", bytes(31)),
    EdPrivateSeed("x25519", bytes(32)),
    EdPrivateSeed("ed448", bytes(57), bytes(57)),
], ids=["rsa-ok", "rsa-bad-q", "ec-alias-name", "ec-zero", "ec-bad-point", "ed-short",
        "ed-unknown", "ed448-bad-public"])
def test_pkcs8_der_checks_the_record(record: Any) -> None:
    if isinstance(record, RsaPrivateNumbers) and record.q == 53:
        # The textbook key of RFC-style examples: tiny, but consistent.
        assert read_private_key(pkcs8_der(record)) == record
        return
    with pytest.raises(InvalidKey):
        pkcs8_der(record)


# -- prefixes, trailing data, mutations ------------------------------------------------------


@functools.cache
def _corpus() -> list[bytes]:
    out = []
    for name, key in _crypto_keys().items():
        out.append(key.private_bytes(_DER, _PKCS8, _PLAIN))
        if name in ("rsa", "p256"):
            out.append(key.private_bytes(_DER, _TRADITIONAL, _PLAIN))
            out.append(key.private_bytes(_PEM, _TRADITIONAL, _PLAIN))
    out.append(_crypto_keys()["p384"].private_bytes(_PEM, _PKCS8, _PLAIN))
    return out


def test_every_prefix_and_trailing_bytes_fail_cleanly() -> None:
    for data in _corpus():
        read_private_key(data)
        if data.startswith(b"-----"):
            continue
        for cut in range(len(data)):
            with pytest.raises(InvalidKey):
                read_private_key(data[:cut])
        for tail in (b"\x00", b"\x30\x00", b"\xff" * 3):
            with pytest.raises(InvalidKey):
                read_private_key(data + tail)


@st.composite
def _mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_corpus())))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "set", "delete", "insert"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "delete" and data:
            del data[pos: pos + draw(st.integers(1, 8))]
        else:
            data[pos:pos] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


@given(_mutated())
def test_mutated_key_files_raise_only_invalid_key(data: bytes) -> None:
    try:
        key = read_private_key(data)
    except InvalidKey as exc:
        for record in map(_numbers, _crypto_keys().values()):
            _assert_secret_free(exc, record)
        return
    # Anything accepted is a consistent key that writes back and reads the same.
    assert read_private_key(pkcs8_der(key)) == key


# -- keys the openssl command line writes --------------------------------------------


def _openssl(cwd: Path, *args: str) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def openssl_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Key files written by the openssl command line, by case name."""
    if OPENSSL is None:
        pytest.skip("the openssl command line is absent")
    out = tmp_path_factory.mktemp("keys")
    gen = {
        "rsa2048": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        "rsa1024": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
        "rsa-pss": ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:1024"],
        "rsa-pss-params": ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:1024",
                           "-pkeyopt", "rsa_pss_keygen_md:sha256"],
        "p256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        "p384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        "p521": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
        "secp256k1": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"],
        "ed25519": ["-algorithm", "ED25519"],
        "ed448": ["-algorithm", "ED448"],
    }
    files = {}
    for name, args in gen.items():
        _openssl(out, "genpkey", *args, "-out", f"{name}.pem")
        files[name] = out / f"{name}.pem"
    derived = {
        # PKCS#8 DER, and the traditional forms in PEM and DER.
        "p256-pkcs8-der": ["pkcs8", "-topk8", "-nocrypt", "-in", "p256.pem", "-outform", "DER"],
        "ed448-pkcs8-der": ["pkcs8", "-topk8", "-nocrypt", "-in", "ed448.pem", "-outform",
                            "DER"],
        "rsa-traditional": ["rsa", "-in", "rsa1024.pem", "-traditional"],
        "rsa-traditional-der": ["rsa", "-in", "rsa1024.pem", "-traditional", "-outform", "DER"],
        "p384-sec1": ["ec", "-in", "p384.pem"],
        "p521-sec1-der": ["ec", "-in", "p521.pem", "-outform", "DER"],
        "p256-no-public": ["ec", "-in", "p256.pem", "-no_public"],
        "p256-sec1": ["ec", "-in", "p256.pem"],
        "k1-compressed": ["pkey", "-in", "secp256k1.pem", "-ec_conv_form", "compressed"],
    }
    for name, args in derived.items():
        _openssl(out, *args, "-out", f"{name}.key")
        files[name] = out / f"{name}.key"
    _openssl(out, "genrsa", "-traditional", "-out", "genrsa.key", "1024")
    files["genrsa"] = out / "genrsa.key"
    _openssl(out, "ecparam", "-genkey", "-name", "prime256v1", "-out", "ecparam.key")
    files["ecparam-genkey"] = out / "ecparam.key"
    # `ec -param_out` writes the EC PARAMETERS block only: refused alone,
    # skipped before a key.
    _openssl(out, "ec", "-in", "p256.pem", "-param_out", "-out", "params.key")
    files["params"] = out / "params.key"
    joined = out / "params-then-key.key"
    joined.write_bytes(files["params"].read_bytes() + files["p256-sec1"].read_bytes())
    files["params-then-key"] = joined
    # Refused ones.
    _openssl(out, "genpkey", *gen["p256"], "-aes-256-cbc", "-pass", "pass:x",
             "-out", "enc-pkcs8.key")
    _openssl(out, "rsa", "-in", "rsa1024.pem", "-aes128", "-traditional", "-passout",
             "pass:x", "-out", "enc-legacy.key")
    _openssl(out, "ec", "-in", "p256.pem", "-param_enc", "explicit", "-out", "explicit.key")
    for name in ("enc-pkcs8", "enc-legacy", "explicit"):
        files[name] = out / f"{name}.key"
    return files


_REFUSED = {"enc-pkcs8", "enc-legacy", "explicit", "params"}  # encrypted: see below


def _cryptography_load(data: bytes) -> Any:
    from csrlib.pem import detect_format

    if detect_format(data) == "pem":
        return serialization.load_pem_private_key(data, None)
    return serialization.load_der_private_key(data, None)


@needs_openssl
def test_openssl_keys_load_with_cryptographys_numbers(openssl_keys: dict[str, Path]) -> None:
    for name, path in openssl_keys.items():
        if name.startswith("rsa-pss") or name in _REFUSED:
            continue
        data = path.read_bytes()
        ours = read_private_key(data)
        _same(ours, _numbers(_cryptography_load(data)))
        if "no-public" in name and "pkcs8" not in name:
            assert isinstance(ours, EcPrivateNumbers) and ours.public is None


@needs_openssl
def test_openssl_rsa_pss_keys(openssl_keys: dict[str, Path]) -> None:
    plain = RsaPrivateNumbers
    for name in ("rsa-pss", "rsa-pss-params"):
        path = openssl_keys[name]
        ours = read_private_key(path.read_bytes())
        assert isinstance(ours, plain) and ours.pss_only
        assert (ours.pss_parameters is None) == (name == "rsa-pss")
        out = subprocess.run([OPENSSL or "openssl", "rsa", "-in", str(path), "-modulus",
                              "-noout"], capture_output=True, check=True, text=True).stdout
        assert int(out.strip().partition("=")[2], 16) == ours.n


@needs_openssl
def test_openssl_refused_keys(openssl_keys: dict[str, Path]) -> None:
    expect = {"enc-pkcs8": "ENCRYPTED PRIVATE KEY", "enc-legacy": "Proc-Type",
              "explicit": "explicit curve parameters", "params": "found EC PARAMETERS"}
    for name in ("enc-pkcs8", "enc-legacy"):
        data = openssl_keys[name].read_bytes()
        with pytest.raises(InvalidKey, match="a password is needed"):
            read_private_key(data)
        with pytest.raises(InvalidKey, match=r"^wrong password or corrupted key$"):
            read_private_key(data, password=b"y")
        _same(read_private_key(data, password=b"x"),
              _numbers(serialization.load_pem_private_key(data, b"x")))
    for name, text in expect.items():
        with pytest.raises(InvalidKey, match=text):
            read_private_key(openssl_keys[name].read_bytes())


@needs_openssl
def test_pkcs8_output_loads_in_openssl_and_cryptography(
    openssl_keys: dict[str, Path], tmp_path: Path
) -> None:
    for name in ("rsa2048", "rsa-pss", "p256-no-public", "p384", "p521", "secp256k1",
                 "ed25519", "ed448", "ecparam-genkey", "genrsa"):
        key = read_private_key(openssl_keys[name].read_bytes())
        pem = pkcs8_pem(key)
        out = tmp_path / f"{name}.pem"
        out.write_text(pem)
        result = subprocess.run([OPENSSL or "openssl", "pkey", "-in", str(out), "-noout"],
                                check=False, capture_output=True)
        assert result.returncode == 0, result.stderr
        _same(key, _numbers(serialization.load_pem_private_key(pem.encode(), None)))
        assert read_private_key(pem) == key
        assert read_private_key(pkcs8_der(key)) == key


def _rsa_numbers(p_bits: int, q_bits: int) -> RsaPrivateNumbers:
    """Return a real RSA key whose primes have the given sizes."""
    import rsa as rsa_package

    p = rsa_package.prime.getprime(p_bits)
    q = rsa_package.prime.getprime(q_bits)
    lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
    if math.gcd(65537, lam) != 1:
        return _rsa_numbers(p_bits, q_bits)
    return RsaPrivateNumbers(p * q, 65537, pow(65537, -1, lam), p, q)


def test_rsa_primes_must_be_about_half_the_modulus() -> None:
    from csrlib.signers.keycheck import check_rsa

    # python-rsa's own shape: half ± 1/32 of the modulus size (544 + 480 bits).
    check_rsa(_rsa_numbers(544, 480))
    check_rsa(_rsa_numbers(570, 454))  # near the bound, half ± 1/16
    for p_bits, q_bits in ((580, 444), (1000, 24)):
        with pytest.raises(InvalidKey, match="unbalanced"):
            check_rsa(_rsa_numbers(p_bits, q_bits))


@needs_openssl
@pytest.mark.parametrize("restricted", [False, True], ids=["no-parameters", "sha384-salt-40"])
def test_rsassa_pss_keys_sign_as_pss_keys(tmp_path: Path, restricted: bool) -> None:
    # An id-RSASSA-PSS key file (RFC 4055 3.1) signs RSASSA-PSS only, its
    # request's key says id-RSASSA-PSS, and its parameters bind the
    # signature's (RFC 4055 3.3); saving it keeps all that.
    import csrlib
    from csrlib import signers
    from csrlib.errors import BuildError

    options = ["-pkeyopt", "rsa_pss_keygen_md:sha384", "-pkeyopt", "rsa_pss_keygen_mgf1_md:sha384",
               "-pkeyopt", "rsa_pss_keygen_saltlen:40"] if restricted else []
    _openssl(tmp_path, "genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048",
             *options, "-out", "key.pem")
    pem = (tmp_path / "key.pem").read_bytes()
    signer = signers.load_private_key(pem)
    _openssl(tmp_path, "pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der")
    assert signer.public_key.to_der() == (tmp_path / "pub.der").read_bytes()
    pss = signer.signature_algorithm.pss
    assert pss is not None
    assert (pss.hash, pss.salt_length) == (("sha384", 48) if restricted else ("sha256", 32))
    req = csrlib.create("CN=pss.example", san=["DNS:pss.example"], signer=signer)
    req.verify()
    (tmp_path / "req.pem").write_text(req.to_pem())
    shown = subprocess.run([OPENSSL or "openssl", "req", "-in", "req.pem", "-verify", "-noout",
                            "-text"], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "verify OK" in shown.stdout + shown.stderr
    assert "Public Key Algorithm: rsassaPss" in shown.stdout
    with pytest.raises(BuildError, match="RSASSA-PSS only"):
        signers.load_private_key(pem, pss=False)
    if restricted:
        with pytest.raises(BuildError, match="sha384 only"):
            signers.load_private_key(pem, hash="sha256")
        with pytest.raises(BuildError, match="at least 40"):
            signers.load_private_key(pem, salt_length=32)
    again = read_private_key(signer.private_key_pem())
    assert again == read_private_key(pem) and again.pss_only
    (tmp_path / "again.pem").write_text(signer.private_key_pem())
    _openssl(tmp_path, "pkey", "-in", "again.pem", "-pubout", "-outform", "DER",
             "-out", "again.der")
    assert (tmp_path / "again.der").read_bytes() == (tmp_path / "pub.der").read_bytes()


def test_pss_parameters_only_on_pss_only_keys() -> None:
    key = read_private_key(pkcs8_der(_rsa_numbers(1024, 1024)))
    with pytest.raises(InvalidKey, match="not pss_only"):
        pkcs8_der(RsaPrivateNumbers(key.n, key.e, key.d, key.p, key.q, False, b"\x30\x00"))


def _pss_pkcs8(numbers: RsaPrivateNumbers, params: bytes | None) -> bytes:
    """Return a PKCS#8 id-RSASSA-PSS key with these parameters, written by hand."""
    from csrlib.signers.keycheck import crt

    inner = tlv(0x30, b"".join(tlv(0x02, encode_integer(v)) for v in (
        0, numbers.n, numbers.e, numbers.d, numbers.p, numbers.q, *crt(numbers))))
    algorithm = tlv(0x30, oid("1.2.840.113549.1.1.10") + (params or b""))
    return tlv(0x30, b"\x02\x01\x00" + algorithm + tlv(0x04, inner))


def _pss_params(hash_oid: str, salt: int, *, mgf_hash: str | None = None,
                mgf: str = "1.2.840.113549.1.1.8", trailer: int | None = None) -> bytes:
    def alg(o: str) -> bytes:
        return tlv(0x30, oid(o) + b"\x05\x00")

    # DER leaves out what equals the DEFAULT (SHA-1, MGF1 with SHA-1, salt 20).
    mgf_hash = mgf_hash or hash_oid
    body = tlv(0xA0, alg(hash_oid)) if hash_oid != SHA1_OID else b""
    if (mgf, mgf_hash) != ("1.2.840.113549.1.1.8", SHA1_OID):
        body += tlv(0xA1, tlv(0x30, oid(mgf) + alg(mgf_hash)))
    if salt != 20:
        body += tlv(0xA2, tlv(0x02, encode_integer(salt)))
    if trailer is not None:
        body += tlv(0xA3, tlv(0x02, encode_integer(trailer)))
    return tlv(0x30, body)


SHA256_OID, SHA512_OID, SHA1_OID = ("2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.3",
                                    "1.3.14.3.2.26")


def test_rsassa_pss_key_parameters_that_cannot_be_used() -> None:
    # Found by review: each must be InvalidKey (BuildError only for options the
    # caller passes against the key), with a message naming the problem, never
    # a DecodeError at an offset the file does not have, nor a ValueError from
    # hashlib.
    from csrlib import signers
    from csrlib.errors import BuildError

    numbers = _rsa_numbers(1024, 1024)
    for params, kind in (
        (_pss_params(SHA256_OID, 32, trailer=2), "trailerField"),
        (_pss_params(SHA256_OID, 32, mgf="1.2.3.4"), "maskGenAlgorithm"),
        (_pss_params(SHA256_OID, -1), "saltLength"),
        (tlv(0x30, tlv(0xA1, tlv(0x30, oid("1.2.840.113549.1.1.8")))), "maskGenAlgorithm"),
    ):
        with pytest.raises(InvalidKey, match=f"RSASSA-PSS parameters are not valid.*{kind}"):
            read_private_key(_pss_pkcs8(numbers, params))
        with pytest.raises(InvalidKey, match="RSASSA-PSS parameters are not valid"):
            pkcs8_der(dataclasses.replace(numbers, pss_only=True, pss_parameters=params))
    for params, message in (
        (_pss_params("1.2.3.4", 32), "requires 1.2.3.4 with MGF1 over 1.2.3.4"),
        (_pss_params(SHA256_OID, 32, mgf_hash=SHA1_OID), "requires sha256 with MGF1 over sha1"),
    ):
        der = _pss_pkcs8(numbers, params)
        assert read_private_key(der).pss_only
        # The key file alone is unusable: InvalidKey, as for any key csrlib cannot use.
        with pytest.raises(InvalidKey, match=message):
            signers.load_private_key(der)
    # A minimum salt longer than fits the key with its hash (RFC 8017 9.1.1 step 3).
    with pytest.raises(InvalidKey, match="salt of at least 200 octets"):
        signers.load_private_key(_pss_pkcs8(numbers, _pss_params(SHA512_OID, 200)))
    # Asking against the key's parameters is the caller's mistake: BuildError.
    der = _pss_pkcs8(numbers, _pss_params(SHA256_OID, 32))
    with pytest.raises(BuildError, match="sha256 only"):
        signers.load_private_key(der, hash="sha512")
    with pytest.raises(InvalidKey, match="not pss_only"):
        signers.signer_for(dataclasses.replace(numbers, pss_parameters=_pss_params(SHA256_OID, 32)))


def test_rsassa_pss_key_defaults_fit_the_key() -> None:
    from csrlib import signers

    # A 1024-bit key restricted to SHA-512 and a salt of at least 40: the
    # hash length (64) does not fit, the longest salt that does (62) is used.
    small = _rsa_numbers(512, 512)
    while small.n.bit_length() != 1024:
        small = _rsa_numbers(512, 512)
    signer = signers.load_private_key(_pss_pkcs8(small, _pss_params(SHA512_OID, 40)))
    pss = signer.signature_algorithm.pss
    assert pss is not None and (pss.hash, pss.salt_length) == ("sha512", 62)
    # None means "the default" for every option, as for other keys.
    signer = signers.load_private_key(_pss_pkcs8(small, _pss_params(SHA256_OID, 24)),
                                      hash=None, salt_length=None, pss=None)
    pss = signer.signature_algorithm.pss
    assert pss is not None and (pss.hash, pss.salt_length) == ("sha256", 32)
    import csrlib

    csrlib.create("CN=x", signer=signer).verify(policy=csrlib.Policy.legacy())
