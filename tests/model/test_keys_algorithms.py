"""Public keys from SubjectPublicKeyInfo, and signature algorithms from AlgorithmIdentifier."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

import csrlib
from csrlib import DecodeError, PublicKey, SignatureAlgorithm
from csrlib.model.curves import CURVES_BY_NAME, decode_point
from tests.helpers import oid, tlv

_SPKI = serialization.PublicFormat.SubjectPublicKeyInfo
_DER = serialization.Encoding.DER


def _spki(algorithm: bytes, key: bytes, unused: int = 0) -> bytes:
    return tlv(0x30, tlv(0x30, algorithm) + tlv(0x03, bytes((unused,)) + key))


@pytest.mark.parametrize("curve", [ec.SECP256R1(), ec.SECP384R1(), ec.SECP521R1(),
                                   ec.SECP256K1()], ids=lambda c: c.name)
def test_ec_keys_uncompressed_and_compressed(curve: ec.EllipticCurve) -> None:
    key = ec.generate_private_key(curve).public_key()
    der = key.public_bytes(_DER, _SPKI)
    ours = PublicKey.from_der(der)
    assert isinstance(ours, csrlib.EcPublicKey)
    numbers = key.public_numbers()
    assert (ours.curve, ours.x, ours.y, ours.key_size) == (curve.name, numbers.x, numbers.y,
                                                            curve.key_size)
    point = key.public_bytes(serialization.Encoding.X962,
                             serialization.PublicFormat.CompressedPoint)
    algorithm = der[4: 4 + der[3]] if der[1] < 0x80 else None
    compressed = PublicKey.from_der(_spki(algorithm or _ec_alg(curve), point))
    assert isinstance(compressed, csrlib.EcPublicKey)
    assert (compressed.x, compressed.y) == (numbers.x, numbers.y)
    assert compressed.point(compressed=True) == point


def _ec_alg(curve: ec.EllipticCurve) -> bytes:
    return oid("1.2.840.10045.2.1") + oid(CURVES_BY_NAME[curve.name].oid)


def test_rsa_and_edwards_keys() -> None:
    rsa_key = rsa.generate_private_key(65537, 2048).public_key()
    ours = PublicKey.from_der(rsa_key.public_bytes(_DER, _SPKI))
    assert isinstance(ours, csrlib.RsaPublicKey)
    assert (ours.n, ours.e, ours.key_size) == (rsa_key.public_numbers().n, 65537, 2048)
    for cls, theirs in ((csrlib.Ed25519PublicKey, ed25519.Ed25519PrivateKey.generate()),
                        (csrlib.Ed448PublicKey, ed448.Ed448PrivateKey.generate())):
        der = theirs.public_key().public_bytes(_DER, _SPKI)
        key = PublicKey.from_der(der)
        assert isinstance(key, cls) and key.to_der() == der
        assert key.public_bytes == theirs.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_unknown_algorithms_and_curves_are_kept() -> None:
    key = PublicKey.from_der(_spki(oid("1.2.3.4") + b"\x05\x00", b"\x01\x02"))
    assert isinstance(key, csrlib.UnknownPublicKey)
    assert (key.key_type, key.algorithm, key.parameters, key.bits) == (
        "unknown", "1.2.3.4", b"\x05\x00", b"\x01\x02")
    # An EC key on a curve csrlib does not know keeps its point (unchecked), named by OID;
    # brainpoolP256r1's parameters are known, so its points are checked (test_unsupported_keys).
    other = PublicKey.from_der(_spki(oid("1.2.840.10045.2.1") + oid("1.3.6.1.4.1.99999.7"),
                                     b"\x04" + b"\x01" * 64))
    assert isinstance(other, csrlib.EcPublicKey)
    assert (other.curve, other.key_size, other.x) == ("1.3.6.1.4.1.99999.7", 0,
                                                      int.from_bytes(b"\x01" * 32, "big"))
    with pytest.raises(DecodeError):
        PublicKey.from_der(_spki(oid("1.2.840.10045.2.1") + oid("1.3.36.3.3.2.8.1.1.7"),
                                 b"\x04" + b"\x01" * 64))


P256 = oid("1.2.840.10045.2.1") + oid("1.2.840.10045.3.1.7")
G = bytes.fromhex("046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
                  "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")


@pytest.mark.parametrize(("name", "spki", "kind"), [
    ("point-off-curve", _spki(P256, G[:-1] + b"\x00"), "bad-key"),
    ("point-infinity", _spki(P256, b"\x00"), "bad-key"),
    ("point-hybrid", _spki(P256, b"\x06" + G[1:]), "bad-key"),
    ("point-short", _spki(P256, G[:33]), "bad-key"),
    ("x-not-on-curve", _spki(P256, b"\x02" + b"\x00" * 31 + b"\x01"), "bad-key"),
    ("ec-explicit-params", _spki(oid("1.2.840.10045.2.1") + tlv(0x30, b"\x02\x01\x01"), G),
     "bad-parameters"),
    ("ec-no-params", _spki(oid("1.2.840.10045.2.1"), G), "bad-parameters"),
    ("rsa-params-absent", _spki(oid("1.2.840.113549.1.1.1"), tlv(0x30, tlv(0x02, b"\x03")
                                                                 + tlv(0x02, b"\x03"))),
     "bad-parameters"),
    ("rsa-modulus-below-3", _spki(oid("1.2.840.113549.1.1.1") + b"\x05\x00",
                                  tlv(0x30, tlv(0x02, b"\x02") + tlv(0x02, b"\x01"))), "bad-key"),
    ("rsa-exponent-zero", _spki(oid("1.2.840.113549.1.1.1") + b"\x05\x00",
                                tlv(0x30, tlv(0x02, b"\x05") + tlv(0x02, b"\x00"))), "bad-key"),
    ("rsa-negative-modulus", _spki(oid("1.2.840.113549.1.1.1") + b"\x05\x00",
                                   tlv(0x30, tlv(0x02, b"\x85") + tlv(0x02, b"\x03"))),
     "bad-key"),
    ("rsa-exponent-longer-than-modulus", _spki(
        oid("1.2.840.113549.1.1.1") + b"\x05\x00",
        tlv(0x30, tlv(0x02, b"\x7f" + b"\xff" * 20) + tlv(0x02, b"\x01" + b"\x00" * 21))),
     "bad-key"),
    ("rsa-too-large", _spki(oid("1.2.840.113549.1.1.1") + b"\x05\x00",
                            tlv(0x30, tlv(0x02, b"\x7f" + b"\xff" * 2100)
                                + tlv(0x02, b"\x03"))), "bad-key"),
    ("rsa-trailing", _spki(oid("1.2.840.113549.1.1.1") + b"\x05\x00",
                           tlv(0x30, tlv(0x02, b"\x05") + tlv(0x02, b"\x03")) + b"\x00"),
     "trailing-data"),
    ("ed25519-params", _spki(oid("1.3.101.112") + b"\x05\x00", b"\x00" * 32),
     "bad-parameters"),
    ("ed25519-length", _spki(oid("1.3.101.112"), b"\x00" * 31), "bad-key"),
    ("key-padding-bits", _spki(P256, G, unused=1), "bitstring-padding"),
    ("key-unused-bits", _spki(P256, G[:-1] + b"\xf4", unused=2), "bad-key"),
])
def test_invalid_keys(name: str, spki: bytes, kind: str) -> None:
    with pytest.raises(DecodeError) as info:
        PublicKey.from_der(spki)
    assert info.value.kind == kind, str(info.value)


def test_lenient_keys_become_unknown_or_are_kept() -> None:
    # Lenient mode reads explicit EC parameters (test_unsupported_keys), and refuses
    # malformed ones.
    explicit = _spki(oid("1.2.840.10045.2.1") + tlv(0x30, b"\x02\x01\x01"), G)
    with pytest.raises(DecodeError):
        PublicKey.from_der(explicit, strict=False)
    n = rsa.generate_private_key(65537, 2048).public_key().public_numbers().n
    rsa_absent = _spki(oid("1.2.840.113549.1.1.1"), tlv(0x30, tlv(
        0x02, n.to_bytes(257, "big")) + tlv(0x02, b"\x01\x00\x01")))
    key = PublicKey.from_der(rsa_absent, strict=False)
    assert isinstance(key, csrlib.RsaPublicKey) and (key.n, key.e) == (n, 65537)
    with pytest.raises(DecodeError):
        PublicKey.from_der(rsa_absent)


def test_decode_point_reasons() -> None:
    curve = CURVES_BY_NAME["P-256"]
    assert decode_point(curve, G) == (int.from_bytes(G[1:33], "big"),
                                      int.from_bytes(G[33:], "big"))
    assert decode_point(curve, b"") == "empty point"


ALGORITHMS = [
    ("1.2.840.113549.1.1.11", b"\x05\x00", "sha256WithRSAEncryption", "rsa", "sha256"),
    ("1.2.840.113549.1.1.11", b"", "sha256WithRSAEncryption", "rsa", "sha256"),
    ("1.2.840.113549.1.1.5", b"\x05\x00", "sha1WithRSAEncryption", "rsa", "sha1"),
    ("1.2.840.113549.1.1.4", b"\x05\x00", "md5WithRSAEncryption", "rsa", "md5"),
    ("1.2.840.113549.1.1.14", b"\x05\x00", "sha224WithRSAEncryption", "rsa", "sha224"),
    ("1.2.840.113549.1.1.12", b"\x05\x00", "sha384WithRSAEncryption", "rsa", "sha384"),
    ("1.2.840.113549.1.1.13", b"\x05\x00", "sha512WithRSAEncryption", "rsa", "sha512"),
    ("1.2.840.10045.4.1", b"", "ecdsa-with-SHA1", "ec", "sha1"),
    ("1.2.840.10045.4.3.1", b"", "ecdsa-with-SHA224", "ec", "sha224"),
    ("1.2.840.10045.4.3.2", b"", "ecdsa-with-SHA256", "ec", "sha256"),
    ("1.2.840.10045.4.3.3", b"", "ecdsa-with-SHA384", "ec", "sha384"),
    ("1.2.840.10045.4.3.4", b"", "ecdsa-with-SHA512", "ec", "sha512"),
    ("1.3.101.112", b"", "Ed25519", "ed25519", None),
    ("1.3.101.113", b"", "Ed448", "ed448", None),
    ("1.2.3.4.5", b"\x02\x01\x07", "1.2.3.4.5", None, None),
]


@pytest.mark.parametrize("row", ALGORITHMS, ids=lambda r: f"{r[2]}-{r[1].hex()}")
def test_signature_algorithm_table(row: tuple) -> None:
    dotted, params, name, key_type, hash_name = row
    der = tlv(0x30, oid(dotted) + params)
    alg = SignatureAlgorithm.from_der(der)
    assert (alg.oid, alg.name, alg.key_type, alg.hash) == (dotted, name, key_type, hash_name)
    assert alg.parameters == (params or None)
    assert alg.to_der() == der


def _pss(*fields: bytes) -> bytes:
    return tlv(0x30, oid("1.2.840.113549.1.1.10") + tlv(0x30, b"".join(fields)))


SHA256 = tlv(0x30, oid("2.16.840.1.101.3.4.2.1"))
SHA256_NULL = tlv(0x30, oid("2.16.840.1.101.3.4.2.1") + b"\x05\x00")
MGF1_SHA256 = tlv(0x30, oid("1.2.840.113549.1.1.8") + SHA256)


def test_pss_parameters() -> None:
    alg = SignatureAlgorithm.from_der(_pss(tlv(0xA0, SHA256), tlv(0xA1, MGF1_SHA256),
                                           tlv(0xA2, b"\x02\x01\x20")))
    assert alg.pss == csrlib.PssParameters("sha256", "sha256", 32)
    assert alg.hash == "sha256"
    defaults = SignatureAlgorithm.from_der(_pss())
    assert defaults.pss == csrlib.PssParameters("sha1", "sha1", 20)
    with_null = SignatureAlgorithm.from_der(_pss(tlv(0xA0, SHA256_NULL)))
    assert with_null.pss is not None and with_null.pss.mgf_hash == "sha1"


def test_pss_parameters_read_again_behave_as_the_first_time() -> None:
    # Parameters read without deviation are remembered by encoding, depth and
    # limits; what deviates is read (and reported) every time.
    from csrlib.asn1 import Limits

    der = _pss(tlv(0xA0, SHA256), tlv(0xA1, MGF1_SHA256), tlv(0xA2, b"\x02\x01\x20"))
    first, again = (SignatureAlgorithm.from_der(der) for _ in range(2))
    assert first == again and first.pss == csrlib.PssParameters("sha256", "sha256", 32)
    with pytest.raises(DecodeError, match="nesting"):
        SignatureAlgorithm.from_der(der, limits=Limits(max_depth=3))
    lenient = _pss(tlv(0xA2, b"\x02\x02\x00\x20"))  # a non-minimal INTEGER
    from tests.helpers import csr_der

    for _ in range(2):
        alg = SignatureAlgorithm.from_der(lenient, strict=False)
        assert alg.pss is not None and alg.pss.salt_length == 32
        req = csrlib.load_der(csr_der(signature_algorithm=lenient), strict=False)
        assert [d.kind for d in req.deviations] == ["nonminimal-integer"]
        with pytest.raises(DecodeError, match="non-minimal INTEGER"):
            SignatureAlgorithm.from_der(lenient)


@pytest.mark.parametrize(("name", "der", "kind", "path"), [
    ("pss-trailer-2", _pss(tlv(0xA3, b"\x02\x01\x02")), "bad-parameters",
     "parameters.trailerField"),
    ("pss-default-salt-encoded", _pss(tlv(0xA2, b"\x02\x01\x14")), "default-encoded",
     "parameters.saltLength"),
    ("pss-negative-salt", _pss(tlv(0xA2, b"\x02\x01\xff")), "bad-parameters",
     "parameters.saltLength"),
    ("pss-missing", tlv(0x30, oid("1.2.840.113549.1.1.10")), "bad-parameters", "parameters"),
    ("pss-mgf-not-mgf1", _pss(tlv(0xA1, tlv(0x30, oid("1.2.3") + SHA256))), "bad-parameters",
     "parameters.maskGenAlgorithm"),
    ("pss-mgf-hash-params", _pss(tlv(0xA1, tlv(0x30, oid("1.2.840.113549.1.1.8")
                                                + tlv(0x30, oid("2.16.840.1.101.3.4.2.1")
                                                      + b"\x02\x01\x00")))),
     "bad-parameters", "parameters.maskGenAlgorithm.parameters"),
    ("ecdsa-null", tlv(0x30, oid("1.2.840.10045.4.3.2") + b"\x05\x00"), "bad-parameters",
     "parameters"),
    ("ed25519-null", tlv(0x30, oid("1.3.101.112") + b"\x05\x00"), "bad-parameters",
     "parameters"),
    ("rsa-integer-params", tlv(0x30, oid("1.2.840.113549.1.1.11") + b"\x02\x01\x00"),
     "bad-parameters", "parameters"),
])
def test_invalid_algorithm_identifiers(name: str, der: bytes, kind: str, path: str) -> None:
    with pytest.raises(DecodeError) as info:
        SignatureAlgorithm.from_der(der)
    assert (info.value.kind, info.value.path) == (kind, path)


def test_pss_with_a_hash_csrlib_does_not_know() -> None:
    sha3 = tlv(0x30, oid("2.16.840.1.101.3.4.2.5"))
    alg = SignatureAlgorithm.from_der(_pss(tlv(0xA0, sha3)))
    assert alg.pss is not None and alg.pss.hash == "2.16.840.1.101.3.4.2.5"
    assert not alg.is_known
    assert alg.pss.to_der() == _pss(tlv(0xA0, tlv(0x30, oid("2.16.840.1.101.3.4.2.5")
                                                  + b"\x05\x00")))[13:]
    with pytest.raises(csrlib.BuildError):
        csrlib.PssParameters("no-such-hash", "sha256", 32).to_der()
    key = PublicKey.from_der(rsa.generate_private_key(65537, 2048).public_key().public_bytes(
        _DER, _SPKI))
    with pytest.raises(csrlib.UnsupportedAlgorithm):
        csrlib.verify_signature(key, alg, b"\x00" * 256, b"message")


def _int(value: int) -> bytes:
    body = value.to_bytes(value.bit_length() // 8 + 1, "big")
    return tlv(0x02, body)


def test_largest_rsa_key_with_largest_exponent_loads() -> None:
    # The exponent is bounded by the modulus size only (Policy bounds it for
    # verification): csrlib.lint must see the keys it judges.
    n = (1 << 16383) | (1 << 100) | 1
    for e, ok in ((2 ** 64 - 59, True), (2 ** 64 + 1, True), (2 ** 256 + 1, True),
                  ((1 << 16383) + 1, True), (1 << 16384, False)):
        spki = tlv(0x30, tlv(0x30, oid("1.2.840.113549.1.1.1") + b"\x05\x00")
                   + tlv(0x03, b"\x00" + tlv(0x30, _int(n) + _int(e))))
        if ok:
            key = PublicKey.from_der(spki)
            assert isinstance(key, csrlib.RsaPublicKey) and key.key_size == 16384
        else:
            with pytest.raises(DecodeError, match="exponent"):
                PublicKey.from_der(spki)


@pytest.mark.parametrize(("n", "e"), [
    (4, 3), ((1 << 2047) + 2, 65537), ((1 << 2047) + 1, 65536), ((1 << 2047) + 1, 1),
    (35, 37), ((1 << 2047) + 1, 2 ** 256 + 1),
], ids=["even-modulus", "even-2048", "even-exponent", "exponent-1", "exponent-over-n",
        "exponent-2**256+1"])
def test_weak_rsa_keys_load_for_the_linter_and_never_verify(n: int, e: int) -> None:
    spki = tlv(0x30, tlv(0x30, oid("1.2.840.113549.1.1.1") + b"\x05\x00")
               + tlv(0x03, b"\x00" + tlv(0x30, _int(n) + _int(e))))
    key = PublicKey.from_der(spki)
    assert isinstance(key, csrlib.RsaPublicKey) and (key.n, key.e) == (n, e)
    algorithm = csrlib.SignatureAlgorithm.from_der(
        tlv(0x30, oid("1.2.840.113549.1.1.11") + b"\x05\x00"))
    with pytest.raises((csrlib.InvalidSignature, csrlib.PolicyError)):
        csrlib.verify_signature(key, algorithm, b"\x01" * ((n.bit_length() + 7) // 8), b"m",
                                policy=csrlib.Policy.legacy().with_changes(min_rsa_bits=2))
    too_big = (1 << 16384) | 1
    spki = tlv(0x30, tlv(0x30, oid("1.2.840.113549.1.1.1") + b"\x05\x00")
               + tlv(0x03, b"\x00" + tlv(0x30, _int(too_big) + _int(65537))))
    with pytest.raises(DecodeError, match="larger than 16384"):
        PublicKey.from_der(spki)


def test_an_off_curve_point_loads_leniently_as_a_deviation_and_never_verifies() -> None:
    # Kept for csrlib.lint (key.ec.point, NIST SP 800-56A 5.6.2.3.3); strict mode refuses it.
    point = G[:-1] + bytes([G[-1] ^ 1])
    spki = _spki(P256, point)
    with pytest.raises(DecodeError, match="not on the curve"):
        PublicKey.from_der(spki)
    key = PublicKey.from_der(spki, strict=False)
    assert isinstance(key, csrlib.EcPublicKey)
    assert key.y == int.from_bytes(point[33:], "big")
    algorithm = SignatureAlgorithm.from_der(tlv(0x30, oid("1.2.840.10045.4.3.2")))
    with pytest.raises(csrlib.InvalidSignature, match="not a point"):
        csrlib.verify_signature(key, algorithm, bytes.fromhex("3006020101020101"), b"m")
