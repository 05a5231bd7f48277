"""Keys csrlib reads but does not verify: EC keys on other curves, explicit
EC parameters, DSA.  They load with their true type, curve and size, and
``verify()``, ``csrlib show`` and ``show --json`` say the signature was not
checked rather than that it is invalid.

The requests are made by the ``openssl`` command line in a temporary
directory; sizes and points are compared with cryptography where it reads
the key, and with ``openssl req -text`` otherwise.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import dsa, ec
from pyasn1.codec.der import decoder
from pyasn1_modules import rfc3279

import csrlib
from csrlib import DecodeError, Policy, PublicKey, UnsupportedAlgorithm
from csrlib.cli import main
from csrlib.model.curves import (
    CURVES,
    UNVERIFIED_CURVES,
    Curve,
    curve_bits,
    decode_point,
    named_curve,
)
from csrlib.model.keys import DsaPublicKey  # also csrlib.DsaPublicKey once exported
from csrlib.oids import CURVE_NAMES
from tests.helpers import oid, tlv

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.skipif(OPENSSL is None, reason="the openssl command line is absent")

EC_OID = "06072a8648ce3d0201"  # id-ecPublicKey
DSA_OID = "06072a8648ce380401"  # id-dsa
_OPENSSL_NAMES = {"secp256r1": "prime256v1", "secp192r1": "prime192v1"}


def _openssl(cwd: Path, *args: str) -> bytes:
    assert OPENSSL is not None
    return subprocess.run([OPENSSL, *args], cwd=cwd, check=True, capture_output=True).stdout


def _openssl_bits(cwd: Path, name: str) -> int:
    """Return the key size ``openssl req -text`` prints for the request ``name``.der."""
    text = _openssl(cwd, "req", "-inform", "DER", "-in", f"{name}.der", "-noout", "-text")
    found = re.search(rb"Public-Key: \((\d+) bit\)", text)
    assert found is not None, text
    return int(found.group(1))


@dataclass(frozen=True)
class Made:
    der: bytes
    openssl_bits: int
    path: Path


_EC_CASES = {
    # name in csrlib: (openssl curve name, compressed point)
    "brainpoolP256r1": ("brainpoolP256r1", False),
    "brainpoolP384r1": ("brainpoolP384r1", False),
    "brainpoolP512r1": ("brainpoolP512r1", False),
    "secp192r1": ("prime192v1", False),
    "secp224r1": ("secp224r1", False),
    "secp224r1-compressed": ("secp224r1", True),
    "brainpoolP256r1-compressed": ("brainpoolP256r1", True),
    # curves csrlib knows by name only
    "brainpoolP256t1": ("brainpoolP256t1", False),
    "secp160r1": ("secp160r1", False),
    "sect233k1": ("sect233k1", False),
}
# request name: (openssl curve name); the same key with named and with explicit parameters
_EXPLICIT_CASES = {
    "explicit-brainpoolP384r1": "brainpoolP384r1",
    "explicit-secp256r1": "prime256v1",
    "explicit-secp224r1-compressed": "secp224r1",
    "explicit-sect233k1": "sect233k1",
}
_DSA_SIZES = (2048, 3072)
_VERIFIED_OUTSIDE_DEFAULT = ("brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1",
                             "secp224r1")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Made]:
    """Requests made by openssl with keys csrlib does not verify, by case name."""
    if OPENSSL is None:
        pytest.skip("the openssl command line is absent")
    out = tmp_path_factory.mktemp("unsupported")
    result: dict[str, Made] = {}

    def request(name: str, key: str) -> None:
        _openssl(out, "req", "-new", "-key", key, "-subj", f"/CN={name}", "-sha256",
                 "-outform", "DER", "-out", f"{name}.der")
        result[name] = Made((out / f"{name}.der").read_bytes(), _openssl_bits(out, name),
                            out / f"{name}.der")

    for name, (curve, compressed) in _EC_CASES.items():
        _openssl(out, "ecparam", "-name", curve, "-genkey", "-noout", "-out", f"{name}.key")
        if compressed:
            _openssl(out, "ec", "-in", f"{name}.key", "-conv_form", "compressed",
                     "-out", f"{name}.key")
        request(name, f"{name}.key")
    for name, curve in _EXPLICIT_CASES.items():
        _openssl(out, "ecparam", "-name", curve, "-genkey", "-noout", "-out", f"{name}.key")
        request(f"{name}-named", f"{name}.key")
        args = ["ec", "-in", f"{name}.key", "-param_enc", "explicit", "-out", f"{name}.key"]
        if name.endswith("-compressed"):
            args += ["-conv_form", "compressed"]
        _openssl(out, *args)
        request(name, f"{name}.key")
    for bits in _DSA_SIZES:
        name = f"dsa{bits}"
        _openssl(out, "genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt",
                 f"dsa_paramgen_bits:{bits}", "-out", f"{name}.params")
        _openssl(out, "genpkey", "-paramfile", f"{name}.params", "-out", f"{name}.key")
        request(name, f"{name}.key")
    return result


def _show(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["show", *args]) == 0
    return capsys.readouterr().out


def _assert_not_checked(req: csrlib.CertificateRequest, path: Path, words: str,
                        capsys: pytest.CaptureFixture[str], *options: str) -> None:
    with pytest.raises(UnsupportedAlgorithm, match=re.escape(words)):
        req.verify()
    # the policy's curve list does not turn "cannot check" into a refusal
    with pytest.raises(UnsupportedAlgorithm):
        req.verify(policy=Policy.legacy())
    text = _show(capsys, *options, str(path))
    assert "  Signature: not checked (UnsupportedAlgorithm: " in text, text
    assert words in text and "NOT VALID" not in text
    data = json.loads(_show(capsys, "--json", *options, str(path)))
    assert data["signature_valid"] is None
    assert data["verify_error"].startswith("UnsupportedAlgorithm: ") and words in \
        data["verify_error"]
    assert data["public_key"]["type"] == req.public_key.key_type
    assert data["public_key"]["size"] == req.public_key.key_size
    assert data["public_key"]["curve"] == req.public_key.curve


@pytest.mark.parametrize("name", list(_EC_CASES))
def test_ec_keys_on_other_curves(name: str, made: dict[str, Made],
                                 capsys: pytest.CaptureFixture[str]) -> None:
    case = made[name]
    req = csrlib.load(case.der)
    key = req.public_key
    curve = name.removesuffix("-compressed")
    assert isinstance(key, csrlib.EcPublicKey)
    assert (key.key_type, key.curve, key.key_size) == ("ec", curve, case.openssl_bits)
    assert key.encoded_point[0] in ((2, 3) if name.endswith("-compressed") else (4,))
    try:
        theirs = x509.load_der_x509_csr(case.der).public_key()
    except Exception:  # a curve cryptography does not support
        theirs = None
    if theirs is not None:
        assert isinstance(theirs, ec.EllipticCurvePublicKey)
        assert (key.curve, key.key_size) == (theirs.curve.name, theirs.curve.key_size)
        numbers = theirs.public_numbers()
        assert (key.x, key.y) == (numbers.x, numbers.y)
    else:
        assert curve in ("brainpoolP256t1", "secp160r1", "sect233k1")
    assert PublicKey.from_der(key.to_der()) == key
    if curve in _VERIFIED_OUTSIDE_DEFAULT:
        # Verified since issue 16, but not under the default Policy.
        with pytest.raises(csrlib.PolicyError, match=f"curve {curve}"):
            req.verify()
        req.verify(policy=csrlib.Policy().with_changes(curves=csrlib.Policy().curves | {curve}))
        return
    _assert_not_checked(req, case.path, f"ECDSA on {curve} is not supported", capsys)


@pytest.mark.parametrize("name", list(_EXPLICIT_CASES))
def test_explicit_parameters(name: str, made: dict[str, Made],
                             capsys: pytest.CaptureFixture[str]) -> None:
    case, named = made[name], made[f"{name}-named"]
    # RFC 5480 2.1.1: specifiedCurve MUST NOT be used; strict mode refuses it, as before.
    with pytest.raises(DecodeError) as info:
        csrlib.load(case.der)
    assert info.value.kind == "bad-parameters"
    assert info.value.path == "certificationRequestInfo.subjectPKInfo.algorithm"
    req = csrlib.load(case.der, strict=False)
    assert [d.kind for d in req.deviations] == ["bad-parameters"]
    key, named_key = req.public_key, csrlib.load(named.der).public_key
    assert isinstance(key, csrlib.EcPublicKey) and isinstance(named_key, csrlib.EcPublicKey)
    assert (key.key_type, key.curve, key.key_size) == ("ec", "explicit", case.openssl_bits)
    assert key.key_size == named_key.key_size == named.openssl_bits
    assert key.encoded_point[0] in ((2, 3) if name.endswith("-compressed") else (4,))
    # the point is the same as with the named curve (decompressed over the explicit field)
    assert (key.x, key.y) == (named_key.x, named_key.y)
    assert key.point() == named_key.point()
    _assert_not_checked(req, case.path, "ECDSA on explicit curve parameters is not supported",
                        capsys, "--lenient")
    text = _show(capsys, "--lenient", str(case.path))
    assert "Public Key Algorithm: id-ecPublicKey" in text
    assert "                explicit curve parameters\n" in text


@pytest.mark.filterwarnings("ignore:DSA is deprecated")
@pytest.mark.parametrize("bits", _DSA_SIZES)
def test_dsa_keys(bits: int, made: dict[str, Made], capsys: pytest.CaptureFixture[str]) -> None:
    case = made[f"dsa{bits}"]
    req = csrlib.load(case.der)
    key = req.public_key
    theirs = x509.load_der_x509_csr(case.der).public_key()
    assert isinstance(theirs, dsa.DSAPublicKey)
    assert isinstance(key, DsaPublicKey)
    assert (key.key_type, key.key_size, key.curve) == ("dsa", bits, None)
    assert key.key_size == theirs.key_size == case.openssl_bits
    numbers = theirs.public_numbers()
    params = numbers.parameter_numbers
    assert (key.p, key.q, key.g, key.y) == (params.p, params.q, params.g, numbers.y)
    assert req.signature_algorithm.name == "dsa-with-SHA256"
    _assert_not_checked(req, case.path, "DSA signatures are not supported", capsys)
    text = _show(capsys, str(case.path))
    assert "Public Key Algorithm: dsaEncryption" in text and f"Public-Key: ({bits} bit)" in text
    assert all(f"{part}:" in text for part in ("pub", "P", "Q", "G"))


# -- hand-built keys -----------------------------------------------------------


def _spki(algorithm: bytes, key: bytes) -> bytes:
    return tlv(0x30, tlv(0x30, algorithm) + tlv(0x03, b"\x00" + key))


EC = bytes.fromhex(EC_OID)
POINT = b"\x04" + bytes(range(1, 33)) + bytes(range(33, 65))


def test_unknown_named_curve() -> None:
    key = PublicKey.from_der(_spki(EC + oid("1.3.6.1.4.1.99999.1"), POINT))
    assert isinstance(key, csrlib.EcPublicKey)
    # named by its OID; its size is unknown (0), not guessed from the point
    assert (key.key_type, key.curve, key.key_size) == ("ec", "1.3.6.1.4.1.99999.1", 0)
    assert (key.x, key.y) == (int.from_bytes(POINT[1:33], "big"),
                              int.from_bytes(POINT[33:], "big"))
    assert key.point() == key.encoded_point == POINT
    alg = csrlib.SignatureAlgorithm.from_der(tlv(0x30, oid("1.2.840.10045.4.3.2")))
    with pytest.raises(UnsupportedAlgorithm, match=r"ECDSA on curve 1\.3\.6\.1\.4\.1\.99999\.1 "):
        csrlib.verify_signature(key, alg, b"\x30\x06\x02\x01\x01\x02\x01\x01", b"m")
    # a compressed point cannot be expanded without the curve: kept as received
    compressed = PublicKey.from_der(_spki(EC + oid("1.3.6.1.4.1.99999.1"), b"\x02" + POINT[1:33]))
    assert isinstance(compressed, csrlib.UnknownPublicKey)
    with pytest.raises(UnsupportedAlgorithm, match="compressed point"):
        csrlib.verify_signature(compressed, alg, b"\x30\x06\x02\x01\x01\x02\x01\x01", b"m")


@pytest.mark.parametrize(("name", "spki"), [
    ("point-infinity", _spki(EC + oid("1.3.6.1.4.1.99999.1"), b"\x00")),
    ("point-even-length", _spki(EC + oid("1.3.6.1.4.1.99999.1"), POINT[:-1])),
    ("point-hybrid", _spki(EC + oid("1.3.6.1.4.1.99999.1"), b"\x06" + POINT[1:])),
    # x = 1 is not on P-224: x^3 - 3x + b is not a square modulo p
    ("p224-x-not-on-curve", _spki(EC + oid("1.3.132.0.33"), b"\x02" + bytes(27) + b"\x01")),
    ("params-integer", _spki(EC + tlv(0x02, b"\x01"), POINT)),
    ("dsa-y-too-large", _spki(bytes.fromhex(DSA_OID) + tlv(0x30, bytes.fromhex(
        "020117" "02010b" "020102")), tlv(0x02, b"\x17"))),
    ("dsa-g-out-of-range", _spki(bytes.fromhex(DSA_OID) + tlv(0x30, bytes.fromhex(
        "020117" "02010b" "020117")), tlv(0x02, b"\x05"))),
    ("dsa-y-not-integer", _spki(bytes.fromhex(DSA_OID), tlv(0x04, b"\x05"))),
])
def test_invalid_keys_are_refused(name: str, spki: bytes) -> None:
    for strict in (True, False):
        with pytest.raises(DecodeError) as info:
            PublicKey.from_der(spki, strict=strict)
        assert info.value.kind in ("bad-key", "bad-parameters", "unexpected-tag"), name


def test_an_uncompressed_point_off_its_curve_loads_only_leniently() -> None:
    # Kept, as a bad-key deviation, for csrlib.lint (key.ec.point); never verified.
    spki = _spki(EC + oid("1.3.36.3.3.2.8.1.1.7"), POINT)
    with pytest.raises(DecodeError, match="not on the curve"):
        PublicKey.from_der(spki)
    key = PublicKey.from_der(spki, strict=False)
    assert isinstance(key, csrlib.EcPublicKey) and key.curve == "brainpoolP256r1"
    from csrlib.lint.keys import point_problem

    assert point_problem(key) == "the point is not on the curve"


def test_implicit_curve_parameters() -> None:
    for params in (b"", b"\x05\x00"):
        spki = _spki(EC + params, POINT)
        with pytest.raises(DecodeError) as info:
            PublicKey.from_der(spki)
        assert info.value.kind == "bad-parameters"
        key = PublicKey.from_der(spki, strict=False)
        assert isinstance(key, csrlib.EcPublicKey)
        assert (key.curve, key.key_size) == ("implicit", 0)
        alg = csrlib.SignatureAlgorithm.from_der(tlv(0x30, oid("1.2.840.10045.4.3.2")))
        with pytest.raises(UnsupportedAlgorithm, match="inherited curve parameters"):
            csrlib.verify_signature(key, alg, b"\x30\x06\x02\x01\x01\x02\x01\x01", b"m")


def test_dsa_without_parameters() -> None:
    spki = _spki(bytes.fromhex(DSA_OID), tlv(0x02, b"\x05"))
    key = PublicKey.from_der(spki)
    assert isinstance(key, DsaPublicKey)
    # RFC 3279 2.3.2: the parameters are inherited; the size is unknown
    assert (key.key_type, key.key_size, key.p, key.q, key.g, key.y) == (
        "dsa", 0, None, None, None, 5)
    null = _spki(bytes.fromhex(DSA_OID) + b"\x05\x00", tlv(0x02, b"\x05"))
    with pytest.raises(DecodeError) as info:
        PublicKey.from_der(null)
    assert info.value.kind == "bad-parameters"
    lenient = PublicKey.from_der(null, strict=False)
    assert isinstance(lenient, DsaPublicKey) and lenient.p is None
    alg = csrlib.SignatureAlgorithm.from_der(tlv(0x30, oid("2.16.840.1.101.3.4.3.2")))
    with pytest.raises(UnsupportedAlgorithm, match="DSA signatures are not supported"):
        csrlib.verify_signature(key, alg, b"\x30\x06\x02\x01\x01\x02\x01\x01", b"m")


def _explicit(p: int, a: int, b: int, base: bytes, n: int, version: int = 1) -> bytes:
    def integer(v: int) -> bytes:
        return tlv(0x02, v.to_bytes(v.bit_length() // 8 + 1, "big"))

    size = (p.bit_length() + 7) // 8
    return tlv(0x30, integer(version) + tlv(0x30, oid("1.2.840.10045.1.1") + integer(p))
               + tlv(0x30, tlv(0x04, a.to_bytes(size, "big")) + tlv(0x04, b.to_bytes(size, "big")))
               + tlv(0x04, base) + integer(n) + integer(1))


P256 = CURVES["1.2.840.10045.3.1.7"]
G256 = b"\x04" + P256.gx.to_bytes(32, "big") + P256.gy.to_bytes(32, "big")


@pytest.mark.parametrize(("name", "params"), [
    ("version-4", _explicit(P256.p, P256.a % P256.p, P256.b, G256, P256.n, version=4)),
    ("base-off-curve", _explicit(P256.p, P256.a % P256.p, P256.b + 1, G256, P256.n)),
    ("even-field", _explicit(P256.p + 1, P256.a % P256.p, P256.b, G256, P256.n)),
    ("huge-field", _explicit(2 ** 1100 + 1, 1, 1, b"\x04" + bytes(276), P256.n)),
    ("coefficient-too-large", _explicit(P256.p, P256.p + 1, P256.b, G256, P256.n)),
    ("order-zero", _explicit(P256.p, P256.a % P256.p, P256.b, G256, 0)),
    ("not-ecparameters", tlv(0x30, b"\x02\x01\x01")),
])
def test_invalid_explicit_parameters(name: str, params: bytes) -> None:
    spki = _spki(EC + params, G256)
    with pytest.raises(DecodeError) as info:
        PublicKey.from_der(spki, strict=False)
    assert info.value.path.startswith("algorithm.parameters"), (name, info.value)
    good = PublicKey.from_der(_spki(EC + _explicit(P256.p, P256.a % P256.p, P256.b, G256,
                                                   P256.n), G256), strict=False)
    assert isinstance(good, csrlib.EcPublicKey)
    assert (good.curve, good.key_size, good.x, good.y) == ("explicit", 256, P256.gx, P256.gy)


# -- the curve tables against openssl and against arithmetic ------------------


def _on_curve_times(curve: Curve, k: int) -> tuple[int, int] | None:
    """Return k * G in affine coordinates (None for the point at infinity)."""
    p = curve.p

    def add(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
        if a is None:
            return b
        if b is None:
            return a
        if a[0] == b[0] and (a[1] + b[1]) % p == 0:
            return None
        if a == b:
            slope = (3 * a[0] * a[0] + curve.a) * pow(2 * a[1], -1, p) % p
        else:
            slope = (b[1] - a[1]) * pow(b[0] - a[0], -1, p) % p
        x = (slope * slope - a[0] - b[0]) % p
        return x, (slope * (a[0] - x) - a[1]) % p

    result, addend = None, (curve.gx, curve.gy)
    while k:
        if k & 1:
            result = add(result, addend)
        addend = add(addend, addend)
        k >>= 1
    return result


@pytest.mark.parametrize("curve", [*CURVES.values(), *UNVERIFIED_CURVES.values()],
                         ids=lambda c: c.name)
def test_curve_parameters(curve: Curve, tmp_path: Path) -> None:
    g = b"\x04" + curve.gx.to_bytes(curve.size, "big") + curve.gy.to_bytes(curve.size, "big")
    assert decode_point(curve, g) == (curve.gx, curve.gy)
    assert _on_curve_times(curve, curve.n) is None and _on_curve_times(curve, curve.n - 1) \
        == (curve.gx, curve.p - curve.gy)
    assert (curve.bits, named_curve(curve.oid)) == (curve.n.bit_length(),
                                                    (curve.name, curve.bits, curve))
    if OPENSSL is None:
        return
    der = _openssl(tmp_path, "ecparam", "-name", _OPENSSL_NAMES.get(curve.name, curve.name),
                   "-param_enc", "explicit", "-outform", "DER")
    theirs, _ = decoder.decode(der, asn1Spec=rfc3279.ECParameters())
    prime, _ = decoder.decode(bytes(theirs["fieldID"]["parameters"]))
    assert (curve.p, curve.a % curve.p, curve.b, curve.n) == (
        int(prime), int.from_bytes(bytes(theirs["curve"]["a"]), "big"),
        int.from_bytes(bytes(theirs["curve"]["b"]), "big"), int(theirs["order"]))
    assert decode_point(curve, bytes(theirs["base"])) == (curve.gx, curve.gy)


@needs_openssl
def test_curve_names_and_sizes(tmp_path: Path) -> None:
    for dotted, name in CURVE_NAMES.items():
        openssl_name = _OPENSSL_NAMES.get(name, name)
        named = _openssl(tmp_path, "ecparam", "-name", openssl_name, "-outform", "DER")
        assert str(decoder.decode(named)[0]) == dotted, name
        der = _openssl(tmp_path, "ecparam", "-name", openssl_name, "-param_enc", "explicit",
                       "-outform", "DER")
        order = int(decoder.decode(der, asn1Spec=rfc3279.ECParameters())[0]["order"])
        assert named_curve(dotted)[:2] == (name, order.bit_length()) == (name, curve_bits(name))


def test_p224_compressed_points_against_cryptography() -> None:
    from cryptography.hazmat.primitives import serialization

    curve = CURVES["1.3.132.0.33"]
    for _ in range(20):
        theirs = ec.generate_private_key(ec.SECP224R1()).public_key()
        point = theirs.public_bytes(serialization.Encoding.X962,
                                    serialization.PublicFormat.CompressedPoint)
        numbers = theirs.public_numbers()
        assert decode_point(curve, point) == (numbers.x, numbers.y)
