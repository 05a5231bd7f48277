"""Issue 13, keys: PEM/DER polyglots, composite "primes", key specs, hostile key files.

Work is bounded by counting, never by a clock: a tripwire on ``pow`` in
:mod:`csrlib.signers.primes` counts Miller-Rabin rounds (one modular
exponentiation each; the Lucas test uses none), and a stand-in for
``rsa.newkeys`` counts key generations.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import math
import secrets
import subprocess
import tempfile
import traceback
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from hypothesis import given
from hypothesis import strategies as st

from csrlib import cli, signers
from csrlib.der import encode_integer
from csrlib.errors import BuildError, CSRError, InvalidKey
from csrlib.model.curves import CURVES_BY_NAME
from csrlib.pem import encode_pem, pem_blocks
from csrlib.signers import (
    EcdsaSigner,
    EcPrivateNumbers,
    EdDsaSigner,
    EdPrivateSeed,
    RsaPrivateNumbers,
    RsaSigner,
    primes,
)
from csrlib.signers.key_writing import pkcs8_der
from csrlib.signers.keycheck import check_rsa
from csrlib.signers.keyfiles import read_private_key
from tests.conftest import OPENSSL
from tests.helpers import oid, tlv

_PLAIN = serialization.NoEncryption()
_DER, _PEM = serialization.Encoding.DER, serialization.Encoding.PEM
_PKCS8 = serialization.PrivateFormat.PKCS8
_TRADITIONAL = serialization.PrivateFormat.TraditionalOpenSSL
_ED25519, _ED448 = "1.3.101.112", "1.3.101.113"
_CURVES = {name: CURVES_BY_NAME[name] for name in ("secp256r1", "secp384r1", "secp521r1",
                                                  "secp256k1")}


@functools.cache
def _keys() -> dict[str, Any]:
    return {
        "rsa": rsa.generate_private_key(65537, 1024),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "ed25519": ed25519.Ed25519PrivateKey.generate(),
        "ed448": ed448.Ed448PrivateKey.generate(),
    }


def _pkcs8(name: str) -> bytes:
    return bytes(_keys()[name].private_bytes(_DER, _PKCS8, _PLAIN))


def _pem(name: str) -> bytes:
    return bytes(_keys()[name].private_bytes(_PEM, _PKCS8, _PLAIN))


def _int(v: int) -> bytes:
    return tlv(0x02, encode_integer(v))


def _outer_body(der: bytes) -> bytes:
    """Return the contents of the outermost element of ``der``."""
    first = der[1]
    return der[2 + (first & 0x7F if first & 0x80 else 0):]


def _with_attribute(pkcs8: bytes, value: bytes) -> bytes:
    """Return a PKCS#8 v1 key with an attribute [0] holding ``value`` as an OCTET STRING."""
    attribute = tlv(0x30, oid("1.2.3.4") + tlv(0x31, tlv(0x04, value)))
    return tlv(0x30, _outer_body(pkcs8) + tlv(0xA0, attribute))


@functools.cache
def _public(name: str) -> bytes:
    """Return the public key of the DER PKCS#8 key ``name``, as its signer gives it."""
    return bytes(signers.load_private_key(_pkcs8(name)).public_key.to_der())


def _is_key(signer: Any, name: str) -> bool:
    return bool(signer.public_key.to_der() == _public(name))


# -- 1. PEM/DER polyglots --------------------------------------------------------------


def test_der_key_carrying_pem_of_another_key_is_that_der_key() -> None:
    # A DER Ed25519 key whose attribute holds the PEM of a P-256 key: it was
    # read as the P-256 key, because the input contained "-----BEGIN".
    polyglot = _with_attribute(_pkcs8("ed25519"), _pem("p256"))
    assert b"-----BEGIN PRIVATE KEY-----" in polyglot
    signer = signers.load_private_key(polyglot)
    assert isinstance(signer, EdDsaSigner)
    assert _is_key(signer, "ed25519")
    # The same in an RSA and an EC key, carrying each other's PEM.
    for name, other in (("rsa", "p256"), ("p256", "rsa"), ("ed448", "ed25519")):
        read = signers.load_private_key(_with_attribute(_pkcs8(name), _pem(other)))
        assert _is_key(read, name)


def test_der_key_with_pem_in_its_public_key_field_is_refused_as_der() -> None:
    # PKCS#8 v2 (RFC 5958) with the PEM of another key as its publicKey: the
    # DER is judged, and its public key is the wrong size; the PEM is not read.
    seed = _keys()["ed25519"].private_bytes(serialization.Encoding.Raw,
                                            serialization.PrivateFormat.Raw, _PLAIN)
    polyglot = tlv(0x30, _int(1) + tlv(0x30, oid(_ED25519)) + tlv(0x04, tlv(0x04, seed))
                   + tlv(0x81, b"\x00" + _pem("p256")))
    with pytest.raises(InvalidKey, match="ed25519 public key is"):
        signers.load_private_key(polyglot)


@given(name=st.sampled_from(["rsa", "p256", "ed25519", "ed448"]),
       other=st.sampled_from(["rsa", "p256", "ed25519", "ed448"]),
       before=st.binary(max_size=40), after=st.binary(max_size=40))
def test_any_pem_inside_a_der_key_is_ignored(name: str, other: str, before: bytes,
                                             after: bytes) -> None:
    polyglot = _with_attribute(_pkcs8(name), before + _pem(other) + after)
    assert _is_key(signers.load_private_key(polyglot), name)


# Explanatory text (RFC 7468 5.2): any text without control characters; "-"
# left out so that it holds no marker line of its own.
_EXPLANATORY = st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="-"),
                       max_size=60)


def test_text_before_the_begin_line_is_still_pem() -> None:
    bag = (b"Bag Attributes\n    localKeyID: 01 02 03\n    friendlyName: server\r\n"
           b"Key Attributes: <No Attributes>\n")
    for name in ("rsa", "p256", "ed448"):
        signer = signers.load_private_key(bag + _pem(name) + b"trailing words\n")
        assert _is_key(signer, name)
    text = "Clé de test, générée pour l'exemple\n" + _pem("p256").decode()
    assert _is_key(signers.load_private_key(text), "p256")


@given(name=st.sampled_from(["rsa", "p256", "ed448"]), before=_EXPLANATORY,
       after=_EXPLANATORY, newline=st.sampled_from(["\n", "\r\n"]))
def test_any_explanatory_text_around_pem_is_pem(name: str, before: str, after: str,
                                                newline: str) -> None:
    # These keys' PEM is over 129 octets: text starting with "0" and a length
    # octet equal to the rest could only be taken for DER below that (a
    # short-form length), the one ambiguity of the shared rule.
    data = (before + newline).encode() + _pem(name) + after.encode()
    assert _is_key(signers.load_private_key(data), name)


# -- 2. primality and RSA key consistency ----------------------------------------------


def _sieve(limit: int) -> bytearray:
    flags = bytearray([1]) * limit
    flags[0:2] = b"\x00\x00"
    for i in range(2, math.isqrt(limit) + 1):
        if flags[i]:
            flags[i * i::i] = bytearray(len(flags[i * i::i]))
    return flags


# Strong pseudoprimes to base 2 (OEIS A001262), strong Lucas pseudoprimes
# with Selfridge's parameters (A217255), Carmichael numbers (A002997).
SPSP2 = [2047, 3277, 4033, 4681, 8321, 15841, 29341, 42799, 49141, 52633, 65281, 74665,
         80581, 85489, 88357, 90751, 1194649, 3215031751]
STRONG_LUCAS_PSP = [5459, 5777, 10877, 16109, 18971, 22499, 24569, 25199, 40309, 58519,
                    75077, 97439]
CARMICHAEL = [561, 1105, 1729, 2465, 2821, 6601, 8911, 10585, 15841, 29341, 41041, 62745]
MERSENNE_PRIMES = [2 ** k - 1 for k in (61, 89, 107, 127, 521, 607)]


def test_is_probable_prime_small_numbers_exactly() -> None:
    flags = _sieve(200_000)
    assert [w for w in range(-10, 200_000) if primes.is_probable_prime(w) != (
        w >= 0 and bool(flags[w]))] == []


def test_pseudoprimes_are_composite_and_primes_prime() -> None:
    for w in SPSP2:
        assert primes.miller_rabin(w, [2]), w  # what fooled the base-2-only test
        assert not primes.is_probable_prime(w), w
    for w in STRONG_LUCAS_PSP:
        assert primes.strong_lucas(w), w  # the Lucas test alone is fooled...
        assert not primes.is_probable_prime(w), w  # ...but not with Miller-Rabin
    for w in CARMICHAEL:
        assert not primes.is_probable_prime(w), w
    for w in MERSENNE_PRIMES:
        assert primes.is_probable_prime(w) and primes.strong_lucas(w)
        assert primes.miller_rabin(w, primes.random_bases(w, 5))
    for a, b in ((MERSENNE_PRIMES[0], MERSENNE_PRIMES[3]), (8321, 49141), (3, 2 ** 127 - 1)):
        assert not primes.is_probable_prime(a * b)
    # Squares: the Lucas test refuses them before looking for D.
    assert not primes.strong_lucas(1009 ** 2) and not primes.is_probable_prime(1009 ** 2)
    assert primes.jacobi(-7, 15) == primes.jacobi(5, 21) == 1
    assert primes.jacobi(5, 15) == 0 and primes.jacobi(2, 3) == -1


def test_strong_lucas_pseudoprimes_are_exactly_oeis_a217255() -> None:
    flags = _sieve(100_000)
    found = [w for w in range(3, 100_000, 2) if not flags[w] and primes.strong_lucas(w)]
    assert found == STRONG_LUCAS_PSP


@pytest.mark.parametrize(("bits", "rounds"), [(256, 8), (512, 8), (1023, 8), (1024, 4),
                                              (1535, 4), (1536, 3), (2048, 2), (8192, 2)])
def test_rounds_follow_fips_186_5_table_b1(bits: int, rounds: int) -> None:
    assert primes.miller_rabin_rounds(bits) == rounds


class _PowCounter:
    """Stands in for pow() in csrlib.signers.primes, counting (or refusing) calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, refuse: bool = False) -> None:
        self.calls = 0
        self.refuse = refuse
        monkeypatch.setattr(primes, "pow", self, raising=False)

    def __call__(self, base: int, exponent: int, modulus: int) -> int:
        assert not self.refuse, "pow() called: the check did arithmetic it should have skipped"
        self.calls += 1
        return int(builtins.pow(base, exponent, modulus))


def test_miller_rabin_rounds_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = _PowCounter(monkeypatch)
    # 2**1279 - 1 and 2**2203 - 1 are Mersenne primes: base 2, then 4 or 2 random rounds.
    for k, rounds in ((1279, 4), (2203, 2)):
        counter.calls = 0
        assert primes.is_probable_prime(2 ** k - 1)
        assert counter.calls == 1 + rounds
    counter.calls = 0
    assert not primes.is_probable_prime((2 ** 1279 - 1) * (2 ** 89 - 1))
    assert counter.calls == 1  # base 2 proves it composite
    counter.calls = 0
    assert primes.is_probable_prime(2 ** 1279 - 1, rounds=20)
    assert counter.calls == 21


def test_random_bases_come_from_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []

    def randbelow(n: int) -> int:
        asked.append(n)
        return n - 1

    monkeypatch.setattr(secrets, "randbelow", randbelow)
    w = 2 ** 521 - 1
    assert list(primes.random_bases(w, 3)) == [w - 2] * 3
    assert asked == [w - 3] * 3
    assert primes.is_probable_prime(w)
    assert len(asked) == 3 + primes.miller_rabin_rounds(521)


@given(st.integers(5, 2 ** 200), st.integers(0, 5))
def test_random_bases_are_in_range(w: int, count: int) -> None:
    bases = list(primes.random_bases(w, count))
    assert len(bases) == count and all(2 <= b <= w - 2 for b in bases)


@given(st.integers(-(2 ** 70), 2 ** 70))
def test_primality_functions_never_raise(w: int) -> None:
    primes.is_probable_prime(w)
    primes.strong_lucas(w)
    primes.miller_rabin(w, [2, 3])
    if w > 0 and w & 1:
        assert primes.jacobi(w - 1, w) in (-1, 0, 1)


def _pkcs1(n: int, e: int, d: int, p: int, q: int, crt: tuple[int, int, int],
           version: int = 0) -> bytes:
    return tlv(0x30, b"".join(_int(v) for v in (version, n, e, d, p, q, *crt)))


def test_composite_primes_sharing_a_factor_are_invalid_key() -> None:
    # Issue 13: 8321 = 53·157 and 49141 = 157·313 pass Miller-Rabin to base
    # 2; pow(q, -1, p) raised ValueError in the CRT set-up.
    p, q, e = 8321, 49141, 17
    d = pow(e, -1, math.lcm(p - 1, q - 1))
    for crt in ((d % (p - 1), d % (q - 1), 1), (0, 0, 0)):
        der = _pkcs1(p * q, e, d, p, q, crt)
        with pytest.raises(InvalidKey, match=r"not coprime \(gcd\(p, q\) != 1\)"):
            signers.load_private_key(der)
        with pytest.raises(InvalidKey, match="not coprime"):
            signers.load_private_key(encode_pem("RSA PRIVATE KEY", der))
    with pytest.raises(InvalidKey, match="not coprime"):
        signers.signer_for(RsaPrivateNumbers(p * q, e, d, p, q))


def test_cli_new_with_such_a_key_is_one_error_line(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    p, q, e = 8321, 49141, 17
    d = pow(e, -1, math.lcm(p - 1, q - 1))
    (tmp_path / "k.der").write_bytes(_pkcs1(p * q, e, d, p, q, (1, 1, 1)))
    status = cli.main(["new", "--key", str(tmp_path / "k.der"), "--subject", "CN=x",
                       "--out", str(tmp_path / "r.csr")])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.startswith("csrlib: error: ") and err.count("\n") == 1
    assert "not coprime" in err and str(p) not in err and str(d) not in err


@functools.cache
def _rsa_numbers() -> RsaPrivateNumbers:
    r = _keys()["rsa"].private_numbers()
    return RsaPrivateNumbers(r.public_numbers.n, r.public_numbers.e, r.d, r.p, r.q)


def test_check_rsa_counts_its_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    key = _rsa_numbers()
    bits = key.p.bit_length()
    counter = _PowCounter(monkeypatch)
    check_rsa(key)
    assert counter.calls == 2 * (1 + primes.miller_rabin_rounds(bits))


def test_cheap_checks_come_before_any_exponentiation(monkeypatch: pytest.MonkeyPatch) -> None:
    _PowCounter(monkeypatch, refuse=True)
    key = _rsa_numbers()
    n, e, d, p, q = key.n, key.e, key.d, key.p, key.q
    big = (1 << 16381) + 1  # n = 3·big: 16383 bits, one factor of 2 bits
    cases = {
        "unbalanced": RsaPrivateNumbers(3 * big, 65537, 5, 3, big),
        "not coprime": RsaPrivateNumbers(8321 * 49141, 17, 5, 8321, 49141),
        "private exponent": RsaPrivateNumbers(n, e, d + 2, p, q),
        "exponent1": (key, (d % (p - 1) + 1, d % (q - 1), pow(q, -1, p))),
        "coefficient": (key, (d % (p - 1), d % (q - 1), 0)),
    }
    for message, case in cases.items():
        record, crt = case if isinstance(case, tuple) else (case, None)
        with pytest.raises(InvalidKey, match=message):
            check_rsa(record, crt)


_ANY_INT = st.one_of(
    st.integers(-3, 70_000),
    st.sampled_from([0, 1, -1, 2, 3, 61, 53, 8321, 49141, 65537, 2 ** 64 + 1, 2 ** 16400]),
    st.integers(-(2 ** 130), 2 ** 130),
)


@st.composite
def _rsa_fields(draw: st.DrawFn) -> tuple[int, ...]:
    """Return version, n, e, d, p, q, dP, dQ, qInv: arbitrary, or derived as a generator would."""
    if draw(st.booleans()):
        # A real key with one field replaced: reaches the deep checks.
        k = _rsa_numbers()
        fields = [0, k.n, k.e, k.d, k.p, k.q, k.d % (k.p - 1), k.d % (k.q - 1),
                  pow(k.q, -1, k.p)]
        fields[draw(st.integers(0, 8))] = draw(_ANY_INT)
        return tuple(fields)
    p = draw(_ANY_INT)
    q = draw(st.one_of(_ANY_INT, st.just(p)))
    n = draw(st.one_of(st.just(p * q), _ANY_INT))
    e = draw(st.one_of(st.sampled_from([3, 5, 17, 65537]), _ANY_INT))
    lam = math.lcm(p - 1, q - 1)
    d = draw(_ANY_INT)
    if lam > 1 and math.gcd(e, lam) == 1 and draw(st.booleans()):
        d = pow(e, -1, lam)
    crt = draw(st.tuples(_ANY_INT, _ANY_INT, _ANY_INT))
    if p > 2 and q > 2 and math.gcd(p, q) == 1 and draw(st.booleans()):
        crt = (d % (p - 1), d % (q - 1), pow(q, -1, p))
    version = draw(st.sampled_from([0, 0, 0, 1, -1, 2]))
    return (version, n, e, d, p, q, *crt)


@given(_rsa_fields())
def test_pkcs1_with_any_integers_raises_only_invalid_key(fields: tuple[int, ...]) -> None:
    der = tlv(0x30, b"".join(_int(v) for v in fields))
    for data in (der, tlv(0x30, _int(0) + tlv(0x30, oid("1.2.840.113549.1.1.1") + b"\x05\x00")
                          + tlv(0x04, der))):
        try:
            signer = signers.load_private_key(data)
        except InvalidKey:
            continue
        assert isinstance(signer, RsaSigner)
        assert signer.private_numbers.n == fields[1]
    # The backend and the writer from the numbers alone: InvalidKey, never ValueError.
    _, n, e, d, p, q, *_ = fields
    with contextlib.suppress(InvalidKey):
        signers.signer_for(RsaPrivateNumbers(n, e, d, p, q))
    with contextlib.suppress(InvalidKey):
        pkcs8_der(RsaPrivateNumbers(n, e, d, p, q))


@st.composite
def _ec_files(draw: st.DrawFn) -> tuple[str, int, bytes]:
    """Return (curve, secret, SEC1 or PKCS#8 DER) with an arbitrary secret and encoding."""
    curve = draw(st.sampled_from(sorted(_CURVES)))
    order, size = _CURVES[curve].n, _CURVES[curve].size
    secret = draw(st.one_of(
        st.sampled_from([0, 1, order - 1, order, order + 1, 2 ** (8 * size) - 1]),
        st.integers(0, 2 ** (8 * size + 64))))
    length = draw(st.one_of(st.just(size), st.integers(0, 80)))
    octets = secret.to_bytes(max(length, (secret.bit_length() + 7) // 8), "big")[-length:] \
        if length else b""
    body = _int(1) + tlv(0x04, octets) + tlv(0xA0, oid(_CURVES[curve].oid))
    if draw(st.booleans()):
        body += tlv(0xA1, tlv(0x03, b"\x00" + draw(st.binary(max_size=140))))
    sec1 = tlv(0x30, body)
    if draw(st.booleans()):
        return curve, int.from_bytes(octets, "big"), sec1
    algorithm = tlv(0x30, oid("1.2.840.10045.2.1") + oid(_CURVES[curve].oid))
    return curve, int.from_bytes(octets, "big"), tlv(0x30, _int(0) + algorithm + tlv(0x04, sec1))


@given(_ec_files())
def test_ec_keys_with_any_secret_raise_only_invalid_key(case: tuple[str, int, bytes]) -> None:
    curve, secret, der = case
    try:
        signer = signers.load_private_key(der)
    except InvalidKey:
        pass
    else:
        assert isinstance(signer, EcdsaSigner)
        assert 0 < secret < _CURVES[curve].n
    try:
        EcdsaSigner.from_numbers(EcPrivateNumbers(curve, secret))
    except InvalidKey:
        assert not 0 < secret < _CURVES[curve].n


@given(st.sampled_from(["secp256r1 ", "SECP256R1", "secp192r1", "brainpoolP256t1", "ed25519",
                        "", "x" * 100]), _ANY_INT)
def test_ec_signer_from_any_numbers(curve: str, secret: int) -> None:
    with pytest.raises(InvalidKey):
        EcdsaSigner.from_numbers(EcPrivateNumbers(curve, secret))


@given(key_type=st.sampled_from(["ed25519", "ed448"]), size=st.integers(0, 120),
       public=st.one_of(st.none(), st.integers(0, 120)), wrapped=st.booleans())
def test_eddsa_keys_of_any_length_raise_only_invalid_key(key_type: str, size: int,
                                                         public: int | None,
                                                         wrapped: bool) -> None:
    expected = 32 if key_type == "ed25519" else 57
    seed = bytes(range(size % 256))[:size].ljust(size, b"\x07")
    inner = tlv(0x04, seed) if wrapped else seed
    version, tail = 0, b""
    if public is not None:
        version, tail = 1, tlv(0x81, b"\x00" + bytes(public))
    algorithm = tlv(0x30, oid(_ED25519 if key_type == "ed25519" else _ED448))
    der = tlv(0x30, _int(version) + algorithm + tlv(0x04, inner) + tail)
    try:
        signer = signers.load_private_key(der)
    except InvalidKey:
        pass
    else:
        # Only the right seed size, wrapped (RFC 8410 7), without a public key:
        # a zero public key of the right size is never the derived one.
        assert isinstance(signer, EdDsaSigner)
        assert (size, wrapped, public) == (expected, True, None)
    try:
        EdDsaSigner.from_seed(EdPrivateSeed(key_type, seed))
    except InvalidKey:
        assert size != expected
    with pytest.raises(InvalidKey):
        EdDsaSigner.from_seed(EdPrivateSeed("x25519", seed))


# -- 3. key specs ------------------------------------------------------------------------


class _NewKeys:
    """Stands in for the RSA generator: records the sizes asked for, returns a real small key."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from csrlib.signers import rsa_keygen

        self.sizes: list[int] = []
        k = _rsa_numbers()
        self.key = (k.n, k.e, k.d, k.p, k.q)
        monkeypatch.setattr(rsa_keygen, "generate_rsa_numbers", self)

    def __call__(self, bits: int) -> tuple[int, int, int, int, int]:
        self.sizes.append(bits)
        return self.key


BAD_SPECS = {
    # Superscript two: str.isdigit() said yes, int() refused it (a traceback).
    "rsa:\u00b2": "unknown key spec",
    # Arabic-Indic three: int() took it ("weak: 3"), and 3000 made a 3000-bit key.
    "rsa:\u0663": "unknown key spec",
    "rsa:\u0663\u0660\u0660\u0660": "unknown key spec",
    # Fullwidth digits.
    "rsa:\uff12\uff10\uff14\uff18": "unknown key spec",
    "ec:P-\uff12\uff15\uff16": "unknown key spec",
    "rsa:": "unknown key spec",
    "rsa:-2048": "unknown key spec",
    "rsa:+2048": "unknown key spec",
    "rsa: 2048": "unknown key spec",
    "rsa:2048\n": "unknown key spec",
    "rsa:2_048": "unknown key spec",
    "rsa:2e3": "unknown key spec",
    "RSA:2048": "unknown key spec",
    "ed25519:": "unknown key spec",
    "ed448:x": "unknown key spec",
    "ec:p-256": "unknown key spec",
    "": "unknown key spec",
    "rsa:0": "1024..16384",
    "rsa:1023": "1024..16384",
    "rsa:16385": "1024..16384",
    "rsa:99999": "1024..16384",
    "rsa:" + "9" * 5000: "1024..16384",  # beyond int()'s own digit limit
    "rsa:000000000002048": "1024..16384",
    "rsa:1024": "weak",
    "rsa:2047": "weak",
}


@pytest.mark.parametrize("spec", sorted(BAD_SPECS))
def test_bad_specs_are_build_errors_before_any_work(spec: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    made = _NewKeys(monkeypatch)
    with pytest.raises(BuildError, match=BAD_SPECS[spec]) as info:
        signers.generate(spec)
    assert len(str(info.value)) < 300
    assert made.sizes == []


def test_rsa_sizes_in_range_reach_the_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    made = _NewKeys(monkeypatch)
    for spec in ("rsa:2048", "rsa:16384", "rsa:4097", "rsa:02048"):
        assert isinstance(signers.generate(spec), RsaSigner)
    for spec in ("rsa:1024", "rsa:2047"):
        assert isinstance(signers.generate(spec, allow_weak=True), RsaSigner)
    assert made.sizes == [2048, 16384, 4097, 2048, 1024, 2047]
    with pytest.raises(TypeError):
        signers.generate(2048)  # type: ignore[arg-type]


# ASCII digits, and digits of other scripts that isdigit() or int() accept:
# superscripts, Arabic-Indic, fullwidth, NKo, Bengali, Telugu, mathematical bold.
_DIGITS = ("0123456789\u00b2\u00b3\u00b9\u0663\u0660\uff10\uff11\uff12\uff15\u07c0"
           "\u09e6\u0c66\U0001d7ce")
_SPECS = st.one_of(
    st.text(max_size=20),
    st.builds(lambda kind, arg: f"{kind}:{arg}",
              st.sampled_from(["rsa", "ec", "ed25519", "RSA", "rsa "]),
              st.text(alphabet=_DIGITS, max_size=7)),
    st.builds(lambda arg: f"ec:{arg}", st.sampled_from(["P-256", "P-384", "secp256k1",
                                                        "P-\uff12\uff15\uff16", "P-25",
                                                        "P-256 "])),
    st.sampled_from(["ed25519", "ed448", "ec:P-521"]),
)


@given(_SPECS, st.booleans())
def test_any_spec_makes_a_key_or_raises_build_error(spec: str, allow_weak: bool) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        made = _NewKeys(monkeypatch)
        try:
            signer = signers.generate(spec, allow_weak=allow_weak)
        except BuildError:
            assert made.sizes == []
            return
    assert signer.public_key is not None
    for bits in made.sizes:
        assert spec == f"rsa:{spec[4:]}" and spec[4:].isascii()
        assert (1024 if allow_weak else 2048) <= bits <= 16384


def test_cli_keygen_with_a_superscript_is_one_error_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for spec in ("rsa:\u00b2", "rsa:\u0663", "ec:P-\uff12\uff15\uff16"):
        status = cli.main(["keygen", spec, "--out", str(tmp_path / "k.pem")])
        out, err = capsys.readouterr()
        assert status == 2 and out == ""
        assert err.startswith("csrlib: error: unknown key spec") and err.count("\n") == 1
        assert not (tmp_path / "k.pem").exists()


# -- 4. hostile key files from openssl genpkey ------------------------------------------


@functools.cache
def _openssl_corpus() -> tuple[bytes, ...]:
    """Return key files the openssl command line writes: PEM and DER, PKCS#1/SEC1/PKCS#8."""
    assert OPENSSL is not None
    out: list[bytes] = []
    with tempfile.TemporaryDirectory() as tmp:
        def run(*args: str) -> bytes:
            subprocess.run([OPENSSL, *args], cwd=tmp, check=True, capture_output=True)
            return (Path(tmp) / args[args.index("-out") + 1]).read_bytes()

        gen = {"rsa": ["RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
               "pss": ["RSA-PSS", "-pkeyopt", "rsa_keygen_bits:1024", "-pkeyopt",
                       "rsa_pss_keygen_md:sha256", "-pkeyopt", "rsa_pss_keygen_mgf1_md:sha256"],
               "ec": ["EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
               "ed25519": ["ED25519"], "ed448": ["ED448"]}
        for name, args in gen.items():
            out.append(run("genpkey", "-algorithm", *args, "-out", f"{name}.pem"))
            out.append(run("pkey", "-in", f"{name}.pem", "-outform", "DER",
                           "-out", f"{name}.der"))
        # PKCS#1 and SEC1, in PEM and DER.
        for form in ("PEM", "DER"):
            out.append(run("rsa", "-in", "rsa.pem", "-traditional", "-outform", form,
                           "-out", f"rsa-trad.{form}"))
            out.append(run("ec", "-in", "ec.pem", "-outform", form, "-out", f"ec-trad.{form}"))
    return tuple(out)


def _mutate(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "set", "delete", "insert"]))
        pos = draw(st.integers(0, max(len(out) - 1, 0)))
        if op == "flip" and out:
            out[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and out:
            out[pos] = draw(st.sampled_from([0x00, 0x01, 0x7F, 0x80, 0x81, 0xFF,
                                             draw(st.integers(0, 255))]))
        elif op == "delete" and out:
            del out[pos:pos + draw(st.integers(1, 8))]
        else:
            out[pos:pos] = draw(st.binary(min_size=1, max_size=8))
    return bytes(out)


@st.composite
def _hostile(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(_openssl_corpus()))
    if data.startswith(b"-----") and draw(st.booleans()):
        # Mutate the DER inside the PEM block, so the structure is what breaks.
        label, der = pem_blocks(data)[0]
        assert der is not None
        return encode_pem(label, _mutate(draw, der)).encode()
    return _mutate(draw, data)


@functools.cache
def _corpus_secrets() -> list[str]:
    texts = []
    for data in _openssl_corpus():
        key = read_private_key(data)
        values = ([key.d, key.p, key.q] if isinstance(key, RsaPrivateNumbers)
                  else [key.secret] if isinstance(key, EcPrivateNumbers)
                  else [int.from_bytes(key.seed, "big")])
        texts += [f"{v}"[:16] for v in values] + [f"{v:x}"[:16] for v in values]
    return texts


@pytest.mark.skipif(OPENSSL is None, reason="the openssl command line is absent")
@given(_hostile())
def test_mutated_openssl_key_files_raise_only_invalid_key(data: bytes) -> None:
    try:
        signer = signers.load_private_key(data)
    except CSRError as exc:
        # BuildError only for an RSASSA-PSS key restricted to SHA-1, which a
        # caller may accept with allow_sha1=True.
        assert isinstance(exc, InvalidKey) or "allow_sha1" in str(exc), repr(exc)
        text = "".join(traceback.format_exception(exc))
        assert not any(secret in text for secret in _corpus_secrets())
        return
    # Anything accepted signs, and its signature verifies.
    import csrlib

    csrlib.verify_signature(signer.public_key, signer.signature_algorithm,
                            signer.sign(b"tbs"), b"tbs", policy=csrlib.Policy.legacy())


@pytest.mark.skipif(OPENSSL is None, reason="the openssl command line is absent")
def test_openssl_corpus_loads() -> None:
    kinds = [type(signers.load_private_key(data)).__name__ for data in _openssl_corpus()]
    assert kinds.count("RsaSigner") == 6 and kinds.count("EcdsaSigner") == 4
    assert kinds.count("EdDsaSigner") == 4

